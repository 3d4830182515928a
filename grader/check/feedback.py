"""How much an automatic message may say: `full`, `hints` (the default) or `verdict`.

"Your answer is 3/2 times the correct one" and "off by an additive constant (0.25)" hand the
student the answer: with `hints` they name the kind of slip without its size; with `verdict`
no automatic message is shown at all (an instructor's own mistake feedback still is).
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import INCORRECT, PARTIAL, Check

LEVELS = ("full", "hints", "verdict")
DEFAULT = "hints"

_HINTS = [
    (re.compile(r"off by a constant factor: your answer is .+ times the correct one"),
     "off by a constant factor: check for a dropped or extra factor"),
    (re.compile(r"(twice|half) the correct value: check for a dropped( or doubled)? factor of 2"),
     "off by a constant factor: check for a dropped or extra factor"),
    (re.compile(r"off by an additive constant \(.+?\)"), "off by an additive constant: check the constant terms"),
    (re.compile(r"off by a factor of 10\^-?\d+: check the decimal point"),
     "off by a power of ten: check the decimal point"),
]


def said(status: str, text: str, level: str) -> str:
    """An automatic message about a part with this status, cut down to what `level` allows."""
    if status not in (INCORRECT, PARTIAL) or not text or level == "full":
        return text
    if level == "verdict":
        return ""
    for pattern, hint in _HINTS:
        text = pattern.sub(hint, text)
    return text


def shown(check: Check, level: str) -> Check:
    """The check with its automatic message cut down to what `level` allows."""
    text = said(check.status, check.feedback, level)
    return check if text == check.feedback else replace(check, feedback=text)
