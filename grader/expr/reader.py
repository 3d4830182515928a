"""Text -> the readings of an answer: what it means, a second meaning when the text is
ambiguous, and notes for the student about how it was read."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .build import Builder
from .errors import ExprError
from .limits import DEFAULT_LIMITS, Limits
from .parser import parse_tree
from .pasted import tidy
from .symbols import SymbolTable



def division_note(shown: str) -> str:
    """What a student is told about a division followed by a product, read as `shown`."""
    return (f"read as {shown}: a division followed by a product, like 1/K (y - t), can be read two ways; "
            f"write parentheses to be unambiguous")


@dataclass(frozen=True)
class Parsed:
    """One answer as read.

    `value` is the usual reading; `alternative` the other reading of an ambiguous division
    (`1/K (y - t)`: juxtaposition first is 1/(K (y - t)), division first is (1/K)(y - t)), or
    None; `text` is the text as read, after tidying; `conditions` (and `alternative_conditions`)
    say where each reading is defined as written (domain.py: `sqrt(x)^2` was built as x); `divided_first` says that only the division-first reading made sense, so the
    student should hear how it was read. `notes` say what was set aside or guessed; `splits` are glued words read as several
    names (`kk` -> k k), which `grade check` warns about in an instructor's answer.
    """

    value: object
    alternative: object = None
    notes: tuple[str, ...] = ()
    splits: tuple[tuple[str, tuple[str, ...]], ...] = ()
    divided_first: bool = False
    text: str = ""
    conditions: object = None
    alternative_conditions: object = None

    @property
    def ambiguous(self) -> bool:
        return self.alternative is not None or self.divided_first


EMPTY = SymbolTable()


def read(text: str, table: SymbolTable = EMPTY, limits: Limits = DEFAULT_LIMITS) -> Parsed:
    """Read `text` over the names in `table`; raises ExprError when no reading works."""
    if not isinstance(text, str):
        raise ExprError(f"expected text, got {type(text).__name__}")
    tidied = tidy(text)
    text, notes = tidied.text, tidied.notes
    tree = parse_tree(text, table.functions, limits, frozenset(table.names), table.indexable)
    usual = Builder(table, limits, text)
    try:
        value, failure = usual.finish(tree), None
    except ExprError as error:
        value, failure = None, error
    parsed = Parsed(value, notes=notes, splits=tuple(dict.fromkeys(usual.splits)), text=text,
                    conditions=usual.conditions)
    if not usual.ambiguous:
        if failure is not None:
            raise failure
        return parsed
    other = Builder(table, limits, text, division_first=True)
    try:
        alternative = other.finish(tree)
    except ExprError:
        if failure is not None:
            raise failure from None
        return parsed
    if failure is not None:  # only the division-first reading makes sense: 1/m X^T (X w - y)
        return replace(parsed, value=alternative, conditions=other.conditions, divided_first=True)
    if alternative == value:
        return parsed
    return replace(parsed, alternative=alternative, alternative_conditions=other.conditions)
