"""The safe expression language: read what a student typed, and decide what it means.

`parse` turns text into sympy objects through a grammar (never eval or sympify);
`compare` decides equivalence in layers (structural, seeded numeric, symbolic)
under a time budget; `render` echoes an answer as it was read.
"""

from __future__ import annotations

from .algebra import describe, is_matrix, shape_of
from .build import Builder
from .equivalence import DIFFERENT, EQUIVALENT, UNDECIDED, Verdict, compare, prepare
from .errors import BudgetExceeded, ExprError, LimitExceeded, ShapeMismatch
from .limits import DEFAULT_LIMITS, Limits, budget
from .parser import parse_tree
from .render import render
from .symbols import SymbolTable

EMPTY = SymbolTable()


def parse(text: str, table: SymbolTable = EMPTY, limits: Limits = DEFAULT_LIMITS):
    """Read `text` as a sympy expression over the names in `table`.

    Raises ExprError (with the column when known) for anything that cannot be read.
    """
    return parse_with_domain(text, table, limits)[0]


def parse_with_domain(text: str, table: SymbolTable = EMPTY, limits: Limits = DEFAULT_LIMITS):
    """`parse`, and the conditions under which the answer as written is defined (domain.py):
    sympy has already turned `sqrt(x)^2` into `x`, but the student wrote a square root."""
    if not isinstance(text, str):
        raise ExprError(f"expected text, got {type(text).__name__}")
    tree = parse_tree(text, table.functions, limits)
    builder = Builder(table, limits, text)
    return builder.finish(tree), builder.conditions


__all__ = [
    "parse", "parse_with_domain", "render", "compare", "prepare", "Verdict", "EQUIVALENT", "DIFFERENT", "UNDECIDED",
    "SymbolTable", "Limits", "DEFAULT_LIMITS", "budget",
    "ExprError", "LimitExceeded", "ShapeMismatch", "BudgetExceeded",
    "describe", "is_matrix", "shape_of",
]
