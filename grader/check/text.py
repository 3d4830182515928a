"""Free text (explanations, proofs): kept for a person to grade, never auto-scored."""

from __future__ import annotations

from . import UNGRADED, Check, Invalid, Reading, register

MAX_TEXT = 20_000


def _read(raw, part) -> Reading:
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
        raise Invalid("expected text")
    text = str(raw)
    if len(text) > MAX_TEXT:
        raise Invalid(f"answer is too long ({len(text)} characters; the limit is {MAX_TEXT})")
    return Reading(text)


def _compare(reading: Reading, expected, part) -> Check:
    return Check(UNGRADED, 0.0, "kept for a person to grade")


register("text", _read, _compare)
