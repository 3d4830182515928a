"""Answer types, one class each, in a registry keyed by the part's `type`.

A type reads a student's raw answer once (`read`, which raises Invalid with a
located reason) and compares that reading with any expected value (`compare`):
the canonical answer, a known mistake, or a carry-forward value. It also knows
its canonical value, its self-tests and how it is shown (AnswerType).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

from ..expr.reader import division_note
from ..expr.render import render
from ..status import Status


CORRECT, PARTIAL, INCORRECT, INVALID, UNGRADED, MISSING = Status  # the short names checkers use


class Invalid(Exception):
    """An answer that cannot be read: wrong type, unparseable, unknown name, wrong shape."""


@dataclass(frozen=True)
class Check:
    status: Status
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


MAX_BITS = 1023  # the largest exponent of a float64


class AnswerType:
    """One kind of answer, everything about it in one class: reading a student's answer,
    comparing it, the canonical value of an instructor's answer, its self-tests and how it is
    shown. Register an instance under `name`; grading, solving, `grade check`, `show` and the
    problem schema find it there."""

    name: ClassVar[str]
    needs_answer: ClassVar[bool] = True      # a part without an answer (or a solver's) is an error
    formula_answers: ClassVar[bool] = True   # an instructor's answer is a formula naming other values
    vars_in_answers: ClassVar[bool] = False  # answers may use the part's declared vars

    def read(self, raw: Any, part) -> Reading:
        """A student's raw answer as understood; raises Invalid with the reason."""
        raise NotImplementedError

    def compare(self, reading: Reading, expected: Any, part) -> Check:
        """A reading against an expected value: the canonical answer, a mistake, a carry-forward."""
        raise NotImplementedError

    def canonical(self, answer: Any, part, scope: dict[str, Any]) -> Any:
        """The value an instructor's answer (or a solver's output) stands for, over the named
        values in scope; None where there is nothing to compare with."""
        return None

    def nameable(self, part_id: str, part) -> bool:
        """Whether later answers can name this part's value."""
        return False

    def forms(self, value: Any, part) -> tuple[Any, Any, Any] | None:
        """(right, perturbed, negated) answers as a student would submit them, for `grade check`;
        negated None where meaningless; None for a type that is not self-tested."""
        return None

    def unfit(self, value: Any, part) -> str | None:
        """Why a canonical value cannot test students' answers, for `grade check`; None if it can."""
        return None

    def refuse(self, raw: Any, expected: Any) -> str | None:
        """Why `raw` is refused before reading (cheaply, by size), or None to read it: an
        integer past the range of a float (TOML allows 4,000 digits) would raise deep in a check."""
        return too_large([raw])

    def validate(self, part) -> None:
        """Raise ValueError when the part's settings cannot work for this type."""

    def shown(self, part) -> list[str]:
        """Lines `grade show` writes under the part's prompt."""
        return []

    def hints(self, part) -> list[str]:
        """Comment lines `grade template` writes under the part's prompt."""
        return []


def too_large(cells: list) -> str | None:
    """A number too large to compute with, among the cells of an answer."""
    for cell in cells:
        if isinstance(cell, int) and not isinstance(cell, bool) and cell.bit_length() > MAX_BITS:
            return "number too large to compute with (over 300 digits)"
    return None


TYPES: dict[str, AnswerType] = {}  # in the order problem-file errors and the schema list them


def register(answer_type: AnswerType) -> AnswerType:
    TYPES[answer_type.name] = answer_type
    return answer_type


def checker_for(type_name: str) -> AnswerType:
    return TYPES[type_name]


from . import number, integer, array, expression, choice, text  # noqa: E402  (importing registers each type)

MODULES = (number, integer, array, expression, choice, text)   # the order `TYPES` lists them in
