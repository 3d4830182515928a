"""Numbers: relative and absolute tolerance, significant figures and decimals as a person means them."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import sympy as sp

from ..expr import ExprError, is_matrix, read, render, shape_of
from ..expr.algebra import as_scalar
from ..expr.numeric import evaluate
from ..canonical import SolveError, numeric
from . import MAX_BITS, CORRECT, INCORRECT, PARTIAL, AnswerType, Check, Invalid, Reading, reading_of, register
from .figures import PLAIN, Digits, matches, rounded_to_figures, rounded_to_places

DEFAULT_RTOL = 1e-3
DEFAULT_ATOL = 1e-8  # only for a canonical zero: any other value sets its own scale


def read_scalar(raw, where: str = "", exact: bool = False) -> Reading:
    """A number, or a string with an expression that evaluates to one (same reader and caps):
    its value, its echo, the digits it was written with, notes on what was set aside, and the
    other reading of an ambiguous division (`1/2 pi`). `exact`: an expression of rational
    numbers keeps its exact value (a sympy Rational), which a float would round (2^60 - 1)."""
    prefix = f"{where}: " if where else ""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        kind = {list: "a list", dict: "a table", bool: "true/false"}.get(type(raw), type(raw).__name__)
        raise Invalid(f"{prefix}expected a number, got {kind}")
    if isinstance(raw, (int, float)):
        digits = Digits.of(getattr(raw, "text", repr(raw)))
        value = _finite(float(raw), prefix)
        if exact:  # as written: 3.0000000001 is not 3, 1e20 is 10^20
            value = int(raw) if isinstance(raw, int) else digits and _rational(sp.Rational(str(digits.value))) or value
        return Reading(value, None, digits)
    if not raw.strip():
        raise Invalid(f"{prefix}the answer is empty")
    try:
        parsed = read(raw)
    except ExprError as error:
        raise Invalid(prefix + error.located()) from None
    plain = PLAIN.match(parsed.text)
    return reading_of(parsed, lambda expr: None if plain else render(expr),
                      lambda expr: _rational(expr) if exact and _rational(expr) is not None else _number(expr, prefix),
                      digits=Digits.of(parsed.text))


def _rational(expr):
    """The exact value of an expression that is a rational number within float range, else None."""
    if getattr(expr, "is_Rational", False) and max(abs(expr.p), expr.q).bit_length() <= MAX_BITS:
        return expr
    return None


def _number(expr, prefix: str) -> float:
    if is_matrix(expr) and shape_of(expr) != (1, 1):
        raise Invalid(f"{prefix}expected a single number, got a vector or matrix")
    expr = as_scalar(expr)  # [1, 2]^T [3, 4] is a number
    return _finite(float(np.asarray(evaluate(expr, {}, {}), dtype=float)), prefix)


def _finite(value: float, prefix: str) -> float:
    if not math.isfinite(value):
        raise Invalid(f"{prefix}not a finite number ({value})")
    return value


def tolerance(expected: float, part, scale: float | None = None) -> float:
    """The half-width of the accepted interval around the expected value: relative, so
    1.602e-19 refuses 0 and -3.5e-9 refuses 3.5e-9. Only a canonical zero needs an absolute
    one: the part's atol, else rtol times `scale` (the largest entry of its array), else 1e-8."""
    rtol = DEFAULT_RTOL if part.rtol is None else part.rtol
    if part.atol is not None:
        atol = part.atol
    elif expected == 0:
        atol = rtol * scale if scale else DEFAULT_ATOL
    else:
        atol = 0.0
    return max(rtol * abs(expected), atol) * (1 + 1e-9)


def describe_tolerance(part) -> str:
    if part.decimals is not None:
        return f"{part.decimals} decimal places"
    if part.sigfigs is not None:
        return f"{part.sigfigs} significant figures"
    rtol = DEFAULT_RTOL if part.rtol is None else part.rtol
    return f"±{rtol * 100:g}% relative"


def _too_few_digits(value: float, expected: float, digits: Digits | None, part) -> str | None:
    """The right value rounded to fewer digits than the tolerance allows."""
    if digits is None or digits.sigfigs < 2:
        return None
    if abs(value - expected) > 0.5 * 10.0 ** -digits.decimals * (1 + 1e-9):
        return None
    return f"right value, but too few digits: keep more (the tolerance is {describe_tolerance(part)})"


def compare_scalar(value: float, expected: float, part, digits: Digits | None = None,
                   scale: float | None = None) -> Check:
    if part.sigfigs is not None or part.decimals is not None:
        return _rounded(value, expected, part, digits)
    err = abs(value - expected)
    tol = tolerance(expected, part, scale)
    if err <= tol:
        return Check(CORRECT, 1.0)
    short = _too_few_digits(value, expected, digits, part)
    if short:
        return Check(PARTIAL, part.digits_credit, short)
    return _wrong(value, expected, err, tol, part)


def _rounded(value: float, expected: float, part, digits: Digits | None) -> Check:
    """NumSigFigs / NumDecPlaces: the answer is the canonical value rounded to what is asked;
    fewer figures of the right value earn digits_credit, more are accepted unless exact_digits."""
    figures = part.sigfigs is not None
    asked = part.sigfigs if figures else part.decimals
    rounding = rounded_to_figures if figures else rounded_to_places
    unit = "significant figures" if figures else "decimal places"
    exact = digits.value if digits is not None else Decimal(repr(float(value)))
    candidates = rounding(expected, asked)
    right = matches(exact, candidates)
    if digits is not None:
        most, least = (digits.sigfigs, digits.least) if figures else (digits.decimals, digits.decimals)
        if most < asked:
            if matches(exact, rounding(expected, most)):
                return Check(PARTIAL, part.digits_credit, f"right value, but give {asked} {unit}")
        elif least > asked:
            # more digits than asked: right when within half a unit of the value itself (1.105 for
            # 1.1053 to 2 places), even where it rounds the other way
            right = right or any(abs(exact - Decimal(repr(float(expected)))) <= u / 2 for _, u in candidates)
            if right and part.exact_digits:
                return Check(PARTIAL, part.digits_credit, f"right value, but give exactly {asked} {unit}")
    if right:
        return Check(CORRECT, 1.0)
    unit_size = float(max(u for _, u in candidates))
    why = None
    if abs(value - expected) < unit_size:
        why = f"not the value rounded to {asked} {unit}: round the last digit, do not cut the rest off"
    return _wrong(value, expected, abs(value - expected), unit_size / 2, part, why)


def _relative(value: float, expected: float) -> float:
    return abs(value - expected) / abs(expected) if expected else math.inf


def _wrong(value: float, expected: float, err: float, tol: float, part, why: str | None = None) -> Check:
    """Outside the tolerance: a band's partial credit, else incorrect with the likely slip."""
    relative = _relative(value, expected)
    for band in sorted(part.bands, key=lambda b: b.rtol):
        if relative <= band.rtol:
            return Check(PARTIAL, band.credit, f"close: within {band.rtol * 100:g}% of the answer, "
                                               f"but the tolerance is {describe_tolerance(part)}")
    return Check(INCORRECT, 0.0, why or _why(value, expected, err, tol, part), {"relative_error": relative})


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


def written(v: float, part) -> float | str:
    """A number as a student would write it with the digits the part asks for (a float would drop them)."""
    if part.decimals is not None:
        return f"{v:.{part.decimals}f}"
    if part.sigfigs is not None:
        return f"{v:#.{part.sigfigs}g}"
    return v


def perturbed(v: float) -> float:
    """A value 5% off (and off zero): an answer that must not grade correct."""
    return v * 1.05 + (0.05 if abs(v) < 1e-6 else 0)


class NumberType(AnswerType):
    """A single number, graded within the part's tolerance, figures or places."""

    name = "number"

    def read(self, raw, part) -> Reading:
        return read_scalar(raw)

    def compare(self, reading: Reading, expected, part) -> Check:
        return compare_scalar(reading.value, float(expected), part, reading.digits)

    def canonical(self, answer, part, scope):
        value = numeric(answer, scope)
        if np.ndim(value):
            raise SolveError(f"'{answer}' is a vector or matrix, but the part is a single {self.name}")
        return value

    def nameable(self, part_id, part) -> bool:
        return True

    def forms(self, value, part):
        v = float(value)
        return written(v, part), written(perturbed(v), part), written(-v, part) if v != 0 else None


register(NumberType())
