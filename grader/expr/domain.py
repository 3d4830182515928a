"""Where a student's answer is defined, as written, before sympy simplifies it away.

sympy rewrites `sqrt(x)^2`, `exp(log x)` and `log(x) - log(x) + x` to `x` while they are
built, so the evaluated answer is defined for every real x although what the student wrote
is not. The builder hands each sub-expression it makes to `Conditions.note` (and each
denominator to `nonzero`), which records what must hold there: a radicand or fractional
power's base >= 0, a log's argument > 0, a denominator != 0, an inverted matrix invertible. Equivalence then treats the
answer as undefined at every sampled point where one of them fails.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions import Inverse

from .algebra import is_matrix
from .numeric import SINGULAR

MAX_CONDITIONS = 64  # a hostile answer may nest a thousand roots; the first ones are enough
AT_LEAST, ABOVE, NONZERO, INVERTIBLE = ">= 0", "> 0", "!= 0", "invertible"


class Conditions:
    """What must hold for an answer to be defined: (expression, relation) pairs over its names."""

    def __init__(self):
        self.items: list[tuple[sp.Expr, str]] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def note(self, value) -> None:
        """Record the condition the outermost operation of `value` puts on its arguments."""
        if isinstance(value, Inverse):  # X inv(X^T X) X^T X is built as X
            if (value.arg, INVERTIBLE) not in self.items and len(self.items) < MAX_CONDITIONS:
                self.items.append((value.arg, INVERTIBLE))
            return
        if is_matrix(value) or not isinstance(value, sp.Basic):
            return
        if isinstance(value, sp.Pow):
            self._power(value.base, value.exp)
        elif isinstance(value, sp.log):
            self._add(value.args[0], ABOVE)
        elif isinstance(value, (sp.asin, sp.acos)):
            self._add(1 - value.args[0] ** 2, AT_LEAST)
        elif isinstance(value, sp.atanh):
            self._add(1 - value.args[0] ** 2, ABOVE)
        elif isinstance(value, sp.acosh):
            self._add(value.args[0] - 1, AT_LEAST)

    def nonzero(self, denominator) -> None:
        if not is_matrix(denominator) and isinstance(denominator, sp.Basic):
            self._add(denominator, NONZERO)

    def _power(self, base, exponent) -> None:
        if exponent.is_Rational and not exponent.is_Integer and exponent.q % 2 == 0:
            self._add(base, AT_LEAST)
        elif not exponent.is_number and not exponent.is_integer:
            self._add(base, AT_LEAST)  # x^k for a real k: 0^k is 0 for k > 0, and inf (undefined anyway) else
        if exponent.is_negative:
            self._add(base, NONZERO)

    def _add(self, expr, relation: str) -> None:
        if len(self.items) >= MAX_CONDITIONS or is_matrix(expr) or not getattr(expr, "free_symbols", None):
            return
        known = {AT_LEAST: expr.is_nonnegative, ABOVE: expr.is_positive, NONZERO: expr.is_nonzero}[relation]
        if known is not True and (expr, relation) not in self.items:
            self.items.append((expr, relation))

    def hold(self, evaluate, env: dict, dims: dict, count: int) -> np.ndarray:
        """Per point: every condition holds (or cannot be evaluated there, as on an overflow)."""
        ok = np.ones(count, dtype=bool)
        for expr, relation in self.items:
            values = np.asarray(evaluate(expr, env, dims), dtype=float)
            if relation == INVERTIBLE:
                ok &= _invertible(np.broadcast_to(values, (count,) + values.shape[-2:]))
                continue
            values = np.broadcast_to(values, (count,))
            with np.errstate(invalid="ignore"):
                fails = {AT_LEAST: values < 0, ABOVE: values <= 0, NONZERO: values == 0}[relation]
            if relation != AT_LEAST:
                fails = fails & ~_underflowed(expr, relation, values, env, dims)
            ok &= ~fails
        return ok


MAX_RECHECKS = 8  # points per condition whose float64 zero is recomputed with 50 digits


def _underflowed(expr, relation: str, values: np.ndarray, env: dict, dims: dict) -> np.ndarray:
    """Points where float64 gave exactly 0 but the value is not 0 (x^(2k) at x = 10^-3 for a
    large k underflows): there `log(x^(2k))` is defined and `x^200/x^198` has no zero denominator.
    The first few such points are recomputed with 50 digits; the rest keep the float verdict."""
    from types import SimpleNamespace

    from .precise import Imprecise, point_values, value_at

    out = np.zeros(values.shape, dtype=bool)
    points = SimpleNamespace(env=env, dims=dims)
    for index in np.flatnonzero(values == 0)[:MAX_RECHECKS]:
        try:
            exact = value_at(expr, point_values(points, int(index)))[()]
        except Imprecise:
            continue
        out[index] = bool(exact.is_positive) if relation == ABOVE else exact.is_zero is False
    return out


def _invertible(matrices: np.ndarray) -> np.ndarray:
    finite = np.all(np.isfinite(matrices), axis=(-2, -1))
    out = np.ones(len(matrices), dtype=bool)  # a matrix that overflowed cannot be judged: not refused
    if finite.any():
        out[finite] = np.linalg.cond(matrices[finite]) < SINGULAR
    return out
