"""Cheap refusals of hostile answer values, before a checker reads them.

A checker reads every entry of an array (each may be a formula) and turns
numbers into floats. So a list far larger than the expected array is refused by
counting alone, and an integer past the range of a float (TOML allows 4,000
digits) is refused by its size, instead of raising OverflowError deep inside a
check.
"""

from __future__ import annotations

import numpy as np

MIN_ENTRIES_READ = 100   # a list this long is always read, to say exactly what is wrong with it
MAX_BITS = 1023          # the largest exponent of a float64


def refusal(raw, part_type: str, expected) -> str | None:
    """Why `raw` cannot be an answer of this part, or None to read it as usual."""
    if part_type == "text":
        return None
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
