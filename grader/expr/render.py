"""Print sympy objects back in the language students type, for "read as: ..." echoes.

The output must parse back to the same value over the same symbol table, so
everything a reader could group two ways gets brackets.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import HadamardPower, OneMatrix
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

from .functions import ToScalar

# `x^T y` as a number: one factor inside a sum or a call, bracketed inside a product or power
_INNER_PRODUCT = (PRECEDENCE["Add"] + PRECEDENCE["Mul"]) // 2


def _precedence(item) -> int:
    if isinstance(item, ToScalar):
        return PRECEDENCE["Atom"] if item.matrix.is_Atom else _INNER_PRODUCT
    if isinstance(item, HadamardPower):  # printed as A ∘ A: binds like *, looser than juxtaposition
        return PRECEDENCE["Mul"]
    return precedence(item)


class AnswerPrinter(StrPrinter):
    """sympy's str printer with `^` powers, `^T`, `inv`, `tr` and the course's function names."""

    stand_ins: dict = {}  # dummy variable -> text printed in its place

    def parenthesize(self, item, level, strict=False):
        prec = _precedence(item)
        if prec < level or (not strict and prec <= level):
            return f"({self._print(item)})"
        return self._print(item)

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.as_base_exp()
        if exp == sp.Rational(1, 2):
            return f"sqrt({self._print(base)})"
        if exp == -sp.Rational(1, 2):
            return f"1/sqrt({self._print(base)})"
        if exp == -1:
            return f"1/{self.parenthesize(base, PRECEDENCE['Pow'], strict=True)}"
        b = self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
        e = self._print(exp)
        if not (exp.is_Integer and exp >= 0) and not exp.is_Symbol:
            e = f"({e})"
        return f"{b}^{e}"

    def _print_Exp1(self, expr):
        return "e"

    def _print_exp(self, expr):
        return f"exp({self._print(expr.args[0])})"

    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"

    def _print_Rational(self, expr):
        """A fraction that is a finite decimal prints as one (10.476425, not 419057/40000)."""
        if expr.q == 1:
            return str(expr.p)
        q, twos, fives = expr.q, 0, 0
        while q % 2 == 0:
            q, twos = q // 2, twos + 1
        while q % 5 == 0:
            q, fives = q // 5, fives + 1
        if q != 1 or max(twos, fives) > 12:
            return f"{expr.p}/{expr.q}"
        places = max(twos, fives)
        digits = str(abs(expr.p) * 10**places // expr.q).rjust(places + 1, "0")
        return ("-" if expr.p < 0 else "") + digits[:-places] + "." + digits[-places:]

    def _print_Transpose(self, expr):
        return f"{self.parenthesize(expr.arg, PRECEDENCE['Pow'], strict=True)}^T"

    def _print_Inverse(self, expr):
        return f"inv({self._print(expr.arg)})"

    def _print_Trace(self, expr):
        return f"tr({self._print(expr.arg)})"

    def _print_Determinant(self, expr):
        return f"det({self._print(expr.arg)})"

    def _print_MatPow(self, expr):
        return f"{self.parenthesize(expr.base, PRECEDENCE['Pow'], strict=True)}^{self._print(expr.exp)}"

    def _print_MatMul(self, expr):
        coef, factors = expr.as_coeff_matrices()
        sign = ""
        if coef.is_number and coef < 0:
            sign, coef = "-", -coef
        if len(factors) == 1 and isinstance(factors[0], OneMatrix):
            return sign + self.parenthesize(coef, PRECEDENCE["Add"])  # a scalar added to every entry
        scalars = [] if coef == 1 else [self._coefficient(coef)]
        return sign + " ".join(scalars + [self._factor(f) for f in factors])

    def _coefficient(self, coef) -> str:
        """A scalar factor is bracketed unless it is a plain number, name or call: (1/x) A, not 1/x A."""
        text = self._print(coef)
        return text if coef.is_Number and "/" not in text else self.parenthesize(coef, PRECEDENCE["Pow"])

    def _factor(self, factor) -> str:
        """A factor of a matrix product; an all-ones vector there is `1^T` or `ones`, not `1`."""
        if isinstance(factor, OneMatrix) and 1 in factor.shape:
            return "1^T" if factor.rows == 1 else "ones"
        return self.parenthesize(factor, PRECEDENCE["Mul"])

    def _print_OneMatrix(self, expr):
        return "1"

    def _print_Identity(self, expr):
        return f"I_{expr.rows}"

    def _print_DiagMatrix(self, expr):
        return f"diag({self._print(expr.args[0])})"

    def _print_HadamardProduct(self, expr):
        return " ∘ ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=True) for a in expr.args)

    def _print_HadamardPower(self, expr):
        # only a product of equal factors makes one, so the exponent is a small whole number
        return " ∘ ".join([self.parenthesize(expr.base, PRECEDENCE["Mul"], strict=True)] * int(expr.exp))

    def _print_ElementwiseApplyFunction(self, expr):
        # the function's body with the matrix standing in for its variable: tanh(tanh(A)), not tanh(A)
        (variable,), body = expr.function.variables, expr.function.expr
        roots = _roots(body, variable)
        if roots is not None:  # cbrt(x), sqrt(cbrt(x)): sympy folds them into x^(1/6), a matrix power to read
            return "".join(f"{r}(" for r in roots) + self._print(expr.expr) + ")" * len(roots)
        printer = AnswerPrinter(self._settings)
        printer.stand_ins = {**self.stand_ins, variable: self._print(expr.expr)}
        return printer._print(body)

    def _print_Dummy(self, expr):
        return self.stand_ins.get(expr) or super()._print_Dummy(expr)

    def _print_ImmutableDenseMatrix(self, expr):
        if expr.cols == 1 and expr.rows > 1:
            return "[" + ", ".join(self._print(e) for e in expr) + "]"
        return "[" + ", ".join("[" + ", ".join(self._print(e) for e in row) + "]" for row in expr.tolist()) + "]"

    _print_MutableDenseMatrix = _print_ImmutableDenseMatrix

    def _print_ToScalar(self, expr):
        return self._print(expr.matrix)

    def _print_SumOf(self, expr):
        return f"sum({self._print(expr.matrix)})"

    def _print_Softmax(self, expr):
        return f"softmax({self._print(expr.arg)})"

    def _print_Max(self, expr):
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Min(self, expr):
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_factorial(self, expr):
        return f"factorial({self._print(expr.args[0])})"


def _roots(body, variable) -> list[str] | None:
    """variable^(1/(2^a 3^b)) -> the square and cube roots that make it; None for anything else."""
    if not (isinstance(body, sp.Pow) and body.base == variable and body.exp.is_Rational and body.exp.p == 1):
        return None
    q, roots = int(body.exp.q), []
    for n, name in ((2, "sqrt"), (3, "cbrt")):
        while q % n == 0 and len(roots) < 20:
            q //= n
            roots.append(name)
    return roots if q == 1 and roots else None


_PRINTER = AnswerPrinter({"order": "none"})


def render(expr) -> str:
    """How an answer was understood, in the answer language itself."""
    return _PRINTER.doprint(expr)
