"""Integers: exact, whether written as 6, "6", "3!" or "2*3"."""

from __future__ import annotations

import re

import numpy as np
import sympy as sp

from ..canonical import SolveError, symbolic_value
from . import CORRECT, INCORRECT, Check, Invalid, Reading, register
from .number import NumberType, read_scalar

_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?")


def _whole_reading(reading: Reading) -> Reading:
    other = reading.alternative and _whole_reading(reading.alternative)
    return Reading(_whole(reading.value), reading.shown, notes=reading.notes, alternative=other)


def _fractional(value: float) -> bool:
    """More than rounding error away from a whole number."""
    return abs(value - round(value)) > 1e-9 * max(1.0, abs(value))


def _whole(value) -> int:
    """An exact value (an int, a sympy Rational) must be whole exactly: 2^60 - 1 is not 2^60 and
    2.9999999999 is not 3; a float (log(8)/log(2)) within rounding of a whole number is one."""
    if isinstance(value, sp.Rational):
        if value.q == 1:
            return int(value)
        shown = f"{float(value):g}"
        if float(shown).is_integer():  # 2.9999999999 would show as 3
            low = int(sp.floor(value))
            shown = f"a number between {low} and {low + 1}"
        raise Invalid(f"expected a whole number, got {shown}")
    if isinstance(value, int):
        return value
    if _fractional(value):
        raise Invalid(f"expected a whole number, got {value:g}")
    return int(round(value))


def _exact_canonical(answer, part, scope) -> int | None:
    """The canonical whole number computed exactly, where floats would round it (2^60 - 1,
    C(60, 30), a solver's int past 2^53): None when it is not an exact integer."""
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        return int(answer)
    if not isinstance(answer, str):
        return None
    value = symbolic_value(answer, part, scope)
    return int(value) if isinstance(value, sp.Integer) else None


class IntegerType(NumberType):
    """A whole number, compared exactly; a number as far as solving and naming go."""

    name = "integer"

    def read(self, raw, part) -> Reading:
        return _whole_reading(read_scalar(raw, exact=True))

    def compare(self, reading: Reading, expected, part) -> Check:
        if reading.value == int(expected):
            return Check(CORRECT, 1.0)
        feedback = "sign error: your answer is the negative of the correct one" if reading.value == -int(expected) else ""
        if not feedback and abs(reading.value - int(expected)) == 1:
            feedback = "off by one"
        return Check(INCORRECT, 0.0, feedback)

    def canonical(self, answer, part, scope) -> int:
        value = super().canonical(answer, part, scope)
        exact = _exact_canonical(answer, part, scope)
        if exact is not None:
            return exact
        if not float(value).is_integer():
            raise SolveError(f"'{answer}' should be a whole number, is {value}")
        return int(value)

    def forms(self, value, part):
        return int(value), int(value) + 1, -int(value) if value != 0 else None

    def refuse(self, raw, expected) -> str | None:
        """A decimal is refused with its digits as written: reading would say "got 3.14e+06",
        which hides the .5."""
        written = raw.strip() if isinstance(raw, str) else repr(raw) if isinstance(raw, float) else ""
        if _DECIMAL.fullmatch(written) and _fractional(float(written)):
            return f"expected a whole number: {written} has a fractional part"
        return super().refuse(raw, expected)


register(IntegerType())
