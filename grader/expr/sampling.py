"""Seeded random points in the declared domain: numbers for scalars, random instances for matrices.

A window such as [-3, 3] hides answers that are wrong only outside it (`min(x, 3.5)` for `x`,
`n + (n-1)...(n-8)` for `n`) and sizes up to 3 hide identities that hold only there
(Cayley-Hamilton, a 4×4 Gram determinant), so every round mixes a small window with
magnitudes from 1e-3 to 1e3, and the rounds give dimensions different, independent sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.ma  # noqa: F401 - numpy loads these lazily (np.median, default_rng): ~25 ms that the first
import numpy.random  # noqa: F401   answer would otherwise pay inside its time budget

from .symbols import SymbolTable

# per kind: the sign of the values, and the window around 0 that half the points fall in
_SCALAR_KINDS = {
    "real": (0, (-3.0, 3.0)),
    "positive": (1, (0.1, 3.0)),
    "nonnegative": (1, (0.0, 3.0)),
    "negative": (-1, (-3.0, -0.1)),
}
_INTEGER_KINDS = {"integer": (0, (-6, 6)), "natural": (1, (1, 8))}
DECADES = (-3.0, 3.0)      # the other half: |value| = 10^u, u spread evenly over this range
INTEGER_LIMIT = 1000       # ... and integers up to this size
SIZE_RANGE = (1, 9)        # dimension sizes, drawn independently per name and round
LARGE_SIZES = (5, 10)      # round 0 (and, reversed, round 1): every size at least 5; an even
                           # count of sizes, so the mirror changes each size's parity
SHIFTED = 10               # rounds 10 and 11: rounds 0 and 1 with every size one larger


@dataclass(frozen=True)
class Points:
    env: dict
    dims: dict
    count: int


def scalar_range(decl) -> tuple[float, float]:
    """Where a scalar name's values may lie: the instructor's domain, else its kind's half-line."""
    if decl.domain:
        return float(decl.domain[0]), float(decl.domain[1])
    sign = (_SCALAR_KINDS.get(decl.kind) or _INTEGER_KINDS[decl.kind])[0]
    wide = INTEGER_LIMIT if decl.kind in _INTEGER_KINDS else 10.0 ** DECADES[1]
    low = {1: 1.0 if decl.kind == "natural" else 0.0, 0: -wide, -1: -wide}[sign]
    return low, (wide if sign >= 0 else 0.0)


def dimension_sizes(table: SymbolTable, seed: int, round_: int = 0) -> dict:
    """Sizes for the table's dimension names. Round 0 draws distinct sizes of at least 5, so an
    identity that holds only for 3×3 matrices (Cayley-Hamilton) or 4 dimensions fails; round 1
    mirrors them (5 <-> 10, 6 <-> 9, 7 <-> 8), so every wide factor becomes tall and X^T X is
    invertible in one of the two, and every size is odd in one and even in the other (det(-A) is
    -det(A) only for odd sizes); later rounds draw each size from 1 to 9 on its own. Rounds
    SHIFTED and SHIFTED + 1 are rounds 0 and 1 with each size one larger: the same wide and tall
    factors with the other parities, for where both matter (det(-X^T X): X^T X is invertible only
    where X is tall, and det(-G) = -det(G) only for an odd size)."""
    if round_ >= SHIFTED:
        return {sym: size + 1 for sym, size in dimension_sizes(table, seed - SHIFTED, round_ - SHIFTED).items()}
    names = [sym for _, sym in sorted(table.dims.items())]
    rng = np.random.default_rng(seed - round_)  # the same draw for rounds 0 and 1
    if round_ >= 2:
        rng = np.random.default_rng(seed)
        return {sym: int(rng.integers(SIZE_RANGE[0], SIZE_RANGE[1] + 1)) for sym in names}
    low, high = LARGE_SIZES
    sizes = [int(s) for s in rng.permutation(np.arange(low, high + 1))] * (len(names) // (high - low + 1) + 1)
    return {sym: (size if round_ == 0 else low + high - size) for sym, size in zip(names, sizes)}


def sample(table: SymbolTable, seed: int, count: int = 8, round_: int = 0) -> Points:
    """`count` points for every declared name, drawn in name order from one seeded stream,
    so a name's values depend on the seed and the table, never on the answer being checked."""
    rng = np.random.default_rng(seed)
    dims = dimension_sizes(table, seed, round_)
    env = {decl.obj: _draw(decl, rng, count, dims) for decl in table.symbols}
    return Points(env, dims, count)


def _draw(decl, rng, count, dims):
    if decl.kind in _INTEGER_KINDS:
        return _integers(decl, rng, count)
    if decl.kind in _SCALAR_KINDS:
        return _scalars(decl, rng, count)
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


def _magnitudes(rng, count: int) -> np.ndarray:
    """10^u with u stratified over DECADES: every round sees small, middling and large values."""
    u = (np.arange(count) + rng.uniform(size=count)) / count
    return 10.0 ** (DECADES[0] + (DECADES[1] - DECADES[0]) * rng.permutation(u))


def _signed(values: np.ndarray, sign: int, rng) -> np.ndarray:
    return values * (sign or rng.choice((-1.0, 1.0), size=values.size))


def _scalars(decl, rng, count):
    if decl.domain:
        low, high = decl.domain
        return rng.uniform(low, high, size=count)
    sign, (low, high) = _SCALAR_KINDS[decl.kind]
    window = rng.uniform(low, high, size=count - count // 2)
    wide = _signed(_magnitudes(rng, count // 2), sign, rng)
    return _interleave(window, wide)


def _integers(decl, rng, count):
    if decl.domain:
        low, high = decl.domain  # the integers inside it: [0.5, 3.5] is 1, 2, 3, not 0
        return rng.integers(math.ceil(low), math.floor(high) + 1, size=count).astype(float)
    sign, (low, high) = _INTEGER_KINDS[decl.kind]
    window = rng.integers(low, high + 1, size=count - count // 2).astype(float)
    u = rng.uniform(np.log10(high + 1), np.log10(INTEGER_LIMIT), size=count // 2)
    wide = _signed(np.round(10.0 ** u), sign, rng)
    return _interleave(window, wide)


def _interleave(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    out = np.empty(first.size + second.size)
    out[0::2], out[1::2] = first, second
    return out
