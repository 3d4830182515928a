"""No student-facing response holds an answer key, for every part of every problem in problems/.

The key is labelled here, independently of the service: each part's canonical value as the solve
step computes it for the student (written the ways a response could write it) and the
instructor's answer formula. Then a student does everything a student can do before the due
date (list, view, template, `show`, validate, submit wrong and unreadable answers, history,
refused requests) and every string and number in every response is scanned for the key.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import sympy as sp

from grader.bank import Bank
from grader.check import checker_for
from grader.expr import render
from grader.present import fill
from grader.service.app import RateLimiter

from .helpers import PROBLEMS
from .service_util import start

STUDENT = "leak-student"
SKIPPED_TYPES = {"choice", "text"}   # a choice's answer is one of the listed choices; text has no key
ECHOES = {"answer", "read_as"}       # fields that echo what the student sent (this test's own wrong answers)
COUNTS = {"score", "max_score", "percent", "points", "penalty", "days", "attempt", "attempts", "attempts_left",
          "submission_id"}
ASSIGNMENTS = Bank(PROBLEMS).assignments()
NAME = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*")


def _numbers(value) -> list[float]:
    if isinstance(value, sp.Basic):
        try:
            value = np.asarray(sp.matrix2numpy(value) if isinstance(value, sp.MatrixBase) else float(value),
                               dtype=float)
        except (TypeError, ValueError):
            return []
    try:
        return [float(x) for x in np.asarray(value, dtype=float).ravel()]
    except (TypeError, ValueError):
        return []


def _texts(number: float) -> set[str]:
    """A non-round number written as a response might write it."""
    return {f"{number:.{n}g}" for n in (4, 5, 6, 8)} | {repr(number)}


def shown_text(problem, variant) -> str:
    """What a problem shows the student by design: its statement and prompts with their values."""
    return fill(problem.model.statement, variant) + "\n" + "\n".join(
        fill(p.prompt, variant) for p in problem.model.parts.values())


def key_of(problem, variant, shown: str) -> tuple[set[str], list[float]]:
    """(strings, non-round numbers) that would give away this variant's answers; a bare name (it
    names a value, not what it is) and what the assignment shows the student are not keys."""
    strings, numbers = set(), []
    for pid, part in problem.model.parts.items():
        if part.type in SKIPPED_TYPES or variant.expected.get(pid) is None:
            continue
        expected = variant.expected[pid]
        candidates = {part.answer} if isinstance(part.answer, str) and not NAME.fullmatch(part.answer) else set()
        if isinstance(expected, sp.Basic) and not expected.is_number:
            candidates.add(render(expected))
        for number in _numbers(expected):
            if abs(number - round(number)) > 1e-9:
                numbers.append(number)
                candidates |= _texts(number)
        strings |= {c.strip() for c in candidates if len(c.strip()) >= 4 and c.strip() not in shown}
    return strings, numbers


def leaves(data):
    """Every string and number in a JSON value, leaving out the fields that echo the student's answer
    and the numbers that count points and attempts (a score of 0.75 is not a key of 0.75)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in ECHOES and not (key in COUNTS and isinstance(value, (int, float))):
                yield from leaves(value)
    elif isinstance(data, list):
        for value in data:
            yield from leaves(value)
    elif isinstance(data, (str, int, float)) and not isinstance(data, bool):
        yield data


def _pattern(text: str) -> re.Pattern:
    """`text` not inside a longer number (0.25 is not in 0.255)."""
    return re.compile(r"(?<![\d.])" + re.escape(text) + (r"(?![\d])" if text[-1].isdigit() else ""))


def leaks(response_json, strings: set[str], numbers: list[float]) -> list[str]:
    found = []
    patterns = [(s, _pattern(s)) for s in strings]
    for leaf in leaves(response_json):
        if isinstance(leaf, str):
            found += [f"{s!r} in {leaf[:120]!r}" for s, pattern in patterns if pattern.search(leaf)]
        elif any(math.isclose(leaf, n, rel_tol=1e-9) for n in numbers):
            found.append(f"number {leaf!r}")
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("leaks")
    policies = {a: 'due = 2027-01-01T00:00:00Z\nfeedback = "hints"' for a in ASSIGNMENTS}
    made = start(tmp, {a: a for a in ASSIGNMENTS}, policies, roster=(STUDENT,),
                 limiter=RateLimiter(rate=1e6, burst=10**6))   # hundreds of requests in a moment
    made.login(STUDENT)
    yield made
    made.service.close()


def _wrong_forms(part, expected):
    """A wrong answer (5% off, doubled) and an unreadable one, as a student would send them."""
    forms = checker_for(part.type).forms(expected, part) if expected is not None else None
    wrong = forms[1] if forms else "1"
    if isinstance(wrong, np.generic):
        wrong = wrong.item()
    return wrong, "((1 +"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_student_response_holds_the_key(served, assignment):
    bank, headers, client = Bank(served.service.bank.root), served.headers[STUDENT], served.client
    problems = [p for p in bank.assignment(assignment)]
    key_strings, key_numbers = set(), []
    wrong, unreadable = {}, {}
    variants = {p.id: bank.variant(p, STUDENT, "test-secret") for p in problems}
    shown = "\n".join(shown_text(p, variants[p.id]) for p in problems)
    for problem in problems:
        variant = variants[problem.id]
        strings, numbers = key_of(problem, variant, shown)
        key_strings |= strings
        key_numbers += numbers
        for pid, part in problem.model.parts.items():
            bad, garbage = _wrong_forms(part, variant.expected.get(pid))
            wrong.setdefault(problem.name, {})[pid] = bad
            unreadable.setdefault(problem.name, {})[pid] = garbage
    assert key_strings or key_numbers   # the labelling found a key to look for

    responses = [client.get("/api/v1/assignments", headers=headers),
                 client.get(f"/api/v1/assignments/{assignment}", headers=headers),
                 client.get(f"/api/v1/assignments/{assignment}/template", headers=headers)]
    responses += [client.get(f"/api/v1/problems/{p.id}", headers=headers) for p in problems]
    for answers in (wrong, unreadable):
        for name, parts in answers.items():
            responses += [client.post("/api/v1/validate", headers=headers, json={
                "assignment": assignment, "problem": name, "part": pid, "answer": answer})
                for pid, answer in parts.items()]
        responses.append(client.post("/api/v1/submissions", headers=headers,
                                     json={"assignment": assignment, "answers": answers}))
    responses += [client.get("/api/v1/submissions", headers=headers),
                  client.post("/api/v1/validate", headers=headers, json={
                      "assignment": assignment, "problem": problems[0].name, "part": "nope", "answer": "1"}),
                  client.get(f"/api/v1/students/{STUDENT}/assignments/{assignment}", headers=headers),
                  client.get("/api/v1/results", params={"assignment": assignment}, headers=headers)]
    assert [r.status_code for r in responses[-3:]] == [404, 403, 403]
    graded = [r.json() for r in responses if r.request.url.path == "/api/v1/submissions" and r.request.method == "POST"]
    assert all(r["problems"] for r in graded)   # the wrong answers were graded, so feedback was given
    found = {str(r.request.url.path): leaks(r.json(), key_strings, key_numbers) for r in responses}
    assert {path: items for path, items in found.items() if items} == {}
