"""`grade serve` and `grade tokens`, as functions: the CLI parses options and calls these."""

from __future__ import annotations

import logging
import socket
import sys
from datetime import datetime, timezone
from pathlib import Path

from ..errors import GradeError
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


class CannotListen(GradeError):
    """The address to serve on cannot be had (a port in use, a host not of this machine)."""


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before any worker starts: a busy port is one line and exit 2,
    and with port 0 the port the system gave can be announced."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn does: restart at once
        # accepted connections inherit it: without, a reply written in two pieces waits for the client's
        # delayed ACK (Nagle's algorithm), 40 ms on every request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        raise CannotListen(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


def serve(problems: Path, course: Path, db: Path, host: str, port: int, workers: int,
          secret: str | None = None) -> None:
    """Serve until SIGINT or SIGTERM; then requests in flight finish and their gradings are stored."""
    import uvicorn

    from .app import access_log, create_app

    sock = listen(host, port)
    try:
        service = build(problems, course, db, workers, secret)
    except BaseException:
        sock.close()
        raise
    handler = logging.StreamHandler(sys.stderr)
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
    # uvicorn's own start-up lines are silenced (log_level="warning"), so say where to point a browser
    where = f"[{host}]" if ":" in host else host
    print(f"grade serve: {course} at http://{where}:{sock.getsockname()[1]}/ (Ctrl-C stops it)",
          file=sys.stderr, flush=True)
    config = uvicorn.Config(create_app(service), access_log=False, log_level="warning",
                            timeout_graceful_shutdown=None)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:   # the SIGINT uvicorn re-raises once it has shut down gracefully
        pass


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
