"""Does a student's expression mean the same as the canonical one? Decided in layers, cheapest first.

1. shape and structure: different shapes are different; identical sympy trees are equal;
2. numbers: both sides at seeded random points of the declared domain; a clear
   disagreement is final and its pattern becomes feedback;
3. symbols: `simplify` on the difference, only where the numbers are
   inconclusive or the part asks for proof; under the caller's time budget.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .algebra import shape_of
from .diagnose import shape_feedback, transpose_feedback, value_feedback
from .numeric import Unevaluable, evaluate
from .render import render
from .sampling import sample
from .symbols import SymbolTable

EQUIVALENT, DIFFERENT, UNDECIDED = "equivalent", "different", "undecided"

RTOL = 1e-6          # agreement: relative difference at most this
CLEAR = 1e-3         # disagreement beyond this at any point is final
MIN_POINTS = 6       # points where both sides are defined, needed to decide
ROUNDS = 4           # fresh draws when too many points are undefined


@dataclass(frozen=True)
class Verdict:
    outcome: str            # equivalent | different | undecided
    method: str             # shape | exact | numeric | symbolic
    feedback: str = ""

    @property
    def equivalent(self) -> bool:
        return self.outcome == EQUIVALENT


def seed_for(expected) -> int:
    """Points depend only on the canonical answer: every student meets the same ones."""
    return zlib.crc32(render(expected).encode("utf-8"))


def _flat(value, count: int) -> np.ndarray:
    value = np.asarray(value, dtype=float)
    if value.ndim == 0:
        value = np.full(count, float(value))
    value = np.broadcast_to(value, (count,) + value.shape[1:]) if value.shape[0] in (1, count) else value
    return value.reshape(count, -1)


def compare(student, expected, table: SymbolTable, *, prove: bool = False) -> Verdict:
    """Compare two parsed expressions built over the same symbol table."""
    s_shape, e_shape = shape_of(student), shape_of(expected)
    if s_shape != e_shape:
        return Verdict(DIFFERENT, "shape", shape_feedback(s_shape, e_shape))
    if student == expected:
        return Verdict(EQUIVALENT, "exact")
    try:
        s_vals, e_vals, s_undefined = _sample_values(student, expected, table)
    except Unevaluable as error:
        return _symbolic(student, expected, fallback=Verdict(UNDECIDED, "numeric", str(error)))
    if s_undefined:
        return Verdict(DIFFERENT, "numeric",
                       "your answer is undefined at some points where the correct answer is defined")
    if len(e_vals) < MIN_POINTS:
        return _symbolic(student, expected, fallback=Verdict(
            UNDECIDED, "numeric", "could not evaluate the answers at enough points"))
    s_flat, e_flat = np.concatenate(s_vals), np.concatenate(e_vals)
    scale = np.maximum(np.abs(s_flat), np.abs(e_flat))
    floor = 1e-9 * max(1.0, float(np.median(np.abs(e_flat))))
    err = np.abs(s_flat - e_flat)
    if np.all(err <= RTOL * scale + floor):
        if prove:
            return _symbolic(student, expected, fallback=Verdict(
                UNDECIDED, "symbolic", "the values agree but the symbolic check could not confirm it"))
        return Verdict(EQUIVALENT, "numeric")
    if np.any(err > CLEAR * scale + floor):
        return Verdict(DIFFERENT, "numeric", _explain(s_vals, e_vals))
    # a near miss at the level of rounding: let algebra decide
    return _symbolic(student, expected, fallback=Verdict(DIFFERENT, "numeric", _explain(s_vals, e_vals)))


def _sample_values(student, expected, table):
    """Values of both sides where the canonical answer is defined, over fresh draws as needed."""
    s_vals, e_vals = [], []
    base = seed_for(expected)
    found = 0
    for round_ in range(ROUNDS):
        points = sample(table, base + round_)
        s = _flat(evaluate(student, points.env, points.dims), points.count)
        e = _flat(evaluate(expected, points.env, points.dims), points.count)
        e_ok = np.all(np.isfinite(e), axis=1)
        s_ok = np.all(np.isfinite(s), axis=1)
        if np.any(e_ok & ~s_ok):
            return [], [], True
        keep = e_ok & s_ok
        s_vals.append(s[keep])
        e_vals.append(e[keep])
        found += int(keep.sum())
        if found >= points.count:
            break
    rows_s = [row for block in s_vals for row in block]
    rows_e = [row for block in e_vals for row in block]
    return rows_s, rows_e, False


def _explain(s_vals, e_vals) -> str:
    s, e = np.array(s_vals), np.array(e_vals)
    side = int(round(np.sqrt(s.shape[1])))
    if side > 1 and side * side == s.shape[1]:
        message = transpose_feedback(s.reshape(-1, side, side), e.reshape(-1, side, side))
        if message:
            return message
    return value_feedback(s, e) or ""


def _symbolic(student, expected, fallback: Verdict) -> Verdict:
    """Try to prove the difference is zero; the caller's time budget bounds this."""
    difference = (student - expected)
    if getattr(difference, "is_Matrix", False):
        difference = difference.doit()
    try:
        simplified = sp.simplify(difference.rewrite(sp.exp))
    except (TypeError, ValueError, AttributeError, NotImplementedError):
        return fallback
    if simplified == 0 or getattr(simplified, "is_ZeroMatrix", False):
        return Verdict(EQUIVALENT, "symbolic")
    return fallback
