"""One point, 50 digits: tells float rounding from a real difference when float64 cannot.

`x^50 + 1` and `x^50` agree to 16 digits wherever x^50 is large; `(x+1)^10` expanded
and factored disagree in the 10th digit near x = -1 through cancellation. Recomputing
both sides at the same point with 50 significant digits separates the two cases: rounding
shrinks by 34 orders of magnitude, a real difference stays where it was.

The point is substituted into the sympy expression and evaluated by sympy's own
arbitrary-precision arithmetic (mpmath): slow, so it runs only on the few points the
float64 comparison could not settle.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions import Identity, OneMatrix, ZeroMatrix

from .numeric import odd_root


DIGITS = 50
MAX_DIGITS = 1000  # working precision sympy may climb to where terms cancel
_CONSTANT_MATRICES = (Identity, ZeroMatrix, OneMatrix)


class Imprecise(Exception):
    """This expression has no high-precision value at this point."""


def _digits(value) -> sp.Float:
    """A sampled float64 as the shortest decimal that reads back as it, to 50 digits: a domain
    pinned at 0.1 stays 1/10, as a student's `0.1` is, not 0.1000000000000000055."""
    return sp.Float(repr(float(value)), DIGITS)


def _exact(value) -> sp.Rational:
    """A sampled scalar as that decimal exactly, so sympy can raise its working precision where
    terms cancel (cosh(x)^2 - sinh(x)^2 at x = 300 loses 260 digits)."""
    return sp.Rational(repr(float(value)))


def point_values(points, index: int) -> dict:
    """Substitutions for one sampled point: scalars as exact decimals, matrix names as
    explicit matrices, dimension names as their sizes."""
    subs = {}
    for sym, values in points.env.items():
        value = np.asarray(values)[index]
        if value.ndim:
            subs[sym] = sp.ImmutableMatrix([[_digits(v) for v in row] for row in value])
        else:
            subs[sym] = _exact(value)
    subs.update({sym: sp.Integer(size) for sym, size in points.dims.items()})
    return subs


def value_at(expr, subs: dict) -> np.ndarray:
    """The expression at one point as an array of 50-digit sympy Floats (0-d for a scalar).
    Raises Imprecise when sympy cannot give a real number there."""
    expr = expr.replace(_odd_root, _real_odd_root)
    try:
        value = _doit_upwards(expr.xreplace(subs))
        if getattr(value, "is_Matrix", False) and not isinstance(value, sp.MatrixBase):
            value = value.as_explicit()
        entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
        numbers = [sp.N(e, DIGITS, maxn=MAX_DIGITS) for e in entries]
    except Exception as error:  # noqa: BLE001 - sympy raises many types; each only means "no value here"
        raise Imprecise(str(error)) from None
    if not all(n.is_Float or n.is_Rational for n in numbers):
        raise Imprecise("not a real number here")
    shape = value.shape if isinstance(value, sp.MatrixBase) else ()
    return np.array([sp.Float(n, DIGITS) for n in numbers], dtype=object).reshape(shape)


def _odd_root(expr) -> bool:
    return expr.is_Pow and odd_root(expr.exp)


def _real_odd_root(expr):
    """x^(1/3) of a negative x is real here, as in the float64 evaluator: (-8)^(1/3) = -2."""
    return sp.sign(expr.base) ** expr.exp.p * sp.Abs(expr.base) ** expr.exp


def _doit_upwards(expr):
    """`doit` from the leaves up, so every node meets explicit arguments: sympy's own deep
    doit leaves `diag(softmax(z))` asking a Softmax for its entries."""
    if isinstance(expr, _CONSTANT_MATRICES):
        return expr.as_explicit()  # sized by now: I + [[...]] adds up only as explicit matrices
    if not expr.args or isinstance(expr, (sp.MatrixBase, sp.Lambda)):
        return expr
    return expr.func(*(_doit_upwards(arg) for arg in expr.args)).doit(deep=False)
