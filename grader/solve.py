"""Canonical answers for one variant: parameters -> (python solver) -> part expressions, as a DAG.

Part `answer` expressions may name parameters, values a python solver returns,
and other parts; the order comes from a topological sort, so a cycle or an
unknown name is reported with the names involved.
"""

from __future__ import annotations

import contextlib
import graphlib
import importlib.util
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from lark import Token

from .canonical import SolveError, numeric_value, symbol_table, to_array
from .check import checker_for
from .expr import BudgetExceeded, ExprError, Parsed, budget, read
from .expr.library import FUNCTIONS
from .expr.limits import INSTRUCTOR_LIMITS
from .expr.parser import parse_tree
from .expr.symbols import loose, normalize
from .loader import LoadedProblem
from .variants import draw_params

SOLVER_LIMIT = 10.0   # seconds for one call of a python solver, its import included
_hung: set[Path] = set()  # solvers that ran out of time in this process: they fail at once from then on


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
        part = self.problem.model.parts[part_id]
        return checker_for(part.type).canonical(text, part, scope)

    def mistake_value(self, part_id: str, index: int):
        """The value of a known mistake in this variant, computed once."""
        key = (part_id, index)
        if key not in self._mistakes:
            mistake = self.problem.model.parts[part_id].mistakes[index]
            self._mistakes[key] = self.evaluate(mistake.answer, part_id)
        return self._mistakes[key]


def referenced_names(text: str, names: set[str]) -> set[str]:
    """Names an expression mentions, from its parse tree (no evaluation).

    `names` are the value names in scope: they shadow functions of the same name, and any of
    them may be an array whose entry is written `h[1]` or `h_1` (which mentions h).
    """
    keys = frozenset(normalize(n) for n in names)
    return _referenced(text, frozenset(f for f in FUNCTIONS if f not in names), keys)


@lru_cache(maxsize=4096)
def _referenced(text: str, functions: frozenset, names: frozenset) -> frozenset[str]:
    tree = parse_tree(text, functions, INSTRUCTOR_LIMITS, names, names, arrays_known=False)
    return frozenset(normalize(t.value) for t in tree.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME"))


def reading_of_answer(text: str, part, variant: "Variant") -> Parsed:
    """How an instructor's answer text reads in this part (for `grade check`'s warnings:
    an ambiguous division, a glued word split into names)."""
    local = {loose(normalize(v)) for v in part.vars}
    scope = {k: v for k, v in variant.scope.items() if loose(normalize(k)) not in local}
    extra = dict(part.vars) if checker_for(part.type).vars_in_answers else None
    return read(str(text), symbol_table(scope, extra), INSTRUCTOR_LIMITS)


@lru_cache(maxsize=256)
def _solver_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"grade_solver_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # instructor code, beside the problem file
    if not callable(getattr(module, "solve", None)):
        raise SolveError(f"{path.name} defines no solve(params) function", ("solver", "python"))
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
        raise SolveError(f"{late} (on an earlier call)", ("solver", "python"))
    try:
        with budget(SOLVER_LIMIT), contextlib.redirect_stdout(sys.stderr):
            result = _solver_module(path).solve(inputs)
    except SolveError:
        raise
    except BudgetExceeded:
        _hung.add(path)
        raise SolveError(late, ("solver", "python")) from None
    except SystemExit as error:
        raise SolveError(f"solver {path.name} called sys.exit({error.code!r})", ("solver", "python")) from None
    except Exception as error:  # the solver is the instructor's code; report, don't crash
        raise SolveError(f"solver {path.name} failed: {type(error).__name__}: {error}", ("solver", "python")) from None
    if not isinstance(result, dict):
        raise SolveError(f"solver {path.name} must return a dict, got {type(result).__name__}", ("solver", "python"))
    return result


def solve(problem: LoadedProblem, student: str | None = None, secret: str = "", draws: dict | None = None) -> Variant:
    """Draw this student's parameters (unless `draws` has them) and compute every canonical answer."""
    model = problem.model
    raw = draw_params(model, problem.id, student, secret) if draws is None else draws
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
        elif checker_for(part.type).needs_answer:
            raise SolveError(f"part '{pid}' has no answer and the solver does not return it", ("parts", pid))
    named = {n for n in [*scope, *formulas]
             if n not in model.parts or checker_for(model.parts[n].type).nameable(n, model.parts[n])}
    known = {loose(normalize(n)): n for n in named}
    graph: dict[str, set[str]] = {}
    for name, formula in formulas.items():
        part = model.parts.get(name)
        if not isinstance(formula, str) or (part is not None and not checker_for(part.type).formula_answers):
            graph[name] = set()
            continue
        try:
            mentioned = referenced_names(formula, set(known.values()) | set(part.vars if part else ()))
        except ExprError as error:
            raise SolveError(f"{'part' if part else 'parameter'} {name}: cannot read its answer '{formula}': "
                             f"{error.reason}",
                             ("parts", name, "answer") if part else ("params", name)) from None
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
                value = checker_for(part.type).canonical(solved[name] if formula is None else formula, part, scope)
        except (ExprError, SolveError) as error:
            failed[name] = (name, error.reason if isinstance(error, ExprError) else str(error))
        if name in failed:
            root, reason = failed[name]
            if part is not None:
                used = f"it uses '{root}', which cannot be evaluated ({reason})"
                expected[name] = Unsolved(reason if root == name else used)
            continue
        expected[name] = value
        if checker_for(part.type).nameable(name, part):
            scope[name] = value
    for pid in model.parts:
        expected.setdefault(pid, None)  # text parts have no canonical answer
    depends = {pid: {d for d in graph.get(pid, ()) if d in model.parts} for pid in model.parts}
    return Variant(problem, student, params, scope, expected, depends)
