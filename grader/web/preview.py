"""The live preview of one answer: the service's `validate` (how it was read, or where and why it
cannot be), with the reading as MathML when it is math. Never whether it is right."""

from __future__ import annotations

import re

from ..check import Invalid, checker_for
from ..errors import GradeError
from ..expr import BudgetExceeded, budget
from ..service.errors import TooLarge
from .mathml import mathml

MAX_PREVIEW = 10_000   # characters of one answer previewed (a text part is not previewed)
MATH_TYPES = ("expression", "number", "integer", "array")
NUMBER_TYPES = ("number", "integer")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d*)?([eE][-+]?\d+)?")


def preview(service, user, assignment: str, problem: str, part: str, answer: str) -> dict:
    """{status, read_as, message, math, echo}: what the preview fragment shows. `echo` is the reading as
    text beside the math of a number part, where the math is its value (`sqrt(13)/13` = 0.27735)."""
    if len(answer) > MAX_PREVIEW:
        raise TooLarge(f"the answer is too long to preview ({len(answer)} characters; the limit is {MAX_PREVIEW})")
    shown = service.validate(user, assignment, problem, part, answer)
    math = echo = None
    if shown["status"] == "ok":
        spec = service.bank.problem(problem if problem.startswith(f"{assignment}/") else
                                    f"{assignment}/{problem}").model.parts[part]
        math = _math(spec, answer)
        if math and spec.type in NUMBER_TYPES and not PLAIN_NUMBER.fullmatch(shown["read_as"] or ""):
            echo = shown["read_as"]
    return {**shown, "math": math, "echo": echo}


def _math(spec, answer: str) -> str | None:
    """The reading as MathML; None when it is not math or cannot be read again in its time budget
    (`validate` has just read it, in the same way: this reads the value it does not return)."""
    if spec.type not in MATH_TYPES:
        return None
    try:
        with budget(spec.timeout):
            return mathml(checker_for(spec.type).read(answer, spec).value)
    except (Invalid, BudgetExceeded, GradeError, ArithmeticError, ValueError):
        return None
