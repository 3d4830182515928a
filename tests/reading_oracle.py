"""An oracle for reader tables: do two sympy objects built over one symbol table stand for the
same function? Judged with sympy alone (explicit random matrices and rationals put in, `doit`,
then 30-digit evaluation), never with the grader's own equivalence layers."""

from __future__ import annotations

import random

import sympy as sp

from grader.expr import SymbolTable
from grader.expr.algebra import shape_of


def _entry(rng: random.Random) -> sp.Rational:
    return sp.Rational(rng.randint(-40, 40), 13)


def _point(table: SymbolTable, rng: random.Random, sizes: dict) -> dict:
    point = dict(sizes)
    for decl in table.symbols:
        if not decl.shape:
            if decl.kind in ("integer", "natural"):
                value = sp.Integer(rng.randint(1 if decl.kind == "natural" else -6, 6))
            else:
                value = sp.Rational(rng.randint(1, 60), 17)
                if decl.kind == "real" and rng.random() < 0.5:
                    value = -value
            point[decl.obj] = value
            continue
        rows, cols = (int(sp.sympify(d).xreplace(sizes)) for d in decl.shape)
        matrix = sp.Matrix(rows, cols, lambda i, j: _entry(rng))
        if decl.kind == "symmetric":
            matrix = (matrix + matrix.T) / 2
        elif decl.kind == "spd":
            matrix = matrix * matrix.T + sp.eye(rows)
        point[decl.obj] = sp.ImmutableMatrix(matrix)
    return point


def _value(expr, point):
    value = expr.xreplace(point)
    for _ in range(3):  # nested matrix expressions need a few passes to become explicit
        value = value.doit()
        # sympy's HadamardPower.doit leaves an explicit base alone: raise its entries here
        value = value.replace(lambda e: isinstance(e, sp.HadamardPower) and isinstance(e.base, sp.MatrixBase),
                              lambda e: e.base.applyfunc(lambda entry: entry**e.exp))
    if getattr(value, "is_Matrix", False) and not isinstance(value, sp.MatrixBase):
        value = value.as_explicit()
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    shape = value.shape if isinstance(value, sp.MatrixBase) else (1, 1)
    return shape, [complex(sp.N(e, 30)) for e in entries]


def same_function(a, b, table: SymbolTable, points: int = 6) -> bool:
    """Equal shapes, and equal values at `points` random points, with dimension sizes 1 to 4."""
    if shape_of(a) != shape_of(b) and not (sp.Integer(0) in (a, b)):
        return False
    rng = random.Random(f"{a}|{b}")
    compared = 0
    for attempt in range(points * 4):
        sizes = {sym: sp.Integer(rng.randint(1, 4)) for sym in table.dims.values()}
        point = _point(table, rng, sizes)
        try:
            want_shape, want = _value(b, point)
        except (ZeroDivisionError, ValueError, TypeError):
            continue
        if any(w != w or abs(w) > 1e15 or abs(w.imag) > 1e-12 for w in want):
            continue  # undefined here
        got_shape, got = _value(a, point)
        if a == 0 or b == 0:
            got = got * len(want) if len(got) == 1 else got
            want = want * len(got) if len(want) == 1 else want
        elif got_shape != want_shape:
            return False
        if any(abs(g - w) > 1e-9 * max(1.0, abs(w)) for g, w in zip(got, want)):
            return False
        compared += 1
        if compared == points:
            return True
    raise AssertionError(f"the reference {b} has a value at too few points to compare")
