"""Checkers, one per answer type, in a registry keyed by the part's `type`.

A checker reads a student's raw answer once (`read`, which raises Invalid with
a located reason) and compares that reading with any expected value
(`compare`): the canonical answer, a known mistake, or a carry-forward value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable

from ..expr.reader import division_note
from ..expr.render import render

CORRECT, PARTIAL, INCORRECT, INVALID, UNGRADED, MISSING = (
    "correct", "partial", "incorrect", "invalid", "ungraded", "missing",
)
STATUSES = (CORRECT, PARTIAL, INCORRECT, INVALID, UNGRADED, MISSING)


class Status(str, Enum):
    """A part's verdict; a str, so it equals and serialises as its value."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    INVALID = "invalid"
    UNGRADED = "ungraded"
    MISSING = "missing"


class Invalid(Exception):
    """An answer that cannot be read: wrong type, unparseable, unknown name, wrong shape."""


@dataclass(frozen=True)
class Check:
    status: str
    credit: float = 0.0
    feedback: str = ""
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reading:
    """A student's answer as understood: `value` to compare, `shown` to echo back, `notes` on
    how it was read, and the `alternative` reading of an ambiguous text (graded too: the
    better of the two counts)."""

    value: Any
    shown: str | None = None
    digits: Any = None
    notes: tuple[str, ...] = ()
    alternative: "Reading | None" = None
    domain: Any = None  # an expression's conditions for being defined as written (expr/domain.py)


def reading_of(parsed, show: Callable[[Any], str | None], value: Callable[[Any], Any] = lambda e: e,
               **extra) -> Reading:
    """A Reading from an expression as parsed (grader.expr.read): its value for the answer type,
    its echo, its notes, where it is defined as written, and for an ambiguous division both
    readings, each telling the student how it was read."""
    def one(expr, conditions):
        shown = show(expr)
        notes = parsed.notes + ((division_note(shown or render(expr)),) if parsed.ambiguous else ())
        return Reading(value(expr), shown, notes=notes, domain=conditions, **extra)

    first = one(parsed.value, parsed.conditions)
    if parsed.alternative is None:
        return first
    return Reading(first.value, first.shown, first.digits, first.notes,
                   one(parsed.alternative, parsed.alternative_conditions), first.domain)


@dataclass(frozen=True)
class Checker:
    read: Callable[[Any, Any], Reading]               # (raw, part) -> Reading
    compare: Callable[[Reading, Any, Any], Check]     # (reading, expected, part) -> Check


CHECKERS: dict[str, Checker] = {}


def register(type_name: str, read, compare) -> None:
    CHECKERS[type_name] = Checker(read, compare)


def checker_for(type_name: str) -> Checker:
    return CHECKERS[type_name]


from . import array, choice, expression, integer, number, text  # noqa: E402,F401  (registration)
