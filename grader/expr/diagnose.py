"""Feedback from the shape of a wrong answer: sign, constant factor, additive constant, transpose."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .algebra import describe


def _constant(values: np.ndarray, rel: float = 1e-6, atol: float = 1e-12) -> float | None:
    if values.size == 0:
        return None
    mid = float(np.median(values))
    spread = float(np.max(np.abs(values - mid)))
    return mid if spread <= rel * abs(mid) + atol else None


def _nice(k: float) -> str:
    frac = Fraction(k).limit_denominator(12)
    if abs(float(frac) - k) <= 1e-9 * abs(k):
        return str(frac)
    return f"{k:.4g}"


def power_of_ten(k: float) -> int | None:
    if k <= 0:
        return None
    j = round(math.log10(k))
    return j if j != 0 and abs(k / 10.0**j - 1) < 1e-6 else None


def value_feedback(student: np.ndarray, expected: np.ndarray, *, varies: bool = True) -> str | None:
    """Why `student` differs from `expected` (same shape, finite), if there is a simple reason.

    `varies` says the values come from many sample points; for a single number
    only sign and powers of ten are worth saying.
    """
    s = np.asarray(student, dtype=float).ravel()
    e = np.asarray(expected, dtype=float).ravel()
    size = float(np.max(np.abs(e))) if e.size else 0.0
    floor = 1e-9 * size  # relative to the answer's own size: 10^-20 x is not zero
    nonzero = np.abs(e) > floor
    if nonzero.any() and np.all(np.abs(s[~nonzero]) <= floor):
        k = _constant(s[nonzero] / e[nonzero])
        if k is not None and abs(k - 1) > 1e-5:  # closer to 1 is rounding, or an additive slip
            if abs(k + 1) < 1e-6:
                return "sign error: your answer is the negative of the correct one"
            j = power_of_ten(abs(k))
            if j is not None:
                also = " and the sign" if k < 0 else ""
                return f"off by a factor of 10^{j}: check the decimal point{also}"
            if varies and abs(k) > 1e-9:
                return f"off by a constant factor: your answer is {_nice(k)} times the correct one"
    if varies:
        d = _constant(s - e, atol=1e-12 * size)
        if d is not None and abs(d) > floor and _constant(e, atol=1e-12 * size) is None:
            return f"off by an additive constant ({_nice(d)})"
    return None


TRANSPOSED = "your answer is the transpose of the correct one"


def transposed(student: np.ndarray, expected: np.ndarray) -> bool:
    """Square matrices (arrays of shape (N, n, n), n > 1) that are each other's transpose at every
    point and differ: never when the difference is symmetric (then they are equal, or the slip is
    something else)."""
    atol = 1e-9 * float(np.max(np.abs(expected), initial=0.0))
    swapped = np.swapaxes(student, -1, -2)
    return (np.allclose(swapped, expected, rtol=1e-6, atol=atol)
            and not np.allclose(student, expected, rtol=1e-6, atol=atol))


def shape_feedback(student_shape: tuple, expected_shape: tuple) -> str:
    got, want = describe(student_shape), describe(expected_shape)
    message = f"wrong shape: your answer is {got}, but the answer is {want}"
    if tuple(student_shape) == tuple(expected_shape)[::-1]:
        return message + " (a row where a column was expected, or the transpose)"
    if tuple(student_shape) == (1, 1) and expected_shape[0] == expected_shape[1]:
        return message + " (a^T b is a number; a b^T is a matrix)"
    if expected_shape == (1, 1) and student_shape[0] == student_shape[1]:
        return message + " (a b^T is a matrix; a^T b is a number)"
    return message
