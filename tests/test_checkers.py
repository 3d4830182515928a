"""Checkers, table-driven: each row is an answer, the expected value, the part's settings, the verdict."""

from __future__ import annotations

import numpy as np
import pytest

from grader.check import Invalid, checker_for
from grader.model import Part


def assert_feedback(feedback: str, expected: str) -> None:
    """`expected` is a phrase the feedback must contain; "" means there must be none at all."""
    if expected:
        assert expected in feedback
    else:
        assert feedback == ""


def verdict(type_, raw, expected, **settings):
    part = Part(type=type_, answer="0", **settings)
    checker = checker_for(type_)
    reading = checker.read(raw, part)
    return checker.compare(reading, expected, part)


NUMBERS = [
    # raw, expected, settings, status, credit, feedback contains ("": no feedback at all)
    (0.52248, 0.52248, {}, "correct", 1, ""),
    (0.5225, 0.52248, {}, "correct", 1, ""),
    ("0.5225", 0.52248, {}, "correct", 1, ""),
    (0.5235, 0.52248, {}, "incorrect", 0, "close, but outside the tolerance (±0.1% relative)"),
    (0.52, 0.52248, {}, "partial", 0.5, "too few digits"),
    (0.5, 0.52248, {}, "incorrect", 0, ""),          # one significant figure is not "the right value"
    (0.53, 0.52248, {}, "incorrect", 0, ""),
    (-0.52248, 0.52248, {}, "incorrect", 0, "sign error"),
    ("-0.5225", 0.52248, {}, "incorrect", 0, "sign error"),
    (5.2248, 0.52248, {}, "incorrect", 0, "10^1"),
    (0.052248, 0.52248, {}, "incorrect", 0, "10^-1"),
    (-52.248, 0.52248, {}, "incorrect", 0, "10^2: check the decimal point and the sign"),
    (1.04496, 0.52248, {}, "incorrect", 0, "twice"),
    (0.26124, 0.52248, {}, "incorrect", 0, "half"),
    # near zero: an absolute floor only for a canonical zero; a small value sets its own scale
    (0.0, 0.0, {}, "correct", 1, ""),
    (1e-9, 0.0, {}, "correct", 1, ""),
    (1e-3, 0.0, {}, "incorrect", 0, "off by a factor of 10^6: check the decimal point"),
    (0.0, 1e-10, {}, "incorrect", 0, ""),
    (0.0, 1e-4, {}, "incorrect", 0, ""),
    (0.001, 0.0, {"atol": 0.01}, "correct", 1, ""),
    (2e-6, 1e-6, {}, "incorrect", 0, "twice"),
    # negative values
    (-3.1416, -3.14159, {}, "correct", 1, ""),
    (-3.2, -3.14159, {}, "incorrect", 0, ""),
    (3.14159, -3.14159, {}, "incorrect", 0, "sign error"),
    # tolerances
    (0.525, 0.52248, {"rtol": 0.01}, "correct", 1, ""),
    (0.525, 0.52248, {"bands": [{"rtol": 0.01, "credit": 0.5}]}, "partial", 0.5, "within 1%"),
    (0.54, 0.52248, {"bands": [{"rtol": 0.01, "credit": 0.5}, {"rtol": 0.05, "credit": 0.25}]},
     "partial", 0.25, "within 5%"),
    (0.6, 0.52248, {"bands": [{"rtol": 0.05, "credit": 0.25}]}, "incorrect", 0, ""),
    # significant figures as a person means them: a string keeps its digits
    ("1.50", 1.5, {"sigfigs": 3}, "correct", 1, ""),
    ("1.5", 1.5, {"sigfigs": 3}, "partial", 0.5, "give 3 significant figures"),
    (1.50, 1.5, {"sigfigs": 3}, "partial", 0.5, "give 3 significant figures"),   # a TOML float drops zeros
    ("1.499", 1.5, {"sigfigs": 3}, "correct", 1, ""),
    ("1.52", 1.5, {"sigfigs": 3}, "incorrect", 0, "close, but outside the tolerance (3 significant figures)"),
    ("0.0520", 0.052, {"sigfigs": 3}, "correct", 1, ""),
    ("0.052", 0.052, {"sigfigs": 3}, "partial", 0.5, "significant figures"),
    ("-1.50", -1.5, {"sigfigs": 3}, "correct", 1, ""),
    ("1.50", 1.5, {"sigfigs": 3, "digits_credit": 0.0}, "correct", 1, ""),
    ("1.5", 1.5, {"sigfigs": 3, "digits_credit": 0.0}, "partial", 0.0, "significant figures"),
    # decimals: "keep two decimals"
    (1.11, 1.1053, {"decimals": 2}, "correct", 1, ""),
    ("1.105", 1.1053, {"decimals": 2}, "correct", 1, ""),
    ("1.1", 1.1053, {"decimals": 2}, "partial", 0.5, "give 2 decimal places"),
    (1.12, 1.1053, {"decimals": 2}, "incorrect", 0, "close, but outside the tolerance (2 decimal places)"),
    (-1.02, -1.0249, {"decimals": 2}, "correct", 1, ""),
    # expressions that evaluate to numbers
    ("1/sqrt(13)", 0.2773500981, {}, "correct", 1, ""),
    (r"\frac{1}{\sqrt{13}}", 0.2773500981, {}, "correct", 1, ""),
    ("e^-1", 0.3678794412, {}, "correct", 1, ""),
    ("sigma(-5)", 0.0066928509, {}, "correct", 1, ""),
    ("(1 + 0.4261)^2", 2.03376, {}, "correct", 1, ""),
    ("2/sqrt(13)", 0.2773500981, {}, "incorrect", 0, "twice"),
]


@pytest.mark.parametrize("raw, expected, settings, status, credit, feedback", NUMBERS,
                         ids=[f"{r!r}~{e}{'+' + ','.join(s) if s else ''}" for r, e, s, *_ in NUMBERS])
def test_number(raw, expected, settings, status, credit, feedback):
    check = verdict("number", raw, expected, **settings)
    assert (check.status, check.credit) == (status, credit), check.feedback
    assert_feedback(check.feedback, feedback)


INVALID_NUMBERS = [  # raw, the reason (a regular expression)
    ([1, 2], "expected a number, got a list"),
    ("", "the answer is empty"),
    ("   ", "the answer is empty"),
    ("x", "unknown name 'x'"),
    ("2 +", "the expression ends too early at column 4"),
    (float("nan"), r"not a finite number \(nan\)"),
    (float("inf"), r"not a finite number \(inf\)"),
    (True, "expected a number, got true/false"),
    ({"a": 1}, "expected a number, got a table"),
    ("[1, 2]", "expected a single number, got a vector or matrix"),
    ("sqrt(-1)", "not a real number"),
    ("log(0)", "undefined"),
]


@pytest.mark.parametrize("raw, reason", INVALID_NUMBERS, ids=[repr(r) for r, _ in INVALID_NUMBERS])
def test_number_invalid(raw, reason):
    with pytest.raises(Invalid, match=reason):
        verdict("number", raw, 1.0)


ARRAYS = [
    ([1.11, -1.02], [1.1053, -1.0249], {"decimals": 2}, "correct", 1, ""),
    ([1.11, -1.05], [1.1053, -1.0249], {"decimals": 2, "credit": "elementwise"}, "partial", 0.5, "entry 2"),
    ([1.11, -1.05], [1.1053, -1.0249], {"decimals": 2}, "incorrect", 0, "1 of 2 entries right"),
    ([[1.11], [-1.02]], [1.1053, -1.0249], {"decimals": 2}, "correct", 1, ""),   # a column is a vector
    ([[1.11, -1.02]], [1.1053, -1.0249], {"decimals": 2}, "correct", 1, ""),     # so is a row
    ("[1.11, -1.02]", [1.1053, -1.0249], {"decimals": 2}, "correct", 1, ""),
    ([-1.11, 1.02], [1.1053, -1.0249], {"decimals": 2}, "incorrect", 0, "every entry has the wrong sign"),
    ([[1, 2], [3, 4]], [[1, 2], [3, 4]], {}, "correct", 1, ""),
    ([[1, 3], [2, 4]], [[1, 2], [3, 4]], {}, "incorrect", 0, "transpose"),
    ([[1, 2, 3], [4, 5, 6]], [[1, 4], [2, 5], [3, 6]], {}, "incorrect", 0, "wrong shape: a 2×3 matrix, expected a 3×2 matrix (transposed?)"),
    ([1, 2, 3], [1, 2], {}, "incorrect", 0, "wrong shape: a vector of 3, expected a vector of 2"),
    ([[1, 2], [3, 5]], [[1, 2], [3, 4]], {"credit": "elementwise"}, "partial", 0.75, "(2,2)"),
    (["1/sqrt(13)", "e^-1"], [0.27735, 0.36788], {}, "correct", 1, ""),
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", [[1, 2], [3, 4]], {}, "correct", 1, ""),
]


@pytest.mark.parametrize("raw, expected, settings, status, credit, feedback", ARRAYS,
                         ids=[repr(r)[:40] for r, *_ in ARRAYS])
def test_array(raw, expected, settings, status, credit, feedback):
    check = verdict("array", raw, np.asarray(expected, dtype=float), **settings)
    assert (check.status, check.credit) == (status, credit), check.feedback
    assert_feedback(check.feedback, feedback)


INVALID_ARRAYS = [  # raw, the reason (a regular expression)
    ([], "the list is empty"),
    (3.0, r"expected a list of numbers \(a vector\) or of rows \(a matrix\), got float"),
    ([[1, 2], [3]], "rows have different lengths: 2, 1"),
    ([[1, [2]]], "nested too deeply"),
    ([1, [2]], "mix of numbers and lists"),
    ([1, "x"], "entry 2: unknown name 'x'"),
    ([1, float("nan")], r"entry 2: not a finite number \(nan\)"),
    ("3", "expected a vector or matrix, got a single number"),
    ("[1, x]", "unknown name 'x'"),
    ([1] * 10_001, r"too many entries \(10001; the limit is 10000\)"),
]


@pytest.mark.parametrize("raw, reason", INVALID_ARRAYS, ids=[repr(r)[:30] for r, _ in INVALID_ARRAYS])
def test_array_invalid(raw, reason):
    with pytest.raises(Invalid, match=reason):
        verdict("array", raw, np.array([1.0, 2.0]))


@pytest.mark.parametrize("raw, expected, status, feedback", [
    (7850, 7850, "correct", ""),
    ("7850", 7850, "correct", ""),
    ("784*10 + 10", 7850, "correct", ""),
    ("3!", 6, "correct", ""),
    (7850.0, 7850, "correct", ""),
    (-7850, 7850, "incorrect", "sign error"),
    (7851, 7850, "incorrect", "off by one"),
    (7840, 7850, "incorrect", ""),
])
def test_integer(raw, expected, status, feedback):
    check = verdict("integer", raw, expected)
    assert check.status == status
    assert_feedback(check.feedback, feedback)


@pytest.mark.parametrize("raw, reason", [
    (7850.5, "expected a whole number, got 7850.5"),
    ("1/3", "expected a whole number, got 0.333333"),
    ([1], "expected a number, got a list"),
    ("n", "unknown name 'n'"),
])
def test_integer_invalid(raw, reason):
    with pytest.raises(Invalid, match=reason):
        verdict("integer", raw, 1)


@pytest.mark.parametrize("raw, expected, status, credit", [
    ("yes", "yes", "correct", 1), ("YES ", "yes", "correct", 1), ("no", "yes", "incorrect", 0),
    ("a", "yes", "correct", 1), (1, "yes", "correct", 1), (2, "yes", "incorrect", 0),
    (["yes", "maybe"], ["yes", "maybe"], "correct", 1), (["yes"], ["yes", "maybe"], "partial", 0.5),
    (["yes", "no"], ["yes", "maybe"], "incorrect", 0),
])
def test_choice(raw, expected, status, credit):
    part = Part(type="choice", answer="yes", choices=["yes", "no", "maybe"])
    checker = checker_for("choice")
    check = checker.compare(checker.read(raw, part), expected, part)
    assert (check.status, check.credit) == (status, credit)


def test_choice_rejects_unknown_options():
    part = Part(type="choice", answer="yes", choices={"y": "yes", "n": "no"})
    with pytest.raises(Invalid, match="not one of the options: y, n"):
        checker_for("choice").read("maybe", part)


@pytest.mark.parametrize("raw, status", [("Because the gradient vanishes.", "ungraded"), (42, "ungraded")])
def test_text_is_left_for_a_person(raw, status):
    assert verdict("text", raw, None).status == status
    with pytest.raises(Invalid, match="too long"):
        verdict("text", "x" * 20_001, None)
