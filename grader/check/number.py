"""Numbers: relative and absolute tolerance, significant figures and decimals as a person means them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..expr import ExprError, is_matrix, read, render, shape_of
from ..expr.algebra import as_scalar
from ..expr.numeric import evaluate
from . import CORRECT, INCORRECT, PARTIAL, Check, Invalid, Reading, reading_of, register

DEFAULT_RTOL = 1e-3
DEFAULT_ATOL = 1e-8
_PLAIN = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


@dataclass(frozen=True)
class Digits:
    """What a written number shows: its significant figures and decimal places."""

    sigfigs: int
    decimals: int

    @classmethod
    def of(cls, text: str) -> "Digits | None":
        if not _PLAIN.match(text):
            return None
        mantissa, _, exponent = text.strip().lstrip("+-").lower().partition("e")
        whole, _, fraction = mantissa.partition(".")
        decimals = len(fraction) - (int(exponent) if exponent else 0)
        significant = (whole + fraction).lstrip("0")
        return cls(max(len(significant), 1), decimals)


def read_scalar(raw, where: str = "") -> Reading:
    """A number, or a string with an expression that evaluates to one (same reader and caps):
    its value, its echo, the digits it was written with, notes on what was set aside, and the
    other reading of an ambiguous division (`1/2 pi`)."""
    prefix = f"{where}: " if where else ""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        kind = {list: "a list", dict: "a table", bool: "true/false"}.get(type(raw), type(raw).__name__)
        raise Invalid(f"{prefix}expected a number, got {kind}")
    if isinstance(raw, (int, float)):
        return Reading(_finite(float(raw), prefix), None, Digits.of(getattr(raw, "text", repr(raw))))
    if not raw.strip():
        raise Invalid(f"{prefix}the answer is empty")
    try:
        parsed = read(raw)
    except ExprError as error:
        raise Invalid(prefix + error.located()) from None
    plain = _PLAIN.match(parsed.text)
    return reading_of(parsed, lambda expr: None if plain else render(expr),
                      lambda expr: _number(expr, prefix), digits=Digits.of(parsed.text))


def _number(expr, prefix: str) -> float:
    if is_matrix(expr) and shape_of(expr) != (1, 1):
        raise Invalid(f"{prefix}expected a single number, got a vector or matrix")
    expr = as_scalar(expr)  # [1, 2]^T [3, 4] is a number
    return _finite(float(np.asarray(evaluate(expr, {}, {}), dtype=float)), prefix)


def _finite(value: float, prefix: str) -> float:
    if not math.isfinite(value):
        raise Invalid(f"{prefix}not a finite number ({value})")
    return value


def _read(raw, part) -> Reading:
    return read_scalar(raw)


def tolerance(expected: float, part) -> float:
    """The half-width of the accepted interval around the expected value."""
    rtol = DEFAULT_RTOL if part.rtol is None else part.rtol
    atol = DEFAULT_ATOL if part.atol is None else part.atol
    tol = max(rtol * abs(expected), atol)
    if part.sigfigs is not None and expected != 0:
        tol = max(tol, 0.5 * 10.0 ** (math.floor(math.log10(abs(expected))) - part.sigfigs + 1))
    if part.decimals is not None:
        tol = max(tol, 0.5 * 10.0 ** -part.decimals)
    return tol * (1 + 1e-9)


def describe_tolerance(part) -> str:
    if part.decimals is not None:
        return f"{part.decimals} decimal places"
    if part.sigfigs is not None:
        return f"{part.sigfigs} significant figures"
    rtol = DEFAULT_RTOL if part.rtol is None else part.rtol
    return f"±{rtol * 100:g}% relative"


def _digits_asked(digits: Digits | None, part) -> str | None:
    """The part asks for more decimals or significant figures than the answer shows."""
    if digits is None:
        return None
    if part.decimals is not None and digits.decimals < part.decimals:
        return f"right value, but give {part.decimals} decimal places"
    if part.sigfigs is not None and digits.sigfigs < part.sigfigs:
        return f"right value, but give {part.sigfigs} significant figures"
    return None


def _too_few_digits(value: float, expected: float, digits: Digits | None, part) -> str | None:
    """The right value rounded to fewer digits than asked for (or than the tolerance allows)."""
    if digits is None or digits.sigfigs < 2:
        return None
    unit = 10.0 ** -digits.decimals
    if abs(value - expected) > 0.5 * unit * (1 + 1e-9):
        return None
    asked = _digits_asked(digits, part)
    if asked:
        return asked
    if abs(value - expected) > tolerance(expected, part):
        return f"right value, but too few digits: keep more (the tolerance is {describe_tolerance(part)})"
    return None


def compare_scalar(value: float, expected: float, part, digits: Digits | None = None) -> Check:
    err = abs(value - expected)
    tol = tolerance(expected, part)
    if err <= tol:
        asked = _digits_asked(digits, part)
        return Check(PARTIAL, part.digits_credit, asked) if asked else Check(CORRECT, 1.0)
    short = _too_few_digits(value, expected, digits, part)
    if short:
        return Check(PARTIAL, part.digits_credit, short)
    relative = err / abs(expected) if expected else math.inf
    for band in sorted(part.bands, key=lambda b: b.rtol):
        if relative <= band.rtol:
            return Check(PARTIAL, band.credit, f"close: within {band.rtol * 100:g}% of the answer, "
                                               f"but the tolerance is {describe_tolerance(part)}")
    return Check(INCORRECT, 0.0, _why(value, expected, err, tol, part), {"relative_error": relative})


def _why(value: float, expected: float, err: float, tol: float, part) -> str:
    """Common slips, judged with the part's own tolerance (a rounded answer still shows them)."""
    if abs(-value - expected) <= tol:
        return "sign error: your answer is the negative of the correct one"
    for j in (1, -1, 2, -2, 3, -3, 6, -6):
        for sign in (1, -1):
            if abs(sign * value / 10.0**j - expected) <= tol:
                also = " and the sign" if sign < 0 else ""
                return f"off by a factor of 10^{j}: check the decimal point{also}"
    if expected and abs(value / 2 - expected) <= tol:
        return "twice the correct value: check for a dropped or doubled factor of 2"
    if expected and abs(value * 2 - expected) <= tol:
        return "half the correct value: check for a dropped factor of 2"
    if err <= 10 * tol:
        return f"close, but outside the tolerance ({describe_tolerance(part)})"
    return ""


def _compare(reading: Reading, expected, part) -> Check:
    return compare_scalar(reading.value, float(expected), part, reading.digits)


register("number", _read, _compare)
