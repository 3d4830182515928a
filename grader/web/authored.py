"""An author's statement or prompt as HTML: prose escaped as text, each `$...$` segment as MathML of
its reading (grader.mathtext), or, when it cannot be read, as escaped code text. Nothing of the text
reaches the markup unescaped: math is printed from the reader's values, never from the text."""

from __future__ import annotations

import re
from html import escape

import sympy as sp
from markupsafe import Markup

from ..expr import ExprError
from ..mathtext import read_math, segments
from .mathml import MAX_MATHML, presentation
from .preview import PLAIN_NUMBER

_DECIMAL = re.compile(r"\d\.|\.\d|\d[eE]")

RELATION_MARKUP = {"<": "&lt;", ">": "&gt;"}


def authored(text: str, names: tuple) -> Markup:
    """`text` as HTML for a page, its math read over `names` (mathtext.names_of)."""
    html = []
    for segment in segments(text):
        shown = _math(segment.text, names) if segment.math else None
        if shown is not None:
            html.append(shown)
        elif segment.math:
            html.append(f'<code class="tex">${escape(segment.text, quote=False)}$</code>')
        else:
            html.append(escape(segment.text, quote=False))
    return Markup("".join(html))


def _math(text: str, names: tuple) -> str | None:
    """The `<math>` element of one segment, or None when it cannot be read or shown."""
    try:
        reading = read_math(text, names)
    except ExprError:
        return None
    sides = [_number(text) if PLAIN_NUMBER.fullmatch(text) else presentation(_decimals(side, text))
             for side, text in zip(reading.sides, reading.texts)]
    if any(side is None for side in sides):
        return None
    inner = sides[0] + "".join(f"<mo>{RELATION_MARKUP.get(r, r)}</mo>{side}"
                               for r, side in zip(reading.relations, sides[1:]))
    if len(inner) > MAX_MATHML:
        return None
    return f"<math><mrow>{inner}</mrow></math>"


def _number(text: str) -> str:
    """A side that is one number is shown as written: 0.50 stays 0.50, not 1/2."""
    return f"<mn>{text}</mn>"


def _decimals(value, text: str):
    """Decimals as decimals: the reader keeps 0.53 exact (53/100), a reader of the statement expects
    0.53. Only fractions a decimal can write exactly, and only where the text has a decimal."""
    if not _DECIMAL.search(text) or not hasattr(value, "atoms"):
        return value
    exact = {r: sp.Float(float(r)) for r in value.atoms(sp.Rational) if r.q != 1 and _terminates(r.q)}
    return value.xreplace(exact) if exact else value


def _terminates(q: int) -> bool:
    for factor in (2, 5):
        while q % factor == 0:
            q //= factor
    return q == 1
