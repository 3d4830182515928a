"""`grade check`: every problem loads, solves over many variants, and grades itself correctly.

For each variant: the canonical answers must grade `correct`; a perturbed and a
negated answer must not; every known mistake must evaluate and must differ from
the answer; a choice answer must be one of its options; and each `[[tests]]`
expectation must hold. Once per problem: placeholders in the statement and prompts
name parameters (not nothing, not an answer), their `$...$` math can be read (a warning),
and `require` accepts enough draws.
Each finding names the file and line; one repeated across variants prints once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .check import CORRECT, checker_for
from .check.choice import options
from .expr import ExprError
from .pipeline import grade_problem
from .loader import LoadedProblem, LoadError, load_problem
from .mathtext import names_of, read_math, segments
from .present import _PLACEHOLDER, fill
from .require import RequireError, holds
from .solve import SolveError, Unsolved, Variant, reading_of_answer, solve
from .tomlpos import key_lines, line_of
from .variants import REDRAWS, draw_params, drawn_once

_LATEX_ARGUMENT = re.compile(r"(\\[A-Za-z]+|[_^}\]])\s*\Z")  # \hat{Y}, x_{ij}, \sqrt[3]{x}: braces of LaTeX, not a placeholder
REQUIRE_TRIALS = 200    # first draws sampled to measure how often `require` accepts one
MIN_ACCEPTANCE = 0.05   # below this, REDRAWS tries could all be rejected for some student


@dataclass
class ProblemCheck:
    id: str
    failures: list[str] = field(default_factory=list)
    variants: int = 0
    parts: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a problem file: where (a key path into the TOML, and text on that
    line when the key spans several) and what. Equal findings of several variants print once."""

    loc: tuple
    message: str
    near: str = ""


def _line(problem: LoadedProblem, loc: tuple, near: str = "") -> int | None:
    """The line of `loc` in the file, moved down to the first line with `near` in a multi-line value."""
    line = line_of(key_lines(problem.text), loc)
    if line and near:
        lines = problem.text.splitlines()
        found = next((n for n in range(line, len(lines) + 1) if near in lines[n - 1]), None)
        line = found or line
    return line


def located(problem: LoadedProblem, finding: Finding) -> str:
    line = _line(problem, finding.loc, finding.near)
    return f"{problem.path}" + (f":{line}" if line else "") + f": {finding.message}"


def _grade_one(problem, variant, pid, raw):
    result = grade_problem(problem, variant, {pid: raw})
    return next(p for p in result.parts if p.id == pid)


def check_variant(problem: LoadedProblem, variant: Variant) -> list[Finding]:
    failures = []
    for pid, part in problem.model.parts.items():
        answer_type = checker_for(part.type)
        expected = variant.expected[pid]
        at = ("parts", pid, "answer")
        if isinstance(expected, Unsolved):
            failures.append(Finding(at, f"part {pid}: its answer cannot be evaluated: {expected.reason}"))
            continue
        if part.type == "choice":
            failures += _choice_answer(pid, part, expected)
        forms = answer_type.forms(expected, part)
        if forms is None:
            continue  # a type without self-tests (text, choice)
        unfit = answer_type.unfit(expected, part)
        if unfit:
            failures.append(Finding(at, f"part {pid}: {unfit}"))
        right, perturbed, negated = forms
        graded = _grade_one(problem, variant, pid, right)
        if graded.status != CORRECT:
            failures.append(Finding(at, f"part {pid}: its own answer {right!r} graded {graded.status} "
                                        f"({graded.feedback})"))
        for name, wrong in (("perturbed", perturbed), ("negated", negated)):
            if wrong is None:
                continue
            graded = _grade_one(problem, variant, pid, wrong)
            if graded.status == CORRECT:
                failures.append(Finding(at, f"part {pid}: a {name} answer {wrong!r} graded correct"))
        for index, mistake in enumerate(part.mistakes):
            where = ("parts", pid, "mistakes", index)
            try:
                value = variant.mistake_value(pid, index)
            except (SolveError, ExprError, ValueError) as error:
                failures.append(Finding(where, f"part {pid}: mistake {index + 1} cannot be evaluated: {error}"))
                continue
            form = answer_type.forms(value, part)[0]
            if _grade_one(problem, variant, pid, form).status == CORRECT:
                failures.append(Finding(where, f"part {pid}: mistake {index + 1} ({mistake.answer!r}) "
                                               f"equals the correct answer"))
    return failures


def _choice_answer(pid: str, part, expected) -> list[Finding]:
    """A choice answer must be an option's key, or no student could be graded correct."""
    keys = list(options(part))
    wrong = [a for a in (expected if isinstance(expected, list) else [expected]) if a not in keys]
    if not wrong:
        return []
    labels = {str(label).casefold(): key for key, label in options(part).items()}
    hints = [f" (did you mean '{labels[str(a).casefold()]}'?)" for a in wrong if str(a).casefold() in labels]
    return [Finding(("parts", pid, "answer"),
                    f"part {pid}: answer {', '.join(repr(a) for a in wrong)} is not among its choices "
                    f"({', '.join(keys)}){hints[0] if hints else ''}")]


def _answered_by(problem: LoadedProblem) -> dict[str, str]:
    """Computed parameters that are a part's answer: the part's answer is the parameter's name
    (`answer = "area"`) or the parameter's formula as written (both `a^2`). {area} would show it."""
    def plain(text) -> str:
        return re.sub(r"\s+", "", str(text))

    answers = {plain(part.answer): pid for pid, part in problem.model.parts.items() if isinstance(part.answer, str)}
    return {name: answers.get(name) or answers[plain(param.value)] for name, param in problem.model.params.items()
            if isinstance(param.value, str) and (name in answers or plain(param.value) in answers)}


def check_placeholders(problem: LoadedProblem, variant: Variant) -> list[Finding]:
    """`{name}` in a statement or prompt must name a value students may see: a parameter or a
    solver's value. One naming nothing is shown as typed (`{mm}`); one naming a part shows its answer."""
    parts = problem.model.parts
    solved_by = _answered_by(problem)
    texts = [(("statement",), "the statement", problem.model.statement)]
    texts += [(("parts", pid, "prompt"), f"part {pid}: its prompt", part.prompt) for pid, part in parts.items()]
    found = []
    for loc, where, text in texts:
        for match in _PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name is None:
                continue
            if name in parts or name in solved_by:
                which = name if name in parts else solved_by[name]
                found.append(Finding(loc, f"{where} shows {{{name}}}, the answer of part {which}: "
                                          f"students would see the solution", match.group(0)))
            elif name not in problem.model.params and not _LATEX_ARGUMENT.search(text, 0, match.start()):
                close = difflib.get_close_matches(name, list(problem.model.params), n=1)
                hint = f" (did you mean {{{close[0]}}}?)" if close else ""
                found.append(Finding(loc, f"{where} has {{{name}}}, which names no parameter (only parameters "
                                          f"are filled in): students would see '{{{name}}}' as written{hint}",
                                     match.group(0)))
    return found


def _near(problem: LoadedProblem, error: RequireError) -> str:
    """The condition's own text, to find its line when `require` spans several."""
    return problem.model.require[error.index] if error.index is not None else ""


def check_require(problem: LoadedProblem, secret: str) -> list[Finding]:
    """Conditions on draws: readable, met by the published values, and not so strict that a
    student's REDRAWS tries could all fail."""
    model = problem.model
    if not model.require:
        return []
    published = {name: param.value for name, param in model.params.items()}
    found = []
    try:
        if not holds(model.require, published):
            found.append(Finding(("require",), f"require: the published values do not meet {model.require}"))
        if not any(p.draw for p in model.params.values()):
            return found
        accepted = sum(holds(model.require, drawn_once(model, problem.id, f"require-{i:03d}", secret))
                       for i in range(REQUIRE_TRIALS))
    except RequireError as error:
        return [Finding(("require",), str(error), _near(problem, error))]
    if accepted < MIN_ACCEPTANCE * REQUIRE_TRIALS:
        found.append(Finding(("require",), f"require rejects almost every draw: {accepted} of {REQUIRE_TRIALS} "
                                           f"draws met it ({accepted / REQUIRE_TRIALS:.1%}; at least "
                                           f"{MIN_ACCEPTANCE:.0%} is needed so that {REDRAWS} tries find one)"))
    return found


def _answer_texts(part):
    """(label, text) of each formula an instructor wrote for a part: its answer and mistakes."""
    if isinstance(part.answer, str) and checker_for(part.type).formula_answers:
        yield "answer", part.answer
    for index, mistake in enumerate(part.mistakes):
        if isinstance(mistake.answer, str):
            yield f"mistake {index + 1}", mistake.answer


def check_readings(problem: LoadedProblem, variant: Variant) -> tuple[list[Finding], list[Finding]]:
    """(failures, warnings) about how the instructor's formulas read: a division followed by
    a product reads two ways (an error: every student would be graded against a guess), and a
    glued word read as a product of names (`kk` -> k k) is usually a typo."""
    failures, warnings = [], []
    for pid, part in problem.model.parts.items():
        for label, text in _answer_texts(part):
            at = ("parts", pid, "answer") if label == "answer" else ("parts", pid, "mistakes", int(label.split()[1]) - 1)
            try:
                parsed = reading_of_answer(text, part, variant)
            except ExprError:
                continue  # solving reports answers that cannot be read
            if parsed.ambiguous:
                failures.append(Finding(at, f"part {pid}: {label} {text!r} has a division followed by a product, "
                                            f"which reads two ways: write parentheses, (1/K)(y - t) or 1/(K (y - t))"))
            for word, pieces in parsed.splits:
                if any(len(piece) == 1 for piece in pieces):
                    warnings.append(Finding(at, f"part {pid}: {label} {text!r} reads '{word}' as "
                                                f"{' '.join(pieces)} (a product of names); if that is a typo, fix it"))
    return failures, warnings


def check_math(problem: LoadedProblem, variant: Variant) -> list[Finding]:
    """Warnings about `$...$` in the statement and prompts that the reader cannot read: the pages would
    show it as code text instead of math (grade show and handouts show every text as written)."""
    model = problem.model
    texts = [(("statement",), "the statement", model.statement, None)]
    texts += [(("parts", pid, "prompt"), f"part {pid}: its prompt", part.prompt, pid)
              for pid, part in model.parts.items()]
    found = []
    for loc, where, text, pid in texts:
        names = names_of(model, pid)
        for segment in segments(text):
            if not segment.math:
                continue
            try:
                read_math(fill(segment.text, variant), names)
            except ExprError as error:
                found.append(Finding(loc, f"{where} has ${segment.text}$, which cannot be read as math "
                                          f"({error.reason}): the web pages show it as code; write it in the "
                                          f"answer notation, or \\$ for a literal dollar",
                                     segment.text.splitlines()[0] if segment.text.strip() else ""))
    return found


def check_tests(problem: LoadedProblem, secret: str) -> list[Finding]:
    failures = []
    for number, test in enumerate(problem.model.tests, start=1):
        at = ("tests", number - 1)
        unknown = set(test.expect) - set(problem.model.parts)
        if unknown:
            failures.append(Finding(at, f"test {number}: expects unknown parts {', '.join(sorted(unknown))}"))
            continue
        variant = solve(problem, test.student, secret)
        result = grade_problem(problem, variant, test.answers)
        got = {p.id: p for p in result.parts}
        for pid, want in test.expect.items():
            if got[pid].status != want:
                failures.append(Finding(at, f"test {number}: part {pid}: expected {want}, got {got[pid].status}"
                                            + (f" ({got[pid].feedback})" if got[pid].feedback else "")))
    return failures


def _counted(problem: LoadedProblem, seen: dict[Finding, list[str]], variants: int) -> list[str]:
    """Each finding once, with the variant it came from, or how many variants share it."""
    out = []
    for finding, labels in seen.items():
        if not labels:
            where = ""
        elif len(labels) == 1:
            where = f" ({labels[0]})"
        else:
            where = f" (in {len(labels)} of {max(variants, len(labels))} variants)"
        out.append(located(problem, finding) + where)
    return out


def check_problem(problem: LoadedProblem, variants: int = 20, secret: str = "") -> ProblemCheck:
    outcome = ProblemCheck(problem.id, parts=len(problem.model.parts))
    students = [None] + [f"check-{i:03d}" for i in range(1, variants + 1)]
    found: dict[Finding, list[str]] = {f: [] for f in check_require(problem, secret)}
    drawn_before = set()
    for student in students:
        label = f"variant {student}" if student else "published variant"
        try:
            drawn = repr(sorted(draw_params(problem.model, problem.id, student, secret).items()))
            if drawn in drawn_before:
                continue  # the same numbers as a variant already checked
            drawn_before.add(drawn)
            variant = solve(problem, student, secret)
        except RequireError as error:  # usually said by check_require already: then printed once
            found.setdefault(Finding(("require",), str(error), _near(problem, error)), []).append(label)
            continue
        except SolveError as error:
            found.setdefault(Finding(error.loc, str(error)), []).append(label)
            continue
        outcome.variants += 1
        if student is None:
            failures, warnings = check_readings(problem, variant)
            outcome.warnings = [located(problem, w) for w in warnings + check_math(problem, variant)]
            for finding in failures + check_placeholders(problem, variant):
                found.setdefault(finding, [])
        for finding in check_variant(problem, variant):
            found.setdefault(finding, []).append(label)
    try:
        for finding in check_tests(problem, secret):
            found.setdefault(finding, [])
    except SolveError as error:
        found.setdefault(Finding(("tests",), f"tests: {error}"), [])
    outcome.failures = _counted(problem, found, outcome.variants)
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
