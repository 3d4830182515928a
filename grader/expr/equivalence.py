"""Does a student's expression mean the same as the canonical one? Decided in layers, cheapest first.

1. shape and structure: different shapes are different; identical sympy trees are equal
   (unless the student's answer as written has domain conditions: `sqrt(x)^2` was built as x);
2. numbers: both sides at seeded random points of the whole declared domain (sampling.py) and
   either side of every kink (kinks.py); the student's answer must be defined, and its domain
   conditions hold, wherever the canonical answer is defined; a clear disagreement is final
   and its pattern becomes feedback; agreement to 1e-12 is final too, unless the answer
   carries a long number the canonical one lacks (3.14159265358979 x for pi x), or both
   share one a whole term can hide beside (10^20 x + 1);
3. a second look: values in between (rounding, or a difference float64 hides, such as
   x^50 + 1 against x^50), and a few far-off points where the rest agree (cancellation), are
   recomputed with 50 digits;
4. symbols: `simplify` on the difference, where the second look cannot be taken or the
   part asks for proof; under the caller's time budget.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp
from sympy.matrices.expressions import Determinant, MatMul, ZeroMatrix

from .algebra import is_matrix, shape_of
from . import kinks
from .diagnose import TRANSPOSED, shape_feedback, transposed, value_feedback
from .numeric import Unevaluable, evaluate
from .precise import Imprecise, point_values, value_at
from .render import render
from .sampling import SHIFTED, sample
from .symbols import SymbolTable

EQUIVALENT, DIFFERENT, UNDECIDED = "equivalent", "different", "undecided"

STRICT = 1e-12       # float64 values this close agree without a second look (rounding is ~1e-15)
ZERO = 1e-13         # ... and values this small are zero (sin(pi n) comes out as 1e-16),
                     # scaled down for an answer whose values are all below 1
ROUNDING = 1e-6      # up to this, ill-conditioned rounding is believable unless algebra refutes it
CLEAR = 1e-3         # disagreement beyond this at any point is final
PRECISE_POINTS = 3   # doubtful points recomputed with 50 digits
FAR_POINTS = 8       # ... and, when the rest agree, how many points far off may be cancellation
PRECISE_RTOL = 1e-25 # at 50 digits, rounding leaves agreement this close; a real difference does not
PRECISE_ZERO = 1e-30 # ... and values this small are zero
WINDOW = 3.0         # scalars up to this size: a missing value there is a real gap in the domain
MATRIX_WINDOW = 10.0 # ... and vectors and matrices with entries up to this size (unscaled draws)
MIN_POINTS = 6       # points where both sides are defined, needed to decide
POINTS = 8           # points per round
MIN_ROUNDS = 3       # rounds always drawn: each gives the dimensions different sizes
MAX_ROUNDS = 5       # rounds drawn at most, when too many points are undefined


@dataclass(frozen=True)
class Verdict:
    outcome: str            # equivalent | different | undecided
    method: str             # shape | exact | numeric | precise | symbolic
    feedback: str = ""
    near: float | None = None  # a near miss refused by the 50-digit look: the largest relative difference

    @property
    def equivalent(self) -> bool:
        return self.outcome == EQUIVALENT


@lru_cache(maxsize=1024)
def seed_for(expected) -> int:
    """Points depend only on the canonical answer: every student meets the same ones.

    Cached because the same canonical answer is compared with every student's.
    """
    return zlib.crc32(render(expected).encode("utf-8"))


def _per_point(value, count: int) -> np.ndarray:
    """Values as an array whose first axis is the point: (count,) scalars, (count, r, c) matrices."""
    value = np.asarray(value, dtype=float)
    if value.ndim == 0:
        return np.full(count, float(value))
    return np.broadcast_to(value, (count,) + value.shape[1:])


def compare(student, expected, table: SymbolTable, *, prove: bool = False, domain=None) -> Verdict:
    """Compare two parsed expressions built over the same symbol table. `domain`: the
    conditions under which the student's answer as written is defined (domain.py); with any,
    equal trees are not enough (`sqrt(x)^2` was built as `x`)."""
    if not domain and ((student == 0 and _zero(expected)) or (expected == 0 and _zero(student))):
        return Verdict(EQUIVALENT, "exact")  # "0" is how everyone writes a zero vector or matrix
    s_shape, e_shape = shape_of(student), shape_of(expected)
    if s_shape != e_shape:
        return Verdict(DIFFERENT, "shape", shape_feedback(s_shape, e_shape))
    if student == expected and not domain:
        return Verdict(EQUIVALENT, "exact")
    if not (domain or is_matrix(student) or is_matrix(expected) or student.free_symbols or expected.free_symbols):
        verdict = _numbers(student, expected)
        if verdict is not None:
            return verdict
    try:
        blocks = _sample_values(student, expected, table, domain)
    except _NUMERIC_FAILURES as error:
        return _symbolic(student, expected, fallback=Verdict(UNDECIDED, "numeric", str(error)))
    if blocks is None:
        return Verdict(DIFFERENT, "numeric",
                       "your answer is undefined at some points where the correct answer is defined")
    defined = sum(len(block.index) for block in blocks)
    if defined < MIN_POINTS:
        return _symbolic(student, expected, fallback=Verdict(
            UNDECIDED, "numeric", "could not evaluate the answers at enough points"))
    s_flat = np.concatenate([block.s.ravel() for block in blocks])
    e_flat = np.concatenate([block.e.ravel() for block in blocks])
    scale = np.maximum(np.abs(s_flat), np.abs(e_flat))
    err = np.abs(s_flat - e_flat)
    # an answer whose values are all tiny (10^-20 x) keeps a floor below them
    zero = ZERO * min(1.0, float(np.max(np.abs(e_flat), initial=0.0)))
    if np.all(err <= STRICT * scale + zero):
        # a long decimal or a tiny term (3.14159265358979 x for pi x, x + 10^-14) agrees to 1e-12
        # as rounding does: the second look tells them apart
        if _inexact_numbers(student, expected):
            if _second_look(student, expected, _first_points(blocks)) is False:
                return _near_miss(err, scale)
            # below even 50 digits (x + 10^-40): algebra shows a difference that is a number
            return _symbolic(student, expected, fallback=_agreed(student, expected, prove, "numeric"),
                             refuted=_near_miss(err, scale))
        # beside a long number both sides share, float64 hides a whole term (10^20 x against
        # 10^20 x + 1): 50 digits at a few points show it; no approximation, so no digits_credit.
        # Not for one only the canonical answer has: 0.3333333333333333 from a parameter 1/3 is
        # itself a float's approximation, and x/3 is right for it
        if _long_numbers(student) & _long_numbers(expected):
            if _second_look(student, expected, _first_points(blocks)) is False:
                return _near_miss(err, scale, spread=False)
        return _agreed(student, expected, prove, "numeric")
    typical = float(np.sort(np.abs(e_flat))[e_flat.size // 2])  # a median, without np.median's overhead
    floor = 1e-9 * max(1.0, typical)  # cancellation in a large expression leaves absolute noise this big
    differ = Verdict(DIFFERENT, "numeric", _explain(blocks))
    doubtful = _doubtful(blocks, zero)
    if np.any(err > CLEAR * scale + floor):
        # far off at a few points while the rest agree: an expanded (a - 1)^9 loses every digit
        # near a = 1 to cancellation, cosh(x)^2 - sinh(x)^2 at x = 30, so those few points
        # (all of them, and the worst of the rest) get the second look
        far = [point for point in doubtful if point[0] > CLEAR / STRICT]
        if len(far) > FAR_POINTS or defined - len(far) < MIN_POINTS:
            return differ
        near = doubtful[len(far):len(far) + PRECISE_POINTS]
        return _agreed(student, expected, prove, "precise") if _second_look(student, expected, far + near) else differ
    # a near miss: rounding in an ill-conditioned form, or a small real difference
    # (x^50 + 1 against x^50, x + 10^-10 against x): 50 digits at the worst doubtful points decide
    second = _second_look(student, expected, doubtful[:PRECISE_POINTS])
    if second is not None:
        if not second:
            # a decimal for an exact number is off everywhere; a term alive at a few points is not one
            spread = np.mean(err > STRICT * scale + zero) >= 0.5
            return differ if differ.feedback else _near_miss(err, scale, spread)
        return _agreed(student, expected, prove, "precise")
    if np.all(err <= ROUNDING * scale + floor):
        agree = Verdict(UNDECIDED, "symbolic", "the values agree only to about 6 digits") if prove \
            else Verdict(EQUIVALENT, "numeric")
        return _symbolic(student, expected, fallback=agree, refuted=Verdict(DIFFERENT, "symbolic", differ.feedback))
    return _symbolic(student, expected, fallback=differ)


def _near_miss(err: np.ndarray, scale: np.ndarray, spread: bool = True) -> Verdict:
    """A refused answer that float64 could hardly tell from the right one. `near` (the largest
    relative difference) marks an approximation: off by about as much at most points."""
    with np.errstate(invalid="ignore", divide="ignore"):
        worst = float(np.nanmax(np.where(scale > 0, err / scale, 0.0), initial=0.0))
    near = worst if spread else None
    if not worst <= ROUNDING * (1 + 1e-9):  # met exactly: 0.333333 for 1/3 is 10^-6 off
        return Verdict(DIFFERENT, "precise", near=near)
    digits = f"about {round(-np.log10(worst))}" if worst > 1e-15 else "15 or more"
    return Verdict(DIFFERENT, "precise",
                   f"close, but not equal: your answer agrees with the correct one to {digits} digits "
                   f"(a decimal for an exact number such as 1/3, pi or sqrt(2) is not the number)", near=near)


LONG_NUMBER = 10**6  # a literal with more digits than this is an approximation or a tiny term


def _long_numbers(expr) -> set:
    """The numbers with over 6 digits in an expression (a decimal, 10^-14, 1/26!)."""
    return {n for n in expr.atoms(sp.Rational, sp.Float) if n.is_Float or max(abs(n.p), abs(n.q)) > LONG_NUMBER}


def _inexact_numbers(student, expected) -> bool:
    """The student's answer has a long number the canonical answer does not."""
    return bool(_long_numbers(student) - expected.atoms(sp.Rational, sp.Float))


def _first_points(blocks: list[_Block]) -> list[tuple[float, object, int]]:
    """The first points of the first rounds, for a second look where float64 saw no doubt."""
    return [(0.0, block.points, int(i)) for block in blocks for i in block.index[:1]][:PRECISE_POINTS]


def _agreed(student, expected, prove: bool, method: str) -> Verdict:
    """The values agree: that settles it, unless the part asks for proof and algebra must confirm it."""
    if not prove:
        return Verdict(EQUIVALENT, method)
    return _symbolic(student, expected, fallback=Verdict(
        UNDECIDED, "symbolic", "the values agree but the symbolic check could not confirm it"))


def _zero(value) -> bool:
    """0, or a matrix expression that is identically zero (`0 H`, `A - A`)."""
    if value == 0:
        return True
    if not is_matrix(value):
        return False
    if isinstance(value, MatMul) and value.as_coeff_matrices()[0] == 0:
        return True
    try:
        return isinstance(value.doit(), ZeroMatrix)
    except Exception:  # noqa: BLE001 - sympy failing to simplify only means "not shown to be zero"
        return False


def _numbers(student, expected) -> Verdict | None:
    """Two constants are compared exactly: 512000.001 is not 512000, however close in floats."""
    try:
        same = (student - expected).is_zero
        if same is None:
            return None
        if same:
            return Verdict(EQUIVALENT, "exact")
        feedback = value_feedback(np.array([float(student)]), np.array([float(expected)]), varies=False)
    except (TypeError, ValueError, OverflowError):
        return None
    return Verdict(DIFFERENT, "exact", feedback or "")


# an answer the evaluator cannot handle numerically goes on to the symbolic layer, never crashes
_NUMERIC_FAILURES = (Unevaluable, ArithmeticError, ValueError, TypeError, np.linalg.LinAlgError)


_CANONICAL: dict = {}
_CANONICAL_LIMIT = 4096


def _canonical_round(expected, table: SymbolTable, round_: int):
    """The points of one round, the canonical answer's values there, and where they are defined.

    Every student's answer to a part meets the same canonical answer at the same
    points, so this side is computed once per part and round, not once per check.
    """
    key = (expected, table.key, round_)
    hit = _CANONICAL.get(key)
    if hit is None:
        points = sample(table, seed_for(expected) + round_, POINTS, round_)
        values = _per_point(evaluate(expected, points.env, points.dims), points.count)
        hit = points, values, _defined(values, points.count)
        if len(_CANONICAL) >= _CANONICAL_LIMIT:
            _CANONICAL.clear()
        _CANONICAL[key] = hit
    return hit


def prepare(expected, table: SymbolTable) -> None:
    """Compute the canonical side of the numeric layer now, before the first student's check.

    Optional: `compare` does the same lazily. A grading run meets each part's canonical
    answer once and every student's answer after it; this makes that split explicit.
    """
    try:
        for round_ in range(MIN_ROUNDS):
            _canonical_round(expected, table, round_)
    except _NUMERIC_FAILURES:
        pass  # compare() will take the symbolic route for this one


def defined_points(expected, table: SymbolTable) -> int:
    """At how many sampled points the canonical answer has a value: `compare` needs MIN_POINTS
    of them to test an answer by numbers, so `grade check` refuses a canonical answer with fewer
    (log(x) over a negative x, inv(u u^T))."""
    found = 0
    try:
        for round_ in range(MAX_ROUNDS):
            found += int(_canonical_round(expected, table, round_)[2].sum())
            if found >= MIN_POINTS:
                break  # compare() draws rounds until it has more than this, so it will find them too
    except _NUMERIC_FAILURES:
        return 0
    return found


@dataclass(frozen=True)
class _Block:
    """One round's values of both sides, at the points (`index`) where the canonical answer is defined."""

    points: object
    index: np.ndarray
    s: np.ndarray
    e: np.ndarray


def _defined(values: np.ndarray, count: int) -> np.ndarray:
    """Per point: every entry finite."""
    return np.isfinite(values.reshape(count, -1)).all(axis=1)


def defined_as_expected(student, expected, table: SymbolTable, domain) -> bool:
    """Whether the student's answer, as written (`domain`), is defined wherever the canonical one
    is: for a matrix graded entry by entry, where the whole matrix is defined decides, not where
    each entry is (`[[1/x, 0], ...]` is undefined at x = 0 in every entry). True when it cannot
    be told: the entries' own comparisons then decide."""
    if not domain:
        return True
    try:
        return _sample_values(student, expected, table, domain) is not None
    except _NUMERIC_FAILURES:
        return True


def _sample_values(student, expected, table, domain=None) -> list[_Block] | None:
    """Per round, values of both sides where the canonical answer is defined, then the same
    either side of every kink of either answer.

    None when the student's answer is undefined somewhere the canonical one is not.
    """
    blocks = []
    found = 0
    for round_ in range(MAX_ROUNDS):
        points, e, e_ok = _canonical_round(expected, table, round_)
        block = _block(student, points, e, e_ok, domain, table)
        if block is None:
            return None
        blocks.append(block)
        found += len(block.index)
        if round_ + 1 >= MIN_ROUNDS and found >= POINTS + POINTS // 2:
            break
    if len(table.dims) >= 2 and (_has_determinant(expected) or _has_determinant(student)):
        for round_ in (SHIFTED, SHIFTED + 1):   # each size's other parity, with the same shapes wide or tall
            points, e, e_ok = _canonical_round(expected, table, round_)
            block = _block(student, points, e, e_ok, domain, table)
            if block is None:
                return None
            blocks.append(block)
    points = _kink_points(student, expected, table, domain)
    if points is not None:
        e = _per_point(evaluate(expected, points.env, points.dims), points.count)
        block = _block(student, points, e, _defined(e, points.count), domain, table)
        if block is None:
            return None
        blocks.append(block)
    return blocks


def _has_determinant(expr) -> bool:
    """A determinant depends on the parity of its size (det(-A) = (-1)^n det(A)), and of a product's,
    on which factor is wide: such answers are also sampled at the shifted sizes."""
    return isinstance(expr, sp.Basic) and expr.has(Determinant)


def _block(student, points, e, e_ok, domain, table: SymbolTable) -> _Block | None:
    """The student's values beside the canonical ones; None where the student's answer is
    undefined and the canonical one is not, unless only float64 overflowed there (exp(1000)).
    A condition of the answer as written that fails where the canonical answer is defined
    (a square root of a negative x) always refuses it."""
    if domain and np.any(e_ok & ~domain.hold(evaluate, points.env, points.dims, points.count)):
        return None
    s = _per_point(evaluate(student, points.env, points.dims), points.count)
    missing = e_ok & ~_defined(s, points.count)
    if np.any(missing):
        s = _recovered(student, points, np.flatnonzero(missing), s, table)
        missing = e_ok & ~_defined(s, points.count)
    if np.any(missing):
        if _undefined(points, np.flatnonzero(missing), table):
            return None
        e_ok = e_ok & ~missing
    return _Block(points, np.flatnonzero(e_ok), s[e_ok], e[e_ok])


MAX_RECOVERED = 8  # missing scalar values per block recomputed with 50 digits


def _recovered(student, points, index: np.ndarray, s: np.ndarray, table: SymbolTable) -> np.ndarray:
    """The student's scalar values where float64 lost them inside the window though they exist
    (log(x^60) at x = 10^-6: x^60 underflows to 0), recomputed with 50 digits; a point with no
    real value there stays missing. Only the first few, and only scalar answers."""
    if s.ndim != 1:
        return s
    chosen = frozenset(decl.obj for decl in table.symbols if decl.domain)
    index = index[_moderate(points, index, chosen)][:MAX_RECOVERED]
    if not index.size:
        return s
    s = np.array(s, dtype=float)
    for i in index:
        try:
            s[i] = float(value_at(student, point_values(points, int(i)))[()])
        except (Imprecise, TypeError, ValueError, OverflowError):
            continue
    return s


def _undefined(points, index: np.ndarray, table: SymbolTable) -> bool:
    """Whether an answer's missing values mean it is undefined there: only at points whose
    scalars all lie within WINDOW or the instructor's domain. Further out float64 overflows and
    underflows (-log(1 - sigma(z)) at z = 1000 is log(0)); a student's sqrt or log outside its
    domain is caught there by the recorded domain conditions instead."""
    chosen = frozenset(decl.obj for decl in table.symbols if decl.domain)
    return bool(_moderate(points, index, chosen).any())


def _moderate(points, index: np.ndarray, chosen: frozenset = frozenset()) -> np.ndarray:
    """Per point: every scalar within WINDOW (or named in `chosen`) and every vector or matrix
    within MATRIX_WINDOW, where float64 neither overflows nor hides a small term."""
    keep = np.ones(len(index), dtype=bool)
    for sym, values in points.env.items():
        values = np.asarray(values)
        if values.ndim == 1 and sym not in chosen:
            keep &= np.abs(values[index]) <= WINDOW
        elif values.ndim == 3 and values.size and sym not in chosen:
            keep &= np.abs(values[index]).max(axis=(1, 2)) <= MATRIX_WINDOW
    return keep


_KINKS: dict = {}


def _kink_points(student, expected, table: SymbolTable, domain=None):
    """Points either side of the kinks of both answers (the canonical answer's found once) and
    at the edges of the student's domain conditions."""
    scalars = {decl.obj: decl for decl in table.symbols if not decl.is_matrix}
    matrices = {decl.obj: decl for decl in table.symbols if decl.is_matrix}
    key = (expected, table.key)
    if key not in _KINKS:
        if len(_KINKS) >= _CANONICAL_LIMIT:
            _KINKS.clear()
        _KINKS[key] = kinks.arguments(expected, scalars, matrices)
    edges = [expr for expr, _ in domain.items if expr.free_symbols <= scalars.keys()] if domain else []
    args = _KINKS[key] + [a for a in kinks.arguments(student, scalars, matrices) + edges if a not in _KINKS[key]]
    if not args:
        return None
    return kinks.kink_points(args[:kinks.MAX_ARGUMENTS], scalars, _canonical_round(expected, table, 0)[0], matrices)


def _explain(blocks: list[_Block]) -> str:
    square = [b for b in blocks if b.s.ndim == 3 and len(b.s) and b.s.shape[-1] == b.s.shape[-2] > 1]
    if square and all(transposed(b.s, b.e) for b in square):  # in every round, not just one
        return TRANSPOSED
    # the pattern is read where float64 is exact enough to show it: at x = 500, (x + pi)^6 + 1/1000
    # has lost the 1/1000
    moderate = [block for block in blocks if len(block.index)]
    chosen = [_within_window(block) for block in moderate]
    if sum(len(s) for s, _ in chosen) >= MIN_POINTS:
        s_flat = np.concatenate([s.ravel() for s, _ in chosen])
        e_flat = np.concatenate([e.ravel() for _, e in chosen])
    else:
        s_flat = np.concatenate([block.s.ravel() for block in blocks])
        e_flat = np.concatenate([block.e.ravel() for block in blocks])
    return value_feedback(s_flat, e_flat) or ""


def _within_window(block: _Block) -> tuple[np.ndarray, np.ndarray]:
    keep = _moderate(block.points, block.index)
    return block.s[keep], block.e[keep]


def _doubtful(blocks: list[_Block], zero: float) -> list[tuple[float, object, int]]:
    """The points where float64 does not show agreement, worst first: (how far off, points, index)."""
    doubtful = []
    for block in (block for block in blocks if len(block.index)):
        per_point = (block.s - block.e).reshape(len(block.index), -1)
        size = np.maximum(np.abs(block.s), np.abs(block.e)).reshape(len(block.index), -1)
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 where both are exactly 0: not doubtful
            badness = np.max(np.abs(per_point) / (STRICT * size + zero), axis=1)
        doubtful += [(float(b), block.points, int(i)) for b, i in zip(badness, block.index) if b > 1]
    doubtful.sort(key=lambda item: -item[0])
    return doubtful


def _second_look(student, expected, doubtful) -> bool | None:
    """Whether both sides agree to 25 digits at these points, recomputed with 50.
    None when some point has no high-precision value."""
    try:
        for _, points, i in doubtful:
            subs = point_values(points, i)
            s, e = value_at(student, subs).ravel(), value_at(expected, subs).ravel()  # a 1×1 product is a scalar
            if s.size != e.size:
                return None
            for a, b in zip(s, e):
                if abs(a - b) > PRECISE_RTOL * max(abs(a), abs(b)) + PRECISE_ZERO:
                    return False
    except Imprecise:
        return None
    return True


def _symbolic(student, expected, fallback: Verdict, refuted: Verdict | None = None) -> Verdict:
    """Try to prove the difference is zero; the caller's time budget bounds this.

    When the caller gives a `refuted` verdict, a difference or a ratio that simplifies to
    another number (x + 1/1000 against x, 3.14159 x against pi x) returns it. Any failure
    inside sympy only means "not proved": the fallback stands.
    """
    try:
        difference = student - expected
        if getattr(difference, "is_Matrix", False):
            simplified = sp.expand(difference.doit()).doit()  # simplify knows little about MatMul
        else:
            simplified = sp.simplify(difference.rewrite(sp.exp))
    except Exception:  # noqa: BLE001 - sympy raises many types; none of them is the student's fault
        return fallback
    if simplified == 0 or getattr(simplified, "is_ZeroMatrix", False):
        return Verdict(EQUIVALENT, "symbolic")
    if refuted is not None and _off_by_a_number(student, expected, simplified):
        return refuted
    return fallback


def _off_by_a_number(student, expected, difference) -> bool:
    try:
        if _a_number_other_than(difference, 0):
            return True
        return not is_matrix(student) and _a_number_other_than(sp.simplify(student / expected), 1)
    except Exception:  # noqa: BLE001 - as in _symbolic
        return False


def _a_number_other_than(value, number) -> bool:
    return getattr(value, "is_number", False) and (value - number).is_zero is False
