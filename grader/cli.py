"""The `grade` command: options in, one API call, output format out, exit code back.

Nothing heavy is imported at module level: `grade --help` must not pay for
sympy, numpy or the answer parser, so each command imports what it calls.
"""

from __future__ import annotations

import gc
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


# pydantic looks for plugins through the installed packages' metadata on its first model (~60 ms of
# a cold `grade submit`); the command uses none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

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


def _load_grading():
    """Import the grading stack (sympy, numpy, the answer parser, the problem models): a million objects
    that live until the process ends. The cyclic collector is paused while they load and they are
    frozen after (gc.freeze), so no collection scans them again: in a cold `grade submit` those scans
    were a tenth of the time, and forked workers leave the pages they share with the parent unwritten.
    Returns the API module; a no-op once it is loaded."""
    if f"{__package__}.api" in sys.modules:
        return sys.modules[f"{__package__}.api"]
    was_on = gc.isenabled()
    gc.disable()
    try:
        from . import api
    finally:
        gc.freeze()
        if was_on:
            gc.enable()
    return api


def run() -> None:
    """The `grade` console script. Everything the command holds is frozen before the interpreter exits,
    so its final collections skip them: about a fifth of a cold `grade submit` otherwise. Files and the
    gradebook are closed by then and atexit handlers still run; only that last scan is skipped."""
    try:
        main()
    finally:
        gc.freeze()


problems_option = click.option(
    "--problems", "problems_dir", type=click.Path(path_type=Path), default=Path("problems"),
    show_default=True, help="The problem bank: problems/<assignment>/<problem>.toml.",
)
secret_option = click.option(
    "--secret", envvar=SECRET_ENV, show_envvar=True, default=None,
    help="The course secret that seeds each student's variant (its value is never shown).",
)
server_option = click.option(
    "--server", default=None, metavar="URL",
    help="Ask this grading service (default: the one `grade login` stored; with neither, work locally).",
)
token_option = click.option(
    "--token", envvar="GRADE_TOKEN", show_envvar=True, default=None,
    help="Your token for --server (default: the token `grade login` stored for it).",
)
local_option = click.option("--local", is_flag=True, help="Work on the local problems/ even when logged in.")


def _remote(server: str | None, token: str | None, local: bool = False):
    """The service a command talks to, or None to work locally (no login and no --server, or --local)."""
    from .client import connect

    return None if local else connect(server, token)


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
@server_option
@token_option
@local_option
def submit(answers: Path, problems_dir: Path, fmt: str, fail_under: float | None, secret: str | None,
           server: str | None, token: str | None, local: bool):
    """Grade one answers file and print the report (on the server when logged in to one)."""
    client = _remote(server, token, local)
    if client is None:
        _load_grading()
        from .api import grade_file

        report = grade_file(answers, problems_dir, secret)
    else:
        report, receipt = client.submit(answers, _idempotency_key())
        click.echo(_receipt(receipt), err=True)
    from . import formats

    if fmt == "text":
        click.echo(formats.text(report, colour=sys.stdout.isatty()), nl=False)
    else:
        click.echo({"json": formats.as_json, "junit": formats.junit, "markdown": formats.markdown,
                    "gradescope": formats.gradescope}[fmt](report), nl=fmt in ("json", "gradescope"))
    return EXIT_UNDER if fail_under is not None and report.percent < fail_under else EXIT_OK


def _idempotency_key() -> str:
    import uuid

    return uuid.uuid4().hex


def _many(count: int, noun: str) -> str:
    """`1 part`, `2 parts`: counts the CLI prints read as English."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _counted(reply: dict) -> str:
    """A submission's score as it counts: after any late penalty, which is named."""
    late = reply.get("late") if isinstance(reply.get("late"), dict) else {}
    score = late.get("score", reply.get("score"))
    text = f"{_score(score)} / {_score(reply.get('max_score'))}"
    if late.get("days"):
        text += f"  late {_many(late['days'], 'day')}, penalty {late.get('penalty', 0):.0%}"
    return text


def _receipt(reply: dict) -> str:
    """The server's receipt, for stderr: the report on stdout stays what local grading prints."""
    left = reply.get("attempts_left")
    return (f"submission #{visible(str(reply.get('submission_id')))} received {visible(str(reply.get('received_at')))}"
            f"; counts {_counted(reply)}" + ("" if left is None else f"; attempts left: {left}"))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--variants", default=20, show_default=True, type=click.IntRange(0, 10_000),
              help="Student variants to solve and self-grade per problem.")
@secret_option
def check(paths: tuple[Path, ...], variants: int, secret: str | None):
    """Validate problems and run their self-tests (default: problems/)."""
    _load_grading()
    from .api import check as check_problems
    from .errors import BankNotFound

    if not paths and not Path("problems").is_dir():
        raise BankNotFound("no problems/ folder here; pass the problem files or folders to check")
    results = check_problems(list(paths) or [Path("problems")], variants, secret)
    failed = [r for r in results if r.failures]
    for result in results:
        click.echo(f"{'FAIL' if result.failures else 'ok  '} {result.id} "
                   f"({_many(result.parts, 'part')}, {_many(result.variants, 'distinct variant')})")
        for failure in result.failures[:20]:
            click.echo(f"     {failure}")
        for warning in result.warnings:
            click.echo(f"     warning: {warning}")
        if len(result.failures) > 20:
            click.echo(f"     ... and {len(result.failures) - 20} more")
    parts = sum(r.parts for r in results)
    click.echo(f"{_many(len(results), 'problem')}, {_many(parts, 'part')}: "
               f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return EXIT_UNDER if failed or not results else EXIT_OK


@main.command()
@click.argument("problem_id")
@problems_option
@click.option("--student", default=None, help="Show this student's variant (default: published values).")
@click.option("--solution", is_flag=True, help="Include the canonical answers.")
@secret_option
@server_option
@token_option
@local_option
def show(problem_id: str, problems_dir: Path, student: str | None, solution: bool, secret: str | None,
         server: str | None, token: str | None, local: bool):
    """Show a problem's statement with one student's numbers (an assignment: list its problems;
    when logged in to a service: your variant, from the server)."""
    client = _remote(server, token, local)
    if client is not None:
        click.echo(client.show(problem_id), nl=False)
        return
    _load_grading()
    from .api import show as statement
    from .bank import Bank

    click.echo(statement(Bank.existing(problems_dir), problem_id, student, solution, secret), nl=False)


@main.command()
@click.argument("assignment")
@problems_option
@click.option("--student", default=None, help="Whose variant the template is for (locally: required).")
@secret_option
@server_option
@token_option
@local_option
def template(assignment: str, problems_dir: Path, student: str | None, secret: str | None,
             server: str | None, token: str | None, local: bool):
    """Print a blank answers.toml for one student's variant of an assignment (yours, when logged in)."""
    client = _remote(server, token, local)
    if client is not None:
        click.echo(client.template(assignment), nl=False)
        return
    if student is None:
        raise click.UsageError("Missing option '--student' (needed to grade locally).")
    _load_grading()
    from .api import template as blank
    from .bank import Bank

    click.echo(blank(Bank.existing(problems_dir), assignment, student, secret), nl=False)


@main.command()
@click.argument("assignment")
@problems_option
@click.option("--student", default=None, help="Whose variant to write (to stdout).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV of the class (a 'student' column): one handout per student, into --out.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --roster: the folder the handouts are written to.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@secret_option
def handout(assignment, problems_dir, student, roster, out, fmt, secret):
    """Write an assignment for one student's variant (or each student's on a roster): no solutions."""
    _load_grading()
    from . import api
    from .bank import Bank
    from .identity import Roster

    if (student is None) == (roster is None):
        raise click.UsageError("give --student ID, or --roster CSV with --out DIR")
    if roster is not None and out is None:
        raise click.UsageError("--roster needs --out DIR (one file per student)")
    bank = Bank.existing(problems_dir)
    if student is not None:
        click.echo(api.handout(bank, assignment, student, fmt, secret), nl=False)
        return EXIT_OK
    written = api.handouts(bank, assignment, Roster.load(roster).students, out, fmt, secret)
    click.echo(f"{_many(len(written), 'handout')} written to {visible(str(out))}")
    return EXIT_OK


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
    _load_grading()
    from . import formats
    from .course import grade_folder

    with _Progress() as progress:
        run = grade_folder(folder, problems_dir, jobs=_jobs(jobs), db=None if no_db else db, shard=shard,
                           force=force, student_from=student_from, roster=roster, secret=secret,
                           on_start=progress.start, on_outcome=progress.advance)
    if fmt == "markdown":   # with the bank: the summary says which common wrong answers a mistake rule meets
        _write(formats.batch_markdown(run.outcomes, problems=problems_dir), out)
    else:
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
@problems_option
@out_option
@batch_format
@fail_under_option
def merge(shards, problems_dir, out, fmt, fail_under):
    """Join the JSON outputs of `grade batch --shard` runs into one set of outputs."""
    _load_grading()
    from . import formats
    from .course import merge as merge_outputs

    outcomes = merge_outputs(list(shards))
    if fmt == "markdown":   # the bank, as batch has it: rule notes, and text parts left unranked
        _write(formats.batch_markdown(outcomes, problems=problems_dir), out)
    else:
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
    _load_grading()
    from .course import regrade as regrade_stored

    changes = regrade_stored(db, problems_dir, assignment, secret, _jobs(jobs))
    for change in changes:
        click.echo(f"{visible(change.student)}  {change.problem}/{change.part}: "
                   f"{_score(change.before)} -> {_score(change.after)}")
    click.echo(f"{_many(len(changes), 'part score')} changed")


def _score(value) -> str:
    return "-" if value is None else f"{value:g}"


@main.command()
@click.argument("student")
@click.argument("assignment")
@click.argument("problem")
@click.argument("part")
@click.argument("points")
@click.option("--comment", default="", help="What the student reads beside the score.")
@click.option("--grader", "grader_id", default=lambda: os.environ.get("USER", "instructor"), show_default="$USER",
              help="Who scored it (kept with the score).")
@db_option
@problems_option
def score(student, assignment, problem, part, points, comment, grader_id, db, problems_dir):
    """Score a text part of a student's latest submission by hand; it counts in results and export."""
    _load_grading()
    from .bank import Bank
    from .gradebook import Gradebook
    from .manual import points_of, score as record, total

    bank = Bank.existing(problems_dir)
    with Gradebook.existing(db, readonly=False) as gradebook:
        given = record(gradebook, bank, student, assignment, problem, part, points_of(points), comment, grader_id)
        now, top = total(gradebook, student, assignment)
    click.echo(f"{visible(student)}  {given.problem}/{given.part} scored {given.points:g}; "
               f"{assignment} total {now:g} / {top:g}")


@main.command()
@db_option
@click.option("--assignment", default=None, help="Only this assignment.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(min=0),
              help="Most common wrong answers to list per part.")
@roster_option
@problems_option
def stats(db, assignment, top, roster, problems_dir):
    """Item analysis: per part, share correct, mean credit and the most common wrong answers."""
    from .records import item_rows
    from .identity import stored_warnings
    from .stats import MATCHED, UNMATCHED

    students, rows, stored = item_rows(db, assignment, problems_dir)
    click.echo(f"{students} students (latest submission each)")
    auto = [row for row in rows if not row.manual]
    scored = [row for row in rows if row.manual and row.scored]
    width = max((len(f"{r.problem}/{r.part}") for r in auto + scored), default=4)
    for row in auto + scored:
        by_hand = f"  ({row.scored} scored by a person)" if row.manual else ""
        click.echo(f"{row.problem + '/' + row.part:<{width}}  correct {row.share_correct:6.1%}  "
                   f"mean credit {row.mean_credit:.2f}  {_common(row, top)}".rstrip() + by_hand)
    manual = [f"{r.problem}/{r.part}" for r in rows if r.manual and not r.scored]
    if manual:
        click.echo(f"kept for a person (not analysed): {', '.join(manual)}")
    if any(note in (MATCHED, UNMATCHED) for row in auto for _, note in row.wrong):
        click.echo("[mistake rule]: a `mistakes` rule gives that answer its feedback; "
                   "[no rule]: none does (a candidate for one)")
    for file, warning in stored_warnings(stored, roster):
        click.echo(f"warning: {visible(file)}: {visible(warning)}")


def _common(row, top: int) -> str:
    """The most common wrong answers, each with its count and note (student text made visible)."""
    return ", ".join(f"{visible(repr(answer))} x{count}" + (f" [{visible(note)}]" if note else "")
                     for (answer, note), count in row.wrong.most_common(top))


@main.command()
@click.argument("url")
@click.option("--token", envvar="GRADE_TOKEN", show_envvar=True, required=True,
              help="The token your instructor gave you.")
def login(url: str, token: str):
    """Remember a grading service and your token: then submit, template, show and history use it."""
    from .client import Client, Login, save_login

    client = Client(url, token)
    client.assignments()  # a wrong address or token fails here, before anything is saved
    path = save_login(Login(client.url, token))
    click.echo(f"logged in to {client.url} (saved in {path})")


@main.command()
def logout():
    """Forget the stored login: commands work locally again."""
    from .client import forget_login

    click.echo("logged out" if forget_login() else "not logged in")


@main.command()
@click.option("--assignment", default=None, help="Only this assignment.")
@server_option
@token_option
def history(assignment: str | None, server: str | None, token: str | None):
    """List your submissions on the grading service: when, score, and whether late."""
    from .client import ServerError

    client = _remote(server, token)
    if client is None:
        raise ServerError("not logged in: run `grade login URL --token TOKEN` or pass --server")
    rows = [s for s in client.history() if assignment is None or s.get("assignment") == assignment]
    for item in rows:
        click.echo(f"#{visible(str(item.get('submission_id')))}  {visible(str(item.get('assignment')))}  "
                   f"{visible(str(item.get('received_at')))}  {_counted(item)}")
    click.echo(_many(len(rows), "submission"))


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
    _load_grading()
    from .service.server import serve as start

    start(problems_dir, course, db, host, port, _jobs(workers), secret)


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
    click.echo(f"revoked {_many(count, 'token')} of {visible(student)}")
