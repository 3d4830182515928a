"""The reader table for issue 9, "Read what students actually type": whole-reader rows
(`grader.expr.read`), each written from the issue and standard notation, never copied from the
grader's output.

Kinds of rows:
  MUST_READ   (table, text, reference): the text reads as one unambiguous value, equal (by the
              independent sympy oracle tests/reading_oracle.py) to the plain-syntax reference;
  DIFFERS     (table, text, reference): a near neighbour that must NOT read as the reference;
  TWO_WAYS    (table, text, juxtaposition-first, division-first): both readings are offered;
  ONE_WAY     (table, text, reference): only the division-first reading is valid (`divided_first`);
  INVALID     (table, text, substrings): ExprError whose message contains each substring, and no
              message ever shows Python or sympy internals;
  NOTES       (table, text, reference, substrings): what was set aside is said in the notes;
  NUMBERS     (raw, value): literal matrices in number answers, through the number checker;
plus a few rows through the real pipeline (`grade submit`, `grade check`).
"""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from grader.check import Invalid, checker_for
from grader.cli import main
from grader.expr import ExprError, SymbolTable, read, render
from grader.model import Part

from .reading_oracle import same_function

TABLES = {
    # scalars
    "S": SymbolTable({
        "x": "real", "y": "real", "z": "real", "k": "real", "t": "real", "a": "real", "b": "real",
        "c": "real", "g": "real", "eta": "real", "tau": "real", "beta": "real", "rho": "real", "nu": "real",
        "alpha": "real", "mu": "real", "theta": "real", "W_h": "real",
        "K": "positive", "N": "positive", "m": "positive", "x_1": "real", "x_2": "real",
        "y_hat": "real", "x_bar": "real", "x_tilde": "real",
    }),
    # declared multi-letter names beside their letters
    "S2": SymbolTable({"xy": "real", "x": "real", "y": "real", "kx": "real", "k": "real"}),
    # vectors and square matrices of one size n
    "V": SymbolTable({
        "s": "vector(n)", "a": "vector(n)", "b": "vector(n)", "x": "vector(n)", "y": "vector(n)",
        "w": "vector(n)", "t": "vector(n)", "v": "vector(n)", "theta": "vector(n)",
        "y_hat": "vector(n)", "x_bar": "vector(n)",
        "A": "matrix(n, n)", "B": "matrix(n, n)", "M": "matrix(n, n)", "X": "matrix(n, n)",
        "W": "matrix(n, n)", "W_1": "matrix(n, n)", "S": "symmetric(n)",
        "K": "positive", "N": "positive", "c": "real",
    }),
    # least squares: a tall matrix
    "LS": SymbolTable({"X": "matrix(p, n)", "w": "vector(n)", "y": "vector(p)", "m": "positive", "N": "positive"}),
    # fixed sizes, so a reference can write the all-ones vector out
    "F": SymbolTable({"Y": "matrix(3, 2)", "Y_hat": "matrix(3, 2)", "v": "vector(3)", "u": "vector(2)"}),
    # a dimension name used as a scalar
    "D": SymbolTable({"x": "vector(n)", "A": "matrix(n, m)"}),
    # a subscripted hatted name, as softmax gradients are written
    "Q": SymbolTable({"yhat_q": "real", "y_q": "real", "z": "vector(n)"}),
    # a two-layer network's names
    # Greek letters a part declares, as variant letters spell them
    "G": SymbolTable({"epsilon": "real", "theta": "real", "phi": "real", "rho": "real", "x": "real"}),
    "L": SymbolTable({"W_1": "matrix(h, n)", "b_1": "vector(h)", "a_2": "vector(h)", "x": "vector(n)", "W": "matrix(h, n)"}),
}

MUST_READ = [
    # 1. glued names: a postfix operator binds to the last name only
    ("S", "4xy^2", "4*x*(y^2)"),
    ("S", "4x^2y", "4*(x^2)*y"),
    ("S", "xy^2z", "x*(y^2)*z"),
    ("S", "kx^2", "k*(x^2)"),
    ("S", "ab^2", "a*(b^2)"),
    ("S", "xyz", "x*y*z"),
    ("S", "2xy", "2*x*y"),
    ("S", "xe^x", "x*exp(x)"),
    ("S", "2xe^{-x}", "2*x*exp(-x)"),
    ("S", "xe^{-x^2}", "x*exp(-(x^2))"),
    ("S", "xsin(y)", "x*sin(y)"),
    ("S", "2xcos(x)", "2*x*cos(x)"),
    ("S", "xsin(y)^2", "x*((sin(y))^2)"),
    ("S", "xtanh(y)", "x*tanh(y)"),
    ("S", "xexp(y)", "x*exp(y)"),
    ("S", "xlog(K)", "x*log(K)"),
    ("S", "ae^{bx}", "a*exp(b*x)"),
    ("S", "2x^2y^3", "2*(x^2)*(y^3)"),
    ("S", "x^2y^2", "(x^2)*(y^2)"),
    ("S", "xy^{-1}", "x*(y^(-1))"),
    ("S", "-xy^2", "-(x*(y^2))"),
    ("S", "(xy)^2", "(x*y)^2"),
    ("S", "ηg", "eta*g"),
    ("S", "2πx", "2*pi*x"),
    ("S", "σ(z)", "1/(1 + exp(-z))"),
    ("S", "xσ(z)", "x*(1/(1 + exp(-z)))"),
    ("S", "x_1x_2", "x_1*x_2"),
    ("S", "2x_1", "2*x_1"),
    ("V", "ss^T", "s*(s^T)"),
    ("V", "ab^T", "a*(b^T)"),
    ("V", "aa^T", "a*(a^T)"),
    ("V", "2ss^T", "2*s*(s^T)"),
    ("V", "X^TX", "(X^T)*X"),
    ("V", "A^TA", "(A^T)*A"),
    ("V", "AA^T", "A*(A^T)"),
    ("V", "AB^T", "A*(B^T)"),
    ("V", "A^TB", "(A^T)*B"),
    ("V", "x^Ty", "(x^T)*y"),
    ("V", "w^Tx", "(w^T)*x"),
    ("V", "x^Tx", "(x^T)*x"),
    ("V", "x^TAx", "(x^T)*A*x"),
    ("V", "y^TAx", "(y^T)*A*x"),
    ("V", "W_1x", "W_1*x"),
    ("V", "W_{1}x", "W_1*x"),
    ("V", "W_1x + b", "(W_1*x) + b"),
    ("V", "Wx + b", "(W*x) + b"),
    ("V", "diag(s) - ss^T", "diag(s) - s*(s^T)"),
    ("V", "X(ab^T + ba^T)", "X*(a*(b^T) + b*(a^T))"),
    ("V", "I - ss^T", "I_n - s*(s^T)"),
    ("V", "ab'", "a*(b^T)"),
    ("V", "a'b", "(a^T)*b"),
    ("V", "x^TSx", "(x^T)*S*x"),
    ("V", "ss^Tx", "s*((s^T)*x)"),
    ("V", "x'Ax", "(x^T)*A*x"),
    ("V", "X'X", "(X^T)*X"),
    ("V", "Ax - b", "A*x - b"),
    ("V", "A^{-1}b", "inv(A)*b"),
    ("V", "(A^TA)^{-1}A^Tb", "inv((A^T)*A)*(A^T)*b"),
    ("S2", "xy^2", "(xy)^2"),
    ("S2", "2xy", "2*(xy)"),
    ("S2", "kx + x", "(kx) + x"),
    ("S2", "k x", "k*x"),

    # 2. a LaTeX fraction, or explicit operators, leave nothing ambiguous
    ("V", r"\frac{1}{2} x^T A x", "(1/2)*((x^T)*A*x)"),
    ("S", r"\frac{1}{2} x", "(1/2)*x"),
    ("S", r"\frac{1}{2}x^2", "(1/2)*(x^2)"),
    ("S", r"\frac12 x", "(1/2)*x"),
    ("S", r"\frac{1}{K}(y - t)", "(1/K)*(y - t)"),
    ("S", "(1/K)(y - t)", "(1/K)*(y - t)"),
    ("S", "1/(K (y - t))", "1/(K*(y - t))"),
    ("S", "(y - t)/K", "(y - t)*(1/K)"),
    ("S", "1/2*x", "(1/2)*x"),
    ("S", "x/2", "(1/2)*x"),
    ("S", "1/K*(y - t)", "(1/K)*(y - t)"),
    ("S", "1/2 * x", "(1/2)*x"),
    ("S", "1/(2x)", "1/(2*x)"),
    ("S", "x/2 + y", "(1/2)*x + y"),
    ("V", "x^T A x / 2", "(1/2)*((x^T)*A*x)"),
    ("V", "(1/2) x^T A x", "(1/2)*((x^T)*A*x)"),
    ("S", r"1/2 \cdot x", "(1/2)*x"),
    ("V", r"\frac{1}{N} \sum_i v_i", "(1/N)*sum(v)"),

    # 3. left-hand sides and arrows are set aside; a chain grades its last member
    ("S", "dL/dz = 1 - tanh^2 z", "1 - (tanh(z))^2"),
    ("V", "H = A + A^T", "A + (A^T)"),
    ("V", r"\frac{\partial f}{\partial X} = M^T", "M^T"),
    ("S", r"k = \frac{1}{3}", "1/3"),
    ("S", r"x \approx 11", "11"),
    ("S", "x ≈ 11", "11"),
    ("S", "W_h ← W_h - η g", "W_h - eta*g"),
    ("S", r"W_h \leftarrow W_h - \eta g", "W_h - eta*g"),
    ("S", "b := 0", "0"),
    ("S", r"b \coloneqq 2x", "2*x"),
    ("S", r"f \triangleq x^2", "x^2"),
    ("S", r"f \equiv x + 1", "x + 1"),
    ("S", "5 + 5 + 1 = 11", "11"),
    ("S", "y = 2x + 1", "2*x + 1"),
    ("S", "f(x) = x^2", "x^2"),
    ("S", r"L = \frac{1}{2}(y - t)^2", "(1/2)*((y - t)^2)"),
    ("S", r"\frac{dL}{dz} = 2(z - t)", "2*(z - t)"),
    ("V", r"\nabla_x f = 2Ax", "2*(A*x)"),
    ("S", "a = b = 2x", "2*x"),
    ("S", r"y \approx 0.5", "1/2"),
    ("S", "L(x) := x^2", "x^2"),
    ("S", "k ≡ 3", "3"),
    ("S", r"x = \frac{1}{3} \approx 0.333", "333/1000"),
    ("S", "∂f/∂x = 2x", "2*x"),
    ("S", r"t \gets t + 1", "t + 1"),

    # 4. LaTeX as pasted: delimiters, boxes, spacing
    ("S", "$x^2$", "x^2"),
    ("S", "$$x^2 + 1$$", "x^2 + 1"),
    ("S", r"\(2x\)", "2*x"),
    ("S", r"\[x + y\]", "x + y"),
    ("S", r"\boxed{x^2}", "x^2"),
    ("S", r"$\boxed{2x + 1}$", "2*x + 1"),
    ("S", r"\displaystyle \frac{x}{2}", "x/2"),
    ("S", r"x\,y", "x*y"),
    ("S", r"2\;x", "2*x"),
    ("S", r"x\!y", "x*y"),
    ("S", r"x \quad + \quad y", "x + y"),
    ("S", r"x \qquad", "x"),
    ("S", "2~x", "2*x"),
    # fractions and roots with unbraced arguments
    ("S", r"\frac13", "1/3"),
    ("S", r"\frac3{3}", "1"),
    ("S", r"\frac{1}2", "1/2"),
    ("S", r"\frac 1 2", "1/2"),
    ("S", r"\frac12x", "(1/2)*x"),
    ("S", r"\dfrac13", "1/3"),
    ("S", r"\sqrt{\frac{1}{2}}", "sqrt(1/2)"),
    ("S", r"\sqrt2x", "sqrt(2)*x"),
    ("S", r"\left(\frac{x}{2}\right)^2", "(x/2)^2"),
    ("S", r"\frac1{\sqrt2}", "1/sqrt(2)"),
    ("S", r"\frac{x}{y}", "x*(1/y)"),
    ("S", r"\dfrac{x}{2}", "x/2"),
    ("S", r"\cfrac{1}{2}", "1/2"),
    ("S", r"\cfrac{1}{1 + \cfrac{1}{K}}", "1/(1 + 1/K)"),
    ("S", r"\sqrt3", "sqrt(3)"),
    ("S", r"\sqrt{3}", "sqrt(3)"),
    ("S", r"\sqrt[3]{K}", "K^(1/3)"),
    ("S", r"\sqrt[3]{8}", "2"),
    ("S", r"\sqrt{5} x", "sqrt(5)*x"),
    ("S", r"\sqrt{5}x", "sqrt(5)*x"),
    ("S", r"\sqrt 5x", "sqrt(5)*x"),
    ("S", r"\sqrt{K}^2", "(sqrt(K))^2"),
    ("S", r"\sqrt{x^2 + 1}", "sqrt(x^2 + 1)"),
    ("S", r"\sqrt{2}\sqrt{2}", "2"),
    ("S", r"\sqrt[3]{K^2}", "K^(2/3)"),
    ("S", r"\frac{\sqrt{3}}{2}", "sqrt(3)/2"),
    ("S", r"\frac{1}{x^2 + 1}", "1/(x^2 + 1)"),
    ("S", r"\frac{x}{\sqrt{x^2 + 1}}", "x/sqrt(x^2 + 1)"),
    ("S", r"e^{\frac{x}{2}}", "exp(x/2)"),
    ("S", r"\exp\left(-\frac{x^2}{2}\right)", "exp(-(x^2)/2)"),
    ("S", r"\ln(K)", "log(K)"),
    ("S", r"\log K", "log(K)"),
    ("S", r"\sin^2 x + \cos^2 x", "1"),
    ("S", r"\tanh^2 z", "(tanh(z))^2"),
    ("S", r"\left( \frac{1}{2} \right)^2", "1/4"),
    ("S", r"\boxed{x = 3}", "3"),
    ("S", r"\[ \frac{1}{2} \]", "1/2"),
    ("S", "$ 2x $", "2*x"),
    # sized brackets
    ("S", r"\bigl( x + y \bigr)^2", "(x + y)^2"),
    ("S", r"\Bigl( x \Bigr) y", "x*y"),
    ("S", r"\biggl(x - y\biggr)^2", "(x - y)^2"),
    ("S", r"\Biggl( x \Biggr)", "x"),
    ("S", r"2\left[ x + y \right]", "2*(x + y)"),
    ("S", r"\left( x + 1 \right) \left( x - 1 \right)", "(x + 1)*(x - 1)"),
    # fonts and accents on vectors
    ("V", r"\boldsymbol\theta^T x", "(theta^T)*x"),
    ("V", r"\boldsymbol{\theta} + x", "theta + x"),
    ("V", r"\mathbf x^T \mathbf y", "(x^T)*y"),
    ("V", r"{\bf x} + {\bf y}", "x + y"),
    ("V", r"\vec{x} - \vec{y}", "x - y"),
    ("V", r"\hat y - t", "y_hat - t"),
    ("V", r"\bar{x} + x", "x_bar + x"),
    ("V", r"\hat{\mathbf{y}} - t", "y_hat - t"),
    ("V", r"\mathbf{\hat y} - t", "y_hat - t"),
    ("V", r"\vec x + y", "x + y"),
    ("V", r"x^\prime y", "(x^T)*y"),
    ("V", r"\operatorname{tr}\left(A^T B\right)", "tr((A^T)*B)"),
    ("V", r"\langle \mathbf x, \mathbf y \rangle", "(x^T)*y"),
    ("V", r"\| y - t \|_2^2", "((y - t)^T)*(y - t)"),
    ("V", r"\frac{1}{n} \sum_{i=1}^n (y_i - t_i)^2", "(((y - t)^T)*(y - t))*(1/n)"),
    ("V", r"\sum_k v_k", "sum(v)"),
    ("V", r"\left\langle x, y \right\rangle", "(x^T)*y"),
    ("V", r"\mathbf{x}\cdot\mathbf{y}", "(x^T)*y"),
    ("V", r"\boldsymbol{\theta}^\top \mathbf{x}", "(theta^T)*x"),
    ("V", r"{\bf A}{\bf x}", "A*x"),
    ("V", r"\mathbf{W}_1 \mathbf{x}", "W_1*x"),
    ("V", r"\frac{1}{2}x^TAx", "(1/2)*((x^T)*A*x)"),
    ("V", r"\frac{1}{2}\|w\|^2", "(1/2)*((w^T)*w)"),
    ("V", r"\frac12\|w\|^2", "(1/2)*((w^T)*w)"),
    ("S", r"\begin{array}{c} 1 \\ 2 \end{array}", "[1, 2]"),
    ("S", r"\sqrt K y", "sqrt(K)*y"),
    ("V", "𝑥^T𝑦", "(x^T)*y"),
    ("S", "(1, 2, 3)^T", "[[1, 2, 3]]"),
    ("V", "(1/n) 1^T x", "(1/n)*sum(x)"),
    ("V", "1^T x / n", "sum(x)*(1/n)"),
    ("S", r"\hat y - t", "y_hat - t"),
    ("S", r"\hat{y}", "y_hat"),
    ("S", r"\bar{x}", "x_bar"),
    ("S", r"\bar x^2", "x_bar^2"),
    ("S", r"\tilde{x}", "x_tilde"),
    ("S", r"\mathrm{x} + 1", "x + 1"),
    # transposes
    ("V", r"x^{\rm T} y", "(x^T)*y"),
    ("V", r"x^\intercal y", "(x^T)*y"),
    ("V", r"x^{\top} y", "(x^T)*y"),
    ("V", r"x^\top y", "(x^T)*y"),
    ("V", r"A^{\mathsf{T}}", "A^T"),
    # operators and functions
    ("V", r"\operatorname{tr}(A)", "tr(A)"),
    ("V", r"\operatorname{tr}(A^T B)", "tr((A^T)*B)"),
    ("V", r"\mathrm{diag}(s)", "diag(s)"),
    ("V", r"\operatorname{diag}(s) - ss^T", "diag(s) - s*(s^T)"),
    ("S", r"\max\{0, x\}", "(x + abs(x))/2"),
    ("S", r"\max(0, x)", "(x + abs(x))/2"),
    ("S", r"\min\{0, x\}", "(x - abs(x))/2"),
    ("V", r"\langle x, y \rangle", "(x^T)*y"),
    ("V", r"\mathbf x \cdot \mathbf y", "(x^T)*y"),
    ("V", r"x \cdot y", "(x^T)*y"),
    ("S", r"x \cdot y", "x*y"),
    ("S", r"2 \times x", "2*x"),
    ("V", r"\|x\|", "sqrt((x^T)*x)"),
    ("V", r"\|x\|_2", "sqrt((x^T)*x)"),
    ("V", r"\|x\|_2^2", "(x^T)*x"),
    ("V", r"\|x - y\|^2", "((x - y)^T)*(x - y)"),
    ("V", r"\|W\|_F", "sqrt(tr((W^T)*W))"),
    ("V", r"\|W\|_F^2", "tr((W^T)*W)"),
    ("V", r"\lVert x \rVert", "sqrt((x^T)*x)"),
    ("V", r"\left\| x \right\|^2", "(x^T)*x"),
    ("V", r"\left| x \right|", "sqrt((x^T)*x)"),
    ("V", r"\Vert x \Vert", "sqrt((x^T)*x)"),
    ("V", r"\|x\|^2_2", "(x^T)*x"),
    ("V", r"\mathbf{x}^\top \mathbf{A} \mathbf{x}", "(x^T)*A*x"),
    ("V", r"\mathbf{A}^{-1}", "inv(A)"),
    ("V", r"A^{-1}", "inv(A)"),
    ("V", r"\text{tr}(A)", "tr(A)"),
    ("V", r"\mathrm{tr}(A^T A)", "tr((A^T)*A)"),
    ("V", r"\operatorname{diag}(\mathbf s)", "diag(s)"),
    ("S", r"\max\{x, y\}", "(x + y + abs(x - y))/2"),
    ("S", r"\max(0, 1 - x)", "((1 - x) + abs(1 - x))/2"),
    ("V", r"\langle a, b \rangle + c", "(a^T)*b + c"),
    ("V", r"\langle x, A x \rangle", "(x^T)*(A*x)"),
    ("V", r"\sum_{j} v_j", "sum(v)"),
    ("V", r"\sum_{i=1}^{n} v_i", "sum(v)"),
    ("V", r"\sum_i a_i b_i", "(a^T)*b"),
    ("S", r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}", "[[1, 0], [0, 1]]"),
    ("V", r"\sum_i v_i", "sum(v)"),
    ("V", r"\sum_{i=1}^n x_i y_i", "(x^T)*y"),
    ("V", r"\sum_i (y_i - t_i)^2", "((y - t)^T)*(y - t)"),
    ("V", r"\sum_i x_i^2", "(x^T)*x"),
    ("V", r"\sum_{i} w_i x_i", "(w^T)*x"),
    ("V", r"\frac{1}{2}\sum_i (y_i - t_i)^2", "(1/2)*(((y - t)^T)*(y - t))"),
    ("S", r"\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}", "[[1, 2], [3, 4]]"),
    ("S", r"\left[\begin{array}{cc} x & 0 \\ 0 & y \end{array}\right]", "[[x, 0], [0, y]]"),
    ("S", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", "[[1, 2], [3, 4]]"),
    ("S", r"\begin{bmatrix} x \\ y \end{bmatrix}", "[x, y]"),
    ("S", r"\begin{bmatrix} x & y \end{bmatrix}", "[[x, y]]"),
    # a trailing unit or remark
    ("S", r"5\,\text{cm}", "5"),
    ("S", r"3x \text{ meters}", "3*x"),
    ("S", r"2.5 \text{ s}", "5/2"),
    ("S", r"x^2 \quad \text{(approximately)}", "x^2"),

    # 5. Unicode
    ("V", "𝐱 + 𝐲", "x + y"),
    ("S", "𝑥^2", "x^2"),
    ("V", "𝒙^T 𝒚", "(x^T)*y"),
    ("S", "𝑥𝑦", "x*y"),
    ("S", "ｘ＋１", "x + 1"),
    ("S", "２ｘ", "2*x"),
    ("S", "½", "1/2"),
    ("S", "½ x", "(1/2)*x"),
    ("S", "¼ + x", "1/4 + x"),
    ("S", "½x", "(1/2)*x"),
    ("S", "⅓", "1/3"),
    ("S", "x⁻¹", "1/x"),
    ("S", "x⁻²", "x^(-2)"),
    ("S", "µ + 1", "mu + 1"),
    ("S", "μ x", "mu*x"),
    ("S", "x⋅y", "x*y"),
    ("S", "2·x", "2*x"),
    ("S", "x – y", "x - y"),
    ("S", "x — y", "x - y"),
    ("S", "x − y", "x - y"),
    ("S", "−x", "-x"),
    ("S", "e^{−x}", "exp(-x)"),
    ("S", "x^−2", "x^(-2)"),
    ("S", "1.2e−3", "12/10000"),
    ("S", "1.2e–3", "12/10000"),
    ("S", "5e−1 x", "(1/2)*x"),
    ("V", "a′b", "(a^T)*b"),
    ("V", "x′ A x", "(x^T)*A*x"),
    ("S", "ŷ - t", "y_hat - t"),
    ("S", "x̄ + 1", "x_bar + 1"),
    ("S", "x̃", "x_tilde"),
    ("S", "x\u200by", "x*y"),
    ("S", "x\u200b + y", "x + y"),
    ("S", "2\u00a0x", "2*x"),
    ("S", "x\u00a0+\u00a0y", "x + y"),
    ("S", "x\u202f+ y", "x + y"),
    ("S", "\ufeffx + 1", "x + 1"),
    ("S", "x²", "x^2"),
    ("S", "x³ + x", "x^3 + x"),
    ("V", "A⁻¹", "inv(A)"),
    ("V", "xᵀy", "(x^T)*y"),
    ("S", "x₁ + x₂", "x_1 + x_2"),
    ("S", "η g", "eta*g"),
    ("S", "θ^2", "theta^2"),
    ("S", "𝐱 + 1", "x + 1"),
    ("S", "𝛼 x", "alpha*x"),
    ("S", "2x\u2009+\u20091", "2*x + 1"),
    ("V", "𝐀𝐱", "A*x"),
    ("V", "A′", "A^T"),

    # 6. numbers and Python habits
    ("S", "7,425,000", "7425000"),
    ("S", "1,000.99", "100099/100"),
    ("S", "1 000", "1000"),
    ("S", "12 345 678", "12345678"),
    ("S", "1,000 x", "1000*x"),
    ("S", ".4", "2/5"),
    ("S", ".4x", "(2/5)*x"),
    ("S", "-.5", "-1/2"),
    ("S", "004", "4"),
    ("S", "0.50", "1/2"),
    ("S", "1e3", "1000"),
    ("S", "1E-2", "1/100"),
    ("S", "2.5e+2", "250"),
    ("S", "x**2", "x^2"),
    ("S", "x**-1", "1/x"),
    ("LS", "X.T @ (X @ w - y)", "(X^T)*(X*w - y)"),
    ("LS", "X.T@X@w", "(X^T)*X*w"),
    ("V", "x.T @ y", "(x^T)*y"),
    ("V", "A @ x", "A*x"),
    ("V", "A.T", "A^T"),
    ("V", "x.T@y", "(x^T)*y"),
    ("V", "A.T @ A", "(A^T)*A"),
    ("V", "x.T @ A @ x", "(x^T)*A*x"),
    ("S", "[1 -1; -1 1]", "[[1, -1], [-1, 1]]"),
    ("S", "(1, 2, 3)", "[1, 2, 3]"),
    ("S", "(x, y)", "[x, y]"),
    ("S", "[5 0 0; 0 1 0]", "[[5, 0, 0], [0, 1, 0]]"),
    ("S", "[1 2; 3 4]", "[[1, 2], [3, 4]]"),
    ("S", "[x 0; 0 -y]", "[[x, 0], [0, -y]]"),
    ("S", "[1; 2; 3]", "[1, 2, 3]"),
    ("S", "[1, 2; 3, 4]", "[[1, 2], [3, 4]]"),
    ("S", "[x, y; y, x]", "[[x, y], [y, x]]"),
    ("S", "(1)", "1"),
    ("S", "(x + 1)", "x + 1"),
    ("S", "1,000", "1000"),
    ("S", "1 000 000", "1000000"),
    ("S", "1 000.5", "2001/2"),
    ("S", "-7,425,000", "-7425000"),
    ("S", "1,234,567.5", "2469135/2"),
    ("S", "0.5e3", "500"),
    ("S", "2 ** 3", "8"),
    ("S", "0.1 + 0.2", "3/10"),
    ("LS", "(X @ w - y).T @ (X @ w - y)", "((X*w - y)^T)*(X*w - y)"),

    # 7. the all-ones vector, and bars
    ("V", r"\mathbf{1}^T v", "sum(v)"),
    ("V", r"\mathbb{1}^T v", "sum(v)"),
    ("V", "1^T v", "sum(v)"),
    ("V", "ones^T v", "sum(v)"),
    ("V", r"\mathbb{1}^\top v", "sum(v)"),
    ("V", r"\mathbf 1^T v", "sum(v)"),
    ("V", r"x + \mathbf{0}", "x"),
    ("V", r"v^T \mathbf{1}", "sum(v)"),
    ("V", r"\mathbf{1}^T (y - t)", "sum(y - t)"),
    ("F", "1^T (Y_hat - Y)", "([1, 1, 1]^T)*(Y_hat - Y)"),
    ("F", r"\mathbf{1}^T (Y_hat - Y)", "([1, 1, 1]^T)*(Y_hat - Y)"),
    ("F", r"\mathbf{1}^T Y", "([1, 1, 1]^T)*Y"),
    ("F", r"Y \mathbf{1}", "Y*[1, 1]"),
    ("F", "ones^T v", "([1, 1, 1]^T)*v"),
    ("F", r"v + \mathbf{1}", "v + [1, 1, 1]"),
    ("F", r"\mathbf{1}^T Y \mathbf{1}", "sum(Y)"),
    ("V", "|x|", "sqrt((x^T)*x)"),
    ("V", "|x|^2", "(x^T)*x"),
    ("V", "x/|x|", "x*(1/sqrt((x^T)*x))"),
    ("V", "|x - y|", "sqrt(((x - y)^T)*(x - y))"),
    ("S", "|x|", "abs(x)"),
    ("S", "|x - y|^2", "(x - y)^2"),
    ("F", "|u|", "sqrt((u^T)*u)"),
    ("V", r"\mathbf{1}^T x / n", "sum(x)*(1/n)"),
    ("V", r"x - \mathbf{1}", "x - 1"),
    ("V", "|x^T y|", "abs((x^T)*y)"),
    ("V", "|c| x", "abs(c)*x"),
    ("V", "|A x|", "sqrt(((A*x)^T)*(A*x))"),

    # 8. scalars where matrices are built, and dimension names as scalars
    ("V", "[x^T x, 1]", "[norm(x)^2, 1]"),
    ("V", "[[x^T y, 0], [0, 1]]", "[[sum(x \\odot y), 0], [0, 1]]"),
    ("V", r"\begin{bmatrix} x^T x & 1 \end{bmatrix}", "[[norm(x)^2, 1]]"),
    ("S", "[x^2, 2x]", "[x*x, 2*x]"),
    ("S", "inv(x)", "1/x"),
    ("D", "n x", "n*x"),
    ("D", "2 n", "2*n"),
    ("D", "x/n", "(1/n)*x"),
    ("D", "n^2 + m", "n*n + m"),
    ("D", "A^T x", "(A^T)*x"),
    ("V", "[x^T y, 1]", "[(x^T)*y, 1]"),
    ("V", "[c, x^T x]", "[c, sum(x \\odot x)]"),
    ("D", "x^T x / n", "((x^T)*x)*(1/n)"),
    ("D", "m n", "m*n"),
    ("D", r"\frac{1}{n}\sum_i x_i", "sum(x)*(1/n)"),
    # layer indices, as deep-learning courses write them: W^{[1]} is the name W_1, never a power
    ("L", "W^{[1]} x + b^{[1]}", "W_1*x + b_1"),
    ("L", "a^{[2]}", "a_2"),
    ("L", "W^{[1]}x", "W_1*x"),
    # sympy's and textbooks' LaTeX: \mathbb{I} is the identity; an accent with a subscript joins the stem
    ("LS", r"\left(m \mathbb{I} + X^{T} X\right)^{-1} X^{T} y", "inv(m*I + (X^T)*X)*(X^T)*y"),
    ("LS", r"\mathbf{I} + X^T X", "I + (X^T)*X"),
    ("Q", r"\left(- y_{q} + \hat{y}_{q}\right) z", "(yhat_q - y_q)*z"),
    ("Q", r"\hat y_q - y_q", "yhat_q - y_q"),
    ("Q", r"\widehat{y}_{q}", "yhat_q"),
    # cube roots are real
    ("S", "∛x", "x^(1/3)"),
    ("S", "cbrt(x) + 1", "x^(1/3) + 1"),
    # a transpose after a power is the power's: A^{-1}^T is (A^{-1})^T, never A^{(-1)^T} = A^{-1}
    ("V", "A^{-1}^T", "(A^(-1))^T"),
    ("V", r"A^{-1}^\top x", "((A^(-1))^T)*x"),
    ("V", "A^{-1}.T", "(A^(-1))^T"),
    ("V", "A^{-1}'", "(A^(-1))^T"),
    ("V", "A^{-1}ᵀ b", "((A^(-1))^T)*b"),
    ("V", "A^-1^T", "(A^(-1))^T"),
    ("V", "A^2^T", "(A^2)^T"),
    ("V", "A^T^{-1}", "(A^T)^(-1)"),
    ("V", "(A^TA)^{-1}^T", "((A^T*A)^(-1))^T"),
    ("S", "2^3^2", "2^9"),
    ("V", "A^TA^{-1}", "(A^T)*inv(A)"),
    ("V", "A^TA^T", "(A^T)*(A^T)"),
    ("V", "x^TA^{-1}x", "(x^T)*inv(A)*x"),
    ("V", "A^TA^{-1}^T", "(A^T)*((A^(-1))^T)"),
    # Word's transpose: the up tack after ^
    ("V", "x^⊤ y", "(x^T)*y"),
    ("V", "x^⊤y", "(x^T)*y"),
    ("V", "x^{⊤} A x", "(x^T)*A*x"),
    # variant Greek letters are the same letters
    ("G", r"\varepsilon x", "epsilon*x"),
    ("G", r"\epsilon x", "epsilon*x"),
    ("G", "ε x", "epsilon*x"),
    ("G", "ϵ + 1", "epsilon + 1"),
    ("G", r"\vartheta^2", "theta^2"),
    ("G", r"\varphi + \phi", "2*phi"),
    ("G", r"\varrho x", "rho*x"),
    # a radical sign with brackets, or over one factor, is clear
    ("S", "√(2x)", "sqrt(2*x)"),
    ("S", "(√2) x", "sqrt(2)*x"),
    ("S", "√(2) x", "sqrt(2)*x"),
    ("S", "√2·x", "sqrt(2)*x"),
    ("S", "x√2", "x*sqrt(2)"),
    ("S", "√K + x", "sqrt(K) + x"),
    ("S", "√2 sin x", "sqrt(2)*sin(x)"),
    # exponents written out leave nothing ambiguous; a series term x^1/1! is a division
    ("S", "x^(1/2)", "sqrt(x)"),
    ("S", "x^{-1/2}", "1/sqrt(x)"),
    ("S", "x^{1}/2", "x/2"),
    ("S", "x^2/2", "(x^2)/2"),
    ("S", "x^1/1! + x^2/2!", "x + (x^2)/2"),
    ("S", "x^1/K", "x/K"),
    ("S", "e^{-2x}", "exp(-2*x)"),
    ("S", "e^(-2x)", "exp(-2*x)"),
    ("S", "e^{-2}x", "exp(-2)*x"),
    ("S", "e^-2 x", "exp(-2)*x"),
    ("S", "e^-x", "exp(-x)"),
    ("S", "e^-x^2", "exp(-(x^2))"),
    ("S", "e^-2*x", "exp(-2)*x"),
    ("S", "x^-2 + 1", "x^(-2) + 1"),
    # a LaTeX superscript in parentheses is an example or layer index (Ng's x^{(i)}), never a power
    ("L", "W^{(1)} x + b^{(1)}", "W_1*x + b_1"),
    ("L", r"W^{\left(1\right)}x", "W_1*x"),
    ("S", "x^{(1)} + x^{(2)}", "x_1 + x_2"),
    ("S", "x^(2)", "x^2"),
    ("S", "x^{2}", "x^2"),
    ("S", "(x)^{(2)}", "x^2"),
    ("S", "e^{(x)}", "exp(x)"),
    ("S", "x^{(1 + 1)}", "x^2"),
    # numpy, math, torch and sympy module prefixes on a function the language knows
    ("S", "np.exp(-x)", "exp(-x)"),
    ("S", "1/(1 + np.exp(-x))", "1/(1 + exp(-x))"),
    ("S", "math.pi * x", "pi*x"),
    ("S", "math.e**x", "exp(x)"),
    ("S", "torch.tanh(x) + sympy.log(K)", "tanh(x) + log(K)"),
    ("V", "np.linalg.norm(x)", "sqrt((x^T)*x)"),
    # the 1-norm (lasso's penalty): the sum of the entries' sizes, in LaTeX, Unicode and call form
    ("V", r"\|w\|_1", "sum(abs(w))"),
    ("V", r"\|w\|_{1}", "sum(abs(w))"),
    ("V", r"\left\| w \right\|_1", "sum(abs(w))"),
    ("V", "‖w‖₁", "sum(abs(w))"),
    ("V", "norm(w, 1)", "sum(abs(w))"),
    ("V", "norm(w, 2)", "sqrt((w^T)*w)"),
    ("V", r"c \|w\|_1 + \|w\|_2^2", "c*sum(abs(w)) + (w^T)*w"),
    ("S", r"\|x\|_1", "abs(x)"),
    ("V", "np.linalg.inv(A) @ x", "inv(A)*x"),
    ("V", "np.sqrt(c) * x.T @ y", "sqrt(c)*((x^T)*y)"),
    # LaTeX puts a power before or after a subscript: x^2_i is x_i^2
    ("V", r"\sum_i x^2_i", "(x^T)*x"),
    ("S", "x^2_1 + x^{2}_{2}", "x_1^2 + x_2^2"),
]

DIFFERS = [
    ("V", r"\|w\|_1", "sqrt((w^T)*w)"),        # the 1-norm is not the Euclidean norm
    ("V", r"\|w\|_1", "sum(w)"),                # nor the sum of the entries
    ("V", r"\|w\|_2", "sum(abs(w))"),
    # 1. a declared multi-letter name stays whole; glued letters are not a power of the product
    ("S2", "xy^2", "x*(y^2)"),
    ("S2", "kx^2", "k*(x^2)"),
    ("S", "xe^x", "(x*e)^x"),
    ("S", "4xy^2", "(4*x*y)^2"),
    ("V", "ss^T", "(s^T)*s"),
    ("V", "ab^T", "b*(a^T)"),
    # 4. accents make new names; LaTeX braces close an argument
    ("S", r"\bar{x}", "x"),
    ("S", r"\tilde{x}", "x"),
    ("S", r"\hat y", "y"),
    ("S", r"\sqrt{x}^2", "sqrt(x^2)"),
    ("S", r"\sqrt{5} x", "sqrt(5*x)"),
    ("S", r"\sqrt{x^2}", "x"),
    # 6. a comma inside brackets separates entries, not thousands
    ("S", "[1,000, 2]", "[1000, 2]"),
    # 8. a dimension is a number, not the vector
    ("D", "n x", "x"),
    ("S", "1/(2x)", "(1/2)*x"),
    ("V", "x^Ty", "x*(y^T)"),
    ("V", "X'X", "X*(X^T)"),
    ("S", r"\frac13 x", "1/(3*x)"),
    ("V", "A^{-1}^T", "A^(-1)"),
    ("V", "A^{-1}.T", "A^(-1)"),
    ("V", "A^-1^T", "A^(-1)"),
    ("V", "A^TA^T", "(A^T)*A"),
    ("G", r"\varepsilon x", "x"),
    ("S", "x^{1}/2", "sqrt(x)"),
    ("S", "e^-2 x", "exp(-2*x)"),
    ("S", "x^{(2)}", "x^2"),
    ("L", "W^{(1)} x", "W*x"),
    ("S", "x^2_1", "x^2"),
]

TWO_WAYS = [
    # 2. a division followed by a juxtaposition: (juxtaposition first, division first)
    ("S", "1/K (y - t)", "1/(K*(y - t))", "(1/K)*(y - t)"),
    ("S", "1/2 x", "1/(2*x)", "(1/2)*x"),
    ("S", "1/2x", "1/(2*x)", "(1/2)*x"),
    ("S", "1/2 x^2", "1/(2*(x^2))", "(1/2)*(x^2)"),
    ("S", "1/2 (x - y)^2", "1/(2*((x - y)^2))", "(1/2)*((x - y)^2)"),
    ("S", "k/2 x^2", "k/(2*(x^2))", "(k/2)*(x^2)"),
    ("S", "a/b c", "a/(b*c)", "(a/b)*c"),
    ("S", "3/4 x y", "3/(4*x*y)", "(3/4)*x*y"),
    ("S", "1/m sin(x)", "1/(m*sin(x))", "(1/m)*sin(x)"),
    ("S", "x/2 y", "x/(2*y)", "(x/2)*y"),
    ("V", "2/N sum(v)", "2/(N*sum(v))", "(2/N)*sum(v)"),
    ("V", "1/N x^T y", "1/(N*((x^T)*y))", "(1/N)*((x^T)*y)"),
    ("V", "1/K sum(y - t)", "1/(K*sum(y - t))", "(1/K)*sum(y - t)"),
    ("S", "1/2 xy", "1/(2*x*y)", "(1/2)*x*y"),
    ("S", "-1/2 x", "-1/(2*x)", "-(1/2)*x"),
    ("S", "1/2(x + y)", "1/(2*(x + y))", "(1/2)*(x + y)"),
    ("S", "1/K(y - t)", "1/(K*(y - t))", "(1/K)*(y - t)"),
    ("V", "1/2 x^T A x", "1/(2*((x^T)*A*x))", "(1/2)*((x^T)*A*x)"),
    ("V", r"1/N \sum_i v_i", "1/(N*sum(v))", "(1/N)*sum(v)"),
    ("S", r"1/\sqrt{2} x", "1/(sqrt(2)*x)", "(1/sqrt(2))*x"),
]

ONE_WAY = [
    # 2. only the division-first reading is valid (dividing by a vector or matrix is not)
    ("LS", "1/m X^T(Xw - y)", "(1/m)*((X^T)*(X*w - y))"),
    ("LS", "2/N X^T(Xw - y)", "(2/N)*((X^T)*(X*w - y))"),
    ("LS", "1/m X^T (X w - y)", "(1/m)*((X^T)*(X*w - y))"),
    ("V", "1/K (y - t)", "(1/K)*(y - t)"),
    ("V", "1/N A x", "(1/N)*(A*x)"),
    ("V", "1/2 ss^T", "(1/2)*(s*(s^T))"),
    ("V", "2/N (y_hat - t)", "(2/N)*(y_hat - t)"),
]

INTERNALS = ("Error", "sympy", "Pending", "Symbol", "Matrix(", "<class", "object at")

INVALID = [
    # norms the language does not have: said so, with what to write instead
    ("V", r"\|w\|_\infty", ["max norm", "max(abs("]),
    ("V", r"\|A\|_1", ["ambiguous", "sum(abs(A))"]),
    ("V", "norm(w, 3)", ["norm(x, p)", "p = 1"]),
    ("V", "norm(w, c)", ["norm(x, p)"]),
    ("S", "(x + y)_2", ["a subscript needs a name before it"]),
    # 1. glued letters do not make an unknown name known
    ("S", "q + 1", ["q"]),
    ("V", "(ss)^T", ["×"]),
    # 2./3. comparisons are not left-hand sides
    ("S", "x == 3", []),
    ("S", "x <= 3", []),
    ("S", "x < 3", []),
    # 4. LaTeX that cannot be read
    ("S", r"\frac{1}{2", ["never closed"]),
    ("S", r"\foo{x}", ["foo"]),
    ("S", r"\sqrt{", []),
    ("S", "$$", []),
    # 5. an unreadable character is named
    ("S", "∇f", ["U+2207", "NABLA"]),
    ("S", "x ≤ 3", ["U+2264"]),
    ("S", "x ∈ y", ["U+2208"]),
    ("S", "2 ⊗ x", ["U+2297"]),
    # 6. a decimal comma stays invalid, with its hint
    ("S", "1000,99", ["decimals with a point"]),
    ("S", "3,14", ["decimals with a point"]),
    ("S", "x + 2,5", ["decimals with a point"]),
    # 7. |A| of a matrix is ambiguous; a lone ones vector has no size
    ("V", "|A|", ["det(A)"]),
    ("V", "|A| + 1", ["det(A)"]),
    ("V", r"\mathbf{1}^T", ["all-ones"]),
    ("S", r"\mathbf{1}", ["all-ones"]),
    # shapes: messages name shapes in words, never in internals
    ("V", "x y", ["column vector"]),
    ("V", "A x^T", ["matrix", "row vector"]),
    ("V", "x + A", []),
    ("V", "inv(x)", []),
    ("S", "sum(x)", ["sum()"]),
    ("LS", "X w + w", []),
    ("LS", "X^T X w - y", []),
    ("LS", "1/(X w)", []),
    ("S", "tr(x)", []),
    ("S", "det(2)", []),
    ("V", "x^T y^T", []),
    ("S", "(", ["never closed"]),
    ("S", "x +", []),
    ("S", "2 x )", []),
    ("S", "", []),
    ("S", "f(x = 1)", []),
    ("S", "x ± 1", ["U+00B1"]),
    ("V", "|A - B|", ["det"]),
    ("S", "sin()", []),
    ("S", "log(x, 2, 3)", []),
    ("S", "x^", []),
    ("S", "2 + * 3", []),
    ("V", "softmax(A)", ["softmax"]),
    ("S", "[1, 2] + [1, 2, 3]", []),
    ("S", "[[1, 2], [3]]", []),
    ("S", "Q + 1", ["Q"]),
    ("S", "θ ← θ - α∇L", ["U+2207"]),
    ("S", "1.000,99", ["decimals with a point"]),
    ("V", r"\left| A \right|", ["det"]),
    ("L", "W^{[3]} x", ["W_3", "layer index"]),
    ("D", "ησ(x)", ["unknown name 'η'"]),        # an undeclared Greek letter is not e·t·a
    ("S", "epsilon x", ["unknown name 'epsilon'"]),
    ("S", r"\varepsilon x", ["unknown name 'epsilon'"]),
    # ' is a transpose, also after a power: not a derivative
    ("S", "x^2'", ["transpose"]),
    # a radical sign over a juxtaposition lost its bar: √2 x is √2·x in Word, √(2x) by `sin 2x` habits
    ("S", "√2 x", ["√(a b)", "(√a) b", "column 1"]),
    ("S", "√2x", ["√(a b)"]),
    ("S", "√x y", ["ambiguous"]),
    ("S", "1/√2 x", ["column 3"]),
    ("S", "∛8x", ["∛(a b)"]),
    # a root or x/2? a power of ±1 written before "/ number"
    ("S", "x^1/2", ["^(1/2)", "column 2"]),
    ("S", "x^-1/2", ["^(-1/2)"]),
    ("S", "2*x^1/2", ["^(1/2)"]),
    # e^(-2x) or e^(-2)·x? a signed exponent glued to what follows
    ("S", "e^-2x", ["^(-2x", "^(-2) x"]),
    ("S", "e^−2x", ["ambiguous"]),
    ("S", "e^-0.5x^2", ["ambiguous"]),
    ("S", "2^-1(x + 1)", ["ambiguous"]),
    ("S", "y^{(2)}", ["y_2", "x^{2}"]),
    ("L", "W^{(3)} x", ["W_3", "index"]),
    # a reduction keeps its prefix (np.max(v) is the largest entry), as does anything unknown
    ("V", "np.max(x)", ["column 3"]),
    ("S", "np.foo(x)", ["column 3"]),
    ("S", "xnp.exp(x)", []),
    # an evaluation bar and a derivative's prime are named in the message
    ("S", r"\left. 2x \right|_{x=1}", ["evaluation bar", "column 11"]),
    ("S", "x^2 |_{x=1}", ["evaluation bar"]),
    ("S", r"x^2 \Big|_{x = 0}", ["evaluation bar"]),
    ("S", "|x|_1", ["subscript"]),
    ("S", "σ'(z)", ["derivative"]),
    ("S", r"\tanh'(z)", ["derivative"]),
]

NOTES = [
    # 3. left-hand sides set aside, and said
    ("S", "dL/dz = 1 - tanh^2 z", "1 - (tanh(z))^2", ["left-hand side", "dL/dz"]),
    ("S", r"x \approx 11", "11", ["x"]),
    ("S", "5 + 5 + 1 = 11", "11", ["5 + 5 + 1"]),
    ("S", "W_h ← W_h - η g", "W_h - eta*g", ["W_h"]),
    # 4. units set aside, and said
    ("S", r"5\,\text{cm}", "5", ["unit", "cm"]),
    ("S", r"9.8 \text{ m/s}^2", "98/10", ["unit"]),
    ("S", r"9.8\,\text{m/s^2}", "98/10", ["unit"]),
    # TOML escapes: "\f" is a form feed, "\t" a tab, "\b" a backspace in a double-quoted string
    ("S", "\x0crac{1}{2} x", "(1/2)*x", ["double-quoted", "\\frac"]),
    ("S", "\tau + 1", "tau + 1", ["double-quoted", "\\tau"]),
    ("S", "\beta x", "beta*x", ["double-quoted", "\\beta"]),
    # thousands separators
    ("S", "7,425,000", "7425000", ["7425000"]),
    ("S", r"x^2 \text{ (rounded)}", "x^2", ["set aside"]),
    ("S", "y = 2x + 1", "2*x + 1", ["left-hand side"]),
    ("S", "b := 0", "0", ["b"]),
    ("S", "1 000", "1000", ["1000"]),
    ("S", "\x0crac13", "1/3", ["\\frac"]),
    ("S", "\rho x", "rho*x", ["\\rho"]),
    ("S", "\nu + 1", "nu + 1", ["\\nu"]),
]

QUIET = [
    # nothing set aside: no notes
    ("S", "x + 1"),
    ("S", "(y - t)/K"),
    ("V", "x^T A x"),
    ("S", r"\frac{1}{2} x"),
    ("S", "2x + 1"),
]

NUMBERS = [
    # 8. literal matrices in number answers
    ("det([[1,2],[3,4]])", -2.0),
    (r"\operatorname{tr}\begin{bmatrix}1&2\\3&4\end{bmatrix}", 5.0),
    (r"\det\begin{bmatrix}2&0\\0&3\end{bmatrix}", 6.0),
    ("norm([3,4])", 5.0),
    ("[1,2]^T [3,4]", 11.0),
    ("[1,2]^T[1,2]", 5.0),
    ("sum([1, 2, 3])", 6.0),
    ("|[3, 4]|", 5.0),
    (r"\|[3, 4]\|", 5.0),
    ("tr([[1, 0], [0, 1]])", 2.0),
    ("det([5 0; 0 2])", 10.0),
    (r"\frac{1}{2}", 0.5),
    ("7,425,000", 7425000.0),
    ("[3,4]^T [3,4]", 25.0),
    ("norm([1,2,2])", 3.0),
    ("norm([1,-2,2], 1)", 5.0),
    ("sum(abs([1, -2]))", 3.0),          # a function of a literal vector, entry by entry, then summed
    ("sum(exp([0, 0]))", 2.0),
    ("sum(sigmoid([0, 0, 0, 0]))", 2.0),
    (r"\|[3, -4]\|_1", 7.0),
    (r"\det\begin{pmatrix}1&2\\3&4\end{pmatrix}", -2.0),
    ("tr([1 0; 0 3])", 4.0),
    (r"\langle [1,2], [3,4] \rangle", 11.0),
    (r"[1,2] \cdot [3,4]", 11.0),
    ("max(3, 4)", 4.0),
    ("∛(-8)", -2.0),
]

ECHOES = [
    # 11. numbers echoed as decimals
    ("419057/40000", "10.476425"),
    ("12.5", "12.5"),
    ("0.001", "0.001"),
    ("0.25", "0.25"),
    ("-3.5", "-3.5"),
    ("1/4", "0.25"),
]


def _ids(rows):
    return [f"{r[0]}:{r[1]}" if isinstance(r[0], str) and r[0] in TABLES else str(r[0]) for r in rows]


@pytest.mark.parametrize("table, text, reference", MUST_READ, ids=_ids(MUST_READ))
def test_must_read_as(table, text, reference):
    symbols = TABLES[table]
    got = read(text, symbols)
    want = read(reference, symbols).value
    assert not got.ambiguous, f"{text!r} should have one reading"
    assert same_function(got.value, want, symbols), f"{text!r} read as {render(got.value)!r}, not {reference!r}"


@pytest.mark.parametrize("table, text, reference", DIFFERS, ids=_ids(DIFFERS))
def test_must_not_read_as(table, text, reference):
    symbols = TABLES[table]
    got = read(text, symbols).value
    assert not same_function(got, read(reference, symbols).value, symbols), f"{text!r} read as {render(got)!r}"


@pytest.mark.parametrize("table, text, juxtaposed, divided", TWO_WAYS, ids=_ids(TWO_WAYS))
def test_reads_two_ways(table, text, juxtaposed, divided):
    symbols = TABLES[table]
    got = read(text, symbols)
    assert got.alternative is not None, f"{text!r} has one reading, {render(got.value)!r}"
    assert same_function(got.value, read(juxtaposed, symbols).value, symbols)
    assert same_function(got.alternative, read(divided, symbols).value, symbols)


@pytest.mark.parametrize("table, text, reference", ONE_WAY, ids=_ids(ONE_WAY))
def test_reads_one_way_divided_first(table, text, reference):
    symbols = TABLES[table]
    got = read(text, symbols)
    assert got.divided_first and got.alternative is None
    assert same_function(got.value, read(reference, symbols).value, symbols)


@pytest.mark.parametrize("table, text, substrings", INVALID, ids=_ids(INVALID))
def test_must_be_invalid(table, text, substrings):
    with pytest.raises(ExprError) as caught:
        read(text, TABLES[table])
    message = str(caught.value)
    for piece in substrings:
        assert piece in message, f"{piece!r} not in {message!r}"
    for inner in INTERNALS:
        assert inner not in message, f"internals {inner!r} in {message!r}"


@pytest.mark.parametrize("table, text, reference, substrings", NOTES, ids=_ids(NOTES))
def test_notes(table, text, reference, substrings):
    symbols = TABLES[table]
    got = read(text, symbols)
    assert same_function(got.value, read(reference, symbols).value, symbols)
    said = " | ".join(got.notes)
    for piece in substrings:
        assert piece in said, f"{piece!r} not in notes {said!r}"


@pytest.mark.parametrize("table, text", QUIET, ids=_ids(QUIET))
def test_no_notes_when_nothing_was_set_aside(table, text):
    assert read(text, TABLES[table]).notes == ()


@pytest.mark.parametrize("raw, value", NUMBERS, ids=_ids(NUMBERS))
def test_number_answers_with_literal_matrices(raw, value):
    part = Part(type="number", answer="0")
    assert checker_for("number").read(raw, part).value == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("raw", ["[1, 2]", "[[1, 2], [3, 4]]", "[1,2] [3,4]^T"])
def test_number_answers_refuse_vectors_and_matrices(raw):
    with pytest.raises(Invalid) as caught:
        checker_for("number").read(raw, Part(type="number", answer="0"))
    assert not any(inner in str(caught.value) for inner in INTERNALS)


@pytest.mark.parametrize("text, shown", ECHOES, ids=[e[0] for e in ECHOES])
def test_numbers_echo_as_decimals(text, shown):
    assert render(read(text, SymbolTable()).value) == shown


# ---- through the real pipeline -------------------------------------------------------------

BANK = """
title = "Reading what students type"
statement = "Formulas."

[parts.scaled]
type = "expression"
vars = {{ y = "real", t = "real", K = "positive" }}
answer = "(y - t)/K"

[parts.half]
type = "expression"
vars = {{ x = "real" }}
answer = "x/2"

[parts.chain]
type = "number"
answer = "11"

[parts.root]
type = "expression"
vars = {{ x = "real" }}
answer = "sqrt(5) * x"

[parts.gram]
type = "expression"
vars = {{ X = "matrix(m, n)" }}
answer = "X^T * X"

[parts.ones]
type = "expression"
vars = {{ v = "vector(n)" }}
answer = "sum(v)"
{extra}
"""


def _bank(tmp_path, extra: str = ""):
    path = tmp_path / "problems" / "hw" / "read.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(BANK.format(extra=extra)).lstrip(), encoding="utf-8")
    return tmp_path / "problems"


def _submit(tmp_path, answers: str) -> dict:
    bank = _bank(tmp_path)
    path = tmp_path / "answers.toml"
    path.write_text('student = "alice"\nassignment = "hw"\n\n[read]\n' + answers, encoding="utf-8")
    result = CliRunner().invoke(main, ["submit", str(path), "--problems", str(bank), "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    return {item["id"]: item for p in report["problems"] for item in p["parts"]}


PIPELINE = [
    # part, the answer line as written in the TOML file, status, feedback contains ("": no note at all)
    ("scaled", "scaled = '1/K (y - t)'", "correct", "read as"),
    ("scaled", "scaled = '(1/K)(y - t)'", "correct", ""),
    ("scaled", "scaled = '1/(K (y - t))'", "incorrect", ""),
    ("half", 'half = "\\frac{1}{2} x"', "correct", "single quotes"),   # the form feed restored, and said
    ("half", "half = '$\\frac{1}{2}x$'", "correct", ""),
    ("half", "half = '½ x'", "correct", ""),
    ("chain", "chain = '1000,99'", "invalid", "decimals with a point"),
    ("root", "root = '\\sqrt{5} x'", "correct", ""),
    ("root", "root = '\\sqrt{5x}'", "incorrect", ""),
    ("gram", "gram = 'X^TX'", "correct", ""),
    ("gram", "gram = 'X.T @ X'", "correct", ""),
    ("gram", "gram = '|X|'", "invalid", "det"),
    ("ones", "ones = '\\mathbf{1}^T v'", "correct", ""),
    ("ones", "ones = '\\sum_i v_i'", "correct", ""),
    ("half", "half = '1/2 x'", "correct", "read as"),
    ("half", "half = '\\frac12 x'", "correct", ""),
    ("scaled", "scaled = '1/K(y - t)'", "correct", "read as"),
    ("chain", "chain = '$11$'", "correct", ""),
    ("chain", "chain = '11\\,\\text{cm}'", "correct", "cm"),
    ("chain", "chain = '5 + 5 + 1 = 11'", "correct", "5 + 5 + 1"),
    # a number part reads an ambiguous division both ways too: 44/(2 (1/2)) is 44, (44/2)(1/2) is 11
    ("chain", "chain = '44/2 (1/2)'", "correct", "read as"),
    ("chain", "chain = '44/(2 (1/2))'", "incorrect", ""),
    ("scaled", "scaled = 'dL/dz = (y - t)/K'", "correct", "left-hand side"),
]


@pytest.mark.parametrize("part, line, status, feedback", PIPELINE, ids=[p[1] for p in PIPELINE])
def test_graded_through_submit(tmp_path, part, line, status, feedback):
    graded = _submit(tmp_path, line + "\n")[part]
    assert graded["status"] == status, graded
    if feedback:
        assert feedback in graded["feedback"], graded
    else:  # read as written: no reading guessed, nothing set aside
        assert not any(note in graded["feedback"] for note in ("read as", "set aside", "restored")), graded


CHECKS = [
    # an instructor's answer in `grade check`: exit code, output contains, output must not contain
    ("1/K (y - t)", 1, "parentheses", "Traceback"),
    ("1/2 x", 1, "parentheses", "Traceback"),
    (r"\frac{1}{K} (y - t)", 0, "ok", "parentheses"),
    ("(y - t)/K", 0, "ok", "parentheses"),
    ("k x^2 + kk", 0, "warning:", "Traceback"),
    ("k x^2 + k k", 0, "ok", "warning:"),
    ("kx^2", 0, "warning:", "Traceback"),
]


@pytest.mark.parametrize("answer, code, said, unsaid", CHECKS, ids=[c[0] for c in CHECKS])
def test_check_on_an_instructor_answer(tmp_path, answer, code, said, unsaid):
    bank = _bank(tmp_path, '\n[parts.extra]\ntype = "expression"\n'
                           'vars = { y = "real", t = "real", K = "positive", k = "real", x = "real" }\n'
                           f"answer = '{answer}'\n")
    result = CliRunner().invoke(main, ["check", str(bank)])
    assert result.exit_code == code, result.output
    assert said in result.output and unsaid not in result.output, result.output
    if said == "warning:":
        assert "kk" in result.output or "kx" in result.output


def test_row_count():
    rows = (len(MUST_READ) + len(DIFFERS) + len(TWO_WAYS) + len(ONE_WAY) + len(INVALID) + len(NOTES)
            + len(QUIET) + len(NUMBERS) + len(ECHOES) + len(PIPELINE) + len(CHECKS))
    assert rows >= 300


@pytest.mark.parametrize("text, shown", [
    # an elementwise root of a vector or matrix echoes as the root, never as a matrix power x^(1/3)
    ("∛x", "cbrt(x)"),
    ("cbrt(A)", "cbrt(A)"),
    ("∛(x^T)", "cbrt(x^T)"),
    ("sqrt(sqrt(x))", "sqrt(sqrt(x))"),
])
def test_elementwise_roots_echo_as_roots(text, shown):
    symbols = TABLES["V"]
    value = read(text, symbols).value
    assert render(value) == shown
    assert read(render(value), symbols).value == value  # the oracle samples negative entries: compare trees
