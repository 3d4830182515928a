"""Seeded random points in the declared domain: numbers for scalars, random instances for matrices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .symbols import SymbolTable

# distinct sizes for distinct dimension names, so shape coincidences cannot hide an error
SIZES = (3, 2, 4, 5, 6, 7, 8)

_SCALAR_RANGES = {
    "real": (-3.0, 3.0),
    "positive": (0.1, 3.0),
    "nonnegative": (0.0, 3.0),
    "negative": (-3.0, -0.1),
}
_INTEGER_RANGES = {"integer": (-6, 6), "natural": (1, 8)}


@dataclass(frozen=True)
class Points:
    env: dict
    dims: dict
    count: int


def dimension_sizes(table: SymbolTable) -> dict:
    return {sym: SIZES[i % len(SIZES)] for i, (_, sym) in enumerate(sorted(table.dims.items()))}


def sample(table: SymbolTable, seed: int, count: int = 12) -> Points:
    rng = np.random.default_rng(seed)
    dims = dimension_sizes(table)
    env = {}
    for decl in table.symbols:
        env[decl.obj] = _draw(decl, rng, count, dims)
    return Points(env, dims, count)


def _draw(decl, rng, count, dims):
    if decl.kind in _INTEGER_RANGES:
        low, high = decl.domain or _INTEGER_RANGES[decl.kind]
        return rng.integers(int(low), int(high) + 1, size=count).astype(float)
    if decl.kind in _SCALAR_RANGES:
        low, high = decl.domain or _SCALAR_RANGES[decl.kind]
        return rng.uniform(low, high, size=count)
    rows, cols = (int(d.subs(dims)) if hasattr(d, "subs") else int(d) for d in decl.shape)
    values = rng.standard_normal((count, rows, cols))
    if decl.domain:
        low, high = decl.domain
        values = rng.uniform(low, high, size=(count, rows, cols))
    if decl.kind == "symmetric":
        values = (values + np.swapaxes(values, -1, -2)) / 2
    elif decl.kind == "spd":
        values = values @ np.swapaxes(values, -1, -2) / rows + 0.5 * np.eye(rows)
    return values
