"""Reader hunt 2: misreads of what students type, each row labelled from standard notation (what a
TA reads), never from the grader's output. REFUSED rows are texts with two common readings: the
reader must refuse them with a hint naming both, not pick one silently. MUST_READ rows compare the
reading with a plain-syntax reference through the independent oracle tests/reading_oracle.py."""

from __future__ import annotations

import pytest

from grader.expr import ExprError, SymbolTable, read

from .reading_oracle import same_function

TABLES = {
    "S": SymbolTable({"x": "real", "y": "real", "z": "real", "a": "real", "b": "real", "beta": "real"}),
    "N": SymbolTable({}),  # a number part: no names
    "L": SymbolTable({"l": "real", "e": "real", "x": "real"}),  # a length l beside a name e
    "ELL": SymbolTable({"ell": "real", "x": "real", "Delta": "real"}),
    "V": SymbolTable({"x": "vector(n)", "y": "vector(n)", "z": "vector(n)", "A": "matrix(n, n)",
                      "B": "matrix(n, n)", "c": "real"}),
}

REFUSED = [
    # `x^1/2` is refused (a root, or x/2?); a factor after the 2 changes neither reading's doubt:
    # it was read as x/(2y) or x y/2, never as the root the student most likely meant
    ("S", "x^1/2y", ["^(1/2)"]),
    ("S", "x^1/2 y", ["^(1/2)"]),
    ("S", "x^-1/2y", ["^(-1/2)"]),
    # an unbraced number exponent of e or of a number glued to a name: e^(2x) or e^2 x? (as e^-2x)
    ("S", "e^2x", ["^(2x", "^(2) x"]),
    ("S", "2e^3x", ["^(3x", "^(3) x"]),
    ("S", "2^3x", ["^(3x"]),
    ("S", "10^2y", ["^(2y"]),
    # a bracket after a function's unbracketed argument: sin(x (1 + x)) or sin(x) (1 + x)?
    ("S", "sin x (1 + x)", ["sin(", ") ("]),
    ("S", "sigma z (1 - sigma z)", ["sigma("]),
    ("S", "ln x (x + 1)", ["ln("]),
    ("S", "x sin x (1 - x)", ["sin("]),
    ("S", "\\sin x (1 + x)^2", ["sin("]),
    # LaTeX shows 2\frac{1}{2} as 2½, a mixed number, yet it also arises as 2·½ (a derivative
    # left unsimplified): refused, as `3 1/2` is
    ("S", "2\\frac{1}{2}", ["5/2", "\\cdot"]),
    ("S", "2 \\frac{1}{2}", ["5/2"]),
    ("S", "-3\\tfrac{1}{4} x", ["13/4"]),
    ("S", "2\\frac12", ["5/2"]),
    # n!! is the double factorial (5!! = 15), never (5!)!
    ("S", "5!!", ["double factorial", "(n!)!"]),
    ("S", "x!!", ["double factorial"]),
    # MATLAB's .^ on a vector takes whole powers only (as x_i^2 in a sum)
    ("V", "x.^0.5", ["whole powers"]),
    ("V", "x.^c", ["whole powers"]),
    # numpy's A**2 squares each entry; in math (and sympy) it is A·A: a matrix under ** is refused
    ("V", "A**2", ["A^2", "A.^2"]),
    ("V", "(A + B)**2", ["numpy"]),
    ("V", "A**-1", ["numpy"]),
    # an index typed as in code, on a name that has no entries to pick: never x·1 = x, or -x for x[-1]
    ("V", "x[1]", ["x[1]", "entry"]),
    ("V", "2 x[0] + c", ["x[0]"]),
    ("V", "x[-1]", ["x[-1]"]),
    ("V", "\\mathbf{x}[1]", ["entry"]),
    ("S", "x[1]", ["entry"]),
    ("S", "y[1, 2]", ["y[1, 2]"]),
    # a decimal with a bracketed whole number glued on is an uncertainty (1.23 ± 0.04) or a
    # repeating decimal in print, never 1.23·4
    ("N", "1.23(4)", ["uncertainty", "* to multiply"]),
    ("N", "0.1(6)", ["repeating"]),
    # x between numbers is a times sign typed on a phone: the unknown name says so
    ("N", "6.02 x 10^23", ["6.02*10^23"]),
    ("N", "6.02x10^23", ["6.02e23"]),
    # e-notation with a sign glued to a name: 0.002·x in code, 2e - 3x in a calculus answer
    ("S", "2e-3x", ["2*10^(-3) x", "2e - 3x"]),
    ("S", "y + 1e+2x", ["1*10^(+2) x"]),
    ("S", "2e-3sin(x)", ["2e - 3sin"]),
    # a LaTeX command is one word, never split into letters: \ell with no such name is unknown
    ("S", "\\ell", ["unknown name 'ell'"]),
    ("L", "\\lee", ["unknown name 'lee'"]),
    # a glued exponent raised again: e^x·e^y as typed, never the tower e^(x e^y)
    ("S", "e^xe^y", ["^(xe^y)", "e^x e^y"]),
    ("S", "x^ae^x", ["^(ae^x)"]),
    ("S", "2^xy^2", ["^(xy^2)"]),   # l e e were it typed without the backslash
]

MUST_READ = [
    # the same texts with the brackets that settle them
    ("S", "x^(1/2) y", "sqrt(x)*y"),
    ("S", "x^1 / (2 y)", "x/(2*y)"),
    ("S", "e^(2x)", "exp(2*x)"),
    ("S", "e^2 x", "exp(2)*x"),
    ("S", "e^{2x}", "exp(2*x)"),
    ("S", "e^{2}x", "exp(2)*x"),
    ("S", "x^2y", "x**2*y"),        # a monomial: a name's power glued to a name stays x² y
    ("S", "4x^2y", "4*x**2*y"),
    ("S", "sin(x)(1 + x)", "sin(x)*(1 + x)"),
    ("S", "sin(x (1 + x))", "sin(x*(1 + x))"),
    ("S", "sin x \\cdot (1 + x)", "sin(x)*(1 + x)"),
    ("S", "\\sin{x}(1 + x)", "sin(x)*(1 + x)"),
    ("S", "sin 2x", "sin(2*x)"),
    ("S", "sin x y", "sin(x*y)"),
    ("S", "sigma(z)(1 - sigma(z))", "(1/(1 + exp(-z)))*(1 - 1/(1 + exp(-z)))"),
    ("S", "2 \\cdot \\frac{1}{2}", "1"),
    ("S", "x\\frac{1}{2}", "x/2"),
    ("S", "2\\frac{x}{2}", "x"),
    ("S", "(3!)!", "720"),
    ("S", "(x!)!", "factorial(factorial(x))"),
    ("S", "\\frac52", "5/2"),
    # valid notations that were refused: a bracketed function power, the natural log's base e
    ("S", "sin^(-1)(x/4)", "asin(x/4)"),
    ("S", "cos^(-1) (x/4)", "acos(x/4)"),
    ("S", "sin^(2)(x) + cos^(2)(x)", "sin(x)^2 + cos(x)^2"),
    ("S", "tanh^(2) x", "tanh(x)^2"),
    ("S", "log_e x", "ln(x)"),
    ("S", "\\log_e x", "ln(x)"),
    ("S", "\\log_{e}(x^2)", "ln(x^2)"),
    ("S", "2log_e x", "2 ln(x)"),
    ("S", "x log_e(x)", "x ln(x)"),
    # MATLAB's elementwise operators and transpose: on vectors entry by entry, on numbers as usual
    ("V", "x .* y", "x \\odot y"),
    ("V", "A.*B", "A \\odot B"),
    ("V", "sum(x.^2)", "sum(x \\odot x)"),
    ("V", "(x.*y).^2", "x \\odot y \\odot x \\odot y"),
    ("V", "A.^3", "A \\odot A \\odot A"),
    ("V", "x.'*A*x", "x^T A x"),
    ("V", "x./c", "x/c"),
    ("S", "x.^2", "x^2"),
    ("S", "x.*y./z", "x*y/z"),
    ("S", "2.^x", "2^x"),
    ("S", "1./x", "1/x"),
    ("V", "(x.T @ x)**2", "(x^T x)^2"),   # a 1×1 product is a number: ** is its square either way
    ("V", "c**2 x", "c^2 x"),
    ("V", "A^2", "A A"),
    # a run of Unicode superscripts with a sign inside shows a sum: x²⁺¹ is x³, never x²
    ("S", "x²⁺¹", "x^3"),
    ("S", "x²⁻¹", "x"),
    ("S", "2³⁻¹ x", "4x"),
    ("S", "e⁻¹⁺²", "e"),
    ("S", "x²³", "x^23"),
    # square brackets as grouping stay so
    ("S", "x[1 + y]", "x*(1 + y)"),
    ("S", "2[x + 1]", "2*(x + 1)"),
    ("S", "x [2]", "2*x"),
    ("N", "2(3)", "6"),             # whole numbers: a product, as always
    ("N", "1.5 (2)", "3"),          # spaced: a product
    ("N", "1.5(2 + 1)", "4.5"),
    ("S", "6.02 x 10^3", "6.02*x*10^3"),   # where x is a name, it is x
    # display marks from Overleaf change no value
    ("V", "\\sum\\limits_{i=1}^n x_i", "sum(x)"),
    ("V", "\\sum\\nolimits_i x_i y_i", "x^T y"),
    ("V", "x^T y \\nonumber", "x^T y"),
    ("S", "2e-3 x", "0.002 x"),      # spaced, or unsigned, it is a number
    ("S", "2e3x", "2000 x"),
    ("S", "2e - 3x", "2e - 3x"),
    ("S", "x/2e-3", "x/0.002"),
    # \ell, ℓ and l are one letter: whichever of l and ell is declared (was e·l·l for \ell)
    ("L", "\\ell x", "l*x"),
    ("L", "ℓ x", "l*x"),
    ("ELL", "\\ell x", "ell*x"),
    ("ELL", "ℓ x", "ell*x"),
    ("S", "\\beta b", "beta*b"),
    # the power before the norm's subscript, as \\|x\\|^2_2 already was: plain and Unicode bars
    ("V", "||x||^2_2", "x^T x"),
    ("V", "||x - y||^{2}_{2}", "(x - y)^T (x - y)"),
    ("V", "‖x‖²₂", "x^T x"),
    ("V", "||A||^2_F", "tr(A^T A)"),
    ("ELL", "∆ x", "Delta*x"),       # U+2206, as a Mac keyboard types Δ
    ("S", "e^x e^y", "exp(x)*exp(y)"),
    ("S", "e^{xe^y}", "exp(x*exp(y))"),
    ("S", "e^x^2", "exp(x^2)"),          # right-associative, as written
    ("S", "e^xy", "exp(x*y)"),
    # Word and phone symbols: x^ᵀ is a transpose as x^⊤ is; a bullet between factors is a dot, one
    # in front of the answer a list marker
    ("V", "x^ᵀy", "x^T y"),
    ("V", "x^{ᵀ}A x", "x^T A x"),
    ("V", "x•y", "x^T y"),
    ("S", "2•x", "2x"),
    ("S", "• x + 1", "x + 1"),
]

# a whole number before a vulgar fraction from a phone or Word is a mixed number: 2½ is 5/2, and
# the student is told how it was read
MIXED = [
    ("2½", "5/2", True),
    ("2 ½", "5/2", True),
    ("-3¾", "-15/4", True),
    ("１½", "3/2", True),
    ("10½ x", "(21/2)*x", True),
    ("½", "1/2", False),
    ("x½", "x/2", False),          # not after a number: a product
    ("x^2½", "x**2/2", False),     # a power's digits are no whole number
    ("1.5½", "3/4", False),        # a decimal is no whole number either
]


def _reference(table, text):
    return read(text, TABLES[table]).value


@pytest.mark.parametrize("table, text, parts", REFUSED, ids=[r[1] for r in REFUSED])
def test_ambiguous_text_is_refused_with_both_readings(table, text, parts):
    with pytest.raises(ExprError) as caught:
        read(text, TABLES[table])
    message = str(caught.value)
    for part in parts:
        assert part in message, message


@pytest.mark.parametrize("table, text, reference", MUST_READ, ids=[r[1] for r in MUST_READ])
def test_reads_as_written(table, text, reference):
    parsed = read(text, TABLES[table])
    assert parsed.alternative is None and not parsed.divided_first
    assert same_function(parsed.value, _reference(table, reference), TABLES[table])


@pytest.mark.parametrize("text, reference, mixed", MIXED, ids=[r[0] for r in MIXED])
def test_a_mixed_number_is_read_as_one(text, reference, mixed):
    parsed = read(text, TABLES["S"])
    assert same_function(parsed.value, _reference("S", reference), TABLES["S"])
    assert any("mixed number" in note for note in parsed.notes) == mixed, parsed.notes


PIPELINE = [
    # through `grade submit`: part, the answer line as written, status, feedback contains
    ("chain", "chain = '11½ - ½'", "correct", "mixed number"),       # 11·½ - ½ would be 5
    ("chain", "chain = '5½ + 5½'", "correct", "mixed number"),
    ("chain", "chain = '22\\frac{1}{2}'", "invalid", "mixed number"),
    ("half", "half = 'x^1/2 1'", "invalid", "^(1/2)"),
    ("half", "half = 'e^0x/2'", "invalid", "^(0x"),
]


@pytest.mark.parametrize("part, line, status, feedback", PIPELINE, ids=[p[1] for p in PIPELINE])
def test_graded_through_submit(tmp_path, part, line, status, feedback):
    from .test_reader_table import _submit

    graded = _submit(tmp_path, line + "\n")[part]
    assert graded["status"] == status, graded
    assert feedback in graded["feedback"], graded


TWO_WAYS = [
    # (text, juxtaposition first, division first): a sign before the product changes nothing
    ("1/-2x", "-1/(2x)", "-x/2"),
    ("x/-y z", "-x/(y z)", "-x z/y"),
    ("1/+2x", "1/(2x)", "x/2"),
]


@pytest.mark.parametrize("text, together, divided", TWO_WAYS, ids=[r[0] for r in TWO_WAYS])
def test_a_signed_product_after_a_division_reads_two_ways(text, together, divided):
    parsed = read(text, TABLES["S"])
    assert same_function(parsed.value, _reference("S", together), TABLES["S"])
    assert same_function(parsed.alternative, _reference("S", divided), TABLES["S"])
