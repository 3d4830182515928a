"""Formulas: read with the part's declared names, then equivalence in layers (grader.expr)."""

from __future__ import annotations

from functools import lru_cache

from ..expr import ExprError, SymbolTable, parse_with_domain, render
from ..expr.equivalence import DIFFERENT, EQUIVALENT, compare
from . import CORRECT, INCORRECT, UNGRADED, Check, Invalid, Reading, register


def table_for(part) -> SymbolTable:
    """The part's declared names; built once per declaration, not once per answer read or compared."""
    return _table(tuple(part.vars.items()), tuple((k, tuple(v)) for k, v in part.domain.items()))


@lru_cache(maxsize=1024)
def _table(declarations: tuple, domains: tuple) -> SymbolTable:
    try:
        return SymbolTable(dict(declarations), dict(domains))
    except ExprError as error:
        raise ValueError(f"vars: {error.reason}") from None


def _read(raw, part) -> Reading:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise Invalid(f"expected a formula as a string, got {type(raw).__name__}")
    text = raw if isinstance(raw, str) else repr(raw)
    try:
        expr, conditions = parse_with_domain(text, table_for(part))
    except ExprError as error:
        raise Invalid(error.located()) from None
    return Reading(expr, render(expr), domain=conditions)


def _compare(reading: Reading, expected, part) -> Check:
    verdict = compare(reading.value, expected, table_for(part), prove=part.prove, domain=reading.domain)
    if verdict.outcome == EQUIVALENT:
        return Check(CORRECT, 1.0, detail={"method": verdict.method})
    if verdict.outcome == DIFFERENT:
        return Check(INCORRECT, 0.0, verdict.feedback, {"method": verdict.method})
    return Check(UNGRADED, 0.0, f"could not decide automatically ({verdict.feedback}); flagged for review")


register("expression", _read, _compare)
