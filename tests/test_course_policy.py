"""When an assignment takes submissions: late work refused ends at the due date whatever `closes`
says; with a late penalty, `closes` ends the late period (and without it, late work never ends)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from grader.service.coursefile import AssignmentPolicy

DUE = datetime(2026, 3, 10, 23, 0, tzinfo=timezone.utc)
CLOSES = DUE + timedelta(days=2)
PENALTY = {"penalty_per_day": 0.1, "max_penalty": 0.5}


@pytest.mark.parametrize("late, closes, moment, closed", [
    ("refuse", None, DUE, False),                                  # the due instant is on time
    ("refuse", None, DUE + timedelta(microseconds=1), True),
    ("refuse", CLOSES, DUE + timedelta(hours=1), True),            # refused late work is refused, closes or not
    (PENALTY, CLOSES, DUE + timedelta(hours=1), False),            # late, with its penalty
    (PENALTY, CLOSES, CLOSES, False),
    (PENALTY, CLOSES, CLOSES + timedelta(microseconds=1), True),
    (PENALTY, None, DUE + timedelta(days=400), False),             # a penalty and no closes: never closed
])
def test_when_submissions_are_refused(late, closes, moment, closed):
    policy = AssignmentPolicy(due=DUE, closes=closes, late=late)
    assert policy.closed(moment) is closed
