"""The `grade` command: argument parsing and output choice only; the work is in the API modules."""

from __future__ import annotations

import json
import logging
import os
import sys
from functools import wraps
from pathlib import Path

import click

from . import __version__, formats
from .bank import Bank
from .batch import Outcome, Storer, discover
from .batch import shard as shard_files
from .gradebook import Gradebook, GradebookError, canvas_rows, export_rows
from .grade import UnknownAssignment, grade_submission
from .identity import FROM_FILE, Roster, annotate, path_pattern, stored_warnings, students_from_paths
from .inert import visible
from .loader import LoadError, load_submission
from .model import Problem
from .present import show as show_problem
from .present import template as template_text
from .regrade import regrade as regrade_stored
from .resume import Fingerprints, grade_or_reuse
from .report import Report
from .selftest import check_paths
from .stats import stored_analysis
from .solve import SolveError, solve
from .variants import course_secret

EXIT_OK, EXIT_UNDER, EXIT_UNUSABLE = 0, 1, 2

problems_option = click.option(
    "--problems", "problems_dir", type=click.Path(path_type=Path), default=Path("problems"),
    show_default=True, help="The problem bank: problems/<assignment>/<problem>.toml.",
)


class _Stderr(logging.Handler):
    """The grader's log (a fault on one part: what it was) goes to whatever stderr is now."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"grade: {visible(self.format(record))}", err=True)


_logger = logging.getLogger("grader")
_logger.addHandler(_Stderr())
_logger.propagate = False


def unusable(message: str) -> None:
    """Exit 2 with a one-line reason on stderr."""
    click.echo(f"grade: {visible(message)}", err=True)
    sys.exit(EXIT_UNUSABLE)


def no_tracebacks(command):
    """Users see a one-line reason, never a stack trace."""
    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            # the reader stopped early (`grade check | head`): leave quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_UNDER)
        except (LoadError, UnknownAssignment, SolveError, GradebookError) as error:
            unusable(str(error).splitlines()[0] if str(error) else type(error).__name__)
        except Exception as error:  # noqa: BLE001 - the last line of defence for users
            unusable(f"internal error: {type(error).__name__}: {error}")
    return wrapper


def _bank(problems_dir: Path) -> Bank:
    if not problems_dir.is_dir():
        unusable(f"problem bank '{problems_dir}' not found (use --problems DIR)")
    return Bank(problems_dir)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="grade")
def main():
    """Grade math-heavy homework: TOML problems, answers as students write them."""


@main.command()
@click.argument("answers", type=click.Path(path_type=Path))
@problems_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "markdown", "gradescope"]),
              default="text", show_default=True, help="gradescope: the results.json of a Gradescope autograder.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 when the score is under this percentage.")
@no_tracebacks
def submit(answers: Path, problems_dir: Path, fmt: str, fail_under: float | None):
    """Grade one answers file and print the report."""
    submission = load_submission(answers)
    report = grade_submission(submission, _bank(problems_dir), course_secret())
    if fmt == "text":
        click.echo(formats.text(report, colour=sys.stdout.isatty()), nl=False)
    else:
        click.echo({"json": formats.as_json, "junit": formats.junit, "markdown": formats.markdown,
                    "gradescope": formats.gradescope}[fmt](report), nl=fmt in ("json", "gradescope"))
    if fail_under is not None and report.percent < fail_under:
        sys.exit(EXIT_UNDER)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--variants", default=20, show_default=True, type=click.IntRange(0, 10_000),
              help="Student variants to solve and self-grade per problem.")
@no_tracebacks
def check(paths: tuple[Path, ...], variants: int):
    """Validate problems and run their self-tests (default: problems/)."""
    targets = list(paths) or [Path("problems")]
    if not paths and not targets[0].is_dir():
        unusable("no problems/ folder here; pass the problem files or folders to check")
    results = check_paths(targets, variants, course_secret())
    failed = [r for r in results if r.failures]
    for result in results:
        mark = "FAIL" if result.failures else "ok  "
        click.echo(f"{mark} {result.id} ({result.parts} parts, {result.variants} distinct variants)")
        for failure in result.failures[:20]:
            click.echo(f"     {failure}")
        for warning in result.warnings:
            click.echo(f"     warning: {warning}")
        if len(result.failures) > 20:
            click.echo(f"     ... and {len(result.failures) - 20} more")
    parts = sum(r.parts for r in results)
    click.echo(f"{len(results)} problems, {parts} parts: {len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(EXIT_UNDER if failed or not results else EXIT_OK)


@main.command()
@click.argument("problem_id")
@problems_option
@click.option("--student", default=None, help="Show this student's variant (default: published values).")
@click.option("--solution", is_flag=True, help="Include the canonical answers.")
@no_tracebacks
def show(problem_id: str, problems_dir: Path, student: str | None, solution: bool):
    """Show a problem's statement with one student's numbers."""
    bank = _bank(problems_dir)
    problem = bank.problem(problem_id.removesuffix(".toml"))
    variant = solve(problem, bank.variant_of(problem.assignment, student), course_secret())
    click.echo(show_problem(problem, variant, solution), nl=False)


@main.command()
@click.argument("assignment")
@problems_option
@click.option("--student", required=True, help="Whose variant the template is for.")
@no_tracebacks
def template(assignment: str, problems_dir: Path, student: str):
    """Print a blank answers.toml for one student's variant of an assignment."""
    bank = _bank(problems_dir)
    problems = bank.assignment(assignment)
    if not problems:
        unusable(f"unknown assignment '{assignment}' (known: {', '.join(bank.assignments()) or 'none'})")
    for item in problems:
        if isinstance(item, LoadError):
            raise item
    who = bank.variant_of(assignment, student)
    variants = {p.id: solve(p, who, course_secret()) for p in problems}
    click.echo(template_text(problems, variants, assignment, student), nl=False)


@main.command()
def schema():
    """Print the problem file's JSON Schema (for editor completion and validation)."""
    click.echo(json.dumps(Problem.model_json_schema(), indent=2))


def _shard_spec(ctx, param, value):
    if value is None:
        return None
    try:
        index, count = (int(x) for x in value.split("/"))
    except ValueError:
        raise click.BadParameter("write K/N, e.g. 2/4") from None
    if not 1 <= index <= count:
        raise click.BadParameter("K must be between 1 and N")
    return index, count


def _write(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


db_option = click.option("--db", type=click.Path(path_type=Path), default=Path("gradebook.sqlite"),
                         show_default=True, help="The SQLite gradebook.")
batch_format = click.option("--format", "fmt", type=click.Choice(list(formats.BATCH_FORMATS)), default="csv",
                            show_default=True)
roster_option = click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                             help="CSV of the class (a 'student' column): ids not on it are flagged.")


def _student_pattern(ctx, param, value):
    try:
        return path_pattern(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


out_option = click.option("--out", type=click.Path(path_type=Path), default=None, help="Write here, not stdout.")


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@problems_option
@click.option("--jobs", type=click.IntRange(1, 256), default=None, show_default="cores",
              help="Worker processes (at most the number of cores).")
@out_option
@batch_format
@db_option
@click.option("--no-db", is_flag=True, help="Do not store anything in a gradebook.")
@click.option("--shard", callback=_shard_spec, default=None, metavar="K/N",
              help="Grade only share K of N (a stable split by file path), for a CI matrix.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 when any submission scores under this percentage.")
@click.option("--regrade", "force", is_flag=True,
              help="Grade every file again, even those the gradebook holds for this content and bank.")
@click.option("--student-from", "student_from", default=FROM_FILE, show_default=True, callback=_student_pattern,
              help="Whose file it is: 'file' (its student key), 'path' (the file name: <student>.toml), "
                   "or a pattern such as 'submissions/{assignment}/{student}.toml'.")
@roster_option
@no_tracebacks
def batch(folder, problems_dir, jobs, out, fmt, db, no_db, shard, fail_under, force, student_from, roster):
    """Grade every answers file under FOLDER on worker processes."""
    _bank(problems_dir)
    jobs = _jobs(jobs)
    files = discover(folder)
    if shard:
        files = shard_files(files, *shard, folder)
    roster = Roster.load(roster) if roster else None
    students, unmatched = students_from_paths(files, student_from)
    gradebook = None if no_db else Gradebook(db)
    fingerprints = Fingerprints(problems_dir, course_secret())
    storer = Storer(gradebook, fingerprints) if gradebook is not None else None
    try:
        with _progress(len(files)) as advance:
            def on_outcome(outcome: Outcome) -> None:
                if storer is not None:
                    storer(outcome)
                advance()

            outcomes = grade_or_reuse(files, problems_dir, course_secret(), jobs, on_outcome, students,
                                      gradebook if not force else None, fingerprints)
    finally:
        if gradebook is not None:
            gradebook.close()
    annotate(outcomes, roster, unmatched)
    _write(formats.BATCH_FORMATS[fmt](outcomes), out)
    _finish_batch(outcomes, fail_under, storer.failure if storer is not None else None)


def _jobs(asked: int | None) -> int:
    """Workers: the cores this process may use, or fewer; more only slow every one down."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if asked is not None and asked > cores:
        click.echo(f"grade: note: --jobs {asked} is more than the {cores} cores here; using {cores}", err=True)
    return min(asked or cores, cores)


def _finish_batch(outcomes: list[Outcome], fail_under: float | None, failure: str | None = None) -> None:
    unusable_files = [o for o in outcomes if o.report is None]
    for outcome in unusable_files:
        click.echo(f"grade: {visible(outcome.file)}: {visible(outcome.error or '')}", err=True)
    if failure:
        click.echo(f"grade: {failure}", err=True)
    if unusable_files or failure:
        sys.exit(EXIT_UNUSABLE)
    if fail_under is not None and any(o.report.percent < fail_under for o in outcomes):
        sys.exit(EXIT_UNDER)


class _progress:
    """A progress bar on a terminal; nothing when stderr is piped."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        if sys.stderr.isatty() and self.total:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)  # stdout is the report
            self.bar.start()
            self.task = self.bar.add_task("grading", total=self.total)
            return lambda: self.bar.advance(self.task)
        return lambda: None

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


@main.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@out_option
@batch_format
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None)
@no_tracebacks
def merge(shards, out, fmt, fail_under):
    """Join the JSON outputs of `grade batch --shard` runs into one set of outputs."""
    outcomes = []
    for path in shards:
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            unusable(f"{path}: not a JSON output of grade batch ({error})")
        if not isinstance(items, list):
            unusable(f"{path}: not a JSON output of grade batch (expected a list)")
        for item in items:
            if "error" in item:
                outcomes.append(Outcome(item["file"], "", "", None, item["error"], item.get("student"),
                                        item.get("assignment")))
            else:
                outcomes.append(Outcome(item.get("file") or "", "", "", Report.from_dict(item)))
    outcomes.sort(key=lambda o: o.file)
    _write(formats.BATCH_FORMATS[fmt](outcomes), out)
    _finish_batch(outcomes, fail_under)


@main.command()
@db_option
@click.option("--policy", type=click.Choice(["latest", "best"]), default="latest", show_default=True)
@click.option("--lms", type=click.Choice(["plain", "canvas"]), default="plain", show_default=True,
              help="plain: student id, then one column per assignment (Moodle maps it); "
                   "canvas: Canvas's gradebook import columns.")
@no_tracebacks
def export(db, policy, lms):
    """CSV of each student's latest (or best) score per assignment, for LMS gradebook import."""
    if not db.is_file():
        unusable(f"no gradebook at {db}")
    with Gradebook(db, readonly=True) as gradebook:
        header, rows = export_rows(gradebook.latest(reports=False), policy)
    if lms == "canvas":
        header, rows = canvas_rows(header, rows)
    click.echo(formats.csv_table(header, rows), nl=False)


@main.command()
@db_option
@problems_option
@click.option("--assignment", default=None, help="Only this assignment.")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, show_default="cores",
              help="Worker processes (at most the number of cores).")
@no_tracebacks
def regrade(db, problems_dir, assignment, jobs):
    """Re-grade stored submissions (after a problem fix) and list the parts whose scores changed."""
    if not db.is_file():
        unusable(f"no gradebook at {db}")
    with Gradebook(db) as gradebook:
        changes = regrade_stored(gradebook, _bank(problems_dir), course_secret(), assignment, _jobs(jobs))
    for change in changes:
        click.echo(f"{visible(change.student)}  {change.problem}/{change.part}: "
                   f"{_score(change.before)} -> {_score(change.after)}")
    click.echo(f"{len(changes)} part score{'s' if len(changes) != 1 else ''} changed")


def _score(value) -> str:
    return "-" if value is None else f"{value:g}"


@main.command()
@db_option
@click.option("--assignment", default=None, help="Only this assignment.")
@click.option("--top", default=3, show_default=True, help="Most common wrong answers to list per part.")
@roster_option
@no_tracebacks
def stats(db, assignment, top, roster):
    """Item analysis: per part, share correct, mean credit and the most common wrong answers."""
    if not db.is_file():
        unusable(f"no gradebook at {db}")
    roster = Roster.load(roster) if roster else None
    with Gradebook(db, readonly=True) as gradebook:
        latest, files = {}, {}
        for stored in gradebook.latest(assignment, reports=False):
            if stored.report is not None:
                latest[(stored.student, stored.assignment)] = stored.submission_id
                files[stored.file] = stored
        rows = stored_analysis(gradebook, latest.values())
    click.echo(f"{len(latest)} students (latest submission each)")
    width = max((len(f"{r.problem}/{r.part}") for r in rows), default=4)
    for row in rows:
        common = ", ".join(f"{answer!r} x{count}" for answer, count in row.wrong.most_common(top))
        click.echo(f"{row.problem + '/' + row.part:<{width}}  correct {row.share_correct:6.1%}  "
                   f"mean credit {row.mean_credit:.2f}  {common}".rstrip())
    for file, warning in stored_warnings(list(files.values()), roster):
        click.echo(f"warning: {visible(file)}: {visible(warning)}")
