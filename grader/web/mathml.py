"""Math shown on a page as MathML, built by sympy's presentation printer from what the reader
understood: never from student text pasted into markup. The printer writes its text nodes raw (so
that its own entities such as `&ExponentialE;` survive); `_Printer` escapes `<` and `>` in them, so a
name is text whatever it holds."""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter

MAX_MATHML = 50_000   # characters: a larger reading is shown as its text echo instead
SHOWN_FIGURES = 6     # significant figures of a computed number (what it was read as, not how it is graded)


def mathml(value) -> str | None:
    """A `<math>` element for a reading's value (an expression, a number, a vector or matrix), or None
    when it is not math (a choice, a text) or too large to show."""
    inner = presentation(value)
    return None if inner is None else f"<math>{inner}</math>"


def presentation(value) -> str | None:
    """The MathML inside `<math>` for a value, or None (see `mathml`)."""
    if isinstance(value, np.ndarray):
        rows = [[_number(x) for x in row] for row in (value if value.ndim == 2 else [value])]
        value = sp.Matrix(rows)
    elif isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        value = _number(value)
    if not isinstance(value, (sp.Basic, sp.MatrixBase)):
        return None
    try:
        inner = _Printer().doprint(value)
    except Exception:  # noqa: BLE001 - a value the printer cannot show is shown as its echo
        return None
    return None if len(inner) > MAX_MATHML else inner


def _number(x) -> sp.Expr:
    """A computed number as a reader wants it: an integer as it is, a float to 6 significant figures."""
    if isinstance(x, (int, np.integer)):
        return sp.Integer(int(x))
    return sp.Float(float(x), SHOWN_FIGURES)


class _Printer(MathMLPresentationPrinter):
    """sympy's presentation printer whose text nodes cannot hold markup: `<` and `>` are escaped, `&`
    is kept (an entity or character reference is text, never a tag). A name is shown as the reader
    took it: `y_hat` (read from `\\hat{y}`) with a hat, the 1 of `W_1` a number."""

    def __init__(self, settings=None):
        super().__init__(settings)
        raw = self.dom.createTextNode
        self.dom.createTextNode = lambda data: raw(str(data).replace("<", "&lt;").replace(">", "&gt;"))

    def _as_ordered_terms(self, expr, order=None):
        """A sum as people write it: by degree, but never starting with a minus when a term could lead
        (`y - a`, not sympy's `-a + y`; `w_1 x_1 + w_2 x_2 + b`)."""
        if not isinstance(expr, sp.Add):
            return super()._as_ordered_terms(expr, order)
        terms = list(expr.as_ordered_terms(order="grlex"))
        lead = next((i for i, term in enumerate(terms) if not term.could_extract_minus_sign()), 0)
        return [terms[lead], *terms[:lead], *terms[lead + 1:]]

    def _print_ToScalar(self, e):
        """`w^T x` as written: the 1×1 product, not the reader's wrapper that makes it a number."""
        return self._print(e.args[0])

    def _print_sigmoid(self, e):
        """The logistic sigmoid as σ, as the statements of a course write it (`sigma(z)` reads as it)."""
        shown = self.dom.createElement("mrow")
        name = self.dom.createElement("mi")
        name.appendChild(self.dom.createTextNode("σ"))
        shown.appendChild(name)
        shown.appendChild(self._paren_comma_separated(*e.args))
        return shown

    def _print_Symbol(self, sym, style="plain"):
        base, hat, rest = sym.name.partition("_hat")
        if hat and base and not rest:
            over = self.dom.createElement("mover")
            over.setAttribute("accent", "true")
            over.appendChild(super()._print_Symbol(sp.Symbol(base), style))
            mark = self.dom.createElement("mo")
            mark.appendChild(self.dom.createTextNode("^"))
            over.appendChild(mark)
            return over
        shown = super()._print_Symbol(sym, style)
        if shown.tagName == "msub" and shown.lastChild.tagName == "mi" and shown.lastChild.firstChild.data.isdigit():
            number = self.dom.createElement("mn")
            number.appendChild(self.dom.createTextNode(shown.lastChild.firstChild.data))
            shown.replaceChild(number, shown.lastChild)
        return shown
