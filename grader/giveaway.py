"""What would give an answer away: a variant's answers as a message could quote them.

Until solutions are released the service withholds feedback that quotes an answer (an
instructor's mistake feedback may say "... the answer is phi^2/2"). The keys are made where the
variant is solved, in a grading worker, so the service's own process never solves it again.
"""

from __future__ import annotations

import re

from .present import format_value
from .solve import Variant

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ROUND = re.compile(r"-?\d+(\.0*)?")   # a whole number names nothing (a count, a point value)
# a formula as a message may write it: no spaces, products or subscripts, one spelling of each symbol
_NOISE = re.compile(r"[\s*·⋅_]+")
_SPELLINGS = str.maketrans({"−": "-", "ᵀ": "^T", "²": "^2", "ŷ": "yhat", "σ": "sigma"})


def answer_keys(variant: Variant) -> list[str]:
    """Patterns (regular expressions, as text) of a variant's answers as a message could quote them:
    the instructor's formulas (not a bare name: that only names the value) and non-round canonical
    values as shown, each squeezed like the message it is looked for in."""
    texts = set()
    for pid, part in variant.problem.model.parts.items():
        expected = variant.expected.get(pid)
        if isinstance(part.answer, str) and not _NAME.fullmatch(part.answer.strip()):
            texts.add(part.answer.strip())
        if expected is not None and not isinstance(expected, str):
            texts.add(format_value(expected).strip())
    keys = []
    for text in {squeezed(text) for text in texts}:
        if len(text) < 4 or _ROUND.fullmatch(text):
            continue
        keys.append(r"(?<![\d.])" + re.escape(text) + (r"(?!\d)" if text[-1].isdigit() else ""))
    return sorted(keys)


def quotes(message: str, keys: list[str]) -> bool:
    """Whether a message quotes one of these answer keys, spacing and spelling aside."""
    said = squeezed(message)
    return any(re.search(key, said) for key in keys)


def squeezed(text: str) -> str:
    """`text` with what may differ between two writings of one formula taken out: "sigma(z)(1 - sigma(z))"
    in an instructor's feedback is the answer "sigmoid(z) (1 - sigmoid(z))", and "MᵀM" is "M^T M"."""
    return _NOISE.sub("", text.translate(_SPELLINGS)).replace("sigmoid", "sigma")
