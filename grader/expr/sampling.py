"""Seeded random points in the declared domain: numbers for scalars, random instances for matrices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.ma  # noqa: F401 - numpy loads these lazily (np.median, default_rng): ~25 ms that the first
import numpy.random  # noqa: F401   answer would otherwise pay inside its time budget

from .symbols import SymbolTable

# distinct sizes for distinct dimension names, so shape coincidences cannot hide an error;
# never 1, where a vector would behave like a number
SIZES = (3, 2, 4, 5, 6, 7, 8, 9)

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


def dimension_sizes(table: SymbolTable, shift: int = 0) -> dict:
    """Sizes for the table's dimension names; each `shift` gives every name a different size,
    so an identity that holds only for 3×3 matrices (Cayley-Hamilton) is caught in another round."""
    names = sorted(table.dims.items())
    return {sym: SIZES[(i + shift) % len(SIZES)] for i, (_, sym) in enumerate(names)}


def sample(table: SymbolTable, seed: int, count: int = 8, shift: int = 0) -> Points:
    """`count` points for every declared name, drawn in name order from one seeded stream,
    so a name's values depend on the seed and the table, never on the answer being checked."""
    rng = np.random.default_rng(seed)
    dims = dimension_sizes(table, shift)
    env = {decl.obj: _draw(decl, rng, count, dims) for decl in table.symbols}
    return Points(env, dims, count)


def _draw(decl, rng, count, dims):
    if decl.kind in _INTEGER_RANGES:
        low, high = decl.domain or _INTEGER_RANGES[decl.kind]
        return rng.integers(int(low), int(high) + 1, size=count).astype(float)
    if decl.kind in _SCALAR_RANGES:
        low, high = decl.domain or _SCALAR_RANGES[decl.kind]
        return rng.uniform(low, high, size=count)
    rows, cols = (int(dims.get(d, d)) for d in decl.shape)
    values = rng.standard_normal((count, rows, cols))
    if decl.domain:
        low, high = decl.domain
        values = rng.uniform(low, high, size=(count, rows, cols))
    if decl.kind == "symmetric":
        values = (values + np.swapaxes(values, -1, -2)) / 2
    elif decl.kind == "spd":
        values = values @ np.swapaxes(values, -1, -2) / rows + 0.5 * np.eye(rows)
    return values
