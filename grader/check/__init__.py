"""Checkers, one per answer type, in a registry keyed by the part's `type`.

A checker reads a student's raw answer once (`read`, which raises Invalid with
a located reason) and compares that reading with any expected value
(`compare`): the canonical answer, a known mistake, or a carry-forward value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

CORRECT, PARTIAL, INCORRECT, INVALID, UNGRADED, MISSING = (
    "correct", "partial", "incorrect", "invalid", "ungraded", "missing",
)
STATUSES = (CORRECT, PARTIAL, INCORRECT, INVALID, UNGRADED, MISSING)


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
    """A student's answer as understood: `value` to compare, `shown` to echo back."""

    value: Any
    shown: str | None = None
    digits: Any = None
    domain: Any = None  # an expression's conditions for being defined as written (expr/domain.py)


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
