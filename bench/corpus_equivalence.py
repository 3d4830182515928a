"""Answer / canonical pairs with the right verdict: the equivalence test table and the benchmark corpus.

Each pair names a symbol table from TABLES. `same(...)` lists forms that must all be
accepted against the first one; `differ(...)` is a near miss that must be refused,
with the feedback it should get when the mistake has a simple shape. Both directions
are checked unless a pair says `mirror=False` (when the two sides are defined on
different domains, agreement is only required where the canonical answer is defined).
"""

from __future__ import annotations

from typing import NamedTuple

TABLES: dict[str, dict[str, str]] = {
    "real": {"x": "real", "y": "real", "z": "real", "t": "real", "theta": "real",
             "k": "integer", "j": "natural"},
    "pos": {"a": "positive", "b": "positive", "c": "positive", "x": "positive", "y": "positive",
            "lambda": "positive", "z": "real"},
    "shadow": {"sigma": "positive", "mu": "real", "x": "real", "I": "real", "e": "positive"},
    "vec": {"x": "vector(n)", "y": "vector(n)", "a": "vector(n)", "b": "vector(n)",
            "w": "vector(n)", "z": "vector(n)", "A": "matrix(n, n)", "B": "matrix(n, n)",
            "c": "real", "lambda": "positive"},
    "mat": {"A": "matrix(n, n)", "B": "matrix(n, n)", "C": "matrix(n, n)", "X": "matrix(m, n)",
            "y": "vector(m)", "w": "vector(n)", "a": "vector(n)", "b": "vector(n)",
            "lambda": "positive", "c": "real", "t": "real"},
    "rect": {"A": "matrix(n, m)", "B": "matrix(m, n)", "C": "matrix(m, m)", "D": "matrix(n, n)",
             "u": "vector(n)", "v": "vector(m)"},
    "sym": {"S": "symmetric(n)", "P": "spd(n)", "M": "matrix(n, n)", "x": "vector(n)",
            "y": "vector(n)"},
}


class Pair(NamedTuple):
    table: str
    answer: str
    canonical: str
    equivalent: bool
    feedback: str | None = None   # a phrase the verdict's feedback must contain


PAIRS: list[Pair] = []


def same(table: str, canonical: str, *forms: str, mirror: bool = True) -> None:
    for form in forms:
        PAIRS.append(Pair(table, form, canonical, True))
        if mirror:
            PAIRS.append(Pair(table, canonical, form, True))


def differ(table: str, answer: str, canonical: str, feedback: str | None = None, *, mirror: bool = True) -> None:
    PAIRS.append(Pair(table, answer, canonical, False, feedback))
    if mirror:
        PAIRS.append(Pair(table, canonical, answer, False))


SIGN = "sign error"
TRANSPOSE = "transpose of the correct one"
SHAPE = "wrong shape"


def factor(k: str) -> str:
    return f"your answer is {k} times the correct one"


def shift(d: str) -> str:
    return f"off by an additive constant ({d})"


# ---------------------------------------------------------------- scalars: algebra
same("real", "x^2 + 2x + 1", "(x+1)^2", "(1 + x)(x + 1)", "x**2 + 2*x + 1", "x(x+2) + 1", "(x+1)(x+1)", "(x+1)²",
     "x² + 2x + 1")
same("real", "x^2 - y^2", "(x-y)(x+y)", "(x + y)(x - y)", "-(y-x)(x+y)")
same("real", "x^3 + 3x^2 + 3x + 1", "(x+1)^3", "(x+1)^2 (x+1)")
same("real", "(x-2)(x-3)", "x^2 - 5x + 6")
same("real", "2x + 2", "2(x+1)", "2 (x + 1)", "(x+1)*2", "x + x + 2")
same("real", "2 x y", "2*x*y", "x y 2", "2xy", "(2x) y", "x (2y)")
same("real", "x y + x", "x(y+1)", "x (y + 1)")
same("real", "x/2", "\\frac{x}{2}", "0.5x", "\\frac12 x", "x \\cdot \\frac{1}{2}", "x \\div 2", "(1/2) x")
same("real", "1/(x^2+1)", "(x^2+1)^(-1)", "(1 + x^2)^{-1}", "\\frac{1}{1+x^2}")
same("real", "(x+y)^2 - (x-y)^2", "4 x y")
same("real", "x^4 - 1", "(x^2+1)(x+1)(x-1)")
same("real", "(x+y+z)^2", "x^2 + y^2 + z^2 + 2x y + 2y z + 2x z")
same("real", "3x - 2(x - y)", "x + 2y")
same("real", "x \\cdot y", "x y", "x*y", "x × y", "x · y")
same("real", "x - y", "x − y", "-(y - x)", "x + (-y)")
same("real", "theta^2", "θ^2", "\\theta^2", "θ θ")
same("real", "2 pi x", "2π x", "2 \\pi x", "π x + pi x")
same("real", "(x^2 - 1)/(x - 1)", "x + 1", mirror=False)  # canonical side defined everywhere
same("real", "x^2 + 1", "(x^4 - 1)/(x^2 - 1)", mirror=False)
differ("real", "x^2 + x + 1", "(x+1)^2")
differ("real", "x^2 - 2x + 1", "(x+1)^2")
differ("real", "x^2 + 2x", "(x+1)^2", shift("-1"))
differ("real", "x^2 + 2x + 2", "(x+1)^2", shift("1"))
differ("real", "2(x+1)^2", "(x+1)^2", factor("2"))
differ("real", "-(x+1)^2", "(x+1)^2", SIGN)
differ("real", "(x-y)^2", "x^2 - y^2")
differ("real", "x^2 + y^2", "(x + y)^2")
differ("real", "y - x", "x - y", SIGN)
differ("real", "2x y", "x y", factor("2"))
differ("real", "x y/2", "x y", factor("1/2"))
differ("real", "x/2y", "x y/2")      # juxtaposition binds first: x/(2y)
differ("real", "x^3 + 3x^2 + 3x", "(x+1)^3", shift("-1"))
differ("real", "4x y + 1", "4 x y", shift("1"))
differ("real", "x + 2y", "3x - 2(x + y)")
differ("real", "x^2 - 5x - 6", "(x-2)(x-3)")
differ("real", "(x+2)(x+3)", "(x-2)(x-3)")
differ("real", "theta", "theta^2")
differ("real", "2 pi", "2 pi x")

# ---------------------------------------------------------------- scalars: logs and exponentials
same("pos", "2 log a + log b", "log(a^2 b)", "ln(a^2 b)", "\\ln(a^2 b)", "log(a a b)", "2\\ln a + \\ln b", "log a + log(a b)")
same("pos", "log a - log b", "log(a/b)", "\\log\\left(\\frac{a}{b}\\right)", "-log(b/a)")
same("pos", "log(a)/2", "log(sqrt(a))", "\\ln\\sqrt{a}", "log(a^{1/2})", "\\frac{1}{2}\\ln a")
same("pos", "b log a", "log(a^b)", "ln(a^b)")
same("pos", "a", "exp(log(a))", "e^{\\ln a}", "e^(log a)")
same("pos", "a^2", "exp(2 log a)", "e^{2 \\ln a}")
same("pos", "log(a)/log(b)", "log(a, b)")
same("real", "e^x e^y", "e^{x+y}", "exp(x + y)", "exp(x) exp(y)", "e^x \\cdot e^y")
same("real", "e^{2x}", "(e^x)^2", "exp(x)^2", "e^x e^x", "exp(2 x)")
same("real", "e^{-x}", "1/e^x", "exp(-x)", "\\frac{1}{e^{x}}", "e^-x")
same("real", "x", "log(exp(x))", "ln(e^x)")
same("pos", "a^(-1)", "1/a", "\\frac{1}{a}", "a^{-1}")
same("pos", "a b/(a + b)", "1/(1/a + 1/b)", "\\frac{1}{\\frac1a + \\frac1b}")
same("pos", "2^(a+b)", "2^a 2^b", "2^{a} \\cdot 2^{b}")
same("pos", "sqrt(a) sqrt(b)", "sqrt(a b)", "\\sqrt{a b}", "√(a b)", "(a b)^(1/2)", "(a b)^0.5")
same("pos", "a^(1/3)", "\\sqrt[3]{a}", "a^{1/3}", "a^(1/3)")
same("pos", "lambda x", "λ x", "\\lambda x", "x lambda")
differ("pos", "log(a) + 2 log(b)", "log(a^2 b)")
differ("pos", "log(a) log(b)", "log(a b)")
differ("pos", "log(a + b)", "log(a) + log(b)")
differ("pos", "log(a)^2", "2 log a")
differ("pos", "log(b)/log(a)", "log(a)/log(b)")
differ("pos", "log(b, a)", "log(a, b)")
differ("pos", "b/a", "a/b")
differ("pos", "a^b", "b^a")
differ("pos", "log a + log b", "log(a/b)")
differ("pos", "e^{a b}", "e^a e^b")
differ("pos", "-log(a/b)", "log(a/b)", SIGN)
differ("real", "e^x + e^y", "e^{x+y}")
differ("real", "exp(x)", "exp(-x)")
differ("real", "2 e^{2x}", "e^{2x}", factor("2"))
differ("pos", "a b/(a - b)", "a b/(a + b)")
same("real", "2 log(x)", "log(x^2)", mirror=False)   # agrees wherever the canonical answer is defined
differ("real", "2 log(x)", "log(x^2)", "undefined", mirror=False)

# ---------------------------------------------------------------- scalars: trig, roots, abs, relu
same("real", "1", "sin(x)^2 + cos(x)^2", "\\sin^2 x + \\cos^2 x", "sin^2 x + cos^2 x", "sin x sin x + cos x cos x")
same("real", "2 sin x cos x", "sin(2x)", "\\sin(2x)", "sin 2x", "2\\sin x\\cos x")
same("real", "cos(2x)", "1 - 2 sin^2 x", "2cos(x)^2 - 1", "cos^2 x - sin^2 x")
same("real", "sin(x)/cos(x)", "tan x", "\\tan(x)", "tan(x)")
same("real", "sin(x + y)", "sin x cos y + cos x sin y")
same("real", "cos x", "sin(x + pi/2)", "sin(\\frac{\\pi}{2} + x)", "-cos(x + pi)")
same("real", "abs(x)", "sqrt(x^2)", "\\sqrt{x^2}", "|x|", "\\left|x\\right|", "\\lvert x \\rvert", "|-x|")
same("pos", "x", "sqrt(x^2)", "\\sqrt{x^2}", "abs(x)", "|x|")
same("real", "relu(x)", "max(x, 0)", "max(0, x)", "(x + abs(x))/2", "ReLU(x)")
same("real", "x", "relu(x) - relu(-x)")
same("real", "abs(x y)", "|x| |y|", "abs(x) abs(y)")
same("real", "tanh(x)", "(e^x - e^{-x})/(e^x + e^{-x})", "2 sigmoid(2x) - 1", "\\tanh x")
same("real", "1 - tanh(x)^2", "1/cosh(x)^2", "cosh(x)^(-2)", "1 - \\tanh^2 x")
same("real", "sinh(x)", "(e^x - e^{-x})/2")
same("real", "cosh(x)^2 - sinh(x)^2", "1")
differ("real", "asin(sin(x/4))", "x/4")  # equal only for |x| <= 2 pi
same("real", "sin^{-1}(x/4)", "asin(x/4)", "arcsin(x/4)")
same("real", "x^2 (-1)^(2k)", "x^2", "x^2 cos(2 pi k)")
same("real", "factorial(j) (j + 1)", "(j+1)!", "factorial(j + 1)")
same("real", "6", "3!", "factorial(3)", "3 \\cdot 2")
differ("real", "sqrt(x^2)", "x")
differ("real", "x", "abs(x)")
differ("real", "sin(2x)", "2 sin x")
differ("real", "sin(x)", "cos(x)")
differ("real", "1 + 2 sin^2 x", "cos(2x)")
differ("real", "sin(x)^2", "sin(x^2)")
differ("real", "relu(x)", "x")
differ("real", "relu(-x)", "relu(x)")
differ("real", "max(x, 2y)", "max(2x, y)")
differ("real", "min(x, y)", "max(x, y)")
differ("real", "cos(x) + 1", "cos(x)", shift("1"))
differ("real", "-sin(x)", "sin(x)", SIGN)
differ("real", "tanh(x)", "2 sigmoid(x) - 1")
differ("real", "1 + tanh(x)^2", "1 - tanh(x)^2")
differ("real", "3 sin(x)", "sin(3x)")
differ("real", "x^2 (-1)^k", "x^2")
differ("real", "factorial(j) j", "factorial(j+1)")

# ---------------------------------------------------------------- scalars: the sigmoid family
same("real", "sigma(z)(1 - sigma(z))", "e^{-z}/(1+e^{-z})^2", "\\sigma(z)\\left(1-\\sigma(z)\\right)",
     "sigmoid(z) (1 - sigmoid(z))", "σ(z)(1 − σ(z))", "sigma(z) - sigma(z)^2", "sigma(z) sigma(-z)",
     "e^z/(1 + e^z)^2", "1/(2 + e^z + e^{-z})", "\\frac{e^{-z}}{\\left(1+e^{-z}\\right)^{2}}",
     "\\frac{1}{4\\cosh^2(z/2)}", "(1 - tanh(z/2)^2)/4", "1/(1+e^{-z}) - 1/(1+e^{-z})^2",
     "logistic(z)(1 - logistic(z))")
same("real", "1 - sigma(z)", "sigma(-z)", "e^{-z}/(1+e^{-z})", "1/(1+e^z)", "1 - \\sigma(z)",
     "\\frac{1}{1+\\exp(z)}", "σ(-z)")
same("real", "sigma(z)", "1/(1+e^{-z})", "\\frac{1}{1+e^{-z}}", "e^z/(1+e^z)", "(1 + exp(-z))^(-1)",
     "sigmoid(z)", "(tanh(z/2) + 1)/2")
same("real", "-sigma(z)", "-1/(1 + e^{-z})", "sigma(-z) - 1")
same("real", "log(sigma(z))", "-log(1 + e^{-z})", "-softplus(-z)", "z - log(1 + e^z)")
same("real", "softplus(z)", "log(1 + e^z)", "z + log(1 + e^{-z})", "-log(sigma(-z))", "-log(1 - sigma(z))")
same("real", "sigma(z)", "e^{softplus(z) - softplus(-z)}/(1 + e^z)")
differ("real", "sigma(z)(1 + sigma(z))", "sigma(z)(1 - sigma(z))")
differ("real", "sigma(z)^2", "sigma(z)(1 - sigma(z))")
differ("real", "e^{-z}/(1+e^{-z})", "sigma(z)(1 - sigma(z))")
differ("real", "sigma(z)(1 - sigma(z))^2", "sigma(z)(1 - sigma(z))")
differ("real", "2 sigma(z)(1 - sigma(z))", "sigma(z)(1 - sigma(z))", factor("2"))
differ("real", "sigma(z)", "1 - sigma(z)")
differ("real", "-sigma(-z)", "sigma(-z)", SIGN)
differ("real", "sigma(z) - 1", "1 - sigma(z)", SIGN)
differ("real", "e^z/(1+e^{-z})", "sigma(z)")
differ("real", "1/(1 - e^{-z})", "sigma(z)")
differ("real", "log(1 + e^{-z})", "log(sigma(z))", SIGN)
differ("real", "log(1 + e^z) + 1", "softplus(z)", shift("1"))
differ("real", "sigmoid(y - x)", "sigmoid(x - y)")

# ---------------------------------------------------------------- a declared name wins over a built-in
same("shadow", "(x - mu)^2/sigma^2", "((x - mu)/sigma)^2", "\\frac{(x-\\mu)^2}{\\sigma^2}", "(x-μ)^2/σ^2")
same("shadow", "sigma (x + 1)", "sigma x + sigma", "σ x + σ")
same("shadow", "I x", "x I", "I \\cdot x")
same("shadow", "e x", "x e")
differ("shadow", "(x - mu)/sigma^2", "(x - mu)^2/sigma^2")
differ("shadow", "e^x", "e x")
differ("shadow", "sigma^2 x", "sigma x")

# ---------------------------------------------------------------- vectors
same("vec", "x^T y", "y^T x", "x' y", "x.T y", "y' x", "\\mathbf{x}^\\top \\mathbf{y}", "x^{T} y",
     "tr(x y^T)", "tr(y x^T)", "sum(x ∘ y)", "sum(y \\odot x)", "(x^T y)^T", "\\mathrm{tr}(x y^T)")
same("vec", "x^T x - 2 x^T y + y^T y", "(x - y)^T (x - y)", "norm(x - y)^2", "(x-y)'(x-y)", "x^T x + y^T y - 2 y^T x")
same("vec", "x^T A x", "x^T A^T x", "tr(A x x^T)", "tr(x x^T A)", "(A x)^T x", "x^T (A x)")
same("vec", "(A + A^T) x", "A x + A^T x", "(A^T + A) x", "A x + (x^T A)^T")
same("vec", "x x^T y", "(x^T y) x", "(y^T x) x", "x (x^T y)", "x^T y x")
same("vec", "2 x", "x + x", "2 \\mathbf{x}", "x 2", "x*2")
same("vec", "c x + c y", "c (x + y)", "(x + y) c", "c*(x+y)")
same("vec", "x/(x^T x)", "x / norm(x)^2", "(1/(x^T x)) x", "inv(x^T x) x")
same("vec", "norm(2 x)", "2 norm(x)", "sqrt(4 x^T x)", "2 sqrt(x' x)")
same("vec", "x^T x", "norm(x)^2", "sum(x ∘ x)")
same("vec", "diag(a) b", "a ∘ b", "b ∘ a", "diag(b) a", "a \\odot b", "a \\circ b")
same("vec", "(a b^T)^T", "b a^T", "b a'")
same("vec", "a b^T + b a^T", "b a^T + a b^T", "(a b^T + b a^T)^T")
same("vec", "A^T x", "(x^T A)^T", "(x' A)'")
same("vec", "(A x)^T (A x)", "x^T A^T A x", "norm(A x)^2")
same("vec", "w - lambda (x^T w - c) x", "w - lambda x (x^T w - c)", "w + lambda (c - w^T x) x")
differ("vec", "x y^T", "x^T y", SHAPE)
differ("vec", "x^T y", "x y^T", SHAPE)
differ("vec", "x^T y", "x^T x")
differ("vec", "2 A x", "(A + A^T) x")
differ("vec", "A x", "A^T x")
differ("vec", "x^T A^2 x", "x^T A x")
differ("vec", "x^T x - y^T y", "(x - y)^T (x - y)")
differ("vec", "x^T x + y^T y", "(x - y)^T (x - y)")
differ("vec", "-2 x", "2 x", SIGN)
differ("vec", "4 x", "2 x", factor("2"))
differ("vec", "x^T", "x", SHAPE)
differ("vec", "x", "x^T", SHAPE)
differ("vec", "a b^T", "b a^T", TRANSPOSE)
differ("vec", "norm(x)", "x^T x")
differ("vec", "x / norm(x)", "x / (x^T x)")
differ("vec", "x^T y + 1", "x^T y", shift("1"))
differ("vec", "a ∘ b", "a + b")
differ("vec", "w - lambda (x^T w - c) x", "w + lambda (x^T w - c) x")

# ---------------------------------------------------------------- matrices
same("mat", "B^T A^T", "(A B)^T", "(A B)'", "(AB)^T", "(A B).T", "\\left(A B\\right)^{\\top}", "B' A'")
same("mat", "inv(A)^T", "inv(A^T)", "(A^T)^{-1}", "(A^{-1})^T", "(A')^{-1}", "{A^{-1}}^{T}",
     "transpose(inv(A))", "A^{-T}", "A^T^{-1}", "(A⁻¹)ᵀ", "inv(A).T")
same("mat", "inv(B) inv(A)", "inv(A B)", "(A B)^{-1}", "B^{-1} A^{-1}", "(AB)^(-1)")
same("mat", "tr(B A)", "tr(A B)", "tr(B^T A^T)", "tr(A^T B^T)", "trace(A B)", "\\operatorname{tr}(B A)", "Tr(BA)")
same("mat", "tr(A B C)", "tr(C A B)", "tr(B C A)", "tr((A B C)^T)")
same("mat", "tr(A) + tr(B)", "tr(A + B)", "tr(B) + tr(A)")
same("mat", "2 X", "X + X", "2X", "X 2", "2 \\cdot X", "(X^T + X^T)^T")
same("mat", "X (a b^T + b a^T)", "X a b^T + X b a^T", "(X a) b^T + (X b) a^T", "X (b a^T + a b^T)",
     "X b a^T + X a b^T")
same("mat", "X^T X", "(X^T X)^T", "X' X", "X.T X", "(X^T X)'")
same("mat", "2 X^T X w", "X^T X w + X^T X w", "2 X' X w", "(X^T X + X^T X) w")
same("mat", "inv(X^T X + lambda I) X^T y", "(X^T X + lambda I)^{-1} X^T y", "(X'X + λI)^{-1} X'y",
     "(\\lambda I + X^\\top X)^{-1} X^\\top y", "X^T inv(X X^T + lambda I) y", "X^T (X X^T + lambda I)^{-1} y",
     "(X^T X + lambda I_n)^{-1} X^T y")
same("mat", "inv(X^T X) X^T y", "(X^T X)^{-1} X^T y", "(X'X)^(-1) X'y")
same("mat", "2 X^T (X w - y)", "2 X^T X w - 2 X^T y", "2 (X^T X w - X^T y)", "-2 X^T (y - X w)",
     "2 ((X w - y)^T X)^T")
same("mat", "X^T (sigma(X w) - y)", "X^T sigma(X w) - X^T y", "X^T (sigmoid(X w) - y)",
     "-X^T (y - \\sigma(X w))")
same("mat", "A", "inv(inv(A))", "(A^{-1})^{-1}", "A^T^T", "(A')'", "I A", "A I", "A inv(B) B")
same("mat", "I_n", "A inv(A)", "inv(A) A", "A A^{-1}", "A^0")
same("mat", "inv(A)/2", "inv(2 A)", "(2A)^{-1}", "(1/2) inv(A)", "0.5 A^{-1}", "\\frac{1}{2} A^{-1}")
same("mat", "det(A) det(B)", "det(A B)", "det(B A)", "det(B) det(A)")
same("mat", "det(A)", "det(A^T)", "1/det(inv(A))")
same("mat", "A^2", "A A", "A^T^T A")
same("mat", "A^3", "A A A", "A^2 A", "A A^2")
same("mat", "(A + B)^2", "A^2 + A B + B A + B^2", "(A+B)(A+B)")
same("mat", "A + B", "B + A", "A - (-B)")
same("mat", "c A + t A", "(c + t) A", "A (c + t)")
same("mat", "(A + I)^2", "A^2 + 2A + I", "A A + A + A + I_n")
same("mat", "A B^T + B A^T", "(B A^T + A B^T)^T")
same("mat", "tr(A)^2", "tr(A) tr(A)")
same("mat", "y^T X w", "w^T X^T y", "(X w)^T y", "tr(X w y^T)")
differ("mat", "A B", "B A")
differ("mat", "A^T B^T", "(A B)^T")
differ("mat", "inv(A) inv(B)", "inv(A B)")
differ("mat", "A^2", "A^T A")
differ("mat", "A^T A", "A A^T")
differ("mat", "tr(A^T B)", "tr(A B)")
differ("mat", "tr(A C B)", "tr(A B C)")
differ("mat", "det(A) + det(B)", "det(A + B)")
differ("mat", "X a b^T", "X (a b^T + b a^T)")
differ("mat", "2 X a b^T", "X (a b^T + b a^T)")
differ("mat", "X (a b^T - b a^T)", "X (a b^T + b a^T)")
differ("mat", "X", "2 X", factor("1/2"))
differ("mat", "-2 X", "2 X", SIGN)
differ("mat", "inv(X^T X) X^T y", "inv(X^T X + lambda I) X^T y")
differ("mat", "inv(X^T X - lambda I) X^T y", "inv(X^T X + lambda I) X^T y")
differ("mat", "inv(X^T X + I) X^T y", "inv(X^T X + lambda I) X^T y")
differ("mat", "X^T (X w - y)", "2 X^T (X w - y)", factor("1/2"))
differ("mat", "2 X^T (y - X w)", "2 X^T (X w - y)", SIGN)
differ("mat", "2 (X w - y)^T X", "2 X^T (X w - y)", SHAPE)
differ("mat", "X^T (y - sigma(X w))", "X^T (sigma(X w) - y)", SIGN)
differ("mat", "(sigma(X w) - y)^T X", "X^T (sigma(X w) - y)", SHAPE)
differ("mat", "A^T", "A", TRANSPOSE)
differ("mat", "B A^T", "A B^T", TRANSPOSE)
differ("mat", "inv(A)", "A^T")
differ("mat", "A + I", "A")
differ("mat", "2 inv(A)", "inv(2 A)", factor("4"))
differ("mat", "A^2 + 2 A B + B^2", "(A + B)^2")
differ("mat", "A^2 + 2A", "(A + I)^2")
differ("mat", "tr(A)^2", "tr(A^2)")
differ("mat", "det(2A)", "2 det(A)")
differ("mat", "X^T y", "X^T y w^T w")
differ("mat", "y^T X w", "y^T X w + 1", shift("-1"))
# Cayley-Hamilton: true for every 3×3 matrix, false for other sizes
differ("mat", "tr(A) A^2 - ((tr(A)^2 - tr(A^2))/2) A + det(A) I", "A^3")

# ---------------------------------------------------------------- rectangular shapes
same("rect", "tr(A B)", "tr(B A)", "tr(B^T A^T)", "tr(A^T B^T)", "sum(A ∘ B^T)", "sum(B ∘ A^T)")
same("rect", "tr(A B)^2", "tr(A B) tr(B A)")
same("rect", "tr(A C B)", "tr(C B A)", "tr(B A C)")
same("rect", "(A B)^T", "B^T A^T")
same("rect", "A^T u", "(u^T A)^T")
same("rect", "u^T A v", "v^T A^T u", "tr(A v u^T)", "tr(u^T A v)")
same("rect", "A B u", "A (B u)")
same("rect", "D A", "(A^T D^T)^T")
differ("rect", "A B", "B A", SHAPE)
differ("rect", "A^T", "B")
differ("rect", "tr(A B) + 1", "tr(B A)", shift("1"))
differ("rect", "u^T A v", "v^T B u")
differ("rect", "u v^T A^T", "A v u^T", TRANSPOSE)

# ---------------------------------------------------------------- symmetric and positive definite
same("sym", "S^T S", "S^2", "S S", "S S^T", "S^T S^T")
same("sym", "S^T", "S", "S'")
same("sym", "2 S x", "(S + S^T) x", "S x + S^T x")
same("sym", "x^T S y", "y^T S x", "y^T S^T x")
same("sym", "P", "P^T")
same("sym", "I_n", "inv(P) P", "P inv(P)")
same("sym", "x^T P x", "sqrt(x^T P x)^2", "(x^T P x)^T")
same("sym", "inv(P)^T", "inv(P)")
differ("sym", "M^2", "M^T M")
differ("sym", "M^T M", "M M^T")
differ("sym", "2 M x", "(M + M^T) x")
differ("sym", "x^T M y", "y^T M x")
differ("sym", "M^T", "M", TRANSPOSE)
differ("sym", "S P", "P S")
differ("sym", "P^2", "P")
differ("sym", "-x^T P x", "x^T P x", SIGN)

# ---------------------------------------------------------------- softmax Jacobian and elementwise functions
same("vec", "diag(softmax(z)) - softmax(z) softmax(z)^T",
     "-softmax(z) softmax(z)^T + diag(softmax(z))",
     "diag(softmax(z)) - softmax(z) (softmax(z))^T",
     "\\mathrm{diag}(\\mathrm{softmax}(z)) - \\mathrm{softmax}(z)\\,\\mathrm{softmax}(z)^\\top",
     "diag(softmax(z)) - softmax(z) softmax(z)'",
     "diag(exp(z)/sum(exp(z))) - exp(z) exp(z)^T / sum(exp(z))^2",
     "(sum(exp(z)) diag(exp(z)) - exp(z) exp(z)^T)/sum(exp(z))^2",
     "diag(softmax(z)) - (softmax(z) softmax(z)^T)^T",
     "diag(softmax(z)) - softmax(z) softmax(z)ᵀ")
same("vec", "softmax(z)", "exp(z)/sum(exp(z))", "(1/sum(exp(z))) exp(z)", "exp(z) / sum(exp(z) ∘ exp(z) ∘ exp(-z))")
same("vec", "diag(sigma(z)) - diag(sigma(z))^2", "diag(sigma(z) ∘ sigma(-z))", "diag(sigmoid(z)) diag(sigmoid(-z))")
same("vec", "2 tanh(z)", "tanh(z) + tanh(z)", "2 \\tanh(z)", "tanh(z) 2", "tanh(z) - tanh(-z)")
same("vec", "relu(z) - relu(-z)", "z")
same("vec", "sum(exp(z))", "tr(diag(exp(z)))", "sum(diag(exp(z)))", "sum(exp(z) ∘ exp(z)) - sum(exp(2z)) + sum(exp(z))")
differ("vec", "diag(softmax(z))", "diag(softmax(z)) - softmax(z) softmax(z)^T")
differ("vec", "softmax(z) softmax(z)^T - diag(softmax(z))", "diag(softmax(z)) - softmax(z) softmax(z)^T", SIGN)
differ("vec", "diag(softmax(z)) - softmax(z) softmax(2z)^T", "diag(softmax(z)) - softmax(z) softmax(z)^T")
differ("vec", "diag(softmax(z)) + softmax(z) softmax(z)^T", "diag(softmax(z)) - softmax(z) softmax(z)^T")
differ("vec", "softmax(2 z)", "softmax(z)")
differ("vec", "exp(z)", "softmax(z)")
differ("vec", "diag(sigma(z))", "diag(sigma(z) ∘ sigma(-z))")
differ("vec", "sigma(z)", "tanh(z)")

# ---------------------------------------------------------------- near misses below float64 tolerance
# the values agree to 6-16 digits where float64 looks; 50 digits at the doubtful points refuse them
differ("pos", "2x + (x + pi)^6 + log(x) + 1/1000", "2x + (x + pi)^6 + log(x)", "off by an additive constant (0.001)")
differ("pos", "3.14159 x", "pi x")
differ("pos", "3.1415926536 x", "pi x")
differ("pos", "x + 1.000001 x", "2 x")
differ("pos", "0.3333333333 x", "x/3")
differ("real", "x + 10^-10", "x")
differ("real", "x (1 + 10^-10)", "x")
differ("real", "x^2 + 10^-12 x", "x^2")
differ("real", "(x - 1)^2 + 10^-9", "(x - 1)^2")
differ("real", "10^-12 x", "0", mirror=False)
differ("real", "1/(x - 1.7)", "1/(x - 1.7) + 10^-9")
differ("real", "x^50 + 1", "x^50")  # + 1 is below float resolution wherever x^50 is large
differ("real", "x^1000", "x^1000 + 1")
differ("real", "3 10^-20 x", "10^-20 x", "off by a constant factor: your answer is 3 times the correct one")
differ("mat", "A + 10^-10 I", "A")
differ("mat", "A B + 10^-12 A", "A B")
differ("vec", "(1 + 10^-11) x", "x")
differ("vec", "x^T y + 10^-11", "y^T x")

