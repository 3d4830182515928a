"""The pipeline: a submission and the bank -> a Report. Bad input stays inside its own part."""

from __future__ import annotations

import decimal
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import sympy as sp

from . import check as checks
from .bank import Bank
from .check import INVALID, MISSING, UNGRADED, Check, Invalid, Reading
from .check.feedback import DEFAULT as DEFAULT_FEEDBACK
from .check.feedback import shown
from .credit import improve
from .errors import UnknownAssignment
from .hints import did_you_mean, same_but_case
from .expr import BudgetExceeded, budget
from .loader import LoadedProblem, LoadError, Submission
from .report import PartResult, ProblemResult, Report, capped
from .solve import SOLVER_LIMIT, SolveError, Unsolved, Variant


_log = logging.getLogger("grader")

REPLACED = "the check did not finish and its worker was replaced; flagged for review"
SOLVER_REPLACED = "computing its answers (the solver) did not finish and the worker was replaced"


CACHE_ENTRIES = 100_000  # per worker: about 80 MB (dl-hw1 adds about 30 entries per student)


@dataclass
class Hooks:
    """Optional services for batch grading; `grade submit` needs none of them.

    `cache` keeps readings and first comparisons of identical answers to a part
    with the same canonical value; `on_part(problem_index, part_index, timeout)`
    tells a watchdog what is being checked (part_index -1: the problem's solver);
    `skip` holds (problem_index, part_index) pairs that hung a worker before; `variants`, when
    given, receives each problem's solved variant by id (the service looks for answers in feedback).
    """

    cache: dict | None = None
    on_part: Callable[[int, int, float], None] | None = None
    skip: frozenset = field(default_factory=frozenset)
    variants: dict | None = None


def _fingerprint(value):
    """A hashable key for an answer or a canonical value (sympy objects are their own keys)."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, np.ndarray):
        return value.shape, value.tobytes()
    return json.dumps(value, sort_keys=True, default=str)


def remember(cache: dict, key: tuple, value):
    """Keep `value`, forgetting the oldest entry past CACHE_ENTRIES: a long batch or a running
    service holds its cache in bounded memory (dicts keep insertion order)."""
    if len(cache) >= CACHE_ENTRIES:
        del cache[next(iter(cache))]
    cache[key] = value
    return value


def _cached(hooks: Hooks | None, key: tuple, compute: Callable):
    if hooks is None or hooks.cache is None:
        return compute()
    if key in hooks.cache:
        return hooks.cache[key]
    return remember(hooks.cache, key, compute())


def _shown(raw: Any) -> str | None:
    if raw is None:
        return None
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= 200 else text[:197] + "..."


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _contained(part, late: str, step: Callable):
    """Run one step of one part under the part's time budget; whatever goes wrong stays in this part."""
    try:
        with budget(part.timeout):
            return step()
    except Invalid as error:
        return Check(INVALID, 0.0, str(error))
    except (OverflowError, decimal.InvalidOperation):  # a student's value past what floats or decimals hold
        return Check(INVALID, 0.0, "the value is out of range: too large to compute")
    except BudgetExceeded:
        return Check(UNGRADED, 0.0, f"{late} {part.timeout:g} s; flagged for review")
    except Exception as error:  # noqa: BLE001 - a grader bug costs this part a review, not the submission
        # the student sees that it is the grader's fault; whoever runs the grader sees what it was
        _log.error("the grader failed on part %s: %s: %s", getattr(part, "type", "?"), type(error).__name__, error)
        return Check(UNGRADED, 0.0, "the grader failed on this part (its fault, not yours); flagged for review")


def _read(part, raw) -> tuple[Check | None, Reading | None]:
    result = _contained(part, "reading the answer took over", lambda: checks.checker_for(part.type).read(raw, part))
    return (result, None) if isinstance(result, Check) else (None, result)


def _carried(part_id: str, variant: Variant, earlier) -> tuple:
    """What carry-forward reads of the earlier parts this part's answer names: their verdicts and values."""
    found = []
    for dep in sorted(variant.depends.get(part_id, ())):
        check, reading = earlier.get(dep, (None, None))
        if reading is not None:
            found.append((dep, check.status, bool(check.detail.get("carried_from")), _fingerprint(reading.value)))
    return tuple(found)


def _judge(part_id: str, reading: Reading, variant: Variant, earlier, hooks: Hooks | None, answer_key,
           feedback: str = DEFAULT_FEEDBACK) -> tuple[Check, Reading]:
    """The check of one reading; for an ambiguous text, of both readings, keeping the better.

    `answer_key` is the raw answer's `_fingerprint`. A verdict is kept in the cache unless the
    check ran out of time (that depends on the machine's load, not on the answer)."""
    part = variant.problem.model.parts[part_id]
    checker = checks.checker_for(part.type)
    expected = variant.expected[part_id]
    if isinstance(expected, Unsolved):
        return Check(UNGRADED, 0.0, f"this part's answer cannot be evaluated ({expected.reason}); flagged for review"), reading
    verdicts = []
    for which, candidate in enumerate(r for r in (reading, reading.alternative) if r is not None):
        key = ("compare", variant.problem.id, part_id, _fingerprint(expected), answer_key, which)
        # with a cache, variants are cached per draw: one object per draw, so its id names the draw;
        # the entry holds the variant too, so an id reused after eviction never matches
        judged = ("judge", id(variant), part_id, answer_key, which, _carried(part_id, variant, earlier))

        def step(candidate=candidate, key=key):
            first = shown(_cached(hooks, key, lambda: checker.compare(candidate, expected, part)),
                          part.feedback or feedback)
            return improve(first, candidate, part_id, variant, earlier)

        entry = hooks.cache.get(judged) if hooks is not None and hooks.cache is not None else None
        verdict = entry[1] if entry is not None and entry[0] is variant else None
        if verdict is None:
            verdict = _contained(part, "could not decide within", step)
            if hooks is not None and hooks.cache is not None and verdict.status != UNGRADED:
                remember(hooks.cache, judged, (variant, verdict))
        verdicts.append((verdict, candidate))
    return max(verdicts, key=lambda pair: pair[0].credit)  # the first reading wins a tie


def grade_problem(problem: LoadedProblem, variant: Variant, answers: dict,
                  where=lambda part_id: "", hooks: Hooks | None = None, index: int = 0,
                  feedback: str = DEFAULT_FEEDBACK) -> ProblemResult:
    """Grade one problem's answers against one variant; `feedback`: the assignment's level of detail."""
    parts = problem.model.parts
    readings: dict[str, tuple[Check | None, Reading | None]] = {}
    seen: dict[str, Any] = {}
    for number, (pid, part) in enumerate(parts.items()):
        raw = answers.get(pid)
        if _is_blank(raw):
            readings[pid] = (Check(MISSING, 0.0, "no answer"), None)
        elif hooks is not None and (index, number) in hooks.skip:
            readings[pid] = (Check(UNGRADED, 0.0, REPLACED), None)
        elif (refused := checks.checker_for(part.type).refuse(raw, variant.expected.get(pid))) is not None:
            readings[pid] = (Check(INVALID, 0.0, refused), None)
        else:
            if hooks is not None and hooks.on_part is not None:
                hooks.on_part(index, number, part.timeout)
            seen[pid] = _fingerprint(raw)   # once: the read, compare and judge caches all key on it
            readings[pid] = _cached(hooks, ("read", problem.id, pid, seen[pid]), lambda: _read(part, raw))
    outcomes: dict[str, tuple[Check, Reading | None]] = {}  # parts graded so far, in order
    for number, pid in enumerate(parts):
        failed, reading = readings[pid]
        if failed is None and hooks is not None and hooks.on_part is not None:
            hooks.on_part(index, number, parts[pid].timeout)
        if failed is None:
            failed, reading = _judge(pid, reading, variant, outcomes, hooks, seen[pid], feedback)
        outcomes[pid] = (failed, reading)
    results = []
    for pid, part in parts.items():
        outcome, reading = outcomes[pid]
        feedback = outcome.feedback
        if outcome.status == INVALID and where(pid):
            feedback = f"{where(pid)}: {feedback}"
        if reading is not None and reading.notes:
            feedback = "\n".join([*reading.notes, feedback] if feedback else reading.notes)
        results.append(PartResult(
            id=pid, status=outcome.status, score=round(outcome.credit * part.points, 4),
            max_score=part.points, feedback=feedback,
            read_as=reading.shown if reading is not None else None,
            answer=_shown(answers.get(pid)),
        ))
    return ProblemResult(problem.id, problem.model.title, round(sum(r.score for r in results), 4),
                         problem.model.max_score, results)


def _unusable_problem(problem_id: str, reason: str, problem: LoadedProblem | None) -> ProblemResult:
    """A problem we cannot grade (its file or solver is broken): every part flagged, nothing lost."""
    parts = problem.model.parts if problem else {}
    results = [PartResult(pid, UNGRADED, 0.0, p.points, f"problem could not be graded: {reason}")
               for pid, p in parts.items()]
    title = problem.model.title if problem else problem_id
    return ProblemResult(problem_id, title, 0.0, problem.model.max_score if problem else 0.0, results)


def grade_submission(submission: Submission, bank: Bank, secret: str | None = None,
                     hooks: Hooks | None = None) -> Report:
    """Grade every problem of the submission's assignment; warn about answers that match nothing.

    `secret` None reads GRADE_SECRET, so the API grades the variants `grade submit` grades.
    """
    problems = bank.assignment(submission.assignment, known=True)
    report = Report(submission.student, submission.assignment, warnings=list(submission.warnings),
                    file=str(submission.path) if submission.path else None)
    try:
        settings = bank.settings(submission.assignment)
    except LoadError as error:
        raise UnknownAssignment(f"assignment settings: {error}") from None
    feedback = settings.feedback
    near = same_but_case(submission.student, settings.published)
    if near is not None:
        report.warnings.append(f"student '{submission.student}' differs only in case from '{near}' (listed as "
                               "published); ids are case-sensitive, so this file is graded with its own draws")
    seen = set()
    for index, item in enumerate(problems):
        if isinstance(item, LoadError):
            name = item.path.rsplit("/", 1)[-1].removesuffix(".toml")
            seen.add(name)
            report.problems.append(_unusable_problem(f"{submission.assignment}/{name}", str(item), None))
            report.warnings.append(f"problem file error: {item}")
            continue
        seen.add(item.name)
        answers = submission.answers.get(item.name, {})
        if hooks is not None and (index, -1) in hooks.skip:
            report.problems.append(_unusable_problem(item.id, SOLVER_REPLACED, item))
            report.warnings.append(f"{item.id}: {SOLVER_REPLACED}")
            continue
        if hooks is not None and hooks.on_part is not None:
            hooks.on_part(index, -1, SOLVER_LIMIT)
        try:
            drawn = bank.draws(item, submission.student, secret)
            # solved once per set of draws, not per student: most students share a few variants
            variant = _cached(hooks, ("solve", item.id, _fingerprint(drawn)),
                              lambda: bank.variant(item, submission.student, secret, drawn))
        except SolveError as error:
            report.problems.append(_unusable_problem(item.id, str(error), item))
            report.warnings.append(f"{item.id}: {error}")
            continue

        def where(pid, name=item.name):
            line = submission.line(name, pid)
            return f"[{name}] {pid}" + (f" (line {line})" if line else "")

        if hooks is not None and hooks.variants is not None:
            hooks.variants[item.id] = variant
        report.problems.append(grade_problem(item, variant, answers, where, hooks, index, feedback))
        for extra in sorted(set(answers) - set(item.model.parts)):
            report.warnings.append(f"[{item.name}] has no part '{extra}'; that answer was ignored"
                                   + did_you_mean(extra, item.model.parts))
    for extra in sorted(set(submission.answers) - seen):
        report.warnings.append(
            f"[{extra}] is not a problem of {submission.assignment}; those answers were ignored"
            + did_you_mean(extra, seen)
        )
    report.warnings = capped(report.warnings)
    return report
