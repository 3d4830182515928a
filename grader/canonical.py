"""Canonical values from an instructor's answer: numbers and arrays evaluated over the named
values in scope, formulas built with parameter values put in exactly.

Kept apart from solving so each answer type (grader.check) can coerce its own canonical value
without importing the solver that dispatches to it.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp

from .errors import GradeError
from .expr import SymbolTable, is_matrix, parse, shape_of
from .expr.limits import INSTRUCTOR_LIMITS
from .expr.numeric import evaluate
from .expr.symbols import NAME, loose, normalize


class SolveError(GradeError):
    """A problem whose canonical answers cannot be computed (a fault of the problem, not the student).
    `loc` is the key in the problem file at fault, for `grade check` to name its line."""

    def __init__(self, message: str, loc: tuple = ()):
        super().__init__(message)
        self.loc = loc


def to_array(value) -> np.ndarray | float:
    """Python numbers and nested lists -> float or numpy array (column vectors become 1-D)."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    return float(array) if array.ndim == 0 else array


def _declaration(value) -> str:
    if isinstance(value, (float, int)):   # most values in scope: drawn numbers and numeric parts
        return "real"
    if isinstance(value, sp.Basic):  # an expression part's answer, named by a later part
        if not is_matrix(value):
            return "real"
        rows, cols = shape_of(value)
        return f"matrix({rows}, {cols})"
    array = np.asarray(value)
    if array.ndim == 0:
        return "real"
    if array.ndim == 1:
        return f"vector({array.shape[0]})"
    return f"matrix({array.shape[0]}, {array.shape[1]})"


def _exact(x: float):
    return sp.Rational(Fraction(repr(float(x))))


@lru_cache(maxsize=4096)
def _nameable(name: str) -> bool:
    """Whether an answer can mention this value: a name, with at most one _subscript. (Cached: the
    names are a problem's, and every formula of every student asks about each of them.)"""
    return NAME.fullmatch(normalize(name)) is not None


def _sized(value) -> bool:
    """A vector or matrix of known size: a numeric array, or an expression part's matrix of
    formulas (a Jacobian), whose entries `J[1, 2]` a later formula may use."""
    if isinstance(value, np.ndarray):
        return value.ndim in (1, 2)
    return isinstance(value, sp.Basic) and is_matrix(value) and all(isinstance(n, (int, sp.Integer)) for n in shape_of(value))


def signature(scope: dict, extra: dict | None) -> tuple[tuple, frozenset]:
    """All a parse depends on, in one pass over the scope: the kind and shape of each nameable value
    plus `extra` (a part's vars), and the vectors and matrices a formula may index (`h[1]`, `h_1`:
    array parts, parameters, solver values, matrices of formulas; not a part's own vars)."""
    extra = extra or {}
    named, indexable = {}, []
    for name, value in scope.items():
        if not _nameable(name):
            continue
        if isinstance(value, (float, int)):   # most values: drawn numbers and numeric parts (30 a problem)
            named[name] = "real"
            continue
        named[name] = _declaration(value)
        if name not in extra and _sized(value):
            indexable.append(name)
    named.update(extra)
    return tuple(sorted(named.items())), frozenset(indexable)


def symbol_table(scope: dict, extra: dict | None = None) -> SymbolTable:
    """The names an instructor's formula may use in this scope (plus a part's vars)."""
    return _table(*signature(scope, extra))


@lru_cache(maxsize=4096)
def _table(named: tuple, indexable: frozenset) -> SymbolTable:
    return SymbolTable(dict(named), entries=indexable)


def _parsed(text: str, scope: dict, extra: dict | None = None):
    """(expression, table) for an answer over the named values in scope.

    Parsing depends only on the text and the names' kinds and shapes, not on
    the drawn values, so every variant of a class shares one parse.
    """
    return _parse_cached(str(text), *signature(scope, extra))


@lru_cache(maxsize=4096)
def _parse_cached(text: str, named: tuple, indexable: frozenset):
    table = _table(named, indexable)
    return parse(text, table, INSTRUCTOR_LIMITS), table


def numeric_value(text: str, scope: dict):
    """A canonical number or array from an expression over named values."""
    expr, table = _parsed(text, scope)
    env = {}
    named = expr.free_symbols   # once: sympy walks the whole expression for it
    for decl in table.symbols:
        if decl.obj not in named:
            continue
        value = scope[_original_name(scope, decl.name)]
        if isinstance(value, sp.Basic):
            raise SolveError(f"'{text}' names the formula '{decl.name}': a numeric answer can only use numbers")
        value = np.asarray(value, dtype=float)
        env[decl.obj] = value.reshape((1,) + value.shape + ((1,) if value.ndim == 1 else ()))
    result = np.asarray(evaluate(expr, env, {}), dtype=float)
    result = result.reshape(result.shape[1:]) if result.ndim and result.shape[0] == 1 else result
    if result.shape == (1, 1):
        result = result[0, 0]  # a 1×1 product such as u^T u is a number
    elif result.ndim == 2 and result.shape[1] == 1:
        result = result[:, 0]
    if not np.all(np.isfinite(result)):
        raise SolveError(f"'{text}' is not finite for these parameter values")
    return float(result) if result.ndim == 0 else result


def _original_name(scope: dict, declared: str) -> str:
    if declared in scope:
        return declared
    for name in scope:
        if loose(normalize(name)) == loose(declared):
            return name
    raise KeyError(declared)


def symbolic_value(text: str, part, scope: dict):
    """A canonical expression over the part's vars, with parameter values put in exactly.

    The part's own vars shadow parameters and parts of the same name.
    """
    local = {loose(normalize(v)) for v in part.vars}
    scope = {k: v for k, v in scope.items() if loose(normalize(k)) not in local}
    expr, table = _parsed(text, scope, dict(part.vars))
    substitutions = {}
    named = expr.free_symbols
    for name, value in scope.items():
        decl = table.lookup(name)
        if decl is None or decl.obj not in named:
            continue
        if isinstance(value, sp.Basic):  # another expression part's answer: its formula goes in
            _same_vars(value, table, name)
            substitutions[decl.obj] = value
            continue
        array = np.asarray(value, dtype=float)
        substitutions[decl.obj] = (
            _exact(array) if array.ndim == 0
            else sp.ImmutableMatrix(np.atleast_2d(array.T).T.tolist()).applyfunc(_exact)
        )
    return expr.subs(substitutions) if substitutions else expr


def _same_vars(value, table: SymbolTable, name: str) -> None:
    """A formula from another part may only use names this part declares, with the same kinds."""
    known = {d.obj for d in table.symbols} | set(table.dims.values())
    foreign = sorted(str(s) for s in value.free_symbols if s not in known)
    if foreign:
        raise SolveError(f"'{name}' uses {', '.join(foreign)}, which this part does not declare the same way: "
                         f"declare the same vars with the same kinds in both parts")



def numeric(answer, scope: dict):
    """A canonical number or array: a literal as given (a python solver may return numpy
    values), else the value of an expression over named values."""
    if isinstance(answer, (int, float, list, np.ndarray, np.number)):
        return to_array(answer)
    return numeric_value(answer, scope)

