"""Equivalence verdicts over a table of answers: forms that must pass, near misses that must fail.

The table is bench/corpus_equivalence.py, shared with the benchmark, so the figures
there are measured on exactly the pairs proved correct here.
"""

from __future__ import annotations

import math

import pytest
from corpus_equivalence import PAIRS, TABLES

from grader.expr import SymbolTable, budget, parse
from grader.expr.equivalence import DIFFERENT, EQUIVALENT, UNDECIDED, Verdict, compare

_TABLES = {name: SymbolTable(decls) for name, decls in TABLES.items()}


def _id(pair) -> str:
    return f"{pair.table}: {pair.answer} {'==' if pair.equivalent else '!='} {pair.canonical}"


def verdict(answer: str, canonical: str, table: SymbolTable, **kwargs):
    with budget(2.0):
        return compare(parse(answer, table), parse(canonical, table), table, **kwargs)


def test_the_table_is_large_and_covers_every_kind_of_name():
    assert len(PAIRS) >= 320
    assert {p.table for p in PAIRS} == set(TABLES)
    assert sum(p.equivalent for p in PAIRS) > 300 and sum(not p.equivalent for p in PAIRS) > 150


@pytest.mark.parametrize("pair", PAIRS, ids=_id)
def test_verdict(pair):
    result = verdict(pair.answer, pair.canonical, _TABLES[pair.table])
    assert result.outcome == (EQUIVALENT if pair.equivalent else DIFFERENT), result
    if pair.feedback:
        assert pair.feedback in result.feedback


# ------------------------------------------------------------------ feedback, word for word

FEEDBACK = [
    ("real", "-(x+1)^2", "(x+1)^2", "sign error: your answer is the negative of the correct one"),
    ("real", "2 sin(x) cos(x) 2", "sin(2x)", "off by a constant factor: your answer is 2 times the correct one"),
    ("real", "x/3", "x", "off by a constant factor: your answer is 1/3 times the correct one"),
    ("real", "x^2 + 2x", "(x+1)^2", "off by an additive constant (-1)"),
    ("real", "sin(x) + 1/2", "sin(x)", "off by an additive constant (1/2)"),
    ("real", "1000 x", "x", "off by a factor of 10^3: check the decimal point"),
    ("mat", "A^T", "A", "your answer is the transpose of the correct one"),
    ("mat", "-X", "X", "sign error: your answer is the negative of the correct one"),
    ("vec", "x^T y", "x y^T",
     "wrong shape: your answer is a scalar, but the answer is a matrix (n×n) (a^T b is a number; a b^T is a matrix)"),
    ("vec", "a b^T", "a^T b",
     "wrong shape: your answer is a matrix (n×n), but the answer is a scalar (a b^T is a matrix; a^T b is a number)"),
    ("vec", "x^T", "x",
     "wrong shape: your answer is a row vector (1×n), but the answer is a column vector (n×1) "
     "(a row where a column was expected, or the transpose)"),
    ("real", "2 log(x)", "log(x^2)", "your answer is undefined at some points where the correct answer is defined"),
    # answers whose values are all tiny are measured against their own size, not against 1
    ("real", "2 10^-20 x", "10^-20 x", "off by a constant factor: your answer is 2 times the correct one"),
    ("real", "-10^-20 x", "10^-20 x", "sign error: your answer is the negative of the correct one"),
    ("real", "10^-20 x + 10^-21", "10^-20 x", "off by an additive constant (1e-21)"),
    ("mat", "10^-15 A", "2 10^-15 A", "off by a constant factor: your answer is 1/2 times the correct one"),
    ("mat", "10^-15 A^T", "10^-15 A", "your answer is the transpose of the correct one"),
    # refused by the second look, though float64 could hardly tell them apart
    ("pos", "3.14159 x", "pi x", "close, but not equal: your answer agrees with the correct one to about 6 digits "
                                 "(a decimal for an exact number such as 1/3, pi or sqrt(2) is not the number)"),
    ("pos", "0.3333333333 x", "x/3", "close, but not equal: your answer agrees with the correct one to about 10 "
                                     "digits (a decimal for an exact number such as 1/3, pi or sqrt(2) is not the number)"),
]


@pytest.mark.parametrize("table, answer, canonical, message", FEEDBACK, ids=lambda v: str(v)[:40])
def test_feedback_text(table, answer, canonical, message):
    result = verdict(answer, canonical, _TABLES[table])
    assert result.outcome == DIFFERENT
    assert result.feedback == message


@pytest.mark.parametrize("answer, canonical, equivalent, message", [
    ("sqrt(8)", "2 sqrt(2)", True, ""),
    ("\\frac{1}{\\sqrt{13}}", "sqrt(13)/13", True, ""),
    ("13^(-1/2)", "1/sqrt(13)", True, ""),
    ("sin(1)^2 + cos(1)^2", "1", True, ""),
    ("512000.001", "512000", False, ""),
    ("3.14159", "pi", False, ""),
    ("-1/sqrt(13)", "1/sqrt(13)", False, "sign error: your answer is the negative of the correct one"),
    ("1000 pi", "pi", False, "off by a factor of 10^3: check the decimal point"),
], ids=lambda v: str(v))
def test_constants_are_compared_exactly(answer, canonical, equivalent, message):
    result = verdict(answer, canonical, SymbolTable())
    assert result.equivalent == equivalent and result.feedback == message


EXPANDED_NINTH = "a^9 - 9a^8 + 36a^7 - 84a^6 + 126a^5 - 126a^4 + 84a^3 - 36a^2 + 9a - 1"  # (a - 1)^9


@pytest.mark.parametrize("table, answer, canonical", [
    # equal, but float64 loses digits to cancellation in one form: 50 digits settle it
    # (near a = 1 the expanded form loses every digit: far off at a point or two, right elsewhere)
    ("pos", f"1/({EXPANDED_NINTH})", "(a - 1)^(-9)"),
    ("pos", "(a - 1)^(-9)", f"1/({EXPANDED_NINTH})"),
    ("pos", EXPANDED_NINTH, "(a - 1)^9"),
    ("real", "(x + 1)^10", "x^10 + 10x^9 + 45x^8 + 120x^7 + 210x^6 + 252x^5 + 210x^4 + 120x^3 + 45x^2 + 10x + 1"),
    ("real", "(x - 1)^12 - 1", " + ".join(f"{(-1) ** k * math.comb(12, k)} x^{k}" for k in range(1, 13))),
    ("pos", "10^8 ((1 + 10^-8 x)^2 - 1)", "2x + x^2/10^8"),
    ("real", "10^8 (cosh(x/10^4) - 1)", "2 10^8 sinh(x/(2 10^4))^2"),
    ("mat", "10^6 (inv(A + 10^-6 B) - inv(A))", "-inv(A + 10^-6 B) B inv(A)"),
    ("vec", "10^7 ((x + 10^-7 y)^T (x + 10^-7 y) - x^T x)", "2 x^T y + 10^-7 y^T y"),
    ("real", "sin(2 pi x)^2 + cos(2 pi x)^2 - 1", "0"),
], ids=lambda v: str(v)[:40])
def test_equal_forms_that_float64_evaluates_poorly_are_accepted(table, answer, canonical):
    result = verdict(answer, canonical, _TABLES[table])
    assert (result.outcome, result.method) == (EQUIVALENT, "precise")


def test_no_feedback_when_the_mistake_has_no_simple_shape():
    result = verdict("A B", "B A", _TABLES["mat"])
    assert result.outcome == DIFFERENT and result.feedback == ""


# ------------------------------------------------------------------ how a verdict is reached

def test_wrong_shape_is_decided_before_any_numbers():
    assert verdict("x y^T", "x^T y", _TABLES["vec"]).method == "shape"


def test_identical_readings_are_exact():
    assert verdict("(A B)^T", "B^T A^T", _TABLES["mat"]).method == "exact"


def test_zero_is_accepted_for_a_zero_matrix():
    table = _TABLES["mat"]
    assert verdict("0", "A - A", table).equivalent
    assert verdict("0", "(A - A) w", table).equivalent
    assert not verdict("0", "A", table).equivalent
    # a canonical 0 means "zero", whatever its shape: a second derivative of tr(M X) is 0 or 0 H
    assert verdict("A - A", "0", table).equivalent
    assert verdict("0 A", "0", table).equivalent
    assert not verdict("A", "0", table).equivalent


def test_symmetric_kind_changes_the_verdict():
    general = SymbolTable({"M": "matrix(n, n)"})
    symmetric = SymbolTable({"M": "symmetric(n)"})
    assert not verdict("M^2", "M^T M", general).equivalent
    assert verdict("M^2", "M^T M", symmetric).equivalent


def test_kind_of_a_scalar_changes_the_verdict():
    assert not verdict("sqrt(x^2)", "x", SymbolTable({"x": "real"})).equivalent
    assert verdict("sqrt(x^2)", "x", SymbolTable({"x": "positive"})).equivalent
    assert verdict("sqrt(x^2)", "-x", SymbolTable({"x": "negative"})).equivalent


def test_declared_domain_is_where_points_are_drawn():
    # equal on [1, 2], not on the default range of a real name
    table = SymbolTable({"x": "real"}, domains={"x": (1.0, 2.0)})
    assert verdict("abs(x)", "x", table).equivalent
    assert not verdict("abs(x)", "x", SymbolTable({"x": "real"})).equivalent


def test_an_identity_true_only_for_one_matrix_size_is_refused():
    # Cayley-Hamilton for 3×3 matrices; each round of points gives n a different size
    table = SymbolTable({"A": "matrix(n, n)"})
    three_by_three = "tr(A) A^2 - ((tr(A)^2 - tr(A^2))/2) A + det(A) I"
    assert not verdict(three_by_three, "A^3", table).equivalent


def test_verdicts_are_deterministic():
    table = _TABLES["mat"]
    first = [verdict(p.answer, p.canonical, _TABLES[p.table]) for p in PAIRS[:40]]
    again = [verdict(p.answer, p.canonical, _TABLES[p.table]) for p in PAIRS[:40]]
    assert first == again
    assert verdict("2 X", "X + X", table) == verdict("2 X", "X + X", table)


def test_prove_confirms_symbolically():
    scalars = SymbolTable({"x": "real", "z": "real"})
    matrices = SymbolTable({"A": "matrix(n, n)", "B": "matrix(n, n)"})
    for answer, canonical, table in [
        ("(x+1)^2", "x^2 + 2x + 1", scalars),
        ("sigma(z)(1 - sigma(z))", "e^{-z}/(1+e^{-z})^2", scalars),
        ("A B + A", "A (B + I)", matrices),
    ]:
        result = verdict(answer, canonical, table, prove=True)
        assert (result.outcome, result.method) == (EQUIVALENT, "symbolic")


def test_prove_reports_undecided_when_algebra_cannot_confirm():
    table = SymbolTable({"A": "matrix(n, n)", "B": "matrix(n, n)"})
    result = verdict("tr(A B)", "tr(B A)", table, prove=True)
    assert result == Verdict(UNDECIDED, "symbolic", "the values agree but the symbolic check could not confirm it")
    assert verdict("tr(A B)", "tr(B A)", table).equivalent  # without prove, the numbers decide


RANK_TWO = SymbolTable({"u": "vector(n)", "v": "vector(n)", "w": "vector(n)", "z": "vector(n)"})


@pytest.mark.parametrize("answer, canonical, outcome, feedback", [
    # u v^T has rank one: its inverse is undefined, not float64's 10^15-sized noise
    ("inv(u u^T)", "u u^T", DIFFERENT, "your answer is undefined at some points where the correct answer is defined"),
    # u v^T + w z^T is invertible only where n = 2: the rounds with other sizes have no points
    ("(1 + 10^-10) inv(u v^T + w z^T)", "inv(u v^T + w z^T)", DIFFERENT, ""),
    ("2 inv(u v^T + w z^T)", "inv(u v^T + w z^T)", DIFFERENT, "off by a constant factor: your answer is 2 times"),
    ("inv(u v^T + w z^T)^T", "inv(u v^T + w z^T)", DIFFERENT, "your answer is the transpose of the correct one"),
    ("inv(w z^T + u v^T)", "inv(u v^T + w z^T)", EQUIVALENT, ""),
], ids=lambda v: str(v)[:40])
def test_singular_matrices_are_undefined_where_they_are_singular(answer, canonical, outcome, feedback):
    result = verdict(answer, canonical, RANK_TWO)
    assert result.outcome == outcome and feedback in result.feedback, result



PINNED = SymbolTable({"alpha": "positive", "x": "positive"}, {"alpha": (0.1, 0.1), "x": (100, 1000)})


@pytest.mark.parametrize("answer, canonical", [
    # a learning rate pinned at 0.1 is the student's 0.1, also at 50 digits, where the
    # cancellation (values near 10^6, result 0.01) sends the check
    ("(x + 0.1)^2 - x^2 - 0.2 x", "alpha^2"),
    ("(x + alpha)^2 - x^2 - 2 alpha x", "0.01"),
])
def test_a_domain_pinned_at_a_decimal_is_that_decimal(answer, canonical):
    result = verdict(answer, canonical, PINNED)
    assert (result.outcome, result.method) == (EQUIVALENT, "precise")
