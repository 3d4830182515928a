"""Arithmetic on scalars and matrix expressions with the shape rules a student expects.

Products of matrices are matrix products; a scalar (or a 1×1 product such as
`x^T y`) scales a matrix; non-conformable shapes are an error that names both.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
import sympy.tensor.tensor  # noqa: F401 - sympy's Add imports it on first use: ~30 ms on the first answer
from sympy.matrices.expressions import (
    OneMatrix,
    HadamardProduct,
    Identity,
    Inverse,
    MatPow,
    MatrixExpr,
    Transpose,
)

from .errors import ExprError, ShapeMismatch
from .functions import ToScalar
from .numeric import odd_root


@dataclass(frozen=True)
class PendingIdentity:
    """`I` before its size is known: `c I` waits for the matrix it is added to or multiplies."""

    coef: sp.Expr = sp.Integer(1)

    def sized(self, n) -> sp.Basic:
        return self.coef * Identity(n) if self.coef != 1 else Identity(n)


@dataclass(frozen=True)
class PendingOnes:
    """The all-ones vector (`\\mathbf{1}`, `ones`, `1^T`) before its size is known: it takes the
    length its neighbour needs, as in `1^T (Y_hat - Y)` or `X 1`."""

    coef: sp.Expr = sp.Integer(1)
    row: bool = False

    def sized(self, n) -> sp.Basic:
        ones = OneMatrix(1, n) if self.row else OneMatrix(n, 1)
        return ones if self.coef == 1 else sp.MatMul(self.coef, ones)

    def scaled(self, factor) -> "PendingOnes":
        return PendingOnes(self.coef * factor, self.row)


PENDING = (PendingIdentity, PendingOnes)


def is_matrix(e) -> bool:
    return isinstance(e, MatrixExpr) or getattr(e, "is_Matrix", False)


def shape_of(e) -> tuple:
    """(rows, cols); scalars are 1×1 for comparison purposes."""
    return tuple(e.shape) if is_matrix(e) else (sp.Integer(1), sp.Integer(1))


def describe(shape: tuple) -> str:
    rows, cols = shape
    if rows == 1 and cols == 1:
        return "a scalar"
    if cols == 1:
        return f"a column vector ({rows}×1)"
    if rows == 1:
        return f"a row vector (1×{cols})"
    return f"a matrix ({rows}×{cols})"


def as_scalar(e):
    """Unwrap a 1×1 matrix expression into a scalar; leave scalars alone."""
    if is_matrix(e):
        if shape_of(e) == (1, 1):
            return e[0, 0] if isinstance(e, sp.MatrixBase) else ToScalar(e)
        raise ShapeMismatch(f"expected a scalar here, got {describe(shape_of(e))}")
    return e


def _any_pending(a, b) -> bool:
    return isinstance(a, PendingIdentity) or isinstance(b, PendingIdentity)


def _resolve_add(a, b):
    """Give a pending I the size of the square matrix it is added to."""
    if isinstance(a, PendingIdentity) and isinstance(b, PendingIdentity):
        return PendingIdentity(a.coef + b.coef), None
    if isinstance(a, PendingIdentity):
        a, b = b, a
    rows, cols = shape_of(a)
    if not is_matrix(a):
        raise ShapeMismatch("cannot add the identity matrix I to a scalar")
    if rows != cols:
        raise ShapeMismatch(f"cannot add I to {describe((rows, cols))}: I is square")
    return a, b.sized(rows)


def _ones_like(a, b):
    """A pending all-ones vector added to a vector takes its shape."""
    if isinstance(a, PendingOnes):
        a, b = b, a
    if isinstance(a, PENDING) or not is_matrix(a):
        raise ShapeMismatch("cannot tell the length of the all-ones vector here; write it next to a vector or matrix")
    rows, cols = shape_of(a)
    if (cols != 1 or b.row) and (rows != 1 or not b.row):
        raise ShapeMismatch(f"cannot add the all-ones vector to {describe((rows, cols))}")
    return a, b.sized(cols if b.row else rows)


def add(a, b):
    if isinstance(a, PendingOnes) or isinstance(b, PendingOnes):
        a, b = _ones_like(a, b)
    if _any_pending(a, b):
        a, b = _resolve_add(a, b)
        if b is None:
            return a
    if is_matrix(a) != is_matrix(b):
        if a == 0 or b == 0:
            return b if a == 0 else a
        a, b = _scalar_pair(a, b)
    if is_matrix(a):
        if shape_of(a) != shape_of(b):
            raise ShapeMismatch(
                f"cannot add {describe(shape_of(a))} and {describe(shape_of(b))}"
            )
        return _evaluated(sp.MatAdd(a, b))
    return a + b


def _scalar_pair(a, b):
    """Mixed scalar and matrix in + or -: a 1×1 product is a number; otherwise the scalar is
    added to every entry, as ML notation means by `1 - y` or `H ∘ (1 - H)`."""
    if shape_of(a if is_matrix(a) else b) == (1, 1):
        return as_scalar(a), as_scalar(b)
    matrix, scalar = (a, b) if is_matrix(a) else (b, a)
    ones = OneMatrix(*shape_of(matrix))
    return matrix, ones if scalar == 1 else sp.MatMul(scalar, ones)


def neg(a):
    if isinstance(a, PendingIdentity):
        return PendingIdentity(-a.coef)
    if isinstance(a, PendingOnes):
        return a.scaled(-1)
    return _evaluated(sp.MatMul(-1, a)) if is_matrix(a) else -a


def _size_ones(a, b):
    """A pending all-ones vector next to a sized operand takes the length the product needs."""
    if isinstance(a, PendingOnes) and isinstance(b, PendingOnes):
        raise ShapeMismatch("cannot tell the length of the all-ones vector here; write it next to a vector or matrix")
    if isinstance(a, PendingOnes):
        if not is_matrix(b):
            return a.scaled(b), None
        if not a.row:
            raise ShapeMismatch("the all-ones column vector cannot stand before a matrix: did you mean 1^T?")
        return a.sized(shape_of(b)[0]), b
    if not is_matrix(a):
        return b.scaled(a), None
    if b.row:
        raise ShapeMismatch("the all-ones row vector cannot stand after a matrix: did you mean the column 1?")
    return a, b.sized(shape_of(a)[1])


def mul(a, b):
    if isinstance(a, PendingOnes) or isinstance(b, PendingOnes):
        if isinstance(a, PendingIdentity) or isinstance(b, PendingIdentity):
            return b if isinstance(a, PendingIdentity) else a  # I 1 = 1
        a, b = _size_ones(a, b)
        if b is None:
            return a
    if isinstance(a, PendingIdentity) and isinstance(b, PendingIdentity):
        return PendingIdentity(a.coef * b.coef)
    if isinstance(b, PendingIdentity):
        a, b = b, a  # a scalar commutes with I, and I X = X I = X
    if isinstance(a, PendingIdentity):
        if is_matrix(b):
            return b if a.coef == 1 else mul(a.coef, b)
        return PendingIdentity(a.coef * b)
    if is_matrix(a) and is_matrix(b):
        ra, ca = shape_of(a)
        rb, cb = shape_of(b)
        if ca != rb:
            # a 1×1 product such as x^T y next to a vector is a scalar factor
            if (ra, ca) == (1, 1):
                return mul(as_scalar(a), b)
            if (rb, cb) == (1, 1):
                return mul(a, as_scalar(b))
            raise ShapeMismatch(
                f"cannot multiply {describe((ra, ca))} by {describe((rb, cb))}: "
                f"the inner sizes {ca} and {rb} differ"
            )
        if _symbolic_literal(a) or _symbolic_literal(b):
            # left as a product: multiplied out, [[x, y], [y, x]] repeated grows exponentially
            return sp.MatMul(a, b)
        return _evaluated(sp.MatMul(a, b))
    if is_matrix(a) or is_matrix(b):
        return _evaluated(sp.MatMul(a, b))
    return a * b


def _evaluated(unevaluated):
    """sympy's tidy-up of a new sum, product or power, unless it comes to a zero matrix:
    then `A - A` or `0 A` stays as written, so its echo keeps its shape and reads back."""
    value = unevaluated.doit(deep=False)
    return unevaluated if getattr(value, "is_ZeroMatrix", False) else value


def _symbolic_literal(e) -> bool:
    """A literal matrix with names in it, such as [[x, 1], [1, x]]."""
    return isinstance(e, sp.MatrixBase) and bool(e.free_symbols)


def div(a, b):
    if isinstance(b, PENDING) or is_matrix(b):
        if is_matrix(b) and shape_of(b) == (1, 1):
            b = ToScalar(b)
        else:
            raise ShapeMismatch("cannot divide by a matrix: multiply by inv(...) instead")
    if isinstance(a, PENDING):
        return a.scaled(1 / b) if isinstance(a, PendingOnes) else PendingIdentity(a.coef / b)
    if is_matrix(a):
        return _evaluated(sp.MatMul(a, 1 / b))
    return a / b


def transpose(a):
    if isinstance(a, PendingIdentity):
        return a
    if isinstance(a, PendingOnes):
        return PendingOnes(a.coef, not a.row)
    if is_matrix(a):
        return _evaluated(Transpose(a))
    return a


def matrix_power(a, n):
    rows, cols = shape_of(a)
    if rows != cols:
        raise ShapeMismatch(f"cannot raise {describe((rows, cols))} to a power: it is not square")
    if n < 0 and isinstance(a, sp.MatrixBase) and not a.free_symbols and a.det() == 0:
        raise ExprError("this matrix is not invertible (its determinant is 0)")
    if n == -1:
        return Inverse(a)
    if n == 1:
        return a
    return MatPow(a, n) if _symbolic_literal(a) else _evaluated(MatPow(a, n))


def power(base, exponent):
    if isinstance(base, PendingOnes):
        raise ShapeMismatch("cannot raise the all-ones vector to a power")
    if isinstance(base, PendingIdentity):
        if exponent.is_integer:
            return PendingIdentity(base.coef**exponent)
        raise ExprError("I can only be raised to an integer power")
    if is_matrix(exponent):
        exponent = as_scalar(exponent)
    if is_matrix(base):
        if shape_of(base) == (1, 1):
            return ToScalar(base) ** exponent
        if not exponent.is_Integer:
            raise ShapeMismatch(
                f"a matrix can only be raised to an integer power, ^T or ^(-1); got ^({exponent})"
            )
        return matrix_power(base, exponent)
    if base.is_number and base.is_negative and odd_root(exponent):
        return sp.Integer(-1) ** exponent.p * (-base) ** exponent
    return base**exponent


def hadamard(a, b):
    """a ⊙ b. An unsized I takes the other side's size and keeps only its diagonal: A ⊙ I is
    diag(A), not the scalar product A·I; the all-ones vector takes the other side's shape."""
    if isinstance(a, PendingIdentity) and isinstance(b, PendingIdentity):
        return PendingIdentity(a.coef * b.coef)
    if _any_pending(a, b):
        matrix, pending = (b, a) if isinstance(a, PendingIdentity) else (a, b)
        if not is_matrix(matrix):
            return mul(a, b)
        rows, cols = shape_of(matrix)
        if rows != cols:
            raise ShapeMismatch(f"elementwise product of {describe((rows, cols))} with I: I is square")
        a, b = matrix, pending.sized(rows)
    if isinstance(a, PendingOnes) or isinstance(b, PendingOnes):
        a, b = _ones_like(a, b)
    if not (is_matrix(a) and is_matrix(b)):
        return mul(a, b)
    if shape_of(a) != shape_of(b):
        raise ShapeMismatch(
            f"elementwise product needs equal shapes, got {describe(shape_of(a))} "
            f"and {describe(shape_of(b))}"
        )
    return HadamardProduct(a, b)
