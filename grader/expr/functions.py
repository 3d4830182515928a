"""Machine-learning functions as sympy objects, so they differentiate, print and compare."""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr


class sigmoid(sp.Function):
    """The logistic function 1 / (1 + e^-z)."""

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sp.Rational(1, 2)
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + sp.exp(-z))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real


class relu(sp.Function):
    """max(0, z)."""

    @classmethod
    def eval(cls, z):
        if z.is_number and z.is_real:
            return sp.Max(0, z)
        return None

    def fdiff(self, argindex=1):
        return sp.Heaviside(self.args[0])

    def _eval_rewrite_as_Max(self, z, **kwargs):
        return sp.Max(0, z)

    def _eval_is_real(self):
        return self.args[0].is_real


class softplus(sp.Function):
    """log(1 + e^z), the smooth relu."""

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return sp.log(1 + sp.exp(z))

    def _eval_rewrite_as_log(self, z, **kwargs):
        return sp.log(1 + sp.exp(z))

    def _eval_evalf(self, prec):
        # mpmath has no softplus (it has sigmoid, and relu of a number is a Max already)
        return self._eval_rewrite_as_exp(*self.args)._eval_evalf(prec)


class Softmax(MatrixExpr):
    """softmax(z) of a column vector z: exp(z) / sum(exp(z)), same shape as z."""

    def __new__(cls, arg):
        return super().__new__(cls, arg)

    @property
    def arg(self):
        return self.args[0]

    @property
    def shape(self):
        return self.arg.shape

    def _eval_transpose(self):
        return None

    def doit(self, **hints):
        arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
        if isinstance(arg, sp.MatrixBase):
            exps = arg.applyfunc(sp.exp)
            return exps / sum(exps)
        return Softmax(arg)


class ToScalar(sp.Expr):
    """The number inside a 1×1 matrix expression, so `w^T x` can be added, squared or passed to sigmoid."""

    is_commutative = True

    def __new__(cls, matrix):
        return sp.Expr.__new__(cls, matrix)

    @property
    def matrix(self):
        return self.args[0]

    def _eval_is_real(self):
        return True

    def _eval_transpose(self):
        return self

    def doit(self, **hints):
        matrix = self.matrix.doit(**hints) if hints.get("deep", True) else self.matrix
        return matrix[0, 0] if isinstance(matrix, sp.MatrixBase) else ToScalar(matrix)


class SumOf(sp.Expr):
    """The sum of all entries of a vector or matrix."""

    is_commutative = True

    def __new__(cls, matrix):
        return sp.Expr.__new__(cls, matrix)

    @property
    def matrix(self):
        return self.args[0]

    def _eval_is_real(self):
        return True

    def doit(self, **hints):
        matrix = self.matrix.doit(**hints) if hints.get("deep", True) else self.matrix
        return sp.Add(*matrix) if isinstance(matrix, sp.MatrixBase) else SumOf(matrix)
