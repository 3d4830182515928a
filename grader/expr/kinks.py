"""Points on both sides of every kink and switch: where an argument of abs, relu, step, sign,
max or min crosses zero, or the expression of a domain condition (a denominator, a radicand).

Random points rarely land near a kink, so `relu(x + 4) - 4` passes for `x` unless some point
lies below -4, and `sigma(1000 x)` passes for `step(x)` unless one lies within 0.005 of zero.
Each argument's zeros are found along lines through a sampled point (one scalar name varied
over its whole range, the others held; or its vectors and matrices scaled together, t M):
solved when the argument is a polynomial there, else searched on a grid and bisected; then
points at and just either side of each zero are added.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from .functions import relu
from .numeric import evaluate
from .sampling import Points, scalar_range

MAX_ARGUMENTS = 8          # kink arguments looked at per comparison (a hostile answer may have 100)
MAX_ZEROS = 4              # zeros kept per argument and name
MAX_DEGREE = 6             # polynomial arguments up to this degree are solved
OFFSETS = (1e-6, 1e-2, 0.3)  # either side of a zero, relative to max(|zero|, 1)
_GRID = np.concatenate([-np.logspace(12, 3.5, 18), -np.logspace(3, -3, 61), [0.0], np.logspace(-3, 3, 61),
                        np.logspace(3.5, 12, 18)])  # beyond 10^3 too, where a name may lie but draws do not
_BISECTIONS = 30
_OPEN = ("positive", "negative", "natural")  # kinds whose range leaves 0 out
_SWITCHES = (sp.Abs, relu, sp.Heaviside, sp.sign)


def arguments(expr, scalars: dict, matrices: dict | None = None) -> list:
    """The scalar arguments whose zeros are kinks, over declared names: scalars, and vectors
    and matrices (with their dimension names) in `matrices` (norm(g) - 5 in a clipped gradient)."""
    known = scalars.keys() | (matrices or {}).keys() | {d for m in (matrices or {}) for d in m.shape if isinstance(d, sp.Symbol)}
    found = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, ElementwiseApplyFunction):  # relu(g - 5) of a vector: its entries' zeros
            body, (var,) = node.function.expr, node.function.variables
            switched = any(isinstance(n, _SWITCHES) and n.args[0] == var for n in sp.preorder_traversal(body))
            candidates = [node.expr] if switched else []
        elif isinstance(node, _SWITCHES):
            candidates = [node.args[0]]
        elif isinstance(node, (sp.Max, sp.Min)):
            args = node.args
            candidates = [a - b for i, a in enumerate(args) for b in args[i + 1:]]
        else:
            continue
        for arg in candidates:
            scalar_only = arg.free_symbols <= scalars.keys()
            if (arg.free_symbols and arg.free_symbols <= known and arg.free_symbols & (scalars.keys() | (matrices or {}).keys())
                    and not (scalar_only and getattr(arg, "is_Matrix", False)) and arg not in found):
                found.append(arg)
        if len(found) >= MAX_ARGUMENTS:
            break
    return found[:MAX_ARGUMENTS]


def kink_points(args: list, scalars: dict, base: Points, matrices: dict | None = None) -> Points | None:
    """Points either side of each zero of each argument, through the first point of `base`:
    along each scalar name, and along the ray t M of the argument's vectors and matrices, since
    Gaussian draws all have norms near sqrt(size) and `g min(1, 5/norm(g))` would pass for g."""
    fixed = {sym: np.asarray(values)[0] for sym, values in base.env.items()}
    moved: list[dict] = []  # per point: {symbol: value}
    for arg in args:
        for sym in sorted(arg.free_symbols & scalars.keys(), key=str):
            for value in _either_side(arg, sym, scalars[sym], fixed, base.dims):
                moved.append({sym: value})
        for factor in _along_ray(arg, matrices or {}, fixed, base.dims):
            moved.append({m: factor * fixed[m] for m in arg.free_symbols if m in (matrices or {})})
    if not moved:
        return None
    count = len(moved)
    env = {sym: np.repeat(np.asarray(value)[None], count, axis=0) for sym, value in fixed.items()}
    for i, change in enumerate(moved):
        for sym, value in change.items():
            env[sym][i] = value
    return Points(env, base.dims, count)


def _along_ray(arg, matrices: dict, fixed: dict, dims: dict) -> list[float]:
    """Factors t either side of where `arg` changes sign as its vectors and matrices M run along
    t M (t > 0 only for an spd one); none where one of them has the instructor's domain."""
    mats = [m for m in arg.free_symbols if m in matrices]
    if not mats or any(matrices[m].domain for m in mats):
        return []
    grid = _GRID if not any(matrices[m].kind == "spd" for m in mats) else _GRID[_GRID > 0]
    values = _scaled(arg, mats, grid, fixed, dims)  # (factor, entry): relu(g - 5) has one per entry
    if values is None:
        return []
    step, entry = np.nonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)
    order = np.argsort(entry, kind="stable")[:MAX_ZEROS]  # the first entries that cross zero
    step, entry = step[order], entry[order]
    a, b, fa = grid[step], grid[step + 1], values[step, entry]
    for _ in range(_BISECTIONS):
        if not a.size:
            break
        mid = (a + b) / 2
        fm = _scaled(arg, mats, mid, fixed, dims)
        if fm is None:
            break
        fm = fm[np.arange(mid.size), entry]
        left = np.sign(fm) == np.sign(fa)
        a, fa, b = np.where(left, mid, a), np.where(left, fm, fa), np.where(left, b, mid)
    out = []
    for zero in (a + b) / 2:
        size = max(abs(zero), 1e-3)
        out += [float(zero)] + [float(zero + sign * offset * size) for offset in OFFSETS for sign in (-1, 1)]
    return [t for t in out if t != 0]


def _scaled(arg, mats: list, factors: np.ndarray, fixed: dict, dims: dict) -> np.ndarray | None:
    env = {s: np.full(factors.size, float(v)) for s, v in fixed.items() if np.ndim(v) == 0}
    env.update({m: factors[:, None, None] * fixed[m][None] for m in mats})
    try:
        with np.errstate(all="ignore"):
            out = np.asarray(evaluate(arg, env, dims), dtype=float)
    except Exception:  # noqa: BLE001 - an argument we cannot evaluate just has no kink points
        return None
    if out.size == 1:
        out = np.broadcast_to(out.reshape(1), factors.shape)
    return out.reshape(factors.size, -1) if out.size and out.size % factors.size == 0 else None


SOLVED_LIMIT = 1e12  # a zero is a kink wherever the name may lie, not only where draws land


def _solved_range(decl) -> tuple[float, float]:
    """Where zeros are looked for (solved, or searched on a log grid): the instructor's domain,
    else the kind's whole half-line (to SOLVED_LIMIT), since draws reach only 10^3 and
    `min(max(x, -1000), 1000)` is not `x`."""
    low, high = scalar_range(decl)
    if decl.domain:
        return low, high
    return (-SOLVED_LIMIT if low < 0 else low), (SOLVED_LIMIT if high > 0 else high)


def _either_side(arg, sym, decl, fixed: dict, dims: dict) -> list[float]:
    low, high = _solved_range(decl)
    zeros = _polynomial_zeros(arg, sym, low, high, fixed)
    wide_low, wide_high = low, high
    zeros += [z for z in _zeros(arg, sym, scalar_range(decl), (wide_low, wide_high), fixed, dims)
              if not any(abs(z - r) <= 1e-9 * max(1.0, abs(r)) for r in zeros)]  # found twice
    integer = decl.kind in ("integer", "natural")
    out = []
    for zero in zeros:
        if integer:
            candidates = np.floor(zero) + np.arange(-2, 4)
        else:  # the zero itself too: x/x is undefined there, sign(x) is 0
            size = max(abs(zero), 1.0)
            candidates = [zero] + [zero + sign * offset * size for offset in OFFSETS for sign in (-1, 1)]
        out += [float(c) for c in candidates if wide_low <= c <= wide_high and (c != 0 or decl.kind not in _OPEN)]
    return out


def _polynomial_zeros(arg, sym, low: float, high: float, fixed: dict) -> list[float]:
    """The real roots of an argument that is a polynomial in `sym` of low degree, solved rather
    than searched: a grid would step over relu(10^-9 - (x - 5)^2), alive only within 3e-5 of 5."""
    if not 1 <= _degree_bound(arg, sym) <= MAX_DEGREE:  # before sympy expands a product of 60 factors
        return []
    held = {s: sp.Float(float(v)) for s, v in fixed.items() if s != sym and np.ndim(v) == 0}
    try:
        poly = sp.Poly(arg.xreplace(held), sym)
        if poly.degree() < 1 or poly.degree() > MAX_DEGREE or not all(c.is_number for c in poly.all_coeffs()):
            return []
        roots = np.roots([float(c) for c in poly.all_coeffs()])
    except (sp.PolynomialError, TypeError, ValueError, np.linalg.LinAlgError):
        return []
    real = roots.real[np.abs(roots.imag) <= 1e-9 * np.maximum(1.0, np.abs(roots.real))]
    return [float(r) for r in np.unique(real) if low <= r <= high][:MAX_ZEROS]


def _degree_bound(expr, sym) -> float:
    """An upper bound on the degree of `expr` in `sym`, from its tree (inf where not a polynomial)."""
    if expr == sym:
        return 1
    if sym not in expr.free_symbols:
        return 0
    if isinstance(expr, sp.Add):
        return max(_degree_bound(a, sym) for a in expr.args)
    if isinstance(expr, sp.Mul):
        return sum(_degree_bound(a, sym) for a in expr.args)
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer and expr.exp > 0:
        return int(expr.exp) * _degree_bound(expr.base, sym)
    return float("inf")


def _zeros(arg, sym, drawn: tuple, whole: tuple, fixed: dict, dims: dict) -> list[float]:
    """Where `arg` changes sign as `sym` runs over its whole range, the others held at `fixed`:
    a log-spaced grid over the whole range and an even one over where draws land."""
    grid = _GRID[(_GRID >= whole[0]) & (_GRID <= whole[1])]
    grid = np.unique(np.concatenate([grid, np.linspace(drawn[0], drawn[1], 33)]))
    values = _at(arg, sym, grid, fixed, dims)
    if values is None:
        return []
    exact = list(grid[values == 0][:MAX_ZEROS])
    change = np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)[:MAX_ZEROS]
    if not change.size:
        return exact
    a, b = grid[change], grid[change + 1]
    fa = values[change]
    for _ in range(_BISECTIONS):
        mid = (a + b) / 2
        fm = _at(arg, sym, mid, fixed, dims)
        if fm is None:
            break
        left = np.sign(fm) == np.sign(fa)
        a, fa, b = np.where(left, mid, a), np.where(left, fm, fa), np.where(left, b, mid)
    return exact + list((a + b) / 2)


def _at(arg, sym, values: np.ndarray, fixed: dict, dims: dict) -> np.ndarray | None:
    env = {s: np.full(values.size, float(v)) if np.ndim(v) == 0 else np.repeat(np.asarray(v)[None], values.size, axis=0)
           for s, v in fixed.items() if s in arg.free_symbols}
    env[sym] = values
    try:
        out = np.asarray(evaluate(arg, env, dims), dtype=float)
    except Exception:  # noqa: BLE001 - an argument we cannot evaluate just has no kink points
        return None
    return np.broadcast_to(out, values.shape) if out.size in (1, values.size) else None
