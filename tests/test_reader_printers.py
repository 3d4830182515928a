"""Round trips through other printers: what sympy's LaTeX and str printers write (as students paste
from a CAS, Overleaf or a notebook) reads back as the same function, and so does our own echo.

Equality is judged here with sympy alone (substitution and evalf at random rational points), not
with the grader's equivalence layer."""

from __future__ import annotations

import random
import re

import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from grader.expr import LimitExceeded, SymbolTable, read, render

X, Y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
Z = sp.Symbol("z", positive=True)
TABLE = SymbolTable({"x": "real", "y": "real", "z": "positive"})

LEAVES = st.sampled_from([X, Y, Z, sp.Integer(2), sp.Integer(3), sp.Rational(1, 2), sp.Rational(-3, 4), sp.pi, sp.E])
UNARY = [sp.sin, sp.cos, sp.tanh, sp.exp, sp.Abs, sp.atan, lambda a: sp.sqrt(a**2 + 1), lambda a: sp.log(a**2 + 1)]


def _extend(children):
    binary = st.tuples(st.sampled_from(["+", "-", "*", "/", "max"]), children, children).map(_combine)
    power = st.tuples(children, st.integers(min_value=-3, max_value=4)).map(_power)
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda p: p[0](p[1]))
    return binary | power | unary


def _power(pair):
    base, exponent = pair
    return base**exponent if exponent >= 0 else 1 / (base**2 + 1) ** -exponent  # never 1/0


def _combine(parts):
    op, a, b = parts
    if op == "/":
        return a / (b**2 + 1)  # never a division by zero
    if op == "max":
        return sp.Max(a, b)
    return {"+": a + b, "-": a - b, "*": a * b}[op]


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=6)


def _value(expr, point):
    value = sp.N(expr.subs(point), 30)
    return complex(value) if value.is_number else None


def _same_function(a, b) -> bool:
    """Equal at 12 random rational points where a has a finite real value (sympy arithmetic only)."""
    rng = random.Random(str(a))
    checked = 0
    for _ in range(40):
        point = {X: sp.Rational(rng.randint(-300, 300), 100), Y: sp.Rational(rng.randint(-300, 300), 100),
                 Z: sp.Rational(rng.randint(1, 300), 100)}
        want = _value(a, point)
        if want is None or want.imag or abs(want) > 1e12 or want != want:
            continue
        got = _value(b, point)
        if got is None or abs(got - want) > 1e-9 * max(1.0, abs(want)):
            return False
        checked += 1
        if checked == 12:
            return True
    return True  # real and finite nowhere we looked: nothing to compare


def _readback(text: str, original) -> None:
    try:
        value = read(text, TABLE).value
    except LimitExceeded:
        assume(False)  # over a documented cap (e^{e^8}: an exponent over 1000), refused on purpose
    assert _same_function(original, value), f"{text!r} read as {render(value)!r}"
    echo = render(value)
    assert _same_function(original, read(echo, TABLE).value), f"echo {echo!r} of {text!r} reads differently"


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(EXPRESSIONS, st.sampled_from(["{}", "${}$", "$$ {} $$", "\\({}\\)", "\\[ {} \\]", "\\boxed{{{}}}"]))
def test_sympy_latex_reads_back(expr, wrapping):
    """As pasted from Overleaf, MathJax or Markdown: inside $…$, $$…$$, \\(…\\), \\[…\\] or a box."""
    _readback(wrapping.format(sp.latex(expr)), expr)


@SETTINGS
@given(EXPRESSIONS)
def test_sympy_str_reads_back(expr):
    """Python syntax as sympy prints it: `**`, `*`, `Abs`, `Max`, `exp` (sympy's `E` is our `e`)."""
    _readback(re.sub(r"\bE\b", "e", sp.sstr(expr)), expr)
