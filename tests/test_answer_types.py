"""An answer type is one class: a toy `interval` type, defined and registered here alone, is
graded by `grade submit`, self-tested by `grade check`, shown by `grade show` and `grade template`
and accepted by the problem schema. Any hard-coded list of types on the way would refuse it."""

from __future__ import annotations

import json
import re

import pytest

from grader.canonical import SolveError, numeric
from grader.check import CORRECT, INCORRECT, PARTIAL, TYPES, AnswerType, Check, Invalid, Reading

from .helpers import run, write

_INTERVAL = re.compile(r"^\s*\[\s*([^,\]]+?)\s*,\s*([^,\]]+?)\s*\]\s*$")


class IntervalType(AnswerType):
    """A closed interval [low, high] of numbers; one right endpoint earns half."""

    name = "interval"

    def read(self, raw, part) -> Reading:
        match = _INTERVAL.match(raw) if isinstance(raw, str) else None
        ends = list(match.groups()) if match else raw
        if not isinstance(ends, list) or len(ends) != 2:
            raise Invalid("expected an interval: [low, high]")
        try:
            low, high = (float(end) for end in ends)
        except (TypeError, ValueError):
            raise Invalid("the ends of an interval are numbers") from None
        return Reading((low, high), f"[{low:g}, {high:g}]")

    def compare(self, reading: Reading, expected, part) -> Check:
        (low, high), (want_low, want_high) = reading.value, expected
        if (low, high) == (want_low, want_high):
            return Check(CORRECT, 1.0)
        if (high, low) == (want_low, want_high):
            return Check(INCORRECT, 0.0, "the ends are the wrong way round")
        if low == want_low or high == want_high:
            return Check(PARTIAL, 0.5, "one end is right")
        return Check(INCORRECT, 0.0)

    def canonical(self, answer, part, scope):
        ends = numeric(answer, scope)
        if getattr(ends, "shape", None) != (2,):
            raise SolveError(f"'{answer}' is not an interval [low, high]")
        return float(ends[0]), float(ends[1])

    def forms(self, value, part):
        low, high = value
        negated = None if low == -high else f"[{-high:g}, {-low:g}]"
        return f"[{low:g}, {high:g}]", f"[{low:g}, {high + 1:g}]", negated

    def shown(self, part) -> list[str]:
        return ["    write it as [low, high]"]

    def hints(self, part) -> list[str]:
        return ["#   an interval: '[low, high]'"]


class LenientIntervalType(IntervalType):
    """An interval type whose compare accepts anything: `grade check` must catch it."""

    def compare(self, reading: Reading, expected, part) -> Check:
        return Check(CORRECT, 1.0)


BANK = """
    title = "Where the ball lands"
    statement = "The ball lands within {w} m of x = {a}."

    [params]
    a = 4.0
    w = 1.0

    [parts.landing]
    type = "interval"
    points = 2
    prompt = "The interval where it lands"
    answer = "[a - w, a + w]"

    [parts.centre]
    type = "number"
    prompt = "Its centre"
    answer = "a"

    [[tests]]
    answers = { landing = "[3, 5]", centre = 4 }
    expect = { landing = "correct", centre = "correct" }
"""


@pytest.fixture
def bank(tmp_path, monkeypatch):
    monkeypatch.setitem(TYPES, "interval", IntervalType())
    write(tmp_path / "problems" / "hw" / "ball.toml", BANK)
    return tmp_path / "problems"


@pytest.mark.parametrize("answer, status, score, feedback", [
    ('"[3, 5]"', "correct", 2.0, ""),
    ("[3.0, 5]", "correct", 2.0, ""),
    ('"[3, 6]"', "partial", 1.0, "one end is right"),
    ('"[5, 3]"', "incorrect", 0.0, "the ends are the wrong way round"),
    ('"3 to 5"', "invalid", 0.0, "expected an interval: [low, high]"),
    ('""', "missing", 0.0, "no answer"),
])
def test_submit_grades_the_new_type(bank, tmp_path, answer, status, score, feedback):
    answers = write(tmp_path / "ann.toml", f"""
        student = "ann"
        assignment = "hw"
        [ball]
        landing = {answer}
        centre = 4
    """)
    result = run("submit", answers, "--problems", bank, "--format", "json")
    assert result.exit_code == 0, result.output
    parts = {p["id"]: p for p in json.loads(result.stdout)["problems"][0]["parts"]}
    assert (parts["landing"]["status"], parts["landing"]["score"]) == (status, score)
    if feedback:
        assert feedback in parts["landing"]["feedback"]
    else:
        assert parts["landing"]["feedback"] == ""
    assert parts["centre"]["status"] == "correct"


def test_check_self_tests_the_new_type(bank):
    result = run("check", bank, "--variants", "3")
    assert result.exit_code == 0, result.output
    assert "1 problem, 2 parts: 1 passed, 0 failed" in result.stdout


def test_check_uses_the_types_own_forms(bank, monkeypatch):
    """A compare that accepts anything lets the perturbed and negated forms through: check says so."""
    monkeypatch.setitem(TYPES, "interval", LenientIntervalType())
    result = run("check", bank, "--variants", "1")
    assert result.exit_code == 1
    assert "part landing: a perturbed answer '[3, 6]' graded correct" in result.stdout
    assert "part landing: a negated answer '[-5, -3]' graded correct" in result.stdout


def test_check_reports_a_canonical_value_the_type_refuses(bank):
    write(bank / "hw" / "ball.toml", BANK.replace('answer = "[a - w, a + w]"', 'answer = "a"'))
    result = run("check", bank, "--variants", "1")
    assert result.exit_code == 1
    assert "'a' is not an interval [low, high]" in result.stdout


def test_show_and_template_describe_the_new_type(bank):
    shown = run("show", "hw/ball", "--problems", bank, "--solution")
    assert shown.exit_code == 0, shown.output
    assert "[landing] (2 points, interval) The interval where it lands\n    write it as [low, high]\n" \
           "    answer: (3.0, 5.0)\n" in shown.stdout
    blank = run("template", "hw", "--student", "ann", "--problems", bank)
    assert blank.exit_code == 0, blank.output
    assert "# landing (2 points, interval)\n# The interval where it lands\n#   an interval: '[low, high]'\n" \
           "landing = ''\n" in blank.stdout


def test_the_schema_lists_registered_types_and_refuses_others(bank, monkeypatch):
    enum = json.loads(run("schema").stdout)["$defs"]["Part"]["properties"]["type"]["enum"]
    assert enum == ["number", "integer", "array", "expression", "choice", "text", "interval"]
    monkeypatch.delitem(TYPES, "interval")
    result = run("check", bank)
    assert result.exit_code == 1
    assert "parts.landing.type: Input should be 'number', 'integer', 'array', 'expression', 'choice' or 'text'" \
        in result.stdout
