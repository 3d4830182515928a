"""Integers: exact, whether written as 6, "6", "3!" or "2*3"."""

from __future__ import annotations

from . import CORRECT, INCORRECT, Check, Invalid, Reading, register
from .number import read_scalar


def _read(raw, part) -> Reading:
    return _whole_reading(read_scalar(raw))


def _whole_reading(reading: Reading) -> Reading:
    other = reading.alternative and _whole_reading(reading.alternative)
    return Reading(_whole(reading.value), reading.shown, notes=reading.notes, alternative=other)


def _whole(value: float) -> int:
    if abs(value - round(value)) > 1e-9 * max(1.0, abs(value)):
        raise Invalid(f"expected a whole number, got {value:g}")
    return int(round(value))


def _compare(reading: Reading, expected, part) -> Check:
    if reading.value == int(expected):
        return Check(CORRECT, 1.0)
    feedback = "sign error: your answer is the negative of the correct one" if reading.value == -int(expected) else ""
    if not feedback and abs(reading.value - int(expected)) == 1:
        feedback = "off by one"
    return Check(INCORRECT, 0.0, feedback)


register("integer", _read, _compare)
