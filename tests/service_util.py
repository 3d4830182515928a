"""Shared by the service tests: a throwaway course over copies of the bank, a clock the test moves,
and an HTTP client on the app with tokens for each role."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from grader.service import tokens
from grader.service.app import RateLimiter, create_app
from grader.service.core import Service
from grader.service.coursefile import Course
from grader.service.store import SqliteStore

from .helpers import PROBLEMS, REPO, write

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)   # "now" at the start of every test
DUE = "2026-03-10T23:00:00Z"


class Clock:
    """The service's clock: `now` until a test moves it."""

    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def move(self, **delta) -> None:
        self.now += timedelta(**delta)


def course_toml(policies: dict[str, str]) -> str:
    return 'roster = "roster.csv"\n' + "".join(f"\n[assignments.{name}]\n{body.strip()}\n"
                                                for name, body in policies.items())


def make_bank(root: Path, copies: dict[str, str]) -> Path:
    """problems/<name> copied from the repository's problems/<source>, for each name -> source."""
    for name, source in copies.items():
        shutil.copytree(PROBLEMS / source, root / name)
    return root


@dataclass
class Setup:
    """A running app over a fresh gradebook: `client`, `clock`, `service` and a header per user."""

    client: TestClient
    clock: Clock
    service: Service
    store: SqliteStore
    db: Path
    headers: dict[str, dict] = field(default_factory=dict)

    def login(self, student: str, role: str = "student") -> dict:
        """Authorization headers for a fresh token of this user."""
        token = tokens.issue(self.store, [student], role, "2026-01-01T00:00:00Z")[student]
        self.headers[student] = {"Authorization": f"Bearer {token}"}
        return self.headers[student]


def start(tmp: Path, copies: dict[str, str], policies: dict[str, str], roster=("alice", "bob"),
          limiter: RateLimiter | None = None, max_body: int | None = None) -> Setup:
    """A course of `policies` (assignment -> its TOML body) over copies of the bank; close with
    `setup.service.close()`."""
    bank = make_bank(tmp / "problems", copies)
    write(tmp / "course" / "roster.csv", "student,name\n" + "".join(f"{s},{s.title()}\n" for s in roster))
    write(tmp / "course" / "course.toml", course_toml(policies))
    clock = Clock()
    store = SqliteStore(tmp / "gradebook.sqlite")
    service = Service(bank, Course.load(tmp / "course" / "course.toml"), store, secret="test-secret",
                      workers=1, clock=clock)
    extra = {"max_body": max_body} if max_body else {}
    client = TestClient(create_app(service, limiter=limiter, close_service=False, **extra))
    return Setup(client, clock, service, store, tmp / "gradebook.sqlite")


BACKSTOP = 120.0   # seconds: a server that is not up by then has failed (a backstop, not a measure)


def free_port() -> int:
    """A localhost port nothing listens on now (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int, problems: Path, course: Path, db: Path, secret: str) -> subprocess.Popen:
    """A real `grade serve` in its own process, once it answers /healthz; the caller stops it."""
    server = subprocess.Popen(
        [sys.executable, "-m", "grader", "serve", "--problems", str(problems), "--course", str(course),
         "--db", str(db), "--port", str(port), "--workers", "1"],
        cwd=REPO, env={**os.environ, "GRADE_SECRET": secret}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + BACKSTOP
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("grade serve did not start")
