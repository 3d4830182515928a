"""The `grade` command: argument parsing and output choice only; the work is in the API modules."""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path

import click

from . import formats
from .bank import Bank
from .grade import UnknownAssignment, grade_submission
from .loader import LoadError, load_submission
from .model import Problem
from .present import show as show_problem
from .present import template as template_text
from .selftest import check_paths
from .solve import SolveError, solve
from .variants import course_secret

EXIT_OK, EXIT_UNDER, EXIT_UNUSABLE = 0, 1, 2

problems_option = click.option(
    "--problems", "problems_dir", type=click.Path(path_type=Path), default=Path("problems"),
    show_default=True, help="The problem bank: problems/<assignment>/<problem>.toml.",
)


def unusable(message: str) -> None:
    """Exit 2 with a one-line reason on stderr."""
    click.echo(f"grade: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def no_tracebacks(command):
    """Users see a one-line reason, never a stack trace."""
    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (LoadError, UnknownAssignment, SolveError) as error:
            unusable(str(error).splitlines()[0] if str(error) else type(error).__name__)
        except Exception as error:  # noqa: BLE001 - the last line of defence for users
            unusable(f"internal error: {type(error).__name__}: {error}")
    return wrapper


def _bank(problems_dir: Path) -> Bank:
    if not problems_dir.is_dir():
        unusable(f"problem bank '{problems_dir}' not found (use --problems DIR)")
    return Bank(problems_dir)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grade")
def main():
    """Grade math-heavy homework: TOML problems, answers as students write them."""


@main.command()
@click.argument("answers", type=click.Path(path_type=Path))
@problems_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "markdown"]), default="text",
              show_default=True)
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
        click.echo({"json": formats.as_json, "junit": formats.junit, "markdown": formats.markdown}[fmt](report),
                   nl=False if fmt != "json" else True)
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
        click.echo(f"{mark} {result.id} ({result.parts} parts, {result.variants} variants)")
        for failure in result.failures[:20]:
            click.echo(f"     {failure}")
        if len(result.failures) > 20:
            click.echo(f"     ... and {len(result.failures) - 20} more")
    parts = sum(r.parts for r in results)
    click.echo(f"{len(results)} problems, {parts} parts: {len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed or not results else 0)


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
