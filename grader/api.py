"""One submission or one problem: what `submit`, `show`, `template` and `check` do, as functions.

They return values (reports, text, self-test results) and raise GradeError
subclasses; printing and exit codes are the CLI's. `secret=None` reads
GRADE_SECRET, as the command does.
"""

from __future__ import annotations

from pathlib import Path

from .bank import Bank
from .loader import load_submission
from .pipeline import grade_submission
from .report import Report
from .variants import course_secret


def grade_file(path: Path | str, problems: Path | str = "problems", secret: str | None = None) -> Report:
    """Load an answers file and grade it against the bank at `problems`."""
    return grade_submission(load_submission(Path(path)), Bank.existing(problems), secret)


def show(bank: Bank, problem_id: str, student: str | None = None, solution: bool = False,
         secret: str | None = None) -> str:
    """A problem's statement with this student's numbers (published values without one);
    an assignment's name lists its problems."""
    from .present import show as statement

    if "/" not in problem_id:   # a problem id is assignment/problem
        return contents(bank, problem_id)
    problem = bank.problem(problem_id.removesuffix(".toml"))
    return statement(problem, bank.variant(problem, student, secret), solution)


def contents(bank: Bank, assignment: str) -> str:
    """An assignment's problems, one line each, as `grade show ASSIGNMENT` lists them."""
    from .present import contents as listing

    return listing(assignment, bank.settings(assignment).title, bank.assignment(assignment, known=True))


def template(bank: Bank, assignment: str, student: str, secret: str | None = None) -> str:
    """A blank answers.toml for this student's variant; a broken problem file raises its LoadError."""
    from .present import template as blank

    problems, variants = _variants(bank, assignment, student, secret)
    return blank(problems, variants, assignment, student)


def _variants(bank: Bank, assignment: str, student: str | None, secret: str | None):
    """Every problem of the assignment with this student's variant; a broken problem file raises its LoadError."""
    problems = bank.usable(assignment)
    return problems, {p.id: bank.variant(p, student, secret) for p in problems}


def assignment_view(bank: Bank, assignment: str, student: str, secret: str | None = None) -> dict:
    """What this student may see of the assignment: `{id, title, points, problems: [{id, title, statement,
    parts: [{id, type, prompt, points, choices?, names?, bonus?}]}]}`, with their values and no answer."""
    from .present import view

    problems, variants = _variants(bank, assignment, student, secret)
    return view(problems, variants, assignment, bank.settings(assignment).title)


def handout(bank: Bank, assignment: str, student: str, fmt: str = "md", secret: str | None = None) -> str:
    """One student's handout (`fmt` "md" or "html"): every statement and prompt with their values."""
    from .handout import RENDER

    return RENDER[fmt](assignment_view(bank, assignment, student, secret), student)


def handouts(bank: Bank, assignment: str, students, out: Path | str, fmt: str = "md",
             secret: str | None = None) -> list[Path]:
    """A handout per student, written into `out` (made if needed) under a name safe for any id; the paths."""
    from .handout import file_name

    folder = Path(out)
    bank.assignment(assignment, known=True)          # an unknown assignment fails before any folder is made
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    written = []
    for student in students:
        path = folder / file_name(student, fmt, taken)
        path.write_text(handout(bank, assignment, student, fmt, secret), encoding="utf-8")
        written.append(path)
    return written


def check(paths: list[Path], variants: int = 20, secret: str | None = None):
    """Validate problem files and self-grade their answers over `variants` student variants."""
    from .selftest import check_paths

    return check_paths(paths, variants, course_secret(secret))
