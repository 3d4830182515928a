"""A worker's cache is bounded, and what it forgets never changes a grade.

Entries past the bound are dropped oldest first; a verdict cached for one draw
must never be served to another draw whose object reuses a freed id.
"""

from __future__ import annotations

import pytest

from grader import pipeline
from grader.bank import Bank
from grader.loader import load_submission
from grader.pipeline import Hooks, grade_submission

from .helpers import REPO

FILES = sorted((REPO / "submissions").glob("*/*.toml"))


@pytest.mark.parametrize("bound", [1, 3, 50])
def test_a_bounded_cache_grades_as_no_cache_does(monkeypatch, bound):
    bank = Bank(REPO / "problems")
    submissions = [load_submission(f) for f in FILES] * 2   # the second round meets a warm, evicting cache
    expected = [grade_submission(s, bank, "").to_dict() for s in submissions]
    monkeypatch.setattr(pipeline, "CACHE_ENTRIES", bound)
    cache: dict = {}
    got = []
    for submission in submissions:
        got.append(grade_submission(submission, bank, "", Hooks(cache)).to_dict())
        assert len(cache) <= bound
    assert got == expected


def test_students_with_other_variants_never_share_a_cached_verdict(monkeypatch):
    """Two students, two draws of the same problem, the same answer text: each is judged on their own
    values even when the cache keeps one entry and the first draw's objects are gone."""
    bank = Bank(REPO / "problems")
    monkeypatch.setattr(pipeline, "CACHE_ENTRIES", 1)
    source = load_submission(REPO / "submissions" / "demo" / "alice.toml")
    cache: dict = {}
    reports = {}
    for student in ("alice", "carol", "dave", "erin"):
        submission = source.__class__(**{**source.__dict__, "student": student})
        reports[student] = grade_submission(submission, bank, "s3cret", Hooks(cache)).to_dict()
        assert reports[student] == grade_submission(submission, bank, "s3cret").to_dict()
