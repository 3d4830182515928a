"""Properties over generated answers: the echo reads back as the same value, and junk is only ever refused.

Runs are deterministic (derandomized, no example database), so a failure here is
a failure on every machine.
"""

from __future__ import annotations


import numpy as np
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from grader.expr import BudgetExceeded, ExprError, SymbolTable, budget, compare, parse, render
from grader.expr.numeric import evaluate
from grader.expr.precise import Imprecise, point_values, value_at
from grader.expr.sampling import sample

SCALARS = SymbolTable({"x": "real", "y": "real", "a": "positive", "k": "integer"})
MATRICES = SymbolTable({"A": "matrix(n, n)", "B": "matrix(n, n)", "u": "vector(n)", "v": "vector(n)", "c": "real"})

ROUND_TRIP = settings(derandomize=True, database=None, deadline=None, max_examples=300,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=400,
                suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ generated expressions, as text

SCALAR_LEAVES = ["x", "y", "a", "k", "pi", "e", "\\frac12", "0.5", "\\pi", "0", "1", "2", "3", "10"]
FUNCTIONS = ["sin", "cos", "exp", "log", "sqrt", "tanh", "sigma", "relu", "abs", "softplus", "atan"]
SCALAR_FORMS = [
    "({0}) {op} ({1})", "{0} {op} {1}",  # the second without brackets: whatever precedence makes of it
    "({0})^{{{n}}}", "({0})^{{{n}/3}}", "{f}({0})", "max({0}, {1})", "\\frac{{{0}}}{{{1}}}", "-({0})", "|{0}|",
]
OPERATORS = ["+", "-", "*", "/", " ", "\\cdot"]


@st.composite
def scalar_text(draw, depth: int = 4) -> str:
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(SCALAR_LEAVES))
    form = draw(st.sampled_from(SCALAR_FORMS))
    return form.format(
        draw(scalar_text(depth - 1)), draw(scalar_text(depth - 1)), op=draw(st.sampled_from(OPERATORS)),
        n=draw(st.integers(-3, 4)), f=draw(st.sampled_from(FUNCTIONS)),
    )


SQUARE_LEAVES = ["A", "B", "u v^T", "diag(u)", "A^T", "(A + I)"]
SQUARE_FORMS = [
    "({0}) + ({1})", "({0}) - ({1})", "({0}) ({1})", "{0} {1}", "({0})^T", "inv({0})", "({0})^2",
    "{s} ({0})", "({0}) / {s}", "tanh({0})", "({0}) ∘ ({1})",
]
SCALES = ["c", "2", "-1", "(1/c)", "tr(A)", "(u^T v)"]


@st.composite
def square_text(draw, depth: int = 3) -> str:
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(SQUARE_LEAVES))
    form = draw(st.sampled_from(SQUARE_FORMS))
    return form.format(draw(square_text(depth - 1)), draw(square_text(depth - 1)), s=draw(st.sampled_from(SCALES)))


MIXED_FORMS = [
    "tr({0})", "det({0})", "u^T ({0}) v", "tr({0}) + sigma(u^T ({1}) v)", "(u^T ({0}) v)^2 / (v^T v)",
    "sum(({0}) u)", "({0}) u", "softmax(({0}) v)", "{s} ({0}) v + u",
]


@st.composite
def mixed_text(draw) -> str:
    form = draw(st.sampled_from(MIXED_FORMS))
    return form.format(draw(square_text()), draw(square_text()), s=draw(st.sampled_from(SCALES)))


def _reads_back(text: str, table: SymbolTable) -> None:
    try:
        value = parse(text, table)
    except ExprError:
        assume(False)  # generated text can be invalid (1/0, shapes): only readable answers are echoed
    shown = render(value)
    again = parse(shown, table)
    if again != value:
        with budget(5.0):
            verdict = compare(again, value, table)
        assert verdict.equivalent, (text, shown, verdict)


@ROUND_TRIP
@given(scalar_text())
def test_scalar_echo_reads_back(text):
    _reads_back(text, SCALARS)


@settings(ROUND_TRIP, max_examples=150)
@given(square_text())
def test_matrix_echo_reads_back(text):
    _reads_back(text, MATRICES)


@settings(ROUND_TRIP, max_examples=100)
@given(mixed_text())
def test_mixed_echo_reads_back(text):
    _reads_back(text, MATRICES)


@settings(ROUND_TRIP, max_examples=200)
@given(scalar_text())
def test_an_expanded_answer_is_never_refused(text):
    """No false "different" from the numeric layer: sympy's expand of an answer is the same function."""
    try:
        value = parse(text, SCALARS)
    except ExprError:
        assume(False)
    try:
        with budget(2.0):
            verdict = compare(sp.expand(value), value, SCALARS)
    except BudgetExceeded:
        assume(False)
    assert verdict.outcome != "different", (text, verdict)


# ------------------------------------------------------------------ two evaluators, one meaning

def _same_value_at_50_digits(text: str, table: SymbolTable) -> None:
    """The second look (50 digits, through sympy) must mean what the float64 evaluator means,
    or it would settle doubtful points with a different function."""
    try:
        value = parse(text, table)
    except ExprError:
        assume(False)
    points = sample(table, seed=7, count=2)
    floats = np.asarray(evaluate(value, points.env, points.dims), dtype=float)
    floats = np.broadcast_to(floats, (2,) + floats.shape[1:]) if floats.ndim else np.full(2, float(floats))
    for i in range(2):
        assume(np.all(np.isfinite(floats[i])) and np.max(np.abs(floats[i]), initial=0) < 1e12)
        try:
            with budget(5.0):
                precise = value_at(value, point_values(points, i)).astype(float)
        except (Imprecise, BudgetExceeded):
            continue  # no second look here: compare() falls back to algebra
        assert np.allclose(precise, floats[i], rtol=1e-8, atol=1e-10), (text, precise, floats[i])


@settings(ROUND_TRIP, max_examples=200)
@given(scalar_text())
def test_scalar_values_at_50_digits_match_float64(text):
    _same_value_at_50_digits(text, SCALARS)


@settings(ROUND_TRIP, max_examples=100)
@given(st.one_of(square_text(), mixed_text()))
def test_matrix_values_at_50_digits_match_float64(text):
    _same_value_at_50_digits(text, MATRICES)


# ------------------------------------------------------------------ junk in, ExprError out

def _only_value_or_error(text: str, table: SymbolTable) -> None:
    """A value or an ExprError; anything else escapes, and so does BudgetExceeded if it stalls."""
    try:
        with budget(5.0):
            parse(text, table)
    except ExprError:
        pass


MATH_ALPHABET = "xyzaAB uvc0123456789.,+-*/^()[]{}|!'_=&\\\n\t·×−÷∘²³⁻¹ᵀ√σπλθ"
TOKENS = ["x", "y", "A", "u", "c", "2", "0", "1e3", ".5", "+", "-", "*", "/", "^", "**", "(", ")", "[", "]",
          "{", "}", "|", ",", "!", "'", ".T", "^T", "sin", "log", "exp", "sigma", "softmax", "tr", "inv",
          "det", "diag", "sum", "max", "norm", "I", "I_n", "e", "pi", "\\frac", "\\sqrt", "\\left(",
          "\\right)", "\\left|", "\\right|", "\\cdot", "\\begin{bmatrix}", "\\end{bmatrix}", "&", "\\\\",
          "\\mathbf{", "\\hat{", "²", "⁻¹", "ᵀ", "√", "σ", "∘", " ", "\\sigma", "\\ln", "\\sin^2", "factorial"]
JUNK_TABLE = SymbolTable({"x": "real", "y": "positive", "A": "matrix(n, n)", "u": "vector(n)", "c": "integer"})


@FUZZ
@given(st.text(alphabet=MATH_ALPHABET, max_size=40))
def test_math_like_junk_is_read_or_refused(text):
    _only_value_or_error(text, JUNK_TABLE)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_token_soup_is_read_or_refused(text):
    _only_value_or_error(text, JUNK_TABLE)


@FUZZ
@given(st.text(max_size=60))
def test_any_unicode_is_read_or_refused(text):
    _only_value_or_error(text, JUNK_TABLE)


def _verdict_or_timeout(first: str, second: str, table: SymbolTable) -> None:
    try:
        a, b = parse(first, table), parse(second, table)
    except ExprError:
        assume(False)
    try:
        with budget(1.0):
            verdict = compare(a, b, table)
        assert verdict.outcome in ("equivalent", "different", "undecided")
    except BudgetExceeded:
        pass  # the caller reports "ungraded"; the point is that nothing else escapes


@settings(ROUND_TRIP, max_examples=150)
@given(scalar_text(), scalar_text())
def test_any_two_scalar_answers_get_a_verdict(first, second):
    _verdict_or_timeout(first, second, SCALARS)


@settings(ROUND_TRIP, max_examples=100)
@given(st.one_of(square_text(), mixed_text()), st.one_of(square_text(), mixed_text()))
def test_any_two_matrix_answers_get_a_verdict(first, second):
    _verdict_or_timeout(first, second, MATRICES)


# ------------------------------------------------------------------ near copies: never accepted, never a crash

NEAR_COPIES = ["({0}) (1 + 10^-10)", "(1 + 10^-10) ({0})", "({0}) + 10^-11", "10^-11 + ({0})"]


def _near_copy_is_refused(text: str, form: str, flip: bool, table: SymbolTable) -> None:
    """One part in 10^10 off (or 10^-11 added): the second look must refuse it, whichever side
    is the canonical answer, and nothing may raise, whatever shapes the two readings take."""
    try:
        value, near = parse(text, table), parse(form.format(text), table)
    except ExprError:
        assume(False)
    points = sample(table, seed=3, count=8)
    values = np.asarray(evaluate(value, points.env, points.dims), dtype=float)
    student, expected = (near, value) if flip else (value, near)
    try:
        with budget(3.0):
            result = compare(student, expected, table)
    except BudgetExceeded:
        return
    relative = "1 + 10^-10" in form
    if relative and np.all(np.isfinite(values)) and np.max(np.abs(values)) > 1e-6:
        assert result.outcome != "equivalent", (text, form, result)


@settings(ROUND_TRIP, max_examples=150)
@given(scalar_text(), st.sampled_from(NEAR_COPIES), st.booleans())
def test_a_near_copy_of_a_scalar_answer_is_refused(text, form, flip):
    _near_copy_is_refused(text, form, flip, SCALARS)


@settings(ROUND_TRIP, max_examples=150)
@given(st.one_of(square_text(), mixed_text()), st.sampled_from(NEAR_COPIES), st.booleans())
def test_a_near_copy_of_a_matrix_answer_is_refused(text, form, flip):
    _near_copy_is_refused(text, form, flip, MATRICES)

