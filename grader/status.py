"""A part's outcome, in a module of its own: reading the gradebook (export, stats) needs the
statuses but not the answer types, and so not sympy."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A part's outcome: string-valued, so JSON, CSV, JUnit and SQLite spell it as they always did."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    INVALID = "invalid"
    UNGRADED = "ungraded"
    MISSING = "missing"


# the feedback of a part kept for a person (a `text` part): item analysis leaves such parts out
KEPT = "kept for a person to grade"
