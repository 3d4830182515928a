"""Evaluate sympy expressions at many points at once with numpy, walking the tree ourselves.

No lambdify (it execs generated code): each node type has a small rule in a
registry. Scalars are arrays of shape (N,), matrices (N, rows, cols); undefined
values come out as nan and are handled by the caller.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions import (
    Determinant,
    HadamardPower,
    HadamardProduct,
    Identity,
    Inverse,
    MatAdd,
    MatMul,
    MatPow,
    MatrixSymbol,
    OneMatrix,
    Trace,
    Transpose,
    ZeroMatrix,
)
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy.matrices.expressions.diagonal import DiagMatrix

from .functions import Softmax, SumOf, ToScalar, relu, sigmoid, softplus


class Unevaluable(Exception):
    """An expression with a node the evaluator has no rule for."""


Env = dict  # sympy symbol -> array; dimension symbol -> int

_RULES: dict[type, Callable] = {}


def rule(*types):
    def register(fn):
        for t in types:
            _RULES[t] = fn
        return fn

    return register


def evaluate(expr, env: Env, dims: dict) -> np.ndarray:
    """Value of `expr` for every point in `env` (arrays share their first axis)."""
    with np.errstate(all="ignore"):
        return _eval(expr, env, dims)


def _eval(expr, env, dims):
    for cls in type(expr).__mro__:
        fn = _RULES.get(cls)
        if fn is not None:
            return fn(expr, env, dims)
    raise Unevaluable(f"cannot evaluate {type(expr).__name__}")


def _operand(expr, env, dims) -> np.ndarray:
    """The value of an operand that could turn an infinity into a number (1/inf, exp(-inf),
    sigma, max, inv): an infinity there is an undefined point, or max(x, 1/0) would be finite
    where the equal max(x, x/0 + e/0) is nan."""
    value = np.asarray(_eval(expr, env, dims), dtype=float)
    finite = np.isfinite(value)
    return value if finite.all() else np.where(finite, value, np.nan)


def _size(dim, dims) -> int:
    value = dims.get(dim, dim)  # a size is a number or a single dimension name
    return int(value)


def _as_matrix(value) -> np.ndarray:
    """A scalar (N,) or constant as a broadcastable (N, 1, 1) array."""
    value = np.asarray(value, dtype=float)
    return value.reshape(value.shape + (1, 1)) if value.ndim <= 1 else value


# scalars
@rule(sp.Symbol, sp.Dummy)
def _symbol(expr, env, dims):
    if expr in env:
        return env[expr]
    if expr in dims:
        return float(dims[expr])  # a dimension name used as a number: 2 n, with x a vector(n)
    raise Unevaluable(f"no value for {expr}")


@rule(sp.Number, sp.NumberSymbol)
def _number(expr, env, dims):
    return float(expr)


@rule(sp.Add)
def _add(expr, env, dims):
    total = 0.0
    for arg in expr.args:
        total = total + _eval(arg, env, dims)
    return total


@rule(sp.Mul)
def _mul(expr, env, dims):
    product = 1.0
    for arg in expr.args:
        product = product * _eval(arg, env, dims)
    return product


def odd_root(exponent) -> bool:
    """x^(p/q) with q odd is real for a negative x too, (-8)^(1/3) = -2: in the reader, this
    evaluator and the 50-digit one alike."""
    return bool(exponent.is_Rational) and not exponent.is_Integer and exponent.q % 2 == 1


@rule(sp.Pow)
def _pow(expr, env, dims):
    base = _operand(expr.base, env, dims)
    exp = expr.exp
    if odd_root(exp):
        return np.sign(base) ** exp.p * np.abs(base) ** float(exp)
    return np.power(base, _operand(exp, env, dims))


def _unary(fn):
    return lambda expr, env, dims: fn(_operand(expr.args[0], env, dims))


def _gamma_at(v: float) -> float:
    if not (v > 0 or v != int(v)):
        return math.nan
    try:
        return math.gamma(v)
    except OverflowError:  # 171! and beyond: too large for a float, like exp(1000)
        return math.inf


def _gamma(x):
    return np.vectorize(_gamma_at, otypes=[float])(x)


for _cls, _fn in [
    (sp.exp, np.exp), (sp.log, np.log), (sp.sin, np.sin), (sp.cos, np.cos), (sp.tan, np.tan),
    (sp.sec, lambda x: 1 / np.cos(x)), (sp.csc, lambda x: 1 / np.sin(x)), (sp.cot, lambda x: 1 / np.tan(x)),
    (sp.asin, np.arcsin), (sp.acos, np.arccos), (sp.atan, np.arctan),
    (sp.sinh, np.sinh), (sp.cosh, np.cosh), (sp.tanh, np.tanh),
    (sp.asinh, np.arcsinh), (sp.acosh, np.arccosh), (sp.atanh, np.arctanh),
    (sp.Abs, np.abs), (sp.sign, np.sign),
    (sigmoid, lambda x: 0.5 * (1 + np.tanh(x / 2))),  # stable for large |x|
    (relu, lambda x: np.maximum(x, 0.0)),
    (softplus, lambda x: np.logaddexp(0.0, x)),
    (sp.factorial, lambda x: _gamma(x + 1)),
    (sp.Heaviside, lambda x: np.where(x > 0, 1.0, np.where(x < 0, 0.0, 0.5))),
    (sp.sech, lambda x: 1 / np.cosh(x)),
]:
    rule(_cls)(_unary(_fn))


@rule(sp.Max)
def _max(expr, env, dims):
    values = [_operand(a, env, dims) for a in expr.args]
    return np.maximum.reduce(np.broadcast_arrays(*values))


@rule(sp.Min)
def _min(expr, env, dims):
    values = [_operand(a, env, dims) for a in expr.args]
    return np.minimum.reduce(np.broadcast_arrays(*values))


@rule(ToScalar)
def _to_scalar(expr, env, dims):
    return _as_matrix(_eval(expr.matrix, env, dims))[..., 0, 0]


@rule(SumOf)
def _sum_of(expr, env, dims):
    return _as_matrix(_eval(expr.matrix, env, dims)).sum(axis=(-2, -1))


@rule(Trace)
def _trace(expr, env, dims):
    return np.trace(_eval(expr.arg, env, dims), axis1=-2, axis2=-1)


@rule(Determinant)
def _det(expr, env, dims):
    return np.linalg.det(_eval(expr.arg, env, dims))


# matrices
@rule(MatrixSymbol)
def _matrix_symbol(expr, env, dims):
    return _symbol(expr, env, dims)


@rule(MatrixElement)
def _element(expr, env, dims):
    return _eval(expr.parent, env, dims)[:, int(expr.i), int(expr.j)]


@rule(Identity)
def _identity(expr, env, dims):
    return np.eye(_size(expr.rows, dims))[None]


@rule(ZeroMatrix)
def _zero(expr, env, dims):
    return np.zeros((1, _size(expr.rows, dims), _size(expr.cols, dims)))


@rule(OneMatrix)
def _ones(expr, env, dims):
    return np.ones((1, _size(expr.rows, dims), _size(expr.cols, dims)))


@rule(sp.MatrixBase)
def _explicit(expr, env, dims):
    entries = [np.asarray(_eval(e, env, dims), dtype=float) for e in expr]
    n = max((e.shape[0] for e in entries if e.ndim), default=1)
    stacked = np.stack([np.broadcast_to(e, (n,)) for e in entries], axis=-1)
    return stacked.reshape(n, expr.rows, expr.cols)


@rule(MatAdd)
def _matadd(expr, env, dims):
    total = 0.0
    for arg in expr.args:
        total = total + _eval(arg, env, dims)
    return total


@rule(MatMul)
def _matmul(expr, env, dims):
    scale, product = 1.0, None
    for arg in expr.args:
        value = _eval(arg, env, dims)
        if getattr(arg, "is_Matrix", False):
            product = value if product is None else np.matmul(product, value)
        else:
            scale = scale * np.asarray(value, dtype=float)
    return _as_matrix(scale) * product


@rule(MatPow)
def _matpow(expr, env, dims):
    base = _eval(expr.base, env, dims)
    return np.linalg.matrix_power(base, int(expr.exp))


@rule(Transpose)
def _transpose(expr, env, dims):
    return np.swapaxes(_eval(expr.arg, env, dims), -1, -2)


@rule(Inverse)
def _inverse(expr, env, dims):
    """nan at points where the matrix is singular, or so close to it (condition number over
    1e12) that float64 would return noise: inv(u v^T) is undefined, not 10^15 of something."""
    value = _operand(expr.arg, env, dims)
    out = np.full(value.shape, np.nan)
    usable = np.all(np.isfinite(value), axis=(-2, -1))
    if usable.any():
        usable[usable] = np.linalg.cond(value[usable]) < SINGULAR
    if usable.any():
        out[usable] = np.linalg.inv(value[usable])
    return out


SINGULAR = 1e12


@rule(HadamardProduct)
def _hadamard(expr, env, dims):
    product = 1.0
    for arg in expr.args:
        product = product * _eval(arg, env, dims)
    return product


@rule(HadamardPower)
def _hadamard_power(expr, env, dims):
    return np.power(_eval(expr.base, env, dims), _eval(expr.exp, env, dims))


@rule(ElementwiseApplyFunction)
def _elementwise(expr, env, dims):
    inner = _eval(expr.expr, env, dims)
    fn = expr.function
    if isinstance(fn, sp.Lambda):
        (var,), body = fn.variables, fn.expr
    else:
        var = sp.Dummy("d")
        body = fn(var)
    return _eval(body, {**env, var: inner}, dims)


@rule(DiagMatrix)
def _diag(expr, env, dims):
    v = _as_matrix(_eval(expr.args[0], env, dims))[..., 0]
    n = v.shape[-1]
    out = np.zeros(v.shape[:-1] + (n, n))
    idx = np.arange(n)
    out[..., idx, idx] = v
    return out


@rule(Softmax)
def _softmax(expr, env, dims):
    z = _eval(expr.arg, env, dims)
    shifted = np.exp(z - z.max(axis=-2, keepdims=True))
    return shifted / shifted.sum(axis=-2, keepdims=True)
