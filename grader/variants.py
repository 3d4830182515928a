"""Per-student parameter values, drawn from a seed that is the same on every machine.

The seed hashes the course secret, assignment, problem and student; draws use
Python's `random.Random`, whose sequences are stable across platforms and
versions. Without a student, the published values are used.
"""

from __future__ import annotations

import hashlib
import os
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the CLI reads SECRET_ENV without loading pydantic
    from .model import Draw, Problem

SECRET_ENV = "GRADE_SECRET"


def course_secret(secret: str | None = None) -> str:
    """`secret` when given, else GRADE_SECRET: every entry point draws the variants `grade` draws."""
    return os.environ.get(SECRET_ENV, "") if secret is None else secret


def seed_of(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def _draw(draw: Draw, rng: random.Random):
    for _ in range(1000):
        if draw.choice is not None:
            value = draw.choice[rng.randrange(len(draw.choice))]
        elif draw.range is not None:
            low, high = draw.range
            value = low + draw.step * rng.randrange((high - low) // draw.step + 1)
        else:
            low, high = draw.uniform
            value = round(low + (high - low) * rng.random(), draw.decimals)
            if draw.decimals == 0:
                value = int(value)
        if value not in draw.exclude:
            return value
    raise ValueError("every value the draw can produce is excluded")


REDRAWS = 200  # tries at draws that meet `require`; `grade check` fails a problem that accepts under 5%


def drawn_once(problem: Problem, problem_id: str, student: str, secret: str = "", attempt: int = 0) -> dict:
    """One try at this student's draws; try 0 is the draw a problem without `require` gets."""
    assignment = problem_id.split("/")[0]
    again = (f"redraw {attempt}",) if attempt else ()
    values = {}
    for name, param in problem.params.items():
        if param.draw is None:
            values[name] = param.value
        else:
            rng = random.Random(seed_of(secret, assignment, problem_id, student, name, *again))
            values[name] = _draw(param.draw, rng)
    return values


def draw_params(problem: Problem, problem_id: str, student: str | None, secret: str = "") -> dict:
    """Published values, or this student's draws (strings are expressions, resolved by the solver).

    Draws that break one of the problem's `require` conditions are drawn again, with seeds
    that depend only on the try's number: the same student gets the same variant everywhere.
    """
    if student is None:
        return {name: param.value for name, param in problem.params.items()}
    if not problem.require:
        return drawn_once(problem, problem_id, student, secret)
    from .require import RequireError, holds  # the expression reader: only for problems that need it

    for attempt in range(REDRAWS):
        values = drawn_once(problem, problem_id, student, secret, attempt)
        if holds(problem.require, values):
            return values
    raise RequireError(f"no draw out of {REDRAWS} meets require {problem.require}")
