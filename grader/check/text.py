"""Free text (explanations, proofs): kept for a person to grade, never auto-scored."""

from __future__ import annotations

from ..status import KEPT
from . import UNGRADED, AnswerType, Check, Invalid, Reading, register

MAX_TEXT = 20_000


class TextType(AnswerType):
    """Free text: no canonical answer, never refused, never self-tested."""

    name = "text"
    needs_answer = False
    formula_answers = False

    def read(self, raw, part) -> Reading:
        if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            raise Invalid("expected text")
        text = str(raw)
        if len(text) > MAX_TEXT:
            raise Invalid(f"answer is too long ({len(text)} characters; the limit is {MAX_TEXT})")
        return Reading(text)

    def compare(self, reading: Reading, expected, part) -> Check:
        return Check(UNGRADED, 0.0, KEPT)

    def refuse(self, raw, expected) -> str | None:
        return None


register(TextType())
