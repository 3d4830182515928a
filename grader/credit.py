"""Partial credit beyond the plain check: known mistakes and carry-forward from earlier parts."""

from __future__ import annotations

from . import check as checks
from .check import CORRECT, INCORRECT, PARTIAL, Check, Reading
from .expr import ExprError
from .solve import SolveError, Variant


def _better(current: Check, candidate: Check) -> Check:
    return candidate if candidate.credit > current.credit else current


def from_mistakes(current: Check, reading: Reading, part_id: str, variant: Variant) -> Check:
    """A match with a known mistake gives its credit and feedback, when that beats what we have."""
    part = variant.problem.model.parts[part_id]
    checker = checks.checker_for(part.type)
    for index, mistake in enumerate(part.mistakes):
        try:
            value = variant.mistake_value(part_id, index)
        except (SolveError, ExprError):
            continue  # `grade check` reports a mistake that cannot be evaluated
        if checker.compare(reading, value, part).status == CORRECT:
            status = PARTIAL if mistake.credit > 0 else INCORRECT
            match = Check(status, mistake.credit, mistake.feedback, {"mistake": index})
            return match if mistake.credit >= current.credit else current
    return current


def carried_forward(current: Check, reading: Reading, part_id: str, variant: Variant,
                    earlier: dict[str, tuple[Check, Reading]]) -> Check:
    """Right when the student's own (wrong) answers to earlier parts are used: carry-forward credit."""
    part = variant.problem.model.parts[part_id]
    if part.carry_forward <= current.credit or not isinstance(part.answer, str):
        return current
    overrides, names = {}, []
    for dep in sorted(variant.depends.get(part_id, ())):
        dep_check, dep_reading = earlier.get(dep, (None, None))
        if dep_reading is None:
            continue
        overrides[dep] = dep_reading.value
        # a dependency credited by carry-forward is itself off the true value: name it too
        if dep_check.status != CORRECT or dep_check.detail.get("carried_from"):
            names.append(dep)
    if not names:
        return current
    try:
        value = variant.evaluate(part.answer, part_id, overrides)
    except (SolveError, ExprError, ValueError, TypeError):
        return current
    if checks.checker_for(part.type).compare(reading, value, part).status != CORRECT:
        return current
    status = CORRECT if part.carry_forward >= 1 else PARTIAL
    listed = ", ".join(names)
    return _better(current, Check(
        status, part.carry_forward,
        f"wrong against the true value of {listed}, but right for your answer to {listed}: "
        f"credit carried forward",
        {"carried_from": names},
    ))


def improve(current: Check, reading: Reading, part_id: str, variant: Variant, earlier) -> Check:
    if current.status not in (INCORRECT, PARTIAL):
        return current
    current = carried_forward(current, reading, part_id, variant, earlier)
    return from_mistakes(current, reading, part_id, variant)
