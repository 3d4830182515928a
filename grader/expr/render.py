"""Print sympy objects back in the language students type, for "read as: ..." echoes."""

from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter


class AnswerPrinter(StrPrinter):
    """sympy's str printer with `^` powers, `^T`, `inv`, `tr` and the course's function names."""

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.as_base_exp()
        if exp == sp.Rational(1, 2):
            return f"sqrt({self._print(base)})"
        if exp == -sp.Rational(1, 2):
            return f"1/sqrt({self._print(base)})"
        if exp == -1:
            return f"1/{self.parenthesize(base, PRECEDENCE['Pow'])}"
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
        return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)

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
        factors = [self.parenthesize(a, precedence(expr), strict=False) for a in expr.args]
        if len(expr.args) > 1 and expr.args[0] == -1:
            return "-" + " ".join(factors[1:])
        return " ".join(factors)

    def _print_Identity(self, expr):
        return "I"

    def _print_DiagMatrix(self, expr):
        return f"diag({self._print(expr.args[0])})"

    def _print_HadamardProduct(self, expr):
        return " ∘ ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=True) for a in expr.args)

    def _print_ElementwiseApplyFunction(self, expr):
        body = expr.function.expr if isinstance(expr.function, sp.Lambda) else None
        name = type(body).__name__ if body is not None and body.args else str(expr.function)
        if body is not None and body.is_Pow and body.exp == sp.Rational(1, 2):
            name = "sqrt"
        return f"{name.lower() if name == 'Abs' else name}({self._print(expr.expr)})"

    def _print_ImmutableDenseMatrix(self, expr):
        if expr.cols == 1:
            return "[" + ", ".join(self._print(e) for e in expr) + "]"
        return "[" + ", ".join("[" + ", ".join(self._print(e) for e in row) + "]" for row in expr.tolist()) + "]"

    _print_MutableDenseMatrix = _print_ImmutableDenseMatrix

    def _print_ToScalar(self, expr):
        inner = self._print(expr.matrix)
        return inner if expr.matrix.is_Symbol or expr.matrix.is_Atom else f"({inner})"

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


_PRINTER = AnswerPrinter({"order": "none"})


def render(expr) -> str:
    """How an answer was understood, in the answer language itself."""
    return _PRINTER.doprint(expr)
