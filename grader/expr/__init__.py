"""The safe expression language: read what a student typed, and decide what it means.

`parse` turns text into sympy objects through a grammar (never eval or sympify);
`compare` decides equivalence in layers (structural, seeded numeric, symbolic)
under a time budget; `render` echoes an answer as it was read.
"""

from __future__ import annotations

from .algebra import describe, is_matrix, shape_of
from .equivalence import DIFFERENT, EQUIVALENT, UNDECIDED, Verdict, compare, prepare
from .errors import BudgetExceeded, ExprError, LimitExceeded, ShapeMismatch
from .limits import DEFAULT_LIMITS, Limits, budget
from .reader import EMPTY, Parsed, read
from .render import render
from .symbols import SymbolTable

def parse(text: str, table: SymbolTable = EMPTY, limits: Limits = DEFAULT_LIMITS):
    """Read `text` as a sympy expression over the names in `table`.

    Raises ExprError (with the column when known) for anything that cannot be read.
    """
    return read(text, table, limits).value


__all__ = [
    "parse", "read", "Parsed", "render", "compare", "prepare", "Verdict", "EQUIVALENT", "DIFFERENT", "UNDECIDED",
    "SymbolTable", "Limits", "DEFAULT_LIMITS", "budget",
    "ExprError", "LimitExceeded", "ShapeMismatch", "BudgetExceeded",
    "describe", "is_matrix", "shape_of",
]
