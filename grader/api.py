"""One submission or one problem: what `submit`, `show`, `template` and `check` do, as functions.

They return values (reports, text, self-test results) and raise GradeError
subclasses; printing and exit codes are the CLI's. `secret=None` reads
GRADE_SECRET, as the command does.
"""

from __future__ import annotations

from pathlib import Path

from .bank import Bank
from .loader import LoadError, load_submission
from .pipeline import grade_submission
from .report import Report
from .variants import course_secret


def grade_file(path: Path | str, problems: Path | str = "problems", secret: str | None = None) -> Report:
    """Load an answers file and grade it against the bank at `problems`."""
    return grade_submission(load_submission(Path(path)), Bank.existing(problems), secret)


def show(bank: Bank, problem_id: str, student: str | None = None, solution: bool = False,
         secret: str | None = None) -> str:
    """A problem's statement with this student's numbers (published values without one)."""
    from .present import show as statement

    problem = bank.problem(problem_id.removesuffix(".toml"))
    return statement(problem, bank.variant(problem, student, secret), solution)


def template(bank: Bank, assignment: str, student: str, secret: str | None = None) -> str:
    """A blank answers.toml for this student's variant; a broken problem file raises its LoadError."""
    from .present import template as blank

    problems = bank.assignment(assignment, known=True)
    for item in problems:
        if isinstance(item, LoadError):
            raise item
    variants = {p.id: bank.variant(p, student, secret) for p in problems}
    return blank(problems, variants, assignment, student)


def check(paths: list[Path], variants: int = 20, secret: str | None = None):
    """Validate problem files and self-grade their answers over `variants` student variants."""
    from .selftest import check_paths

    return check_paths(paths, variants, course_secret(secret))
