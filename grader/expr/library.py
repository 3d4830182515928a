"""Built-in functions and constants of the expression language, as a registry keyed by name."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

import sympy as sp
from sympy.matrices.expressions import Determinant, Trace, Transpose
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix

from .algebra import PendingIdentity, as_scalar, describe, is_matrix, matrix_power, power, shape_of
from .errors import ExprError, ShapeMismatch
from .functions import Softmax, SumOf, relu, sigmoid, softplus


@dataclass(frozen=True)
class Fn:
    """A built-in: its display name, how many arguments it takes, and how it builds sympy."""

    name: str
    arity: tuple[int, int | None]   # (least, most) arguments; None: no upper bound
    build: Callable[[list], sp.Basic]


# one dummy for every elementwise function, so two readings of tanh(v) are equal objects
_D = sp.Dummy("d")


def _elementwise(scalar_fn: Callable) -> Callable[[list], sp.Basic]:
    """A scalar function that applies entry by entry to a vector or matrix."""

    def build(args):
        (x,) = args
        if isinstance(x, sp.MatrixBase) and shape_of(x) != (1, 1):   # a literal matrix: entry by entry now
            return x.applyfunc(scalar_fn)
        if is_matrix(x) and shape_of(x) != (1, 1):
            return ElementwiseApplyFunction(sp.Lambda(_D, scalar_fn(_D)), x)
        return scalar_fn(as_scalar(x))

    return build


def _square(name: str, x) -> None:
    rows, cols = shape_of(x)
    if not is_matrix(x) or rows != cols:
        raise ShapeMismatch(f"{name}() needs a square matrix, got {describe(shape_of(x))}")


def _trace(args):
    (x,) = args
    _square("tr", x)
    return x.trace() if isinstance(x, sp.MatrixBase) else Trace(x)


def _det(args):
    (x,) = args
    _square("det", x)
    return x.det() if isinstance(x, sp.MatrixBase) else Determinant(x)


def _inv(args):
    (x,) = args
    if isinstance(x, PendingIdentity):
        return x
    if not is_matrix(x):
        return 1 / x
    _square("inv", x)
    return matrix_power(x, -1)


def _diag(args):
    (x,) = args
    if not is_matrix(x) or shape_of(x)[1] != 1:
        raise ShapeMismatch(f"diag() takes a column vector, got {describe(shape_of(x))}")
    return DiagMatrix(x)


def _sum(args):
    (x,) = args
    if not is_matrix(x):
        raise ShapeMismatch("sum() adds up the entries of a vector or matrix, got a scalar")
    return sp.Add(*x) if isinstance(x, sp.MatrixBase) else SumOf(x)


def _softmax(args):
    (x,) = args
    if not is_matrix(x) or shape_of(x)[1] != 1:
        raise ShapeMismatch(f"softmax() takes a column vector, got {describe(shape_of(x))}")
    return Softmax(x)


def _transpose(args):
    (x,) = args
    return Transpose(x).doit(deep=False) if is_matrix(x) else x


def _norm(args):
    """norm(x): the Euclidean norm; norm(x, 1): the sum of the entries' sizes (lasso's penalty);
    norm(x, 2) as norm(x). Of a vector (a scalar's is its size)."""
    x, order = args[0], (args[1] if len(args) > 1 else sp.Integer(2))
    if order not in (1, 2):
        raise ExprError("norm(x, p) is the 1-norm (p = 1) or the Euclidean norm (p = 2) of a vector")
    if not is_matrix(x):
        return sp.Abs(x)
    if shape_of(x)[1] != 1 and shape_of(x)[0] != 1:
        raise ShapeMismatch("norm() takes a vector")
    if order == 1:
        sizes = _elementwise(sp.Abs)([x])
        return _sum([sizes]) if is_matrix(sizes) else sizes   # a 1-vector's entry is a scalar
    inner = x.T * x if shape_of(x)[1] == 1 else x * x.T
    return sp.sqrt(as_scalar(inner))


def _log(args):
    if len(args) == 2:
        return sp.log(as_scalar(args[0])) / sp.log(as_scalar(args[1]))
    return _elementwise(sp.log)(args)


def _log_base(base: int):
    """log_2 x and log_10 x (entropy in bits, orders of magnitude), as log x / log base."""
    return _elementwise(lambda x: sp.log(x) / sp.log(base))


def _scalars(fn):
    return lambda args: fn(*[as_scalar(a) for a in args])


def _round(args):
    """round(x, n): a number to n decimals, half away from zero, as a person rounds a table."""
    x = as_scalar(args[0])
    n = as_scalar(args[1]) if len(args) == 2 else sp.Integer(0)
    if not (x.is_number and x.is_real and n.is_Integer and 0 <= n <= 15):
        raise ExprError("round(x, n) needs a number x and a whole number of decimals n from 0 to 15")
    value = Decimal(str(sp.Float(x.evalf(40), 40))).quantize(Decimal(1).scaleb(-int(n)), ROUND_HALF_UP)
    return sp.Rational(str(value))


def _build_library() -> dict[str, Fn]:
    table: dict[str, Fn] = {}

    def add(names: str, arity, build, display=None):
        for alias in names.split():
            table[alias] = Fn(display or names.split()[0], arity, build)

    for names, fn in [
        ("exp", sp.exp), ("sqrt \u221a", sp.sqrt), ("abs Abs", sp.Abs),
        ("sin", sp.sin), ("cos", sp.cos), ("tan", sp.tan),
        ("sec", sp.sec), ("csc", sp.csc), ("cot", sp.cot),
        ("asin arcsin", sp.asin), ("acos arccos", sp.acos), ("atan arctan", sp.atan),
        ("sinh", sp.sinh), ("cosh", sp.cosh), ("tanh", sp.tanh),
        ("sigmoid sigma logistic", sigmoid), ("relu ReLU", relu), ("softplus", softplus),
        ("sign sgn", sp.sign), ("sech", sp.sech), ("step heaviside Heaviside", sp.Heaviside),
    ]:
        add(names, (1, 1), _elementwise(fn))
    add("cbrt \u221b", (1, 1), _elementwise(lambda x: power(x, sp.Rational(1, 3))))  # real: ∛(-8) = -2
    add("log ln", (1, 2), _log)
    add("log2 log_2", (1, 1), _log_base(2))
    add("log10 log_10", (1, 1), _log_base(10))
    add("tr trace Tr", (1, 1), _trace)
    add("det", (1, 1), _det)
    add("inv", (1, 1), _inv)
    add("diag", (1, 1), _diag)
    add("sum", (1, 1), _sum)
    add("softmax", (1, 1), _softmax)
    add("transpose", (1, 1), _transpose)
    add("norm", (1, 2), _norm)
    add("max Max", (2, None), _scalars(sp.Max))  # sympy flattens max(a, max(b, c)): any count reads back
    add("min Min", (2, None), _scalars(sp.Min))
    add("factorial", (1, 1), lambda args: sp.factorial(as_scalar(args[0])))
    add("round", (1, 2), _round)
    return table


FUNCTIONS: dict[str, Fn] = _build_library()



def warm_up() -> None:
    """Set up what sympy builds on first use: diag(v) asks its assumption system (DiagMatrix.doit),
    whose first call imports and sets up ~100-150 ms of rules. A worker that grades many students
    pays it once, before any time budget starts; a single `grade submit` pays it only if it meets diag."""
    sp.ask(sp.Q.diagonal(sp.MatrixSymbol("v", 2, 1)))

# inverse trig written as sin^{-1}(x)
INVERSE = {"sin": "asin", "cos": "acos", "tan": "atan", "sinh": "asinh", "cosh": "acosh", "tanh": "atanh"}
FUNCTIONS.update({
    "asinh": Fn("asinh", (1, 1), _elementwise(sp.asinh)),
    "acosh": Fn("acosh", (1, 1), _elementwise(sp.acosh)),
    "atanh": Fn("atanh", (1, 1), _elementwise(sp.atanh)),
})


def constant(key: str):
    """Built-in constants: e, pi, and the identity matrix I (sized by its neighbours)."""
    return {
        "e": sp.E,
        "pi": sp.pi,
        "I": PendingIdentity(),
    }.get(key)


CONSTANT_NAMES = ("e", "pi", "I")


def apply(name: str, args: list) -> sp.Basic:
    fn = FUNCTIONS[name]
    low, high = fn.arity
    if len(args) < low or (high is not None and len(args) > high):
        want = str(low) if low == high else f"{low} or more" if high is None else f"{low} or {high}"
        plural = "" if want == "1" else "s"
        raise ExprError(f"{fn.name}() takes {want} argument{plural}, got {len(args)}")
    return fn.build(args)
