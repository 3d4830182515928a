"""Vectors and matrices of numbers: shape first, then each entry with the number rules."""

from __future__ import annotations

import numpy as np

from ..expr import ExprError, is_matrix, read, render
from ..expr.numeric import evaluate
from ..canonical import numeric
from . import CORRECT, INCORRECT, PARTIAL, AnswerType, Check, Invalid, Reading, reading_of, register, too_large
from .number import compare_scalar, perturbed, read_scalar, written

MAX_ENTRIES = 10_000
MIN_ENTRIES_READ = 100   # a list this long is always read, to say exactly what is wrong with it


def _shape_text(shape: tuple) -> str:
    if len(shape) == 1:
        return f"a vector of {shape[0]}"
    return f"a {shape[0]}×{shape[1]} matrix"


def _from_list(raw) -> tuple[np.ndarray, list]:
    rows = raw if raw and all(isinstance(r, list) for r in raw) else None
    if rows is not None:
        if any(isinstance(x, list) for r in rows for x in r):
            raise Invalid("nested too deeply: a matrix is a list of rows of numbers")
        if len({len(r) for r in rows}) != 1:
            raise Invalid("rows have different lengths: " + ", ".join(str(len(r)) for r in rows))
        cells = [(f"row {i + 1}, entry {j + 1}", x) for i, r in enumerate(rows) for j, x in enumerate(r)]
        shape = (len(rows), len(rows[0]))
    else:
        if any(isinstance(x, list) for x in raw):
            raise Invalid("mix of numbers and lists: a matrix is a list of rows of numbers")
        cells = [(f"entry {i + 1}", x) for i, x in enumerate(raw)]
        shape = (len(raw),)
    if len(cells) > MAX_ENTRIES:
        raise Invalid(f"too many entries ({len(cells)}; the limit is {MAX_ENTRIES})")
    values, digits = [], []
    for where, cell in cells:
        reading = read_scalar(cell, where)
        values.append(reading.value)
        digits.append(reading.digits)
    return np.array(values, dtype=float).reshape(shape), digits


def _from_text(raw: str) -> Reading:
    """The array a formula stands for, echoed as read (both readings of an ambiguous division)."""
    try:
        parsed = read(raw)
    except ExprError as error:
        raise Invalid(error.located()) from None
    return reading_of(parsed, render, _array)


def _array(expr) -> np.ndarray:
    if not is_matrix(expr):
        raise Invalid("expected a vector or matrix, got a single number")
    value = np.asarray(evaluate(expr, {}, {}), dtype=float)[0]
    if not np.all(np.isfinite(value)):
        raise Invalid("some entries are not finite numbers")
    return value[:, 0] if value.shape[1] == 1 else value


def _align(value: np.ndarray, expected: np.ndarray) -> np.ndarray | None:
    """Accept a vector written as a row or a column, and a flat list (which has neither) for a
    1×n or n×1 answer; otherwise shapes must match."""
    if value.shape == expected.shape:
        return value
    if expected.ndim == 1 and value.ndim == 2 and 1 in value.shape and value.size == expected.size:
        return value.ravel()
    if expected.ndim == 2 and 1 in expected.shape and value.ndim == 1 and value.size == expected.size:
        return value.reshape(expected.shape)
    return None


def _position(index: int, shape: tuple) -> str:
    if len(shape) == 1:
        return f"entry {index + 1}"
    row, col = divmod(index, shape[1])
    return f"({row + 1},{col + 1})"


def _whole_array_slip(value: np.ndarray, expected: np.ndarray, part) -> str | None:
    scale = float(np.max(np.abs(expected), initial=0.0))

    def close(a):
        return all(compare_scalar(v, e, part, scale=scale).status == CORRECT
                   for v, e in zip(a.ravel(), expected.ravel()))

    if close(-value):
        return "sign error: every entry has the wrong sign"
    if value.ndim == 2 and value.shape[0] == value.shape[1] and close(value.T):
        return "your matrix is the transpose of the correct one"
    return None


class ArrayType(AnswerType):
    """A vector or matrix of numbers: shape first, then each entry with the number rules."""

    name = "array"

    def read(self, raw, part) -> Reading:
        if isinstance(raw, list):
            if not raw:
                raise Invalid("the list is empty")
            value, digits = _from_list(raw)
            return Reading(value, None, digits)
        if isinstance(raw, str):
            return _from_text(raw)
        raise Invalid(f"expected a list of numbers (a vector) or of rows (a matrix), got {type(raw).__name__}")

    def compare(self, reading: Reading, expected, part) -> Check:
        expected = np.asarray(expected, dtype=float)
        value = _align(reading.value, expected)
        if value is None:
            got, want = reading.value.shape, expected.shape
            hint = " (transposed?)" if len(got) == 2 and got[::-1] == want else ""
            return Check(INCORRECT, 0.0, f"wrong shape: {_shape_text(got)}, expected {_shape_text(want)}{hint}")
        digits = reading.digits or [None] * value.size
        scale = float(np.max(np.abs(expected), initial=0.0))  # a zero entry is measured against the array's size
        checks = [compare_scalar(v, e, part, d, scale) for v, e, d in zip(value.ravel(), expected.ravel(), digits)]
        credits = np.array([c.credit for c in checks])
        if all(c.status == CORRECT for c in checks):
            return Check(CORRECT, 1.0)
        wrong = [i for i, c in enumerate(checks) if c.status != CORRECT]
        where = ", ".join(_position(i, expected.shape) for i in wrong[:6]) + (" ..." if len(wrong) > 6 else "")
        notes = sorted({c.feedback for c in checks if c.feedback})
        whole = _whole_array_slip(value, expected, part)
        feedback = whole or f"{value.size - len(wrong)} of {value.size} entries right; check {where}"
        if notes and not whole and len(notes) == 1:
            feedback += f" ({notes[0]})"
        if part.credit == "elementwise":
            credit = float(credits.mean())
            return Check(PARTIAL if credit > 0 else INCORRECT, credit, feedback)
        # all or nothing: the array earns what its worst entry earns, so every value right but
        # one with too few digits is partial (digits_credit), as that number alone would be
        credit = float(credits.min())
        return Check(PARTIAL if credit > 0 else INCORRECT, credit, feedback)

    def canonical(self, answer, part, scope):
        return numeric(answer, scope)

    def nameable(self, part_id, part) -> bool:
        return True

    def forms(self, value, part):
        array = np.asarray(value, dtype=float)
        bumped = array.copy().ravel()
        bumped[0] = perturbed(bumped[0])

        def shown(a):
            return np.vectorize(lambda x: written(float(x), part), otypes=[object])(a).tolist()

        negated = None if np.allclose(array, 0) else shown(-array)
        return shown(array), shown(bumped.reshape(array.shape)), negated

    def refuse(self, raw, expected) -> str | None:
        """A list far larger than the expected array is refused by counting alone: reading
        would read every entry (each may be a formula)."""
        if not isinstance(raw, list):
            return super().refuse(raw, expected)
        count = sum(len(row) if isinstance(row, list) else 1 for row in raw)
        size = int(np.size(expected)) if expected is not None else 0
        if count > max(4 * size, MIN_ENTRIES_READ):
            return f"too many entries ({count} given, {size} expected); not read"
        return too_large([x for row in raw for x in (row if isinstance(row, list) else [row])])


register(ArrayType())
