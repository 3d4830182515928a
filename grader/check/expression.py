"""Formulas: read with the part's declared names, then equivalence in layers (grader.expr)."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import sympy as sp

from ..canonical import symbolic_value
from ..expr import ExprError, SymbolTable, read, render
from ..expr.equivalence import (DIFFERENT, EQUIVALENT, MIN_POINTS, UNDECIDED, compare, defined_as_expected,
                                defined_points)
from ..expr.library import CONSTANT_NAMES, FUNCTIONS
from ..expr.symbols import normalize
from . import CORRECT, INCORRECT, PARTIAL, UNGRADED, AnswerType, Check, Invalid, Reading, reading_of, register

_DECIMAL = re.compile(r"\d*\.\d+")


def table_for(part) -> SymbolTable:
    """The part's declared names; built once per declaration, not once per answer read or compared."""
    return _table(tuple(part.vars.items()), tuple((k, tuple(v)) for k, v in part.domain.items()))


@lru_cache(maxsize=1024)
def _table(declarations: tuple, domains: tuple) -> SymbolTable:
    try:
        return SymbolTable(dict(declarations), dict(domains))
    except ExprError as error:
        raise ValueError(f"vars: {error.reason}") from None


def _approximation(verdict, part) -> Check:
    """A decimal that only approximates the exact answer (3.14159 x for pi x): within the part's
    `approximate` tolerance it is right; otherwise it earns at most digits_credit."""
    detail = {"method": verdict.method, "relative_error": verdict.near}
    near = verdict.near / (1 + 1e-9)  # a bound met exactly (0.333333 for 1/3 is 10^-6 off) is met
    if part.approximate is not None and near <= part.approximate:
        return Check(CORRECT, 1.0, detail=detail)
    if near <= 1e-6:
        return Check(PARTIAL, part.digits_credit, "give the exact value: " + verdict.feedback, detail)
    return Check(INCORRECT, 0.0, verdict.feedback, detail)


def _same_explicit_shape(value, expected) -> bool:
    return isinstance(value, sp.MatrixBase) and isinstance(expected, sp.MatrixBase) and value.shape == expected.shape


def _entrywise(value, expected, part, domain) -> Check:
    """`credit = "elementwise"` on a matrix written out entry by entry (a Jacobian): each entry
    is a formula graded on its own, and the part earns the share of entries right, once the
    matrix as written is defined wherever the answer is (`sqrt(x)^2` was built as x)."""
    table = table_for(part)
    if not defined_as_expected(value, expected, table, domain):
        return Check(INCORRECT, 0.0, "your answer is undefined at some points where the correct answer is defined")
    wrong = []
    for (i, j), _ in np.ndenumerate(np.empty(expected.shape)):
        verdict = compare(value[i, j], expected[i, j], table, prove=part.prove)
        if verdict.outcome == UNDECIDED:
            return Check(UNGRADED, 0.0, f"could not decide entry ({i + 1}, {j + 1}) automatically "
                                        f"({verdict.feedback}); flagged for review")
        if verdict.outcome != EQUIVALENT:
            wrong.append(f"({i + 1}, {j + 1})" if expected.cols > 1 else f"{i + 1}")
    if not wrong:
        return Check(CORRECT, 1.0)
    size = expected.rows * expected.cols
    credit = (size - len(wrong)) / size
    return Check(PARTIAL if credit > 0 else INCORRECT, credit,
                 f"{size - len(wrong)} of {size} entries right; check entry {', '.join(wrong)}")


class ExpressionType(AnswerType):
    """A formula over the part's declared vars, graded by equivalence in layers (grader.expr)."""

    name = "expression"
    vars_in_answers = True

    def read(self, raw, part) -> Reading:
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise Invalid(f"expected a formula as a string, got {type(raw).__name__}")
        text = raw if isinstance(raw, str) else repr(raw)
        try:
            parsed = read(text, table_for(part))
        except ExprError as error:
            raise Invalid(error.located()) from None
        return reading_of(parsed, render, digits=tuple(_DECIMAL.findall(parsed.text)))

    def compare(self, reading: Reading, expected, part) -> Check:
        if part.credit == "elementwise" and _same_explicit_shape(reading.value, expected):
            return _entrywise(reading.value, expected, part, reading.domain)
        verdict = compare(reading.value, expected, table_for(part), prove=part.prove, domain=reading.domain)
        if verdict.outcome == EQUIVALENT:
            return Check(CORRECT, 1.0, detail={"method": verdict.method})
        if verdict.outcome == DIFFERENT and verdict.near is not None and reading.digits:
            return _approximation(verdict, part)
        if verdict.outcome == DIFFERENT:
            return Check(INCORRECT, 0.0, verdict.feedback, {"method": verdict.method})
        return Check(UNGRADED, 0.0, f"could not decide automatically ({verdict.feedback}); flagged for review")

    def canonical(self, answer, part, scope):
        return symbolic_value(answer, part, scope)

    def validate(self, part) -> None:
        """The vars and their domains must make a table (a domain for an undeclared name, or one
        outside its name's kind, is refused at load with its line, not met while grading)."""
        table_for(part)

    def nameable(self, part_id, part) -> bool:
        """A formula can be named unless its id is a built-in's (a part called `diag` leaves
        `diag(s)` the function, as it always was)."""
        return normalize(part_id) not in FUNCTIONS and normalize(part_id) not in CONSTANT_NAMES

    def forms(self, value, part):
        text = render(value)
        zero = value == 0 or getattr(value, "is_ZeroMatrix", False)
        return text, f"2*({text})" if not zero else f"({text}) + 1", None if zero else f"-({text})"

    def unfit(self, value, part) -> str | None:
        """Other forms are tested by their values at sampled points: too few points and only
        the answer's own spelling would grade correct (`log(x)` over a negative `x`)."""
        found = defined_points(value, table_for(part))
        if found >= MIN_POINTS:
            return None
        return (f"the answer has a value at only {found} of the sampled points of its vars, too few to "
                f"test answers by their values (needs {MIN_POINTS}): check the vars' kinds and domain")

    def hints(self, part) -> list[str]:
        return [f"#   names you can use: {', '.join(part.vars)}"] if part.vars else []


register(ExpressionType())
