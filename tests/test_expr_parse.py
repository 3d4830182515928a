"""What each written form is read as, how it is echoed back, and what a student is told when it cannot be read."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from corpus_equivalence import PAIRS, TABLES
from sympy.matrices.expressions import Determinant, Identity, Inverse, Trace, Transpose
from sympy.matrices.expressions.diagonal import DiagMatrix

from grader.expr import ExprError, LimitExceeded, ShapeMismatch, SymbolTable, compare, parse, render
from grader.expr.functions import Softmax, SumOf, relu, sigmoid, softplus
from grader.expr.numeric import evaluate

SCALARS = SymbolTable({
    "x": "real", "y": "real", "z": "real", "a": "positive", "b": "positive", "k": "integer",
    "phi_0": "real", "W_13": "real", "theta": "real", "lambda": "positive",
})
ALGEBRA = SymbolTable({
    "a": "vector(n)", "b": "vector(n)", "x": "vector(n)", "y": "vector(n)", "s": "vector(n)",
    "v": "vector(n)", "z": "vector(n)", "A": "matrix(n, n)", "B": "matrix(n, n)", "M": "matrix(n, n)",
    "X": "matrix(m, n)", "c": "real",
})

x, y, z = (sp.Symbol(s, real=True) for s in "xyz")
a_, b_ = (sp.Symbol(s, positive=True) for s in "ab")
k = sp.Symbol("k", integer=True)
lam = sp.Symbol("lambda", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
A, B, M = (sp.MatrixSymbol(s, n, n) for s in "ABM")
av, bv, xv, yv, s, v, zv = (sp.MatrixSymbol(s, n, 1) for s in "abxysvz")
c = sp.Symbol("c", real=True)

# (table, written, read as) - every row of DESIGN's language table, then the rules it implies
READS_AS = [
    # products: implicit multiplication
    (SCALARS, "2x", 2 * x),
    (SCALARS, "x y", x * y),
    (SCALARS, "2(x+1)", 2 * x + 2),
    (SCALARS, "(a+b)(a-b)", (a_ + b_) * (a_ - b_)),
    (SCALARS, "xy", x * y),
    (SCALARS, "2 x y", 2 * x * y),
    (SCALARS, "x(x+1)", x * (x + 1)),
    (SCALARS, "(x)(y)", x * y),
    # powers
    (SCALARS, "x^2", x**2),
    (SCALARS, "x**2", x**2),
    (SCALARS, "e^x", sp.exp(x)),
    (SCALARS, "exp(x)", sp.exp(x)),
    (SCALARS, "x^y^z", x ** (y**z)),
    (SCALARS, "-x^2", -(x**2)),
    (SCALARS, "2^-1", sp.Rational(1, 2)),
    (SCALARS, "x^-2", x**-2),
    (SCALARS, "e^-z", sp.exp(-z)),
    (SCALARS, "x²", x**2),
    (SCALARS, "x⁻¹", 1 / x),
    (SCALARS, "x^0.5", sp.sqrt(x)),
    # function application
    (SCALARS, "sin x", sp.sin(x)),
    (SCALARS, "sin(x)", sp.sin(x)),
    (SCALARS, "ln x", sp.log(x)),
    (SCALARS, "log(x)", sp.log(x)),
    (SCALARS, "sinx", sp.sin(x)),
    (SCALARS, "sin x y", sp.sin(x * y)),
    (SCALARS, "sin 2x", sp.sin(2 * x)),
    (SCALARS, "sin x + y", sp.sin(x) + y),
    (SCALARS, "sin x cos x", sp.sin(x) * sp.cos(x)),
    (SCALARS, "sin x^2", sp.sin(x**2)),
    (SCALARS, "sin(x)^2", sp.sin(x) ** 2),
    (SCALARS, "sin^2 x", sp.sin(x) ** 2),
    (SCALARS, "sin² x", sp.sin(x) ** 2),
    (SCALARS, "sin^{-1} x", sp.asin(x)),
    (SCALARS, "arcsin(x)", sp.asin(x)),
    (SCALARS, "\\ln\\sqrt{a}", sp.log(sp.sqrt(a_))),
    (SCALARS, "log(a, b)", sp.log(a_) / sp.log(b_)),
    (SCALARS, "(-8)^(1/3)", sp.Integer(-2)),  # odd roots of negative numbers are real
    (SCALARS, "(-8)^(-2/3)", sp.Rational(1, 4)),
    (SCALARS, "(-32)^(3/5)", sp.Integer(-8)),
    (SCALARS, "log2(a)", sp.log(a_) / sp.log(2)),
    (SCALARS, "log_2 a", sp.log(a_) / sp.log(2)),
    (SCALARS, "-a log_2 a", -a_ * sp.log(a_) / sp.log(2)),
    (SCALARS, "\\log_{2}a", sp.log(a_) / sp.log(2)),
    (SCALARS, "log10(a)", sp.log(a_) / sp.log(10)),
    (SCALARS, "log_{10}(a b)", sp.log(a_ * b_) / sp.log(10)),
    (SCALARS, "abs(x)", sp.Abs(x)),
    (SCALARS, "|x|", sp.Abs(x)),
    (SCALARS, "|x - |y||", sp.Abs(x - sp.Abs(y))),
    (SCALARS, "2|x| |y|", 2 * sp.Abs(x) * sp.Abs(y)),
    (SCALARS, "max(x, y)", sp.Max(x, y)),
    (SCALARS, "3!", sp.Integer(6)),
    (SCALARS, "k!", sp.factorial(k)),
    # ML functions
    (SCALARS, "sigma(z)", sigmoid(z)),
    (SCALARS, "sigmoid(z)", sigmoid(z)),
    (SCALARS, "logistic(z)", sigmoid(z)),
    (SCALARS, "tanh(z)", sp.tanh(z)),
    (SCALARS, "tanh z", sp.tanh(z)),
    (SCALARS, "relu(z)", relu(z)),
    (SCALARS, "ReLU(z)", relu(z)),
    (SCALARS, "softplus(z)", softplus(z)),
    (ALGEBRA, "softmax(z)", Softmax(zv)),
    # names
    (SCALARS, "lambda", lam),
    (SCALARS, "\\lambda", lam),
    (SCALARS, "λ", lam),
    (SCALARS, "phi_0", sp.Symbol("phi_0", real=True)),
    (SCALARS, "phi_{0}", sp.Symbol("phi_0", real=True)),
    (SCALARS, "phi0", sp.Symbol("phi_0", real=True)),
    (SCALARS, "W_13", sp.Symbol("W_13", real=True)),
    (SCALARS, "W_{13}", sp.Symbol("W_13", real=True)),
    (SCALARS, "theta", sp.Symbol("theta", real=True)),
    (SCALARS, "θ", sp.Symbol("theta", real=True)),
    (SCALARS, "\\theta", sp.Symbol("theta", real=True)),
    (SCALARS, "pi", sp.pi),
    (SCALARS, "π", sp.pi),
    (SCALARS, "e", sp.E),
    # linear algebra
    (ALGEBRA, "M^T", Transpose(M)),
    (ALGEBRA, "M'", Transpose(M)),
    (ALGEBRA, "M.T", Transpose(M)),
    (ALGEBRA, "M^\\top", Transpose(M)),
    (ALGEBRA, "Mᵀ", Transpose(M)),
    (ALGEBRA, "transpose(M)", Transpose(M)),
    (ALGEBRA, "inv(A)", Inverse(A)),
    (ALGEBRA, "A^(-1)", Inverse(A)),
    (ALGEBRA, "A^{-1}", Inverse(A)),
    (ALGEBRA, "A⁻¹", Inverse(A)),
    (ALGEBRA, "A^{-T}", Inverse(Transpose(A))),
    (ALGEBRA, "A^T^T", A),
    (ALGEBRA, "A + I", A + Identity(n)),
    (ALGEBRA, "I_n", Identity(n)),
    (ALGEBRA, "2 I + A", 2 * Identity(n) + A),
    (ALGEBRA, "A I", A),
    (ALGEBRA, "tr(A)", Trace(A)),
    (ALGEBRA, "trace(A)", Trace(A)),
    (ALGEBRA, "det(A)", Determinant(A)),
    (ALGEBRA, "diag(s)", DiagMatrix(s)),
    (ALGEBRA, "sum(v)", SumOf(v)),
    (ALGEBRA, "a b^T", sp.MatMul(av, Transpose(bv))),
    (ALGEBRA, "x^T y", sp.MatMul(Transpose(xv), yv)),
    (ALGEBRA, "A B", sp.MatMul(A, B)),
    (ALGEBRA, "c A", sp.MatMul(c, A)),
    (ALGEBRA, "c * A", sp.MatMul(c, A)),
    (ALGEBRA, "A * c", sp.MatMul(c, A)),
    (ALGEBRA, "A * B", sp.MatMul(A, B)),
    (ALGEBRA, "A / 2", sp.MatMul(sp.Rational(1, 2), A)),
    (ALGEBRA, "a ∘ b", sp.HadamardProduct(av, bv)),
    (ALGEBRA, "a \\odot b", sp.HadamardProduct(av, bv)),
    # simple LaTeX
    (SCALARS, "\\frac{1}{\\sqrt{13}}", 1 / sp.sqrt(13)),
    (SCALARS, "\\sigma(z)", sigmoid(z)),
    (SCALARS, "e^{-z}", sp.exp(-z)),
    (SCALARS, "x \\cdot y", x * y),
    (SCALARS, "x \\times y", x * y),
    (SCALARS, "\\frac12", sp.Rational(1, 2)),
    (SCALARS, "\\frac1x", 1 / x),
    (SCALARS, "\\dfrac{x}{2}", x / 2),
    (SCALARS, "\\sqrt{x^2}", sp.Abs(x)),
    (SCALARS, "\\sqrt[3]{a}", a_ ** sp.Rational(1, 3)),
    (SCALARS, "√a", sp.sqrt(a_)),
    (SCALARS, "\\left(x + 1\\right)^{2}", (x + 1) ** 2),
    (SCALARS, "\\left| x \\right|", sp.Abs(x)),
    (SCALARS, "\\exp\\left(-\\frac{x^2}{2}\\right)", sp.exp(-(x**2) / 2)),
    (SCALARS, "x \\, y", x * y),
    (ALGEBRA, "\\mathbf{x}^\\top \\mathbf{y}", sp.MatMul(Transpose(xv), yv)),
    (ALGEBRA, "\\operatorname{tr}(A)", Trace(A)),
    (ALGEBRA, "\\mathrm{diag}(s)", DiagMatrix(s)),
    # literal matrices
    (SCALARS, "[[1, 2], [3, 4]]", sp.ImmutableMatrix([[1, 2], [3, 4]])),
    (SCALARS, "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", sp.ImmutableMatrix([[1, 2], [3, 4]])),
    (SCALARS, "\\begin{pmatrix} x \\\\ y \\end{pmatrix}", sp.ImmutableMatrix([x, y])),
    (SCALARS, "[1, 2, 3]", sp.ImmutableMatrix([1, 2, 3])),
    (SCALARS, "[[1, 2, 3]]", sp.ImmutableMatrix([[1, 2, 3]])),
    (SCALARS, "[x + 1]", x + 1),
    # Unicode operators
    (SCALARS, "x · y", x * y),
    (SCALARS, "x × y", x * y),
    (SCALARS, "x − y", x - y),
    (SCALARS, "x ÷ y", x / y),
    (SCALARS, "σ(z)", sigmoid(z)),
]


@pytest.mark.parametrize("table, text, expected", READS_AS, ids=[row[1] for row in READS_AS])
def test_reads_as(table, text, expected):
    assert parse(text, table) == expected


# (written, same as) where the reading is a rule of precedence, not an object to build by hand
SAME_AS = [
    ("1/2x", "1/(2*x)"),             # juxtaposition binds tighter than /: 1/2x is 1/(2x)
    ("x/y z", "x/(y*z)"),
    ("x/y/z", "(x/y)/z"),
    ("x/y*z", "(x/y)*z"),
    ("-x y", "-(x*y)"),
    ("2^3^2", "2^(3^2)"),
    ("x^-y z", "(x^(-y))*z"),
    ("sin x^2 y", "sin((x^2)*y)"),
    ("sin(x) y", "sin(x)*y"),
    ("e^x y", "exp(x)*y"),
    ("e^{x} y", "exp(x)*y"),
    ("\\sin\\cos x", "sin(cos(x))"),
    ("2\\pi x", "2*pi*x"),
    ("x!^2", "(x!)^2"),
    ("{x + 1}^2", "(x+1)^2"),
    ("[x + 1]^2", "(x+1)^2"),
    ("\\frac1x2", "(1/x)*2"),
]


@pytest.mark.parametrize("text, explicit", SAME_AS, ids=[row[0] for row in SAME_AS])
def test_precedence(text, explicit):
    assert parse(text, SCALARS) == parse(explicit, SCALARS)


# forms the problem bank asked for: norms, a scalar added to every entry, step, sech, round
MATRIX_FORMS = [
    ("\\|x\\|", "sqrt(x^T x)"),
    ("||x||^2", "x^T x"),
    ("\\left\\| x \\right\\|", "norm(x)"),
    ("\u2016x\u2016", "norm(x)"),
    ("|c| ||x||", "abs(c) norm(x)"),
    ("1 - x", "-x + 1"),
    ("x \\odot (1 - x)", "x ∘ (1 - x)"),
    ("2 + A", "A + 2"),
    ("c - X", "-X + c"),
    ("diag(step(z))", "diag(heaviside(z))"),
]


@pytest.mark.parametrize("text, explicit", MATRIX_FORMS, ids=[row[0] for row in MATRIX_FORMS])
def test_matrix_forms(text, explicit):
    value = parse(text, ALGEBRA)
    assert compare(value, parse(explicit, ALGEBRA), ALGEBRA).equivalent
    assert compare(parse(render(value), ALGEBRA), value, ALGEBRA).equivalent    # the echo reads back


def test_a_scalar_added_to_a_vector_is_added_to_every_entry():
    value = evaluate(parse("1 - x", ALGEBRA), {ALGEBRA.lookup("x").obj: np.array([[[1.0], [2.0], [5.0]]])},
                     {ALGEBRA.dims["n"]: 3})
    assert value.ravel().tolist() == [0.0, -1.0, -4.0]


@pytest.mark.parametrize("text, value", [
    ("round(1.88784, 2)", sp.Rational(189, 100)), ("round(2.5)", 3), ("round(-2.5)", -3),
    ("round(pi, 4)", sp.Rational(31416, 10000)), ("sech(0)", 1), ("step(2)", 1), ("step(-2)", 0),
])
def test_numeric_helpers(text, value):
    assert parse(text) == value


@pytest.mark.parametrize("text", ["round(x, 2)", "round(1.5, 2.5)", "round(1.5, 40)"])
def test_round_needs_numbers(text):
    with pytest.raises(ExprError, match="round"):
        parse(text, SCALARS)


# ------------------------------------------------------------------ a declared name wins over a built-in

@pytest.mark.parametrize("declarations, text, expected", [
    ({"I": "real"}, "I", sp.Symbol("I", real=True)),
    ({"I": "real", "x": "real"}, "2 I x", 2 * sp.Symbol("I", real=True) * x),
    ({"sigma": "positive"}, "sigma", sp.Symbol("sigma", positive=True)),
    ({"sigma": "positive"}, "\\sigma", sp.Symbol("sigma", positive=True)),
    ({"sigma": "positive"}, "σ", sp.Symbol("sigma", positive=True)),
    ({"sigma": "positive", "x": "real"}, "sigma(x)", sp.Symbol("sigma", positive=True) * x),
    ({"e": "positive", "x": "real"}, "e^x", sp.Symbol("e", positive=True) ** x),
    ({"pi": "real"}, "2 pi", 2 * sp.Symbol("pi", real=True)),
    ({"tr": "real", "x": "real"}, "tr(x)", sp.Symbol("tr", real=True) * x),
    ({"T": "positive", "x": "real"}, "x^T", x ** sp.Symbol("T", positive=True)),
    ({"log_2": "real", "x": "real"}, "log_{2} x", sp.Symbol("log_2", real=True) * x),
], ids=["I", "I-product", "sigma", "\\sigma", "σ", "sigma(x)", "e", "pi", "tr", "T", "log_2"])
def test_declared_name_shadows_builtin(declarations, text, expected):
    value = parse(text, SymbolTable(declarations))
    assert value == expected
    assert not value.has(sigmoid, Identity, Trace, sp.exp)


def test_shadowing_is_per_table():
    assert parse("sigma(x)", SymbolTable({"x": "real"})) == sigmoid(x)
    assert parse("sigma(x)", SymbolTable({"x": "real", "sigma": "real"})) != sigmoid(x)
    assert parse("tr(A)", SymbolTable({"A": "matrix(n, n)", "t_r": "real"})) == Trace(A)


# ------------------------------------------------------------------ "read as": render, then parse again

RENDERED = [
    (SCALARS, "2x", "2*x"),
    (SCALARS, "(x+1)^2", "(1 + x)^2"),
    (SCALARS, "e^{-z}", "exp(-z)"),
    (SCALARS, "\\sigma(z)\\left(1-\\sigma(z)\\right)", "(1 - sigmoid(z))*sigmoid(z)"),
    (SCALARS, "\\frac{1}{\\sqrt{13}}", "sqrt(13)/13"),
    (SCALARS, "|x|", "abs(x)"),
    (SCALARS, "\\sqrt[3]{a}", "a^(1/3)"),
    (ALGEBRA, "(A B)^T", "B^T A^T"),
    (ALGEBRA, "inv(A^T)", "inv(A^T)"),
    (ALGEBRA, "A + I", "I_n + A"),
    (ALGEBRA, "A / c", "(1/c) A"),
    (ALGEBRA, "x / (x^T x)", "(1/(x^T x)) x"),
    (ALGEBRA, "(x^T y)^2", "(x^T y)^2"),
    (ALGEBRA, "c/(x^T y)", "c/(x^T y)"),
    (ALGEBRA, "x^T y + 1", "1 + x^T y"),
    (ALGEBRA, "sigma(x^T y)", "sigmoid(x^T y)"),
    (ALGEBRA, "x^T y x", "(x^T y) x"),
    (ALGEBRA, "tanh(z)", "tanh(z)"),
    (ALGEBRA, "abs(z)", "abs(z)"),
    (ALGEBRA, "sqrt(z)", "sqrt(z)"),
    (ALGEBRA, "-2 A B", "-2 A B"),
    (ALGEBRA, "diag(s) - s s^T", "-s s^T + diag(s)"),
    (ALGEBRA, "X^T X + c I", "c I_n + X^T X"),
    (ALGEBRA, "a ∘ b", "a ∘ b"),
    (ALGEBRA, "A - A", "A - A"),          # a zero matrix keeps its shape in the echo
    (ALGEBRA, "0 A", "0 A"),
    (ALGEBRA, "tr((A - A) B)", "tr((A - A) B)"),
    (ALGEBRA, "tanh(tanh(A))", "tanh(tanh(A))"),
    (ALGEBRA, "c (A ∘ A) x", "c (A ∘ A) x"),
    (SCALARS, "max(x, max(y, z))", "max(x, y, z)"),
    (SCALARS, "[x, y]^T [x, y]", "[[x, y]] [x, y]"),
    (SCALARS, "[[x, 1], [1, x]]^1000", "[[x, 1], [1, x]]^1000"),
    (SCALARS, "[[1, 2], [3, 4]]^2", "[[7, 10], [15, 22]]"),
]


@pytest.mark.parametrize("table, text, shown", RENDERED, ids=[row[1] for row in RENDERED])
def test_render(table, text, shown):
    value = parse(text, table)
    assert render(value) == shown
    assert parse(shown, table) == value


def _corpus_forms():
    seen = {}
    for pair in PAIRS:
        for text in (pair.answer, pair.canonical):
            seen.setdefault((pair.table, text), None)
    return list(seen)


@pytest.mark.parametrize("table_name, text", _corpus_forms(), ids=lambda v: str(v))
def test_render_round_trip_over_the_corpus(table_name, text):
    table = SymbolTable(TABLES[table_name])
    value = parse(text, table)
    again = parse(render(value), table)
    assert again == value or compare(again, value, table).equivalent


# ------------------------------------------------------------------ what a student is told

ERRORS = [
    # (table, text, error class, words the message must contain, column)
    (SCALARS, "X + 1", ExprError, ["unknown name 'X'", "did you mean 'x'?", "case-sensitive",
                                   "names you can use: W_13, a, b, k, lambda, phi_0, theta, x, y, z"], 1),
    (SCALARS, "x + Theta", ExprError, ["unknown name 'Theta'", "did you mean 'theta'?"], 5),
    (SCALARS, "x + q", ExprError, ["unknown name 'q'", "names you can use: W_13"], 5),
    (SymbolTable(), "x", ExprError, ["none: this answer must be a number"], 1),
    (ALGEBRA, "A X", ShapeMismatch, ["cannot multiply a matrix (n×n) by a matrix (m×n)",
                                     "the inner sizes n and m differ"], 3),
    (ALGEBRA, "x^T X", ShapeMismatch, ["a row vector (1×n)", "a matrix (m×n)"], 5),
    (ALGEBRA, "x + A", ShapeMismatch, ["cannot add a column vector (n×1) and a matrix (n×n)"], 3),
    (ALGEBRA, "x y", ShapeMismatch, ["cannot multiply a column vector (n×1) by a column vector (n×1)"], 3),
    (ALGEBRA, "tr(x)", ShapeMismatch, ["tr() needs a square matrix, got a column vector (n×1)"], 1),
    (ALGEBRA, "inv(X)", ShapeMismatch, ["inv() needs a square matrix, got a matrix (m×n)"], 1),
    (ALGEBRA, "X^2", ShapeMismatch, ["cannot raise a matrix (m×n) to a power: it is not square"], 2),
    (ALGEBRA, "1/A", ShapeMismatch, ["cannot divide by a matrix"], 2),
    (ALGEBRA, "a ∘ X", ShapeMismatch, ["elementwise product needs equal shapes"], 3),
    (ALGEBRA, "I", ExprError, ["cannot tell the size of I"], None),
    (SCALARS, "x'", ExprError, ["' means transpose, and this is not a matrix or vector"], 2),
    (SCALARS, "x + * y", ExprError, ["unexpected '*'"], 5),
    (SCALARS, "x +", ExprError, ["the expression ends too early"], 4),
    (SCALARS, "(x + 1", ExprError, ["'(' is never closed"], 1),
    (SCALARS, "x + 1)", ExprError, ["unmatched ')'"], 6),
    (SCALARS, "[x + 1)", ExprError, ["unmatched ')'"], 7),
    (SCALARS, "2 3", ExprError, ["two numbers side by side"], 3),
    (SCALARS, "y =", ExprError, ["unexpected character '='", "write the answer after '='"], 3),
    (SCALARS, "x < 3", ExprError, ["unexpected character '<'", "not a comparison"], 3),
    (SCALARS, "$x", ExprError, ["leave out the $ signs"], 1),
    (SCALARS, "92.5%", ExprError, ["unexpected character '%'", "92.5% is 0.925"], 5),
    (SCALARS, "1,5", ExprError, ["unexpected ','", "write decimals with a point"], 2),
    (SCALARS, "x + 1,5", ExprError, ["unexpected ','", "write decimals with a point"], 6),
    (SCALARS, "x, y", ExprError, ["unexpected ','"], 2),
    (SCALARS, "x # y", ExprError, ["unexpected character '#'"], 3),
    (SCALARS, "sin", ExprError, ["'sin' is a function: give it an argument, e.g. sin(x)"], 1),
    (SCALARS, "x + sin", ExprError, ["'sin' is a function"], 5),
    (SCALARS, "sin + x", ExprError, ["'sin' is a function"], 1),
    (SCALARS, "", ExprError, ["the answer is empty"], None),
    (SCALARS, "   ", ExprError, ["the answer is empty"], None),
    (SCALARS, "1/0", ExprError, ["undefined"], 1),
    (SCALARS, "x + 2/(x - x)", ExprError, ["undefined"], 5),
    (SCALARS, "log(0)", ExprError, ["undefined"], 1),
    (SCALARS, "atan(1/0)", ExprError, ["undefined"], 6),
    (SCALARS, "sqrt(-1)", ExprError, ["not a real number"], None),
    (SCALARS, "\\frac10", ExprError, ["division by zero"], 1),
    (SCALARS, "inv([[1, 2], [2, 4]])", ExprError, ["not invertible"], 1),
    (SCALARS, "[[1, 2], [3]]", ExprError, ["rows of a literal matrix must have the same length"], 1),
    (SCALARS, "max(x)", ExprError, ["max() takes 2 or more arguments, got 1"], 1),
    (SCALARS, "sin(x, y)", ExprError, ["sin() takes 1 argument, got 2"], 1),
    (SCALARS, "log_3(a)", ExprError, ["unknown name 'log_3'", "a logarithm in base 3 is log(x, 3)"], 1),
    (SCALARS, "\\sqrt[x]{y}", ExprError, ["needs a whole number n from 2 to 100"], 1),
    (SCALARS, "x^1001", LimitExceeded, ["exponent is too large (limit 1000)"], 2),
    (SCALARS, "201!", LimitExceeded, ["factorial needs a whole number from 0 to 200"], 4),
    (SCALARS, "2^999 2^999", LimitExceeded, ["a number in this answer is too large"], None),
    (SCALARS, "(x^2)^501", LimitExceeded, ["exponent is too large"], 6),
    (SCALARS, "1" * 61, LimitExceeded, ["number has too many digits (limit 60)"], 1),
]


@pytest.mark.parametrize("table, text, cls, words, column", ERRORS, ids=[repr(row[1]) for row in ERRORS])
def test_error_message(table, text, cls, words, column):
    with pytest.raises(cls) as caught:
        parse(text, table)
    for word in words:
        assert word in caught.value.reason
    assert caught.value.column == column


def test_caret_points_at_the_column():
    with pytest.raises(ExprError) as caught:
        parse("x + * y", SCALARS)
    assert str(caught.value) == "unexpected '*' at column 5:\n    x + * y\n        ^"
    assert caught.value.located() == str(caught.value)


def test_caret_under_the_second_operand_of_a_bad_product():
    with pytest.raises(ShapeMismatch) as caught:
        parse("A X + B", ALGEBRA)
    assert caught.value.located().splitlines()[1:] == ["    A X + B", "      ^"]


def test_caret_counts_characters_not_bytes():
    with pytest.raises(ExprError) as caught:
        parse("σ(z) + λ + q", SCALARS)
    assert caught.value.column == 12
    assert caught.value.located().endswith("\n    σ(z) + λ + q\n               ^")


def test_non_text_is_refused():
    with pytest.raises(ExprError, match="expected text"):
        parse(3, SCALARS)


@pytest.mark.parametrize("declarations, message", [
    ({"x": "complex"}, "unknown kind 'complex'"),
    ({"x": "vector"}, "write vector(m)"),
    ({"x": "real(3)"}, "takes no size"),
    ({"2x": "real"}, "cannot be used as a name"),
])
def test_bad_declarations(declarations, message):
    with pytest.raises(ExprError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SymbolTable(declarations)
