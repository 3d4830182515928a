"""`grade serve` and `grade tokens`, as functions: the CLI parses options and calls these."""

from __future__ import annotations

import logging
import sys
from datetime import datetime, timezone
from pathlib import Path

from ..identity import Roster
from .errors import NotFound


def build(problems: Path, course: Path, db: Path, workers: int, secret: str | None = None):
    """The Service for these files (the course and the bank are checked before anything is served)."""
    from .core import Service
    from .coursefile import Course
    from .store import SqliteStore

    loaded = Course.load(course)
    store = SqliteStore(db)
    try:
        return Service(problems, loaded, store, secret=secret, workers=workers)
    except BaseException:
        store.close()
        raise


def serve(problems: Path, course: Path, db: Path, host: str, port: int, workers: int,
          secret: str | None = None) -> None:
    """Serve until SIGINT or SIGTERM; then requests in flight finish and their gradings are stored."""
    import uvicorn

    from .app import access_log, create_app

    service = build(problems, course, db, workers, secret)
    handler = logging.StreamHandler(sys.stderr)
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
    # uvicorn's own start-up lines are silenced (log_level="warning"), so say where to point a browser
    print(f"grade serve: {course} at http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr, flush=True)
    uvicorn.run(create_app(service), host=host, port=port, access_log=False, log_level="warning",
                timeout_graceful_shutdown=None)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def issue(roster: Path, db: Path, role: str) -> dict[str, str]:
    """A fresh token for every student on the roster (their earlier tokens revoked): student -> token."""
    from . import tokens
    from .store import SqliteStore

    students = sorted(Roster.load(roster).ids)
    store = SqliteStore(db)
    try:
        return tokens.issue(store, students, role, _now())
    finally:
        store.close()


def revoke(student: str, db: Path) -> int:
    """Revoke a student's live tokens; NotFound when they have none (a mistyped id shows)."""
    from .store import SqliteStore

    store = SqliteStore(db)
    try:
        count = store.revoke(student, _now())
    finally:
        store.close()
    if not count:
        raise NotFound(f"no live token for '{student}' in {db}")
    return count
