"""Significant figures and decimal places as written, and rounding as STACK's NumSigFigs and
NumDecPlaces define it: the answer is compared with the canonical value rounded to the asked
figures (or places), and must lie within half a unit of its last place.

The written text is what counts: `1.20e3`, `1.20 \\times 10^{3}`, `1.20×10³` and `1.20*10^3`
all carry three figures. Values are exact decimals, never floats, so 3.141 (π truncated) is
refused at 4 figures however the float would round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

_MANTISSA = r"([+-]?(?:\d+\.?\d*|\.\d+))"
PLAIN = re.compile(rf"^\s*{_MANTISSA}(?:[eE]([+-]?\d+))?\s*$")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_TIMES_TEN = re.compile(
    rf"^\s*{_MANTISSA}\s*(?:\\times|\\cdot|×|·|\*|x)\s*10\s*"
    r"(?:\^\s*\{?\s*\(?\s*([+\-−]?\s*\d+)\s*\)?\s*\}?|\*\*\s*\(?\s*([+-]?\d+)\s*\)?|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))\s*$")


@dataclass(frozen=True)
class Digits:
    """What a written number shows: its significant figures (`least` to `sigfigs`: 100 may
    carry 1 to 3), its decimal places, and its exact value."""

    sigfigs: int
    decimals: int
    least: int
    value: Decimal

    @classmethod
    def of(cls, text: str) -> "Digits | None":
        """The digits of a decimal literal, plain or times a power of ten; None for anything else."""
        mantissa, exponent = _split(text)
        if mantissa is None:
            return None
        whole, _, fraction = mantissa.lstrip("+-").partition(".")
        decimals = len(fraction) - exponent
        digits = (whole + fraction).lstrip("0")
        value = Decimal(mantissa).scaleb(exponent)
        if not digits:  # a zero: 0.00 carries 1 or 2 figures
            return cls(max(len(fraction), 1), decimals, 1, value)
        placeholders = len(digits) - len(digits.rstrip("0")) if not fraction and "." not in mantissa else 0
        return cls(len(digits), decimals, max(len(digits) - placeholders, 1), value)


def _split(text: str) -> tuple[str | None, int]:
    match = PLAIN.match(text)
    if match:
        return match.group(1), int(match.group(2) or 0)
    match = _TIMES_TEN.match(text)
    if match:
        power = next(g for g in match.groups()[1:] if g is not None)
        power = power.translate(_SUPERSCRIPT).replace("−", "-").replace(" ", "")
        return match.group(1), int(power)
    return None, 0


def rounded_to_figures(value: float, figures: int) -> list[tuple[Decimal, Decimal]]:
    """The canonical value rounded to `figures` significant figures, with the unit of its last
    place. The usual roundings of a tie are all kept (half up and half even on the decimal shown,
    half even on the binary value, as Python's format does): 2.45 is 2.5 or 2.4 at two figures,
    as 2.5 is 3 or 2 at one, whether or not the tie is exact in binary."""
    return [(r, _unit_of(r, figures)) for r in _roundings(value, lambda d: figures - 1 - d.adjusted())]


def rounded_to_places(value: float, places: int) -> list[tuple[Decimal, Decimal]]:
    unit = Decimal(1).scaleb(-places)
    return [(r, unit) for r in _roundings(value, lambda d: places)]


def _roundings(value: float, places_of) -> list[Decimal]:
    out = []
    shown = Decimal(repr(float(value)))
    for exact, mode in ((shown, ROUND_HALF_UP), (shown, ROUND_HALF_EVEN), (Decimal(float(value)), ROUND_HALF_EVEN)):
        if exact == 0:
            out.append(Decimal(0))
            continue
        try:
            out.append(exact.quantize(Decimal(1).scaleb(-places_of(exact)), rounding=mode))
        except InvalidOperation:
            out.append(exact)
    return out


def _unit_of(rounded: Decimal, figures: int) -> Decimal:
    """The last place of a value shown with `figures` figures (9.96 to 2 figures is 10: unit 1)."""
    if rounded == 0:
        return Decimal(0)
    return Decimal(1).scaleb(rounded.adjusted() - figures + 1)


def matches(value: Decimal, candidates: list[tuple[Decimal, Decimal]]) -> bool:
    """Within half a unit of the last place of one of the rounded canonical values (strictly:
    9.5 is not 10 to two figures)."""
    return any(abs(value - r) < unit / 2 or (unit == 0 and value == r) for r, unit in candidates)
