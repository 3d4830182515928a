"""`require` on a problem: conditions a student's draws must meet, or they are drawn again.

A condition is two formulas over the problem's parameters joined by one comparison
(`w31 x1 + w32 x2 + c3 > 0`). Each side is read by the safe expression reader (the
instructor's text is never eval'd) and evaluated with numpy, so a variant that is
accepted on one machine is accepted on every machine.
"""

from __future__ import annotations

import graphlib
import operator
import re

from .canonical import SolveError, numeric_value, to_array
from .expr import ExprError
from .expr.symbols import loose, normalize

_OPS = {"<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
        "<": operator.lt, ">": operator.gt, "\u2264": operator.le, "\u2265": operator.ge, "\u2260": operator.ne}
_COMPARISON = re.compile("|".join(re.escape(op) for op in sorted(_OPS, key=len, reverse=True)))
MAX_CONDITION = 500  # characters; a condition is one comparison


class RequireError(SolveError):
    """A condition that cannot be read or evaluated (a fault of the problem file).
    `index` is the condition's position in `require`, for `grade check` to find its line."""

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        self.index = index


def split(text: str, index: int | None = None) -> tuple[str, str, str]:
    """`a + b > 0` -> ('a + b', '>', '0'); anything but exactly one comparison is an error."""
    if len(text) > MAX_CONDITION:
        raise RequireError(f"require: condition {index + 1 if index is not None else ''} is too long "
                           f"({len(text)} characters; the limit is {MAX_CONDITION})", index)
    found = _COMPARISON.findall(text)
    if len(found) != 1:
        raise RequireError(f"require: '{text}' must compare two formulas with exactly one of "
                           f"<, <=, >, >=, ==, != (found {len(found)})", index)
    left, right = (side.strip() for side in _COMPARISON.split(text))
    if not left or not right:
        raise RequireError(f"require: '{text}' needs a formula on both sides of {found[0]}", index)
    return left, found[0], right


def _mentioned(formula: str, names: set[str]) -> set[str]:
    from .solve import referenced_names  # solve imports variants, which imports this lazily

    return referenced_names(formula, names)


def _named(require: list[str], conditions: list[tuple[str, str, str]], values: dict) -> list[str]:
    """The names the conditions mention; a side that cannot be read is the condition's error."""
    names = []
    for index, (text, (left, _, right)) in enumerate(zip(require, conditions)):
        for side in (left, right):
            try:
                names += _mentioned(side, set(values))
            except ExprError as error:
                raise RequireError(f"require: cannot read '{text}': {error.reason}", index) from None
    return names


def _scope(names: list[str], values: dict) -> dict:
    """Drawn values, plus the computed parameters (string values) the conditions need, in order."""
    scope = {k: to_array(v) if isinstance(v, list) else v for k, v in values.items() if not isinstance(v, str)}
    formulas = {k: v for k, v in values.items() if isinstance(v, str)}
    by_key = {loose(normalize(n)): n for n in values}
    graph: dict[str, set[str]] = {}
    todo = [by_key.get(loose(name)) for name in names]
    while todo:
        name = todo.pop()
        if name not in formulas or name in graph:
            continue
        graph[name] = {by_key.get(loose(m)) for m in _mentioned(formulas[name], set(values))} & formulas.keys()
        todo += graph[name]
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        raise RequireError(f"require: parameters depend on each other in a cycle: {' -> '.join(error.args[1])}")
    for name in order:
        scope[name] = numeric_value(formulas[name], scope)
    return scope


def _side(formula: str, scope: dict, text: str, index: int) -> float | None:
    """The number one side stands for; None where it is not finite (the draw is then rejected)."""
    try:
        value = numeric_value(formula, scope)
    except ExprError as error:
        raise RequireError(f"require: cannot read '{text}': {error.reason} (a condition may name "
                           f"parameters only)", index) from None
    except SolveError:
        return None
    if not isinstance(value, float):
        raise RequireError(f"require: '{text}' compares arrays; compare numbers (an entry such as "
                           f"h[1], or norm(h))", index)
    return value


def holds(require: list[str], values: dict) -> bool:
    """Whether one set of draws meets every condition."""
    conditions = [split(text, i) for i, text in enumerate(require)]
    names = _named(require, conditions, values)
    try:
        scope = _scope(names, values)
    except ExprError as error:
        raise RequireError(f"require: a computed parameter cannot be evaluated: {error.reason}") from None
    except RequireError:
        raise  # a cycle among the parameters is the file's fault, not a draw to reject
    except SolveError:
        return False
    for index, (text, (left, op, right)) in enumerate(zip(require, conditions)):
        a, b = _side(left, scope, text, index), _side(right, scope, text, index)
        if a is None or b is None or not _OPS[op](a, b):
            return False
    return True
