"""A course served for the page tests: the repo's `demo` assignment, three students, a TA and an
instructor, a clock the test moves, and helpers that sign in and read forms as a browser would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from grader.service.app import create_app
from grader.service.core import Service
from grader.service.coursefile import Course
from grader.service.store import SqliteStore
from grader.service.tokens import issue

from .helpers import PROBLEMS

BEFORE_DUE = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
AFTER_DUE = datetime(2027, 7, 2, 12, 0, tzinfo=timezone.utc)
SECRET = "pages-test-secret"
COURSE = """
roster = "roster.csv"
[assignments.demo]
opens = 2026-01-01T00:00:00Z
due = 2027-06-30T23:59:00Z
attempts = 50
late = { penalty_per_day = 0.25, max_penalty = 0.5 }
feedback = "full"
solutions = "after_due"
"""


@dataclass
class Served:
    service: Service
    tokens: dict[str, str]
    now: list = field(default_factory=lambda: [BEFORE_DUE])

    def app(self, limiter=None):
        return create_app(self.service, limiter=limiter, close_service=False)   # the fixture closes it once


def serve_course(folder: Path, problems: Path = PROBLEMS, course: str = COURSE) -> Served:
    """The service over the demo assignment (or `course` over `problems`), with tokens for alice, bob,
    carol, dan (students), ta1 and prof."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.csv").write_text("student\nalice\nbob\ncarol\ndan\n", encoding="utf-8")
    (folder / "course.toml").write_text(course, encoding="utf-8")
    store = SqliteStore(folder / "gradebook.sqlite")
    stamp = BEFORE_DUE.isoformat()
    tokens = issue(store, ["alice", "bob", "carol", "dan"], "student", stamp)
    tokens |= issue(store, ["ta1"], "ta", stamp)
    tokens |= issue(store, ["prof"], "instructor", stamp)
    now = [BEFORE_DUE]
    service = Service(problems, Course.load(folder / "course.toml"), store, secret=SECRET, workers=1,
                      clock=lambda: now[0])
    return Served(service, tokens, now)


def hidden(html: str, name: str) -> str:
    """The value of a form's hidden input (the first with that name)."""
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def page_csrf(html: str) -> str:
    """The CSRF token a signed-in page gives its script."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def sign_in(client, token: str):
    """Sign in through the form, as a browser would; returns the response after the redirect."""
    form = client.get("/signin")
    return client.post("/signin", data={"csrf": hidden(form.text, "csrf"), "token": token})
