"""Canonical answers for one variant: parameters -> (python solver) -> part expressions, as a DAG.

Part `answer` expressions may name parameters, values a python solver returns,
and other parts; the order comes from a topological sort, so a cycle or an
unknown name is reported with the names involved.
"""

from __future__ import annotations

import contextlib
import graphlib
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp
from lark import Token

from .expr import BudgetExceeded, ExprError, Parsed, SymbolTable, budget, is_matrix, parse, read, shape_of
from .expr.library import CONSTANT_NAMES, FUNCTIONS
from .expr.limits import INSTRUCTOR_LIMITS
from .expr.numeric import evaluate
from .expr.parser import parse_tree
from .expr.symbols import loose, normalize
from .errors import GradeError
from .loader import LoadedProblem
from .variants import draw_params

NUMERIC_TYPES = ("number", "integer", "array")
SOLVER_LIMIT = 10.0   # seconds for one call of a python solver, its import included
_hung: set[Path] = set()  # solvers that ran out of time in this process: they fail at once from then on


class SolveError(GradeError):
    """A problem whose canonical answers cannot be computed (a fault of the problem, not the student)."""


@dataclass(frozen=True)
class Unsolved:
    """The canonical answer of one part that cannot be computed: that part alone is ungraded."""

    reason: str


@dataclass
class Variant:
    """One student's (or the published) instance of a problem, with every canonical answer."""

    problem: LoadedProblem
    student: str | None
    params: dict[str, Any]
    scope: dict[str, Any]                 # every named value: params, solver outputs, numeric parts
    expected: dict[str, Any]              # part id -> canonical value
    depends: dict[str, set[str]] = field(default_factory=dict)  # part id -> parts its answer names
    _mistakes: dict = field(default_factory=dict, repr=False)

    def evaluate(self, text, part_id: str, overrides: dict | None = None):
        """Evaluate an answer-like expression (a mistake, or a carry-forward) in this variant."""
        scope = {**self.scope, **(overrides or {})}
        return answer_value(text, self.problem.model.parts[part_id], scope)

    def mistake_value(self, part_id: str, index: int):
        """The value of a known mistake in this variant, computed once."""
        key = (part_id, index)
        if key not in self._mistakes:
            mistake = self.problem.model.parts[part_id].mistakes[index]
            self._mistakes[key] = self.evaluate(mistake.answer, part_id)
        return self._mistakes[key]


def to_array(value) -> np.ndarray | float:
    """Python numbers and nested lists -> float or numpy array (column vectors become 1-D)."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    return float(array) if array.ndim == 0 else array


def _declaration(value) -> str:
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


def referenced_names(text: str, names: set[str]) -> set[str]:
    """Names an expression mentions, from its parse tree (no evaluation).

    `names` are the value names in scope: they shadow functions of the same name.
    """
    return _referenced(text, frozenset(f for f in FUNCTIONS if f not in names))


@lru_cache(maxsize=4096)
def _referenced(text: str, functions: frozenset) -> frozenset[str]:
    tree = parse_tree(text, functions, INSTRUCTOR_LIMITS)
    return frozenset(normalize(t.value) for t in tree.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME"))


def _later_answers_can_name(pid: str, part) -> bool:
    """Whether later answers can name this part: numbers and arrays always; a formula unless its
    id is a built-in's (a part called `diag` leaves `diag(s)` the function, as it always was)."""
    if part.type in NUMERIC_TYPES:
        return True
    return part.type == "expression" and normalize(pid) not in FUNCTIONS and normalize(pid) not in CONSTANT_NAMES


def _nameable(name: str) -> bool:
    """Whether an answer can mention this value: a name, with at most one _subscript."""
    return re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)?", normalize(name)) is not None


def _declarations(scope: dict, extra: dict | None) -> tuple:
    declarations = {name: _declaration(v) for name, v in scope.items() if _nameable(name)}
    declarations.update(extra or {})
    return tuple(sorted(declarations.items()))


def _parsed(text: str, scope: dict, extra: dict | None = None):
    """(expression, table) for an answer over the named values in scope.

    Parsing depends only on the text and the names' kinds and shapes, not on
    the drawn values, so every variant of a class shares one parse.
    """
    return _parse_cached(str(text), _declarations(scope, extra))


@lru_cache(maxsize=4096)
def _parse_cached(text: str, declarations: tuple):
    table = SymbolTable(dict(declarations))
    return parse(text, table, INSTRUCTOR_LIMITS), table


def reading_of_answer(text: str, part, variant: "Variant") -> Parsed:
    """How an instructor's answer text reads in this part (for `grade check`'s warnings:
    an ambiguous division, a glued word split into names)."""
    local = {loose(normalize(v)) for v in part.vars}
    scope = {k: v for k, v in variant.scope.items() if loose(normalize(k)) not in local}
    extra = dict(part.vars) if part.type == "expression" else None
    return read(str(text), SymbolTable(dict(_declarations(scope, extra))), INSTRUCTOR_LIMITS)


def numeric_value(text: str, scope: dict):
    """A canonical number or array from an expression over named values."""
    expr, table = _parsed(text, scope)
    env = {}
    for decl in table.symbols:
        if decl.obj not in expr.free_symbols:
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
    for name, value in scope.items():
        decl = table.lookup(name)
        if decl is None or decl.obj not in expr.free_symbols:
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


def answer_value(text, part, scope: dict):
    """The value an answer-like string (or literal) stands for, for this part's type."""
    if part.type in NUMERIC_TYPES:
        if isinstance(text, (int, float, list, np.ndarray, np.number)):
            value = to_array(text)  # a literal (a python solver may return numpy values)
        else:
            value = numeric_value(text, scope)
        if part.type in ("number", "integer") and np.ndim(value):
            raise SolveError(f"'{text}' is a vector or matrix, but the part is a single {part.type}")
        if part.type == "integer":
            if not float(value).is_integer():
                raise SolveError(f"'{text}' should be a whole number, is {value}")
            return int(value)
        return value
    if part.type == "expression":
        return symbolic_value(text, part, scope)
    if part.type == "choice":
        return text
    return None


@lru_cache(maxsize=256)
def _solver_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"grade_solver_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # instructor code, beside the problem file
    if not callable(getattr(module, "solve", None)):
        raise SolveError(f"{path.name} defines no solve(params) function")
    return module


def _run_solver(problem: LoadedProblem, params: dict) -> dict:
    """Call the problem's solve(params) under a time limit; whatever it prints goes to stderr.

    Its output must not get into a report on stdout (`--format json`), and
    sys.exit in it must not end the run.
    """
    path = (problem.path.parent / problem.model.solver.python).resolve()
    inputs = {k: (np.asarray(v, dtype=float) if isinstance(v, list) else v) for k, v in params.items()}
    late = f"solver {path.name} did not finish within {SOLVER_LIMIT:g} s"
    if path in _hung:
        raise SolveError(f"{late} (on an earlier call)")
    try:
        with budget(SOLVER_LIMIT), contextlib.redirect_stdout(sys.stderr):
            result = _solver_module(path).solve(inputs)
    except SolveError:
        raise
    except BudgetExceeded:
        _hung.add(path)
        raise SolveError(late) from None
    except SystemExit as error:
        raise SolveError(f"solver {path.name} called sys.exit({error.code!r})") from None
    except Exception as error:  # the solver is the instructor's code; report, don't crash
        raise SolveError(f"solver {path.name} failed: {type(error).__name__}: {error}") from None
    if not isinstance(result, dict):
        raise SolveError(f"solver {path.name} must return a dict, got {type(result).__name__}")
    return result


def solve(problem: LoadedProblem, student: str | None = None, secret: str = "") -> Variant:
    """Draw this student's parameters and compute every canonical answer."""
    model = problem.model
    raw = draw_params(model, problem.id, student, secret)
    params = {k: v for k, v in raw.items() if not isinstance(v, str)}
    scope: dict[str, Any] = {k: to_array(v) if isinstance(v, list) else v for k, v in params.items()}
    solved = _run_solver(problem, params) if model.solver else {}
    for name, value in solved.items():
        if name not in model.parts:
            scope[name] = to_array(value) if isinstance(value, list) else value

    # the graph: computed params and part answers, by the names they mention
    formulas: dict[str, Any] = {k: v for k, v in raw.items() if isinstance(v, str)}
    for pid, part in model.parts.items():
        if part.answer is not None:
            formulas[pid] = part.answer
        elif pid in solved:
            formulas[pid] = None
        elif part.type != "text":
            raise SolveError(f"part '{pid}' has no answer and the solver does not return it")
    named = {n for n in [*scope, *formulas] if n not in model.parts or _later_answers_can_name(n, model.parts[n])}
    known = {loose(normalize(n)): n for n in named}
    graph: dict[str, set[str]] = {}
    for name, formula in formulas.items():
        part = model.parts.get(name)
        if not isinstance(formula, str) or (part is not None and part.type in ("choice", "text")):
            graph[name] = set()
            continue
        try:
            mentioned = referenced_names(formula, set(known.values()) | set(part.vars if part else ()))
        except ExprError as error:
            raise SolveError(f"'{name}': cannot read its answer '{formula}': {error.reason}") from None
        local = {loose(normalize(v)) for v in (part.vars if part else {})}
        graph[name] = {known[loose(m)] for m in mentioned if loose(m) in known and loose(m) not in local}
        graph[name] &= set(formulas)
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        raise SolveError(f"answers depend on each other in a cycle: {' -> '.join(error.args[1])}") from None

    expected: dict[str, Any] = {}
    # a value that cannot be computed takes only what depends on it: name -> (where it broke, why)
    failed: dict[str, tuple[str, str]] = {}
    for name in order:
        part = model.parts.get(name)
        formula = formulas[name]
        broken = sorted(graph.get(name, set()) & failed.keys())
        try:
            if broken:
                failed[name] = failed[broken[0]]
            elif part is None:
                scope[name] = numeric_value(formula, scope)
                continue
            else:
                value = answer_value(solved[name] if formula is None else formula, part, scope)
        except (ExprError, SolveError) as error:
            failed[name] = (name, error.reason if isinstance(error, ExprError) else str(error))
        if name in failed:
            root, reason = failed[name]
            if part is not None:
                used = f"it uses '{root}', which cannot be evaluated ({reason})"
                expected[name] = Unsolved(reason if root == name else used)
            continue
        expected[name] = value
        if _later_answers_can_name(name, part):
            scope[name] = value
    for pid in model.parts:
        expected.setdefault(pid, None)  # text parts have no canonical answer
    depends = {pid: {d for d in graph.get(pid, ()) if d in model.parts} for pid in model.parts}
    return Variant(problem, student, params, scope, expected, depends)
