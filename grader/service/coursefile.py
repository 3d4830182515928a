"""course.toml and its roster -> a Course: who is enrolled, and when each assignment takes submissions.

Times must carry a zone (a naive time means something different on every server);
every error names the file and line, as problem files do.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import LoadError
from ..identity import Roster
from ..loader import read_toml, validate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _zoned(value):
    """An ISO 8601 time (a TOML date-time or a string) that names its zone; a naive time is refused."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 time: {value!r} (write e.g. 2026-03-01T23:59:00-05:00)") from None
    if isinstance(value, date) and not isinstance(value, datetime):   # TOML's local date: no time, no zone
        raise ValueError(f"{value.isoformat()} has no time and no zone: write e.g. {value.isoformat()}T23:59:00-05:00")
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(f"{value.isoformat()} has no zone: add one (Z, +01:00, -05:00) so it means one instant")
    return value


class Late(_Strict):
    """Late submissions: `penalty_per_day` (a fraction of the score per started day late) up to `max_penalty`."""

    penalty_per_day: float = Field(gt=0, le=1, description="fraction of the score taken per started day late")
    max_penalty: float = Field(1.0, gt=0, le=1, description="the most taken, however late")

    def penalty(self, days: int) -> float:
        return min(self.max_penalty, round(days * self.penalty_per_day, 6))


class AssignmentPolicy(_Strict):
    """When and how an assignment takes submissions, and what students see before the due date."""

    opens: datetime | None = Field(None, description="first moment submissions are taken (default: now)")
    due: datetime = Field(description="the due date, with a zone")
    closes: datetime | None = Field(None, description="no submission after this, late or not (default: never "
                                                      "with a late penalty, the due date without)")
    late: Late | Literal["refuse"] = Field("refuse", description='"refuse", or a table of penalty_per_day, max_penalty')
    attempts: int | None = Field(None, ge=1, description="submissions allowed (default: no limit)")
    feedback: Literal["full", "hints", "verdict"] = Field(
        "hints", description="what a report says before the due date: full feedback, hints, or the verdicts only")
    solutions: Literal["after_due", "never"] = Field("after_due", description="when canonical answers are shown")

    @field_validator("opens", "due", "closes", mode="before")
    @classmethod
    def _zone(cls, value):
        return _zoned(value)

    @model_validator(mode="after")
    def _ordered(self):
        if self.opens is not None and self.opens > self.due:
            raise ValueError("opens is after due")
        if self.closes is not None and self.closes < self.due:
            raise ValueError("closes is before due")
        return self

    def is_open(self, now: datetime) -> bool:
        return self.opens is None or now >= self.opens

    def days_late(self, now: datetime) -> int:
        """Started days past the due date (0 when on time)."""
        return max(0, math.ceil((now - self.due) / timedelta(days=1)))

    def closed(self, now: datetime) -> bool:
        """Whether submissions are refused now: past due when late work is refused, and past `closes`
        in any case (with a penalty, `closes` ends the late period)."""
        if self.late == "refuse" and now > self.due:
            return True
        return self.closes is not None and now > self.closes

    def solutions_shown(self, now: datetime) -> bool:
        return self.solutions == "after_due" and now > (self.closes or self.due)


class CourseFile(_Strict):
    """course.toml: the roster file and one [assignments.<id>] table per assignment the service serves."""

    title: str = ""
    roster: str = Field(description="the roster CSV, relative to the course file")
    assignments: dict[str, AssignmentPolicy] = Field(default_factory=dict)


class Course:
    """A loaded course: its policies by assignment id, and the roster's student ids."""

    def __init__(self, path: Path, model: CourseFile, roster: Roster):
        self.path, self.model, self.roster = path, model, roster

    @property
    def assignments(self) -> dict[str, AssignmentPolicy]:
        return self.model.assignments

    @classmethod
    def load(cls, path: Path | str) -> "Course":
        path = Path(path)
        data, text = read_toml(path, limit=1_000_000)
        model = validate(path, data, text, CourseFile)
        roster_path = path.parent / model.roster
        if not roster_path.is_file():
            from ..tomlpos import key_lines, line_of

            raise LoadError(path, f"roster file '{model.roster}' not found beside the course file",
                            line_of(key_lines(text), ("roster",)))
        return cls(path, model, Roster.load(roster_path))
