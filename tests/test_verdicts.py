"""Verdicts you can trust: adversarial wrong answers are refused and equal rewrites accepted.

Every row's label is computed here, independently of the grader: scalar rows with mpmath at
30 digits on a dense grid of the whole domain (magnitudes 10^-4 to 10^4, both signs; integers
to 3000), matrix rows with numpy at every size from 1 to 10, numbers and significant figures
with Python's own decimal rounding. The grader's verdict must match the label.
"""

from __future__ import annotations

import json
import math
from functools import reduce

import mpmath
import sympy
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from grader.check import checker_for
from grader.check.expression import table_for
from grader.expr import ExprError, budget, parse
from grader.pipeline import grade_problem
from grader.loader import load_problem
from grader.model import Part
from grader.solve import Unsolved, solve

from .helpers import run, write
from .test_expr_properties import mixed_text, scalar_text

mpmath.mp.dps = 30

REAL = {"x": "real"}
POSITIVE = {"x": "positive"}
NATURAL = {"n": "natural"}
INTEGER = {"k": "integer"}
TWO = {"a": "real", "b": "real"}


def grade(kind: str, answer, canonical, **settings):
    """The status a student sees for `answer` in a part whose canonical answer is `canonical`."""
    part = Part(type=kind, answer="0", **settings)
    checker = checker_for(kind)
    if kind == "expression":
        canonical = parse(canonical, table_for(part))
    with budget(20.0):
        return checker.compare(checker.read(answer, part), canonical, part)


# ------------------------------------------------------------------ scalar labels, at 30 digits

def _grid(kind: str) -> list:
    magnitudes = [mpmath.mpf(10) ** (k / 20) for k in range(-80, 81)]
    if kind == "natural":
        return [mpmath.mpf(n) for n in list(range(1, 60)) + list(range(60, 3001, 37))]
    if kind == "integer":
        return [mpmath.mpf(s * n) for n in list(range(0, 60)) + list(range(60, 3001, 37)) for s in (1, -1)]
    if kind == "positive":
        return magnitudes + [mpmath.mpf(k) / 8 for k in range(1, 200)]
    return [s * m for m in magnitudes for s in (1, -1)] + [mpmath.mpf(k) / 8 for k in range(-160, 161)]


_GRIDS = {kind: _grid(kind) for kind in ("real", "positive", "natural", "integer")}


def _value(fn, point):
    """fn at a point, or None where it is undefined (a complex value, a division by zero)."""
    try:
        value = fn(point)
    except (ZeroDivisionError, ValueError, OverflowError):
        return None
    if isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
        return None
    return value


def equal_on_domain(student, canonical, kind: str) -> bool:
    """Equal, and defined, wherever the canonical answer is defined on the grid of the domain."""
    for point in _GRIDS[kind]:
        want = _value(canonical, point)
        if want is None:
            continue
        got = _value(student, point)
        if got is None or abs(got - want) > mpmath.mpf(10) ** -12 * max(abs(got), abs(want)) + mpmath.mpf(10) ** -20:
            return False
    return True


def relu(z):
    return max(z, 0)


def step(z):
    return mpmath.mpf(1) if z > 0 else mpmath.mpf(0) if z < 0 else mpmath.mpf(0.5)


def sign(z):
    return mpmath.sign(z)


def sigma(z):
    return 1 / (1 + mpmath.exp(-z))


def softplus(z):
    return mpmath.log(1 + mpmath.exp(z))


def sqrt(z):
    if z < 0:
        raise ValueError("sqrt of a negative number")
    return mpmath.sqrt(z)


def log(z):
    if z <= 0:
        raise ValueError("log of a non-positive number")
    return mpmath.log(z)


def _product(n, m):
    return reduce(lambda acc, i: acc * (n - i), range(1, m + 1), mpmath.mpf(1))


# (vars, student text, canonical text, student at a point, canonical at a point)
SCALAR_PAIRS = []


def pair(vars_, s_text, c_text, s_fn, c_fn):
    """A pair in both directions: which side is the canonical answer changes the label."""
    SCALAR_PAIRS.append((vars_, s_text, c_text, s_fn, c_fn))
    SCALAR_PAIRS.append((vars_, c_text, s_text, c_fn, s_fn))


for c in (3.5, -4, 4.75, -6.5, 12, -25, 150, 0.5):
    t, z = f"({c})", mpmath.mpf(c)
    pair(REAL, f"min(x, {t})", "x", lambda x, z=z: min(x, z), lambda x: x)
    pair(REAL, f"max(x, {t})", "x", lambda x, z=z: max(x, z), lambda x: x)
    pair(REAL, f"relu(x - {t}) + {t}", f"max(x, {t})", lambda x, z=z: relu(x - z) + z, lambda x, z=z: max(x, z))
    pair(REAL, f"abs(x - {t}) - {t}", f"x - 2 {t}", lambda x, z=z: abs(x - z) - z, lambda x, z=z: x - 2 * z)
    pair(REAL, f"(x - {t} + abs(x - {t}))/2", f"relu(x - {t})", lambda x, z=z: (x - z + abs(x - z)) / 2,
         lambda x, z=z: relu(x - z))
    pair(REAL, f"min(relu(x), {abs(c)})", "relu(x)", lambda x, z=z: min(relu(x), abs(z)), relu)
    pair(POSITIVE, f"x + relu(x - {abs(c)})", "x", lambda x, z=z: x + relu(x - abs(z)), lambda x: x)
    pair(REAL, f"step(x - {t})", f"(sign(x - {t}) + 1)/2", lambda x, z=z: step(x - z), lambda x, z=z: (sign(x - z) + 1) / 2)
    pair(REAL, f"max(x, {t}) + min(x, {t})", f"x + {t}", lambda x, z=z: max(x, z) + min(x, z), lambda x, z=z: x + z)

# a clamp or switch beyond the draws (which reach 10^3): a real name is every real number
for c in (1500, -2000, 5000, -9000):
    t, z = f"({c})", mpmath.mpf(c)
    pair(REAL, f"min(max(x, -{abs(c)}), {abs(c)})", "x", lambda x, z=z: min(max(x, -abs(z)), abs(z)), lambda x: x)
    pair(REAL, f"x + relu(x - {t})", "x", lambda x, z=z: x + relu(x - z), lambda x: x)
    pair(POSITIVE, f"min(x, {abs(c)})", "x", lambda x, z=z: min(x, abs(z)), lambda x: x)
    pair(REAL, f"x step(x - {t})", f"relu(x - {t}) + {t} step(x - {t})", lambda x, z=z: x * step(x - z),
         lambda x, z=z: relu(x - z) + z * step(x - z))
pair(NATURAL, "n + relu(n - 2000)", "n", lambda n: n + relu(n - 2000), lambda n: n)
pair(REAL, "min(sqrt(abs(x)), 60)", "sqrt(abs(x))", lambda x: min(mpmath.sqrt(abs(x)), 60), lambda x: mpmath.sqrt(abs(x)))
pair(REAL, "x max(1, abs(x)/5000)", "x", lambda x: x * max(1, abs(x) / 5000), lambda x: x)
pair(REAL, "x + relu(log(1 + x^2) - 16)", "x", lambda x: x + relu(mpmath.log(1 + x**2) - 16), lambda x: x)
pair(POSITIVE, "min(exp(sqrt(x)), 10^30)", "exp(sqrt(x))", lambda x: min(mpmath.exp(mpmath.sqrt(x)), mpmath.mpf(10) ** 30),
     lambda x: mpmath.exp(mpmath.sqrt(x)))
pair(INTEGER, "max(k, -1500)", "k", lambda k: max(k, -1500), lambda k: k)

# the issue's own examples, word for word
pair(REAL, "min(x, 3.5)", "x", lambda x: min(x, 3.5), lambda x: x)
pair(REAL, "max(x, -4)", "x", lambda x: max(x, -4), lambda x: x)
pair(REAL, "relu(x + 4) - 4", "x", lambda x: relu(x + 4) - 4, lambda x: x)
pair(REAL, "min(relu(x), 6)", "relu(x)", lambda x: min(relu(x), 6), relu)
pair(REAL, "abs(x + 5) - 5", "x", lambda x: abs(x + 5) - 5, lambda x: x)
pair(POSITIVE, "x + relu(x - 3.2)", "x", lambda x: x + relu(x - mpmath.mpf("3.2")), lambda x: x)
pair(REAL, "acos(cos x)", "abs(x)", lambda x: mpmath.acos(mpmath.cos(x)), abs)

for k in (1, 2, 3):
    pair(REAL, f"2 atan(tan(x/(2*{k})))", f"x/{k}", lambda x, k=k: 2 * mpmath.atan(mpmath.tan(x / (2 * k))), lambda x, k=k: x / k)
    pair(REAL, f"acos(cos({k} x))", f"{k} abs(x)", lambda x, k=k: mpmath.acos(mpmath.cos(k * x)), lambda x, k=k: k * abs(x))
    pair(REAL, f"asin(sin({k} x))", f"{k} x", lambda x, k=k: mpmath.asin(mpmath.sin(k * x)), lambda x, k=k: k * x)
    pair(REAL, f"sqrt(({k} x)^2)", f"{k} abs(x)", lambda x, k=k: mpmath.sqrt((k * x) ** 2), lambda x, k=k: k * abs(x))

for k in (50, 100, 1000, 10000):
    pair(REAL, f"sigma({k} x)", "step(x)", lambda x, k=k: sigma(k * x), step)
    pair(REAL, f"softplus({k} x)/{k}", "relu(x)", lambda x, k=k: softplus(k * x) / k, relu)
    pair(REAL, f"tanh({k} x)", "sign(x)", lambda x, k=k: mpmath.tanh(k * x), sign)

pair(REAL, "sigma(x)", "1/(1 + exp(-x))", sigma, lambda x: 1 / (1 + mpmath.exp(-x)))
pair(REAL, "softplus(x) - softplus(-x)", "x", lambda x: softplus(x) - softplus(-x), lambda x: x)
pair(REAL, "softplus(x)", "log(1 + exp(x))", softplus, lambda x: mpmath.log(1 + mpmath.exp(x)))
pair(REAL, "relu(x)", "max(x, 0)", relu, lambda x: max(x, 0))
pair(REAL, "relu(x) - relu(-x)", "x", lambda x: relu(x) - relu(-x), lambda x: x)
pair(REAL, "x^2 + 2x + 1", "(x + 1)^2", lambda x: x**2 + 2 * x + 1, lambda x: (x + 1) ** 2)
pair(REAL, "(x^2 - 1)/(x - 1)", "x + 1", lambda x: (x**2 - 1) / (x - 1), lambda x: x + 1)
pair(REAL, "atan(x) + atan(1/x)", "(pi/2) sign(x)", lambda x: mpmath.atan(x) + mpmath.atan(1 / x),
     lambda x: mpmath.pi / 2 * sign(x))
pair(REAL, "2 atan(x)", "atan(2x/(1 - x^2))", lambda x: 2 * mpmath.atan(x), lambda x: mpmath.atan(2 * x / (1 - x**2)))

for m in range(3, 10):
    pair(NATURAL, "n + " + "".join(f"(n - {i})" for i in range(1, m + 1)), "n",
         lambda n, m=m: n + _product(n, m), lambda n: n)
    pair(INTEGER, "k + (k^2 - 1)" + "".join(f"(k^2 - {i * i})" for i in range(2, m)), "k",
         lambda k, m=m: k + reduce(lambda acc, i: acc * (k * k - i * i), range(1, m), mpmath.mpf(1)), lambda k: k)
pair(NATURAL, "n(n+1)/2", "(n^2 + n)/2", lambda n: n * (n + 1) / 2, lambda n: (n**2 + n) / 2)
pair(NATURAL, "factorial(n+1)/factorial(n)", "n + 1", lambda n: mpmath.factorial(n + 1) / mpmath.factorial(n), lambda n: n + 1)
pair(INTEGER, "cos(pi k)", "(-1)^k", lambda k: mpmath.cos(mpmath.pi * k), lambda k: (-1) ** int(k))
pair(INTEGER, "(-1)^(2k)", "1", lambda k: mpmath.mpf((-1) ** (2 * int(k))), lambda k: mpmath.mpf(1))
pair(INTEGER, "k^3 - k", "(k-1) k (k+1)", lambda k: k**3 - k, lambda k: (k - 1) * k * (k + 1))
pair(INTEGER, "abs(k)", "k sign(k)", abs, lambda k: k * sign(k))

# the student's domain: the answer as written must be defined wherever the canonical one is
for vars_, kind in ((REAL, "real"), (POSITIVE, "positive")):
    for s_text, c_text, s_fn, c_fn in [
        ("sqrt(x)^2", "x", lambda x: sqrt(x) ** 2, lambda x: x),
        ("exp(log x)", "x", lambda x: mpmath.exp(log(x)), lambda x: x),
        ("e^{\\ln x}", "x", lambda x: mpmath.exp(log(x)), lambda x: x),
        ("sqrt(x)/sqrt(x)", "1", lambda x: sqrt(x) / sqrt(x), lambda x: mpmath.mpf(1)),
        ("(x^(1/4))^4", "x", lambda x: sqrt(sqrt(x)) ** 4, lambda x: x),
        ("log(x) - log(x) + x", "x", lambda x: log(x) - log(x) + x, lambda x: x),
        ("sqrt(x^2)", "abs(x)", lambda x: sqrt(x**2), abs),
        ("log(x^2)", "2 log(abs(x))", lambda x: log(x**2), lambda x: 2 * log(abs(x))),
        ("x/x", "1", lambda x: x / x, lambda x: mpmath.mpf(1)),
        ("sqrt(x) sqrt(x)", "x", lambda x: sqrt(x) * sqrt(x), lambda x: x),
        # float64 underflows in what the student wrote (x^60 at x = 10^-6 is 0): not a gap in its domain
        ("log(x^60)", "60 log(abs(x))", lambda x: log(x**60), lambda x: 60 * log(abs(x))),
        ("x^200/x^198", "x^2", lambda x: x**200 / x**198, lambda x: x**2),
        ("x^61/x^60", "x", lambda x: x**61 / x**60, lambda x: x),
    ]:
        pair(vars_, s_text, c_text, s_fn, c_fn)


def _scalar_id(row) -> str:
    vars_, s_text, c_text, *_ = row
    return f"{'/'.join(vars_.values())}: {s_text} vs {c_text}"


def test_the_tables_are_large():
    assert len(SCALAR_PAIRS) + len(MATRIX_PAIRS) + len(SMALL_NUMBERS) + len(FIGURES) >= 300
    labels = [equal_on_domain(s_fn, c_fn, next(iter(v.values()))) for v, _, _, s_fn, c_fn in SCALAR_PAIRS]
    assert 40 < sum(labels) < len(labels) - 100  # both directions: many refused, many accepted


@pytest.mark.parametrize("row", SCALAR_PAIRS, ids=_scalar_id)
def test_scalar_verdict(row):
    vars_, s_text, c_text, s_fn, c_fn = row
    equal = equal_on_domain(s_fn, c_fn, next(iter(vars_.values())))
    check = grade("expression", s_text, c_text, vars=vars_)
    assert check.status == ("correct" if equal else "incorrect"), check.feedback


# ------------------------------------------------------------------ matrices, at every size from 1 to 10

MATRIX_VARS = {"M": "matrix(n, n)", "A": "matrix(n, n)", "B": "matrix(n, n)", "S": "symmetric(n)",
               "X": "matrix(m, n)", "u": "vector(n)", "v": "vector(n)",
               "a": "vector(n)", "b": "vector(n)", "c": "vector(n)", "d": "vector(n)"}
_GRAM = "det([[a^T a, a^T b, a^T c, a^T d], [b^T a, b^T b, b^T c, b^T d], " \
        "[c^T a, c^T b, c^T c, c^T d], [d^T a, d^T b, d^T c, d^T d]])"


def _inv(m):
    if np.linalg.cond(m) > 1e10:
        raise np.linalg.LinAlgError("singular")
    return np.linalg.inv(m)


def _gram(w):
    vectors = [w["a"], w["b"], w["c"], w["d"]]
    return np.linalg.det(np.array([[(p.T @ q).item() for q in vectors] for p in vectors]))


def _ch3(M):
    tr = np.trace
    return M @ M @ M - tr(M) * M @ M + 0.5 * (tr(M) ** 2 - tr(M @ M)) * M


MATRIX_PAIRS = []


def mpair(s_text, c_text, s_fn, c_fn):
    MATRIX_PAIRS.append((s_text, c_text, s_fn, c_fn))
    MATRIX_PAIRS.append((c_text, s_text, c_fn, s_fn))


def _eye(w):
    return np.eye(w["M"].shape[0])


mpair("(tr(M) I - M)/det(M)", "inv(M)", lambda w: (np.trace(w["M"]) * _eye(w) - w["M"]) / np.linalg.det(w["M"]),
      lambda w: _inv(w["M"]))
mpair("(tr(X^T X) I - X^T X)/det(X^T X)", "inv(X^T X)",
      lambda w: (np.trace(w["X"].T @ w["X"]) * np.eye(w["X"].shape[1]) - w["X"].T @ w["X"]) / np.linalg.det(w["X"].T @ w["X"]),
      lambda w: _inv(w["X"].T @ w["X"]))
mpair("(tr(X X^T) I - X X^T)/det(X X^T)", "inv(X X^T)",
      lambda w: (np.trace(w["X"] @ w["X"].T) * np.eye(w["X"].shape[0]) - w["X"] @ w["X"].T) / np.linalg.det(w["X"] @ w["X"].T),
      lambda w: _inv(w["X"] @ w["X"].T))
mpair("M^2 - tr(M) M + det(M) I", "0 M", lambda w: w["M"] @ w["M"] - np.trace(w["M"]) * w["M"] + np.linalg.det(w["M"]) * _eye(w),
      lambda w: 0 * w["M"])
mpair("M^3 - tr(M) M^2 + 0.5 (tr(M)^2 - tr(M^2)) M", "det(M) I_n", lambda w: _ch3(w["M"]),
      lambda w: np.linalg.det(w["M"]) * _eye(w))
mpair("tr(M)^3 - 3 tr(M) tr(M^2) + 2 tr(M^3)", "6 det(M)",
      lambda w: np.trace(w["M"]) ** 3 - 3 * np.trace(w["M"]) * np.trace(w["M"] @ w["M"]) + 2 * np.trace(w["M"] @ w["M"] @ w["M"]),
      lambda w: 6 * np.linalg.det(w["M"]))
mpair("tr(M)^2 - tr(M^2)", "2 det(M)", lambda w: np.trace(w["M"]) ** 2 - np.trace(w["M"] @ w["M"]),
      lambda w: 2 * np.linalg.det(w["M"]))
mpair("u^T v + " + _GRAM, "u^T v", lambda w: (w["u"].T @ w["v"]).item() + _gram(w), lambda w: (w["u"].T @ w["v"]).item())
mpair("A ⊙ I", "A", lambda w: w["A"] * np.eye(len(w["A"])), lambda w: w["A"])
mpair("2 inv(S) - inv(S) ⊙ I", "2 inv(S) - I ⊙ inv(S)", lambda w: 2 * _inv(w["S"]) - _inv(w["S"]) * np.eye(len(w["S"])),
      lambda w: 2 * _inv(w["S"]) - _inv(w["S"]) * np.eye(len(w["S"])))
mpair("2 inv(S) - inv(S) ⊙ I", "inv(S)", lambda w: 2 * _inv(w["S"]) - _inv(w["S"]) * np.eye(len(w["S"])), lambda w: _inv(w["S"]))
mpair("inv(A B)", "inv(B) inv(A)", lambda w: _inv(w["A"] @ w["B"]), lambda w: _inv(w["B"]) @ _inv(w["A"]))
mpair("inv(A B)", "inv(A) inv(B)", lambda w: _inv(w["A"] @ w["B"]), lambda w: _inv(w["A"]) @ _inv(w["B"]))
mpair("tr(A B)", "tr(B A)", lambda w: np.trace(w["A"] @ w["B"]), lambda w: np.trace(w["B"] @ w["A"]))
mpair("(A B)^T", "B^T A^T", lambda w: (w["A"] @ w["B"]).T, lambda w: w["B"].T @ w["A"].T)
mpair("(A B)^T", "A^T B^T", lambda w: (w["A"] @ w["B"]).T, lambda w: w["A"].T @ w["B"].T)
mpair("det(A B)", "det(A) det(B)", lambda w: np.linalg.det(w["A"] @ w["B"]), lambda w: np.linalg.det(w["A"]) * np.linalg.det(w["B"]))
mpair("det(A + B)", "det(A) + det(B)", lambda w: np.linalg.det(w["A"] + w["B"]), lambda w: np.linalg.det(w["A"]) + np.linalg.det(w["B"]))
mpair("inv(A)^T", "inv(A^T)", lambda w: _inv(w["A"]).T, lambda w: _inv(w["A"].T))
mpair("X inv(X^T X) X^T X", "X", lambda w: w["X"] @ _inv(w["X"].T @ w["X"]) @ w["X"].T @ w["X"], lambda w: w["X"])
mpair("tr(u v^T)", "u^T v", lambda w: np.trace(w["u"] @ w["v"].T), lambda w: (w["u"].T @ w["v"]).item())
mpair("u v^T", "v u^T", lambda w: w["u"] @ w["v"].T, lambda w: w["v"] @ w["u"].T)


def _instances(rng):
    """Random instances at every size pair from 1 to 10."""
    for n in range(1, 11):
        for m in (1, 2, 3, 5, 8, 10):
            a = {name: rng.standard_normal((n, n)) for name in "MAB"}
            s = rng.standard_normal((n, n))
            a.update(S=s + s.T, X=rng.standard_normal((m, n)))
            a.update({name: rng.standard_normal((n, 1)) for name in "uvabcd"})
            yield a


def matrices_equal(s_fn, c_fn) -> bool:
    rng = np.random.default_rng(2026)
    for w in _instances(rng):
        try:
            want = np.asarray(c_fn(w), dtype=float)
        except np.linalg.LinAlgError:
            continue
        try:
            got = np.asarray(s_fn(w), dtype=float)
        except np.linalg.LinAlgError:
            return False
        scale = max(1.0, float(np.max(np.abs(want))))
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-7, atol=1e-9 * scale):
            return False
    return True


@pytest.mark.parametrize("row", MATRIX_PAIRS, ids=lambda row: f"{row[0]} vs {row[1]}")
def test_matrix_verdict(row):
    s_text, c_text, s_fn, c_fn = row
    check = grade("expression", s_text, c_text, vars=MATRIX_VARS)
    assert check.status == ("correct" if matrices_equal(s_fn, c_fn) else "incorrect"), check.feedback


# ------------------------------------------------------------------ small numbers: the tolerance scales with the value

SMALL_NUMBERS = []
for value in (1.602176634e-19, 3.5e-9, 6.62607015e-34, 9.1093837e-31, 2.2e-16, 1e-12, -4.2e-10, 7.5e-8):
    for answer in (0.0, -value, value * (1 + 4e-4), value * (1 - 4e-4), value * (1 + 3e-3), value * 1e3,
                   value / 2, 3.2e-19, 1e-9):
        SMALL_NUMBERS.append((answer, value))


@pytest.mark.parametrize("answer, value", SMALL_NUMBERS, ids=lambda v: f"{v:.4g}")
def test_small_numbers_are_judged_against_their_own_size(answer, value):
    right = abs(answer - value) <= 1e-3 * abs(value) * (1 + 1e-9)
    assert grade("number", answer, value).status == ("correct" if right else "incorrect")


@pytest.mark.parametrize("answer, expected, status", [
    ([3e-9, -5e-9], [3e-9, -5e-9], "correct"),
    ([-3e-9, 5e-9], [3e-9, -5e-9], "incorrect"),
    ([0.0, 0.0], [3e-9, -5e-9], "incorrect"),
    ([3e-9, 1e-11], [3e-9, 0.0], "incorrect"),   # a zero entry is measured against the array's size
    ([3e-9, 1e-15], [3e-9, 0.0], "correct"),
    ([1e-9, 0.0], [0.0, 0.0], "correct"),          # an all-zero answer keeps the absolute floor
])
def test_small_arrays(answer, expected, status):
    assert grade("array", answer, np.array(expected)).status == status


@pytest.mark.parametrize("answer, expected, settings, status", [
    # every value right, one written with too few figures: what that number alone earns
    (["1.2e-3", "2.50"], [0.0012, 2.5], {"sigfigs": 3}, "partial"),
    (["1.20e-3", "2.50"], [0.0012, 2.5], {"sigfigs": 3}, "correct"),
    (["1.2e-3", "2.60"], [0.0012, 2.5], {"sigfigs": 3}, "incorrect"),   # and one wrong: nothing
    (["-1.2e-3", "2.50"], [0.0012, 2.5], {"sigfigs": 3}, "incorrect"),
    (["0.33", "0.667"], [1 / 3, 2 / 3], {"decimals": 3}, "partial"),
    (["0.34", "0.667"], [1 / 3, 2 / 3], {"decimals": 3}, "incorrect"),
])
def test_an_array_earns_what_its_worst_entry_earns(answer, expected, settings, status):
    assert grade("array", answer, np.array(expected), **settings).status == status


# ------------------------------------------------------------------ significant figures and decimal places

def _notations(mantissa: str, exponent: int) -> list[str]:
    sup = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return [f"{mantissa}e{exponent}", f"{mantissa} \\times 10^{{{exponent}}}", f"{mantissa}×10{sup}",
            f"{mantissa}*10^{exponent}"]


def _rounded(value: float, figures: int) -> tuple[str, int]:
    """Python's own correctly rounded scientific form: (mantissa, exponent)."""
    mantissa, exponent = f"{value:.{figures - 1}e}".split("e")
    return mantissa, int(exponent)


def _truncated(value: float, figures: int) -> tuple[str, int]:
    mantissa, exponent = f"{value:.{figures + 8}e}".split("e")
    return mantissa[: figures + (1 if figures > 1 else 0) + (1 if mantissa.startswith("-") else 0)], int(exponent)


FIGURES = []
for value in (math.pi, 1 / 6, math.e, math.sqrt(2), 6.02214086e23, 1.602176634e-19, 2 / 3, 0.000123456789, 299792458.0):
    for figures in (3, 4, 5):
        for written, kind in ((_rounded(value, figures), "rounded"), (_truncated(value, figures), "truncated"),
                              (_rounded(value, figures - 1), "fewer"), (_rounded(value, figures + 2), "more")):
            for text in _notations(*written)[: 4 if kind == "rounded" else 2]:
                FIGURES.append((text, value, figures, kind, written))


@pytest.mark.parametrize("text, value, figures, kind, written", FIGURES, ids=lambda v: str(v)[:24])
def test_significant_figures_in_every_notation(text, value, figures, kind, written):
    check = grade("number", text, value, sigfigs=figures)
    if kind == "rounded" or kind == "more" or written == _rounded(value, figures):
        assert check.status == "correct", check.feedback
    elif kind == "fewer":
        assert (check.status, check.feedback) == ("partial", f"right value, but give {figures} significant figures")
    else:  # cut off where rounding changes the last digit
        assert check.status == "incorrect"
        assert check.feedback.startswith(f"not the value rounded to {figures} significant figures")


def test_more_figures_than_asked_can_be_refused():
    assert grade("number", "3.14159", math.pi, sigfigs=4).status == "correct"
    check = grade("number", "3.14159", math.pi, sigfigs=4, exact_digits=True)
    assert (check.status, check.feedback) == ("partial", "right value, but give exactly 4 significant figures")


# STACK's own examples (docs: Answer_Tests/Results/NumSigFigs.md and NumDecPlaces.md). STACK gives
# mark 0 to a right value with the wrong number of digits; here fewer digits get digits_credit and
# more are accepted (exact_digits = true makes them partial too).
STACK_SIGFIGS = [
    ("5.4e21", 5.3e21, 2, "incorrect"),
    ("5.3e21", 5.3e21, 2, "correct"),
    ("5.3e22", 5.3e22, 2, "correct"),
    ("5.3e20", 5.3e22, 2, "incorrect"),
    ("9.8", 10, 2, "correct"),
    ("9.5", 10, 2, "incorrect"),
    ("10.0", 10, 2, "correct"),             # STACK: wrong digits (3); accepted here: more digits, right value
    ("6.02214086e23", 6.02214086e23, 9, "correct"),
    ("6.0221409e23", 6.02214086e23, 9, "partial"),   # STACK: wrong digits and inaccurate; the right value to 8
    ("6.02214087e23", 6.02214086e23, 9, "incorrect"),
    ("3.141", math.pi, 4, "incorrect"),
    ("3.142", math.pi, 4, "correct"),
    ("0", 0, 1, "correct"),
    ("0.0", 0, 1, "correct"),
    ("0.00", 0, 2, "correct"),
    ("100", 100, 1, "correct"),
    ("100", 100, 3, "correct"),
    ("0.0010", 0.001, 2, "correct"),
]
STACK_DECIMALS = [
    ("3.14", 3.143, 2, "correct"),
    ("3.14", 3.14, 2, "correct"),
    ("3.140", 3.14, 3, "correct"),
    ("3141.5972", 3141.5972, 4, "correct"),
    ("4.14", 3.14, 2, "incorrect"),
    ("3.1416", math.pi, 4, "correct"),
    ("-7.3", -7.3, 1, "correct"),
    ("3.14", 3.143, 1, "correct"),          # STACK: wrong places; accepted here: more places, right value
    ("3.14", 3.14, 3, "partial"),           # too few places: digits_credit
    ("7.000", 7, 4, "partial"),
    ("7.0000", 7, 4, "correct"),
    ("8.0000", 7, 3, "incorrect"),
    ("4.000", 3.99999, 3, "correct"),
    ("0.10", 0.1, 2, "correct"),
]


@pytest.mark.parametrize("text, value, figures, status", STACK_SIGFIGS)
def test_stack_numsigfigs(text, value, figures, status):
    assert grade("number", text, value, sigfigs=figures).status == status


@pytest.mark.parametrize("text, value, places, status", STACK_DECIMALS)
def test_stack_numdecplaces(text, value, places, status):
    assert grade("number", text, value, decimals=places).status == status


@pytest.mark.parametrize("text, value, settings", [("10.0", 10, {"sigfigs": 2}), ("3.14", 3.143, {"decimals": 1})])
def test_stack_wrong_digits_with_exact_digits(text, value, settings):
    """STACK's two "wrong digits" cases above: too many digits, partial once exact_digits asks."""
    assert grade("number", text, value, exact_digits=True, **settings).status == "partial"


# A tie on the decimal value (2.45 to two figures, 0.05 to one place) rounds half up or half even,
# whether or not the float happens to sit on the tie (2.5 and 0.125 do; 2.45 and 0.05 do not).
# Labels: Python's decimal module on the value as written, in both rounding modes, and Python's
# format of the float, which the grader also accepts (0.015 is a hair under the tie).
def _tie_rows():
    from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
    rows = []
    for text, figures in (("2.45", 2), ("2.5", 1), ("0.125", 2), ("-2.45", 2), ("1.0005", 4), ("6.65e-30", 2),
                          ("8.35e30", 2), ("0.015", 1), ("12.5", 2), ("-0.0025", 1)):
        exact = Decimal(text)
        unit = Decimal(1).scaleb(exact.adjusted() - figures + 1)
        right = {exact.quantize(unit, rounding=mode) for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)}
        right.add(Decimal(f"{float(text):.{figures - 1}e}"))  # Python's format of the float (0.015 is 0.01)
        for answer in sorted(right | {min(right) - unit, max(right) + unit, -max(right)}):
            rows.append((f"{answer:.{figures - 1}e}", float(text), figures, answer in right))
    return rows


@pytest.mark.parametrize("text, value, figures, right", _tie_rows())
def test_a_decimal_tie_rounds_either_way(text, value, figures, right):
    assert grade("number", text, value, sigfigs=figures).status == ("correct" if right else "incorrect")


@pytest.mark.parametrize("text, value, places, status", [
    ("0.0", 0.05, 1, "correct"), ("0.1", 0.05, 1, "correct"), ("-0.1", 0.05, 1, "incorrect"),
    ("2.67", 2.675, 2, "correct"), ("2.68", 2.675, 2, "correct"), ("2.66", 2.675, 2, "incorrect"),
    ("-0.12", -0.125, 2, "correct"), ("-0.13", -0.125, 2, "correct"), ("0.12", -0.125, 2, "incorrect"),
    ("1.2", 1.25, 1, "correct"), ("1.3", 1.25, 1, "correct"), ("1.1", 1.25, 1, "incorrect"),
])
def test_a_decimal_tie_to_places_rounds_either_way(text, value, places, status):
    assert grade("number", text, value, decimals=places).status == status


# ------------------------------------------------------------------ property: a term that vanishes on the window

VANISHING = [  # zero for every x in [-3, 3] (or n <= 8), not elsewhere
    "relu(x - 3.5)", "relu(-x - 4)", "relu(abs(x) - 3.25)", "(x - 3.5) step(x - 3.5)",
    "max(x, 3.75) - 3.75", "min(x, -3.5) + 3.5", "relu(x^2 - 10)", "0.001 relu(x - 50)",
]
BASES = st.sampled_from(["x", "x^2 + 1", "sin(x)", "exp(x/10)", "sigma(x)", "x^3 - 2x", "cos(x) + x", "tanh(x) x"])
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=60,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(BASES, st.sampled_from(VANISHING), st.sampled_from(["+", "-"]))
def test_a_term_vanishing_on_the_window_is_refused(base, term, op):
    assert grade("expression", f"{base} {op} {term}", base, vars=REAL).status == "incorrect"


GENERATED_VARS = {"x": "real", "y": "real", "a": "positive", "k": "integer"}
_OUTSIDE = [5, 8, 12, 40, -5, -8, -40]


def _alive(base: str, term: str) -> bool:
    """Whether base and term are both real at 3 or more points outside the window (y, a, k held),
    with the term not negligible there: sympy's own evaluation at 30 digits, not the grader's."""
    table = table_for(Part(type="expression", answer="0", vars=GENERATED_VARS))
    expr, extra = parse(base, table), parse(term, table)
    held = {table.lookup("y").obj: 0.5, table.lookup("a").obj: 1.5, table.lookup("k").obj: 2}
    alive = 0
    for x in _OUTSIDE:
        subs = {**held, table.lookup("x").obj: x}
        value, delta = expr.subs(subs).evalf(30), extra.subs(subs).evalf(30)
        if value.is_real and value.is_finite and delta.is_real and abs(delta) > 1e-6 * (1 + abs(value)):
            alive += 1
    return alive >= 3


@settings(derandomize=True, database=None, deadline=None, max_examples=80,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(scalar_text(depth=3), st.sampled_from(VANISHING))
def test_a_generated_answer_plus_a_term_vanishing_on_the_window_is_refused(base, term):
    try:
        assume(_alive(base, term))
    except ExprError:
        assume(False)
    assert grade("expression", f"{base} + {term}", base, vars=GENERATED_VARS).status == "incorrect"


@PROPERTY
@given(st.sampled_from(["n", "n^2", "2^n", "n (n + 1)/2"]), st.integers(3, 8))
def test_a_term_vanishing_at_small_integers_is_refused(base, m):
    term = "".join(f"(n - {i})" for i in range(1, m + 1))
    assert grade("expression", f"{base} + {term}", base, vars=NATURAL).status == "incorrect"


@PROPERTY
@given(st.sampled_from(["u^T v", "tr(A)", "det(A) + 1", "u^T A v"]),
       st.sampled_from(["det([[u^T u, u^T v, u^T w], [v^T u, v^T v, v^T w], [w^T u, w^T v, w^T w]])"
                        " - det([[u^T u, u^T v, u^T w], [v^T u, v^T v, v^T w], [w^T u, w^T v, w^T w]])",
                        _GRAM,
                        "tr(A)^3 - 3 tr(A) tr(A^2) + 2 tr(A^3) - 6 det(A)"]))
def test_a_term_vanishing_for_small_sizes_is_refused(base, term):
    vars_ = {"A": "matrix(n, n)", "u": "vector(n)", "v": "vector(n)", "w": "vector(n)",
             "a": "vector(n)", "b": "vector(n)", "c": "vector(n)", "d": "vector(n)"}
    status = grade("expression", f"{base} + {term}", base, vars=vars_).status
    assert status == ("correct" if term.count("det(") == 2 else "incorrect")


# ------------------------------------------------------------------ exact means exact

_TAYLOR = " + ".join(f"x^{k}/factorial({k})" for k in range(27))


@pytest.mark.parametrize("answer, canonical, status", [
    ("3.14159265358979 x", "pi x", "partial"),            # a decimal for pi: give the exact value
    ("0.7071067811865476 x", "(sqrt(2)/2) x", "partial"),
    ("sin(x + 6.283185307179586)", "sin(x)", "partial"),
    ("3.14159 x", "pi x", "partial"),
    ("0.333333 x", "x/3", "partial"),                     # exactly 10^-6 off: the bound is met
    ("0.666667 x", "2 x/3", "partial"),
    ("0.66667 x", "2 x/3", "incorrect"),                  # 5 10^-6 off: not an approximation
    ("1.5708 + x", "pi/2 + x", "incorrect"),
    ("x + 10^{-14}", "x", "incorrect"),                   # not a decimal: a different answer
    ("x (1 + 10^{-13})", "x", "incorrect"),
    ("x + 10^{-40}", "x", "incorrect"),                   # below even 50 digits: algebra sees it
    ("x (1 + 10^{-40})", "x", "incorrect"),
    ("3.14159265358979323846264338327950288 x", "pi x", "partial"),
    (_TAYLOR, "exp(x)", "incorrect"),
    ("0.5 x", "x/2", "correct"),                          # a decimal that is the exact value
    ("1.5 x^2", "(3/2) x^2", "correct"),
    ("x + 0.25", "x + 1/4", "correct"),
])
def test_exact_means_exact(answer, canonical, status):
    check = grade("expression", answer, canonical, vars=REAL)
    assert check.status == status, check.feedback
    if status == "partial":
        assert check.feedback.startswith("give the exact value: close, but not equal")


@pytest.mark.parametrize("answer, approximate, status", [
    ("3.14159265358979 x", 1e-9, "correct"),
    ("3.14159 x", 1e-5, "correct"),
    ("3.14159 x", 1e-7, "partial"),
    ("3.15 x", 1e-5, "incorrect"),
    ("0.333333 x", 1e-6, "correct"),                      # exactly at the allowed bound
])
def test_an_instructor_may_allow_decimal_approximations(answer, approximate, status):
    canonical = "x/3" if answer.startswith("0.3") else "pi x"
    assert grade("expression", answer, canonical, vars=REAL, approximate=approximate).status == status


# ------------------------------------------------------------------ instructor answers are not student input

LARGE = """
title = "one part cannot be evaluated"
[params]
c = 2.0
[parts.big]
type = "expression"
answer = "(x - a)^6000"
vars = { x = "real", a = "real" }
[parts.broken]
type = "number"
answer = "log(c - 2)"
[parts.after]
type = "number"
answer = "broken + 1"
[parts.sibling]
type = "number"
answer = "3 c"
"""


def test_one_unevaluable_canonical_answer_leaves_its_siblings_graded(tmp_path):
    variant = solve(load_problem(write(tmp_path / "hw" / "big.toml", LARGE), tmp_path))
    assert not isinstance(variant.expected["big"], Unsolved)  # over the student cap, not the instructor's
    graded = {p.id: p for p in grade_problem(variant.problem, variant, {
        "big": "x", "broken": "1", "after": "2", "sibling": "6"}).parts}
    assert graded["sibling"].status == "correct" and graded["big"].status == "incorrect"
    assert (graded["broken"].status, graded["broken"].feedback) == (
        "ungraded", "this part's answer cannot be evaluated ('log(c - 2)' is not finite for these parameter "
                    "values); flagged for review")
    assert graded["after"].status == "ungraded"
    assert "it uses 'broken', which cannot be evaluated" in graded["after"].feedback


def test_grade_check_names_the_part_that_cannot_be_evaluated(tmp_path):
    write(tmp_path / "problems" / "hw" / "big.toml", LARGE)
    result = run("check", tmp_path / "problems", "--variants", "1")
    assert result.exit_code == 1
    assert "part broken: its answer cannot be evaluated: 'log(c - 2)' is not finite" in result.stdout
    assert "part after: its answer cannot be evaluated: it uses 'broken'" in result.stdout
    assert "part sibling" not in result.stdout


# ------------------------------------------------------------------ decide what is decidable

def _coarse(kind: str) -> list:
    return _GRIDS[kind][:: max(1, len(_GRIDS[kind]) // 40)]


def equal_on_plane(student, canonical, kinds: tuple[str, str]) -> bool:
    """As equal_on_domain, for two names, on the product of coarse grids."""
    for p in _coarse(kinds[0]):
        for q in _coarse(kinds[1]):
            want = _value(lambda _: canonical(p, q), None)
            if want is None:
                continue
            got = _value(lambda _: student(p, q), None)
            if got is None or abs(got - want) > mpmath.mpf(10) ** -12 * max(abs(got), abs(want)) + mpmath.mpf(10) ** -20:
                return False
    return True


def _real_power(base, exponent):
    value = mpmath.power(base, exponent)
    if isinstance(value, mpmath.mpc):
        raise ValueError("not real")
    return value


DECIDABLE = []
for kinds in (("real", "real"), ("real", "integer"), ("real", "natural"), ("positive", "real")):
    DECIDABLE.append(({"x": kinds[0], "k": kinds[1]}, "6((x-2)^3)^k", "6(x-2)^(3k)",
                      lambda x, k: 6 * _real_power((x - 2) ** 3, k), lambda x, k: 6 * _real_power(x - 2, 3 * k)))
    DECIDABLE.append(({"x": kinds[0], "k": kinds[1]}, "6(x-2)^(3k)", "6((x-2)^3)^k",
                      lambda x, k: 6 * _real_power(x - 2, 3 * k), lambda x, k: 6 * _real_power((x - 2) ** 3, k)))
for kinds in (("real", "natural"), ("positive", "natural")):
    DECIDABLE.append(({"x": kinds[0], "k": kinds[1]}, "log(x^(2k))", "2 k log(abs(x))",
                      lambda x, k: log(x ** (2 * k)), lambda x, k: 2 * k * log(abs(x))))
    DECIDABLE.append(({"x": kinds[0], "k": kinds[1]}, "2 k log(abs(x))", "log(x^(2k))",
                      lambda x, k: 2 * k * log(abs(x)), lambda x, k: log(x ** (2 * k))))
for kinds in (("real", "real"), ("positive", "positive")):
    DECIDABLE.append(({"a": kinds[0], "b": kinds[1]}, "log(a^2 b)", "2 log a + log b",
                      lambda a, b: log(a**2 * b), lambda a, b: 2 * log(a) + log(b)))
    DECIDABLE.append(({"a": kinds[0], "b": kinds[1]}, "2 log a + log b", "log(a^2 b)",
                      lambda a, b: 2 * log(a) + log(b), lambda a, b: log(a**2 * b)))
    DECIDABLE.append(({"a": kinds[0], "b": kinds[1]}, "log(a b)", "log(abs(a)) + log(abs(b))",
                      lambda a, b: log(a * b), lambda a, b: log(abs(a)) + log(abs(b))))


@pytest.mark.parametrize("vars_, answer, canonical, s_fn, c_fn", DECIDABLE,
                         ids=[f"{'/'.join(v.values())}: {a} vs {c}" for v, a, c, _, _ in DECIDABLE])
def test_equal_wherever_the_canonical_answer_is_defined_is_decided(vars_, answer, canonical, s_fn, c_fn):
    equal = equal_on_plane(s_fn, c_fn, tuple(vars_.values()))
    assert grade("expression", answer, canonical, vars=vars_).status == ("correct" if equal else "incorrect")


# ------------------------------------------------------------------ honest feedback

FEEDBACK_PROBLEM = """
title = "feedback"
[parts.f]
type = "expression"
answer = "sin(x) + x^2"
vars = {{ x = "real" }}
{setting}
[parts.v]
type = "number"
answer = "1.25"
{setting}
"""


@pytest.mark.parametrize("level, part_id, answer, message", [
    ("full", "f", "2 (sin(x) + x^2)", "off by a constant factor: your answer is 2 times the correct one"),
    ("hints", "f", "2 (sin(x) + x^2)", "off by a constant factor: check for a dropped or extra factor"),
    ("verdict", "f", "2 (sin(x) + x^2)", ""),
    ("full", "f", "sin(x) + x^2 + 1/4", "off by an additive constant (1/4)"),
    ("hints", "f", "sin(x) + x^2 + 1/4", "off by an additive constant: check the constant terms"),
    (None, "f", "sin(x) + x^2 + 1/4", "off by an additive constant: check the constant terms"),
    ("hints", "f", "-(sin(x) + x^2)", "sign error: your answer is the negative of the correct one"),
    ("full", "v", "2.5", "twice the correct value: check for a dropped or doubled factor of 2"),
    ("hints", "v", "2.5", "off by a constant factor: check for a dropped or extra factor"),
    ("full", "v", "12.5", "off by a factor of 10^1: check the decimal point"),
    ("hints", "v", "12.5", "off by a power of ten: check the decimal point"),
    ("verdict", "v", "12.5", ""),
])
def test_feedback_says_as_much_as_the_part_allows(tmp_path, level, part_id, answer, message):
    setting = f'feedback = "{level}"' if level else ""
    problem = load_problem(write(tmp_path / "hw" / "f.toml", FEEDBACK_PROBLEM.format(setting=setting)), tmp_path)
    graded = {p.id: p for p in grade_problem(problem, solve(problem), {part_id: answer}).parts}[part_id]
    assert (graded.status, graded.feedback) == ("incorrect", message)


def test_the_assignment_sets_the_level_a_part_may_override(tmp_path):
    problem = load_problem(write(tmp_path / "hw" / "f.toml", FEEDBACK_PROBLEM.format(setting="")), tmp_path)
    graded = grade_problem(problem, solve(problem), {"f": "2 (sin(x) + x^2)"}, feedback="full").parts[0]
    assert graded.feedback == "off by a constant factor: your answer is 2 times the correct one"


@pytest.mark.parametrize("answer, canonical, transpose", [
    ("A^T B", "B^T A", True),
    ("A + A^T", "A + A^T + c I", False),        # a symmetric difference is never a transpose
    ("A B + B^T A^T", "A B + B^T A^T + c^2 I", False),
    ("A B", "A B + c (B + B^T)", False),
])
def test_transpose_feedback_only_for_a_transpose(answer, canonical, transpose):
    check = grade("expression", answer, canonical, vars={"A": "matrix(n, n)", "B": "matrix(n, n)", "c": "real"},
                  feedback="full")
    assert check.status == "incorrect"
    assert (check.feedback == "your answer is the transpose of the correct one") == transpose


@pytest.mark.parametrize("setting, message", [
    ("", "off by a constant factor: check for a dropped or extra factor"),
    ('feedback = "full"\n', "off by a constant factor: your answer is 2 times the correct one"),
    ('feedback = "verdict"\n', ""),
])
def test_grade_submit_follows_the_assignment_feedback_setting(tmp_path, setting, message):
    bank = tmp_path / "problems"
    write(bank / "hw" / "f.toml", FEEDBACK_PROBLEM.format(setting=""))
    write(bank / "hw" / "_assignment.toml", setting)
    write(tmp_path / "ann.toml", 'student = "ann"\nassignment = "hw"\n[f]\nf = "2 (sin(x) + x^2)"\n')
    report = json.loads(run("submit", tmp_path / "ann.toml", "--problems", bank, "--format", "json").stdout)
    graded = report["problems"][0]["parts"][0]
    assert (graded["status"], graded["feedback"]) == ("incorrect", message)


@pytest.mark.parametrize("answer, canonical, vars_, status", [
    ("x + relu(10^-9 - (x - 5)^2)", "x", REAL, "incorrect"),   # alive only within 3e-5 of 5: solved, not searched
    ("x + relu(10^-6 - (x - y)^2)", "x", {"x": "real", "y": "real"}, "incorrect"),
    ("max(x, y)", "(x + y + abs(x - y))/2", {"x": "real", "y": "real"}, "correct"),
    ("1/(x - 15) (x - 15)", "1", {"x": "real"}, "incorrect"),   # undefined at 15 exactly
])
def test_narrow_features_are_found(answer, canonical, vars_, status):
    assert grade("expression", answer, canonical, vars=vars_).status == status


@pytest.mark.parametrize("answer, canonical, domain, status", [
    ("min(x, 3.5)", "x", (-3, 3), "correct"),       # the instructor's domain narrows the draws
    ("min(x, 3.5)", "x", (-3, 4), "incorrect"),
    ("relu(x)", "x", (0.5, 2), "correct"),
    ("relu(x)", "x", (-0.5, 2), "incorrect"),
    ("x + relu(x - 999.9)", "x", (0, 1000), "incorrect"),
])
def test_a_declared_domain_narrows_the_draws(answer, canonical, domain, status):
    assert grade("expression", answer, canonical, vars=REAL, domain={"x": domain}).status == status


SIZED_VARS = {"A": "matrix(n, n)", "B": "matrix(n, n)", "u": "vector(n)", "v": "vector(n)", "c": "real",
              "a": "vector(n)", "b": "vector(n)", "d": "vector(n)", "w": "vector(n)"}
SMALL_SIZES = [  # zero for every size up to 3 (the Gram determinant of 4 vectors, a trace identity)
    _GRAM.replace("c^T", "w^T").replace("^T c", "^T w"),
    "tr(B)^3 - 3 tr(B) tr(B^2) + 2 tr(B^3) - 6 det(B)",
]


def _is_scalar(text: str) -> bool:
    return not getattr(parse(text, table_for(Part(type="expression", answer="0", vars=SIZED_VARS))), "is_Matrix", False)


def _defined_at_size(text: str, size: int) -> bool:
    """Whether the generated scalar has a real value for random instances of this size: sympy's
    own evaluation of explicit matrices, not the grader's."""
    table = table_for(Part(type="expression", answer="0", vars=SIZED_VARS))
    expr = parse(text, table)
    rng = np.random.default_rng(size)
    subs = {table.dims["n"]: size}
    for decl in table.symbols:
        if decl.is_matrix:
            rows = size
            cols = size if decl.shape[1] != 1 else 1
            subs[decl.obj] = sympy.ImmutableMatrix(rng.standard_normal((rows, cols)).round(3).tolist())
        else:
            subs[decl.obj] = sympy.Rational(7, 5)
    try:
        value = sympy.N(expr.xreplace(subs).doit(), 20)
    except Exception:  # noqa: BLE001 - no value there is a reason to skip the example, not a failure
        return False
    return bool(value.is_real and value.is_finite)


@settings(derandomize=True, database=None, deadline=None, max_examples=30,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mixed_text(), st.sampled_from(SMALL_SIZES))
def test_a_generated_answer_plus_a_term_vanishing_for_small_sizes_is_refused(base, term):
    try:
        assume(_is_scalar(base))
        with budget(10.0):
            assume(_defined_at_size(base, 6))
    except ExprError:
        assume(False)
    assert grade("expression", f"{base} + {term}", base, vars=SIZED_VARS).status == "incorrect"
