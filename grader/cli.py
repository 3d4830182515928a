"""The `grade` command: options in, one API call, output format out, exit code back.

Nothing heavy is imported at module level: `grade --help` must not pay for
sympy, numpy or the answer parser, so each command imports what it calls.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_OK, EXIT_PIPE, EXIT_UNDER, EXIT_UNUSABLE, GradeError
from .inert import visible
from .variants import SECRET_ENV

REPORT_FORMATS = ["text", "json", "junit", "markdown", "gradescope"]
BATCH_FORMATS = ["csv", "json", "junit", "markdown"]   # the keys of formats.BATCH_FORMATS


class _Stderr(logging.Handler):
    """The grader's log (a fault on one part: what it was) goes to whatever stderr is now."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"grade: {visible(self.format(record))}", err=True)


_logger = logging.getLogger("grader")
_logger.addHandler(_Stderr())
_logger.propagate = False


class _Grade(click.Group):
    """The one place where a command's outcome becomes the exit code: its return value, a GradeError's
    `exit_code` with its one-line message, EXIT_PIPE when the reader left, 2 for anything else."""

    def invoke(self, ctx: click.Context):
        try:
            code = super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except GradeError as error:
            click.echo(f"grade: {visible(error.first_line())}", err=True)
            code = error.exit_code
        except BrokenPipeError:
            _quiet_stdout()
            code = EXIT_PIPE
        except Exception as error:  # noqa: BLE001 - users see one line, never a stack trace
            click.echo(f"grade: {visible(f'internal error: {type(error).__name__}: {error}')}", err=True)
            code = EXIT_UNUSABLE
        ctx.exit(code or EXIT_OK)


def _quiet_stdout() -> None:
    """`grade check | head`: the reader left; leave quietly, with nothing more written to the closed pipe."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file (a test runner's buffer)
        pass


problems_option = click.option(
    "--problems", "problems_dir", type=click.Path(path_type=Path), default=Path("problems"),
    show_default=True, help="The problem bank: problems/<assignment>/<problem>.toml.",
)
secret_option = click.option(
    "--secret", envvar=SECRET_ENV, show_envvar=True, default=None,
    help="The course secret that seeds each student's variant (its value is never shown).",
)


@click.group(cls=_Grade, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="grade")
def main():
    """Grade math-heavy homework: TOML problems, answers as students write them."""


@main.command()
@click.argument("answers", type=click.Path(path_type=Path))
@problems_option
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True,
              help="gradescope: the results.json of a Gradescope autograder.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 when the score is under this percentage.")
@secret_option
def submit(answers: Path, problems_dir: Path, fmt: str, fail_under: float | None, secret: str | None):
    """Grade one answers file and print the report."""
    from . import formats
    from .api import grade_file

    report = grade_file(answers, problems_dir, secret)
    if fmt == "text":
        click.echo(formats.text(report, colour=sys.stdout.isatty()), nl=False)
    else:
        click.echo({"json": formats.as_json, "junit": formats.junit, "markdown": formats.markdown,
                    "gradescope": formats.gradescope}[fmt](report), nl=fmt in ("json", "gradescope"))
    return EXIT_UNDER if fail_under is not None and report.percent < fail_under else EXIT_OK


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--variants", default=20, show_default=True, type=click.IntRange(0, 10_000),
              help="Student variants to solve and self-grade per problem.")
@secret_option
def check(paths: tuple[Path, ...], variants: int, secret: str | None):
    """Validate problems and run their self-tests (default: problems/)."""
    from .api import check as check_problems
    from .errors import BankNotFound

    if not paths and not Path("problems").is_dir():
        raise BankNotFound("no problems/ folder here; pass the problem files or folders to check")
    results = check_problems(list(paths) or [Path("problems")], variants, secret)
    failed = [r for r in results if r.failures]
    for result in results:
        click.echo(f"{'FAIL' if result.failures else 'ok  '} {result.id} "
                   f"({result.parts} parts, {result.variants} distinct variants)")
        for failure in result.failures[:20]:
            click.echo(f"     {failure}")
        for warning in result.warnings:
            click.echo(f"     warning: {warning}")
        if len(result.failures) > 20:
            click.echo(f"     ... and {len(result.failures) - 20} more")
    parts = sum(r.parts for r in results)
    click.echo(f"{len(results)} problems, {parts} parts: {len(results) - len(failed)} passed, {len(failed)} failed")
    return EXIT_UNDER if failed or not results else EXIT_OK


@main.command()
@click.argument("problem_id")
@problems_option
@click.option("--student", default=None, help="Show this student's variant (default: published values).")
@click.option("--solution", is_flag=True, help="Include the canonical answers.")
@secret_option
def show(problem_id: str, problems_dir: Path, student: str | None, solution: bool, secret: str | None):
    """Show a problem's statement with one student's numbers."""
    from .api import show as statement
    from .bank import Bank

    click.echo(statement(Bank.existing(problems_dir), problem_id, student, solution, secret), nl=False)


@main.command()
@click.argument("assignment")
@problems_option
@click.option("--student", required=True, help="Whose variant the template is for.")
@secret_option
def template(assignment: str, problems_dir: Path, student: str, secret: str | None):
    """Print a blank answers.toml for one student's variant of an assignment."""
    from .api import template as blank
    from .bank import Bank

    click.echo(blank(Bank.existing(problems_dir), assignment, student, secret), nl=False)


@main.command()
def schema():
    """Print the problem file's JSON Schema (for editor completion and validation)."""
    import json

    from .model import Problem

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


def _student_pattern(ctx, param, value):
    if value is None:
        return None  # the file's own `student` key
    from .identity import path_pattern

    try:
        return path_pattern(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _roster(ctx, param, value):
    if value is None:
        return None
    from .identity import Roster

    return Roster.load(value)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


db_option = click.option("--db", type=click.Path(path_type=Path), default=Path("gradebook.sqlite"),
                         show_default=True, help="The SQLite gradebook.")
batch_format = click.option("--format", "fmt", type=click.Choice(BATCH_FORMATS), default="csv", show_default=True)
roster_option = click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                             callback=_roster,
                             help="CSV of the class (a 'student' column): ids not on it are flagged.")
out_option = click.option("--out", type=click.Path(path_type=Path), default=None, help="Write here, not stdout.")
fail_under_option = click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
                                 help="Exit 1 when any submission scores under this percentage.")


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
@fail_under_option
@click.option("--regrade", "force", is_flag=True,
              help="Grade every file again, even those the gradebook holds for this content and bank.")
@click.option("--student-from", "student_from", default=None, show_default="file", callback=_student_pattern,
              help="Whose file it is: 'file' (its student key), 'path' (the file name: <student>.toml), "
                   "or a pattern such as 'submissions/{assignment}/{student}.toml'.")
@roster_option
@secret_option
def batch(folder, problems_dir, jobs, out, fmt, db, no_db, shard, fail_under, force, student_from, roster, secret):
    """Grade every answers file under FOLDER on worker processes."""
    from . import formats
    from .course import grade_folder

    with _Progress() as progress:
        run = grade_folder(folder, problems_dir, jobs=_jobs(jobs), db=None if no_db else db, shard=shard,
                           force=force, student_from=student_from, roster=roster, secret=secret,
                           on_start=progress.start, on_outcome=progress.advance)
    _write(formats.BATCH_FORMATS[fmt](run.outcomes), out)
    return _batch_exit(run.outcomes, fail_under, run.failure)


def _jobs(asked: int | None) -> int:
    """Workers: the cores this process may use, or fewer; more only slow every one down."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if asked is not None and asked > cores:
        click.echo(f"grade: note: --jobs {asked} is more than the {cores} cores here; using {cores}", err=True)
    return min(asked or cores, cores)


def _batch_exit(outcomes, fail_under: float | None, failure: str | None = None) -> int:
    """Unusable files and a storage failure are named on stderr (exit 2); else exit 1 under --fail-under."""
    unusable_files = [o for o in outcomes if o.report is None]
    for outcome in unusable_files:
        click.echo(f"grade: {visible(outcome.file)}: {visible(outcome.error or '')}", err=True)
    if failure:
        click.echo(f"grade: {failure}", err=True)
    if unusable_files or failure:
        return EXIT_UNUSABLE
    if fail_under is not None and any(o.report.percent < fail_under for o in outcomes):
        return EXIT_UNDER
    return EXIT_OK


class _Progress:
    """A progress bar on a terminal; nothing when stderr is piped."""

    bar = None

    def start(self, total: int) -> None:
        if sys.stderr.isatty() and total:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)  # stdout is the report
            self.bar.start()
            self.task = self.bar.add_task("grading", total=total)

    def advance(self, outcome) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


@main.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@out_option
@batch_format
@fail_under_option
def merge(shards, out, fmt, fail_under):
    """Join the JSON outputs of `grade batch --shard` runs into one set of outputs."""
    from . import formats
    from .course import merge as merge_outputs

    outcomes = merge_outputs(list(shards))
    _write(formats.BATCH_FORMATS[fmt](outcomes), out)
    return _batch_exit(outcomes, fail_under)


@main.command()
@db_option
@click.option("--policy", type=click.Choice(["latest", "best"]), default="latest", show_default=True)
@click.option("--lms", type=click.Choice(["plain", "canvas"]), default="plain", show_default=True,
              help="plain: student id, then one column per assignment (Moodle maps it); "
                   "canvas: Canvas's gradebook import columns.")
def export(db, policy, lms):
    """CSV of each student's latest (or best) score per assignment, for LMS gradebook import."""
    from .records import export as export_table
    from .formats import csv_table

    click.echo(csv_table(*export_table(db, policy, lms)), nl=False)


@main.command()
@db_option
@problems_option
@click.option("--assignment", default=None, help="Only this assignment.")
@secret_option
@click.option("--jobs", type=click.IntRange(1, 256), default=None, show_default="cores",
              help="Worker processes (at most the number of cores).")
def regrade(db, problems_dir, assignment, secret, jobs):
    """Re-grade stored submissions (after a problem fix) and list the parts whose scores changed."""
    from .course import regrade as regrade_stored

    changes = regrade_stored(db, problems_dir, assignment, secret, _jobs(jobs))
    for change in changes:
        click.echo(f"{visible(change.student)}  {change.problem}/{change.part}: "
                   f"{_score(change.before)} -> {_score(change.after)}")
    click.echo(f"{len(changes)} part score{'s' if len(changes) != 1 else ''} changed")


def _score(value) -> str:
    return "-" if value is None else f"{value:g}"


@main.command()
@click.argument("student")
@click.argument("assignment")
@click.argument("problem")
@click.argument("part")
@click.argument("points", type=float)
@click.option("--comment", default="", help="What the student reads beside the score.")
@click.option("--grader", "grader_id", default=lambda: os.environ.get("USER", "instructor"), show_default="$USER",
              help="Who scored it (kept with the score).")
@db_option
@problems_option
def score(student, assignment, problem, part, points, comment, grader_id, db, problems_dir):
    """Score a text part of a student's latest submission by hand; it counts in results and export."""
    from .bank import Bank
    from .gradebook import Gradebook
    from .manual import score as record, total

    bank = Bank.existing(problems_dir)
    with Gradebook.existing(db, readonly=False) as gradebook:
        given = record(gradebook, bank, student, assignment, problem, part, points, comment, grader_id)
        now, top = total(gradebook, student, assignment)
    click.echo(f"{visible(student)}  {given.problem}/{given.part} scored {given.points:g}; "
               f"{assignment} total {now:g} / {top:g}")


@main.command()
@db_option
@click.option("--assignment", default=None, help="Only this assignment.")
@click.option("--top", default=3, show_default=True, help="Most common wrong answers to list per part.")
@roster_option
def stats(db, assignment, top, roster):
    """Item analysis: per part, share correct, mean credit and the most common wrong answers."""
    from .records import item_rows
    from .identity import stored_warnings

    students, rows, stored = item_rows(db, assignment)
    click.echo(f"{students} students (latest submission each)")
    width = max((len(f"{r.problem}/{r.part}") for r in rows), default=4)
    for row in rows:
        common = ", ".join(f"{answer!r} x{count}" for answer, count in row.wrong.most_common(top))
        click.echo(f"{row.problem + '/' + row.part:<{width}}  correct {row.share_correct:6.1%}  "
                   f"mean credit {row.mean_credit:.2f}  {common}".rstrip())
    for file, warning in stored_warnings(stored, roster):
        click.echo(f"warning: {visible(file)}: {visible(warning)}")


# the grading service (grader/service)

@main.command()
@problems_option
@click.option("--course", type=click.Path(path_type=Path), default=Path("course.toml"), show_default=True,
              help="The course file: roster, and per assignment its dates, attempts and feedback.")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 256), default=None, show_default="cores",
              help="Grading worker processes.")
@secret_option
def serve(problems_dir, course, db, host, port, workers, secret):
    """Run the grading service: students submit over HTTP, the answer key stays here."""
    from .service.server import serve as run

    run(problems_dir, course, db, host, port, _jobs(workers), secret)


@main.group()
def tokens():
    """Issue and revoke the grading service's bearer tokens."""


@tokens.command("issue")
@click.option("--roster", required=True, type=click.Path(path_type=Path), help="CSV with a 'student' column.")
@db_option
@click.option("--role", type=click.Choice(["student", "ta", "instructor"]), default="student", show_default=True)
def tokens_issue(roster, db, role):
    """Print `student,token` for everyone on the roster (earlier tokens stop working)."""
    from .formats import csv_table
    from .service.server import issue

    issued = issue(roster, db, role)
    click.echo(csv_table(["student", "token"], [[s, t] for s, t in issued.items()]), nl=False)


@tokens.command("revoke")
@click.argument("student")
@db_option
def tokens_revoke(student, db):
    """Revoke a student's tokens: their requests get 401 from now on."""
    from .service.server import revoke

    count = revoke(student, db)
    click.echo(f"revoked {count} token{'s' if count != 1 else ''} of {visible(student)}")
