"""`grade check`: every problem loads, solves over many variants, and grades itself correctly.

For each variant: the canonical answers must grade `correct`; a perturbed and a
negated answer must not; every known mistake must evaluate and must differ from
the answer; and each `[[tests]]` expectation must hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .check import CORRECT, checker_for
from .expr import ExprError
from .pipeline import grade_problem
from .loader import LoadedProblem, LoadError, load_problem
from .solve import SolveError, Unsolved, Variant, reading_of_answer, solve
from .variants import draw_params


@dataclass
class ProblemCheck:
    id: str
    failures: list[str] = field(default_factory=list)
    variants: int = 0
    parts: int = 0
    warnings: list[str] = field(default_factory=list)


def _grade_one(problem, variant, pid, raw):
    result = grade_problem(problem, variant, {pid: raw})
    return next(p for p in result.parts if p.id == pid)


def check_variant(problem: LoadedProblem, variant: Variant, label: str) -> list[str]:
    failures = []
    for pid, part in problem.model.parts.items():
        answer_type = checker_for(part.type)
        expected = variant.expected[pid]
        if isinstance(expected, Unsolved):
            failures.append(f"{label}: part {pid}: its answer cannot be evaluated: {expected.reason}")
            continue
        forms = answer_type.forms(expected, part)
        if forms is None:
            continue  # a type without self-tests (text, choice)
        unfit = answer_type.unfit(expected, part)
        if unfit:
            failures.append(f"{label}: part {pid}: {unfit}")
        right, perturbed, negated = forms
        graded = _grade_one(problem, variant, pid, right)
        if graded.status != CORRECT:
            failures.append(f"{label}: part {pid}: its own answer {right!r} graded {graded.status} "
                            f"({graded.feedback})")
        for name, wrong in (("perturbed", perturbed), ("negated", negated)):
            if wrong is None:
                continue
            graded = _grade_one(problem, variant, pid, wrong)
            if graded.status == CORRECT:
                failures.append(f"{label}: part {pid}: a {name} answer {wrong!r} graded correct")
        for index, mistake in enumerate(part.mistakes):
            try:
                value = variant.mistake_value(pid, index)
            except (SolveError, ExprError, ValueError) as error:
                failures.append(f"{label}: part {pid}: mistake {index + 1} cannot be evaluated: {error}")
                continue
            form = answer_type.forms(value, part)[0]
            if _grade_one(problem, variant, pid, form).status == CORRECT:
                failures.append(f"{label}: part {pid}: mistake {index + 1} ({mistake.answer!r}) "
                                f"equals the correct answer")
    return failures


def _answer_texts(part):
    """(label, text) of each formula an instructor wrote for a part: its answer and mistakes."""
    if isinstance(part.answer, str) and checker_for(part.type).formula_answers:
        yield "answer", part.answer
    for index, mistake in enumerate(part.mistakes):
        if isinstance(mistake.answer, str):
            yield f"mistake {index + 1}", mistake.answer


def check_readings(problem: LoadedProblem, variant: Variant) -> tuple[list[str], list[str]]:
    """(failures, warnings) about how the instructor's formulas read: a division followed by
    a product reads two ways (an error: every student would be graded against a guess), and a
    glued word read as a product of names (`kk` -> k k) is usually a typo."""
    failures, warnings = [], []
    for pid, part in problem.model.parts.items():
        for label, text in _answer_texts(part):
            try:
                parsed = reading_of_answer(text, part, variant)
            except ExprError:
                continue  # solving reports answers that cannot be read
            if parsed.ambiguous:
                failures.append(f"part {pid}: {label} {text!r} has a division followed by a product, which "
                                f"reads two ways: write parentheses, (1/K)(y - t) or 1/(K (y - t))")
            for word, pieces in parsed.splits:
                if any(len(piece) == 1 for piece in pieces):
                    warnings.append(f"part {pid}: {label} {text!r} reads '{word}' as {' '.join(pieces)} "
                                    f"(a product of names); if that is a typo, fix it")
    return failures, warnings


def check_tests(problem: LoadedProblem, secret: str) -> list[str]:
    failures = []
    for number, test in enumerate(problem.model.tests, start=1):
        unknown = set(test.expect) - set(problem.model.parts)
        if unknown:
            failures.append(f"test {number}: expects unknown parts {', '.join(sorted(unknown))}")
            continue
        variant = solve(problem, test.student, secret)
        result = grade_problem(problem, variant, test.answers)
        got = {p.id: p for p in result.parts}
        for pid, want in test.expect.items():
            if got[pid].status != want:
                failures.append(f"test {number}: part {pid}: expected {want}, got {got[pid].status}"
                                + (f" ({got[pid].feedback})" if got[pid].feedback else ""))
    return failures


def check_problem(problem: LoadedProblem, variants: int = 20, secret: str = "") -> ProblemCheck:
    outcome = ProblemCheck(problem.id, parts=len(problem.model.parts))
    students = [None] + [f"check-{i:03d}" for i in range(1, variants + 1)]
    seen = set()
    for student in students:
        label = f"variant {student}" if student else "published variant"
        drawn = repr(sorted(draw_params(problem.model, problem.id, student, secret).items()))
        if drawn in seen:
            continue  # the same numbers as a variant already checked
        seen.add(drawn)
        try:
            variant = solve(problem, student, secret)
        except SolveError as error:
            outcome.failures.append(f"{label}: {error}")
            continue
        outcome.variants += 1
        if student is None:
            failures, outcome.warnings = check_readings(problem, variant)
            outcome.failures += failures
        outcome.failures += check_variant(problem, variant, label)
    try:
        outcome.failures += check_tests(problem, secret)
    except SolveError as error:
        outcome.failures.append(f"tests: {error}")
    return outcome


def problem_files(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(file, bank root) for each problem file under the given files or folders."""
    found = []
    for path in paths:
        if path.is_dir():
            files = sorted(path.rglob("*.toml"))
            root = path if any(f.parent != path for f in files) else path.parent
            found += [(f, root) for f in files if not f.name.startswith("_")]
        else:
            found.append((path, path.parent.parent))
    return found


def check_paths(paths: list[Path], variants: int = 20, secret: str = "") -> list[ProblemCheck]:
    results = []
    for path, root in problem_files(paths):
        try:
            problem = load_problem(path, root)
        except LoadError as error:
            results.append(ProblemCheck(str(path), [str(error)]))
            continue
        results.append(check_problem(problem, variants, secret))
    return results
