"""Cheap refusals of hostile answer values, before a checker reads them.

A checker reads every entry of an array (each may be a formula) and turns
numbers into floats. So a list far larger than the expected array is refused by
counting alone, and an integer past the range of a float (TOML allows 4,000
digits) is refused by its size, instead of raising OverflowError deep inside a
check. A decimal written for an integer part is refused with its digits as
written, so the reason shows (the checker's "got 3.14e+06" hides the .5).
"""

from __future__ import annotations

import re

import numpy as np

MIN_ENTRIES_READ = 100   # a list this long is always read, to say exactly what is wrong with it
MAX_BITS = 1023          # the largest exponent of a float64
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?")


def refusal(raw, part_type: str, expected) -> str | None:
    """Why `raw` cannot be an answer of this part, or None to read it as usual."""
    if part_type == "text":
        return None
    if part_type == "integer":
        written = raw.strip() if isinstance(raw, str) else repr(raw) if isinstance(raw, float) else ""
        if _DECIMAL.fullmatch(written) and _fractional(float(written)):
            # the checker would say "got 3.14e+06", which reads as a whole number
            return f"expected a whole number: {written} has a fractional part"
    if part_type == "array" and isinstance(raw, list):
        count = sum(len(row) if isinstance(row, list) else 1 for row in raw)
        size = int(np.size(expected)) if expected is not None else 0
        if count > max(4 * size, MIN_ENTRIES_READ):
            return f"too many entries ({count} given, {size} expected); not read"
        cells = [x for row in raw for x in (row if isinstance(row, list) else [row])]
    else:
        cells = [raw]
    for cell in cells:
        if isinstance(cell, int) and not isinstance(cell, bool) and cell.bit_length() > MAX_BITS:
            return "number too large to compute with (over 300 digits)"
    return None


def _fractional(value: float) -> bool:
    """As the integer checker judges it: more than rounding error away from a whole number."""
    return abs(value - round(value)) > 1e-9 * max(1.0, abs(value))
