"""Math shown on a page as MathML, built by sympy's presentation printer from what the reader
understood: never from student text pasted into markup (the printer writes through xml.dom, which
escapes every text node)."""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.printing.mathml import mathml as presentation

MAX_MATHML = 50_000   # characters: a larger reading is shown as its text echo instead


def mathml(value) -> str | None:
    """A `<math>` element for a reading's value (an expression, a number, a vector or matrix), or None
    when it is not math (a choice, a text) or too large to show."""
    if isinstance(value, np.ndarray):
        value = sp.Matrix(value.tolist()) if value.ndim == 2 else sp.Matrix(value.tolist()).T
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        value = sp.Integer(value) if isinstance(value, int) else sp.Float(value)
    if not isinstance(value, (sp.Basic, sp.MatrixBase)):
        return None
    try:
        inner = presentation(value, printer="presentation")
    except Exception:  # noqa: BLE001 - a value the printer cannot show is shown as its echo
        return None
    if len(inner) > MAX_MATHML:
        return None
    return f"<math>{inner}</math>"
