"""Nothing acknowledged is lost: `kill -9` of a real `grade serve` during a stream of submissions,
a restart, the unacknowledged ones sent again with their Idempotency-Key; then every acknowledged
submission is in the gradebook exactly once. Time limits here are generous backstops, not measures."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time

import httpx

from grader.service import tokens
from grader.service.store import SqliteStore

from .helpers import SUBMISSIONS, write
from .service_util import BACKSTOP, course_toml, free_port, make_bank
from .service_util import serve as serve_process

STUDENTS = [f"s{i}" for i in range(8)]


def serve(tmp, port: int) -> subprocess.Popen:
    return serve_process(port, tmp / "problems", tmp / "course.toml", tmp / "gradebook.sqlite", "crash-test")


def course(tmp) -> tuple[dict, str]:
    """A demo course for STUDENTS, open for a century: their tokens, and an answers file any of them can send."""
    make_bank(tmp / "problems", {"demo": "demo"})
    write(tmp / "roster.csv", "student\n" + "\n".join(STUDENTS) + "\n")
    write(tmp / "course.toml", course_toml({"demo": "due = 2099-01-01T00:00:00Z"}))
    store = SqliteStore(tmp / "gradebook.sqlite")
    issued = tokens.issue(store, STUDENTS, "student", "2026-01-01T00:00:00Z")
    store.close()
    return issued, (SUBMISSIONS / "demo" / "alice.toml").read_text().replace('student = "alice"\n', "")


def test_kill_9_loses_no_acknowledged_submission_and_counts_none_twice(tmp_path):
    issued, text = course(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/v1/submissions"
    acknowledged: dict[str, int] = {}   # idempotency key -> submission id
    unanswered: list[tuple[str, str]] = []
    lock = threading.Lock()
    server = serve(tmp_path, port)

    def student(name: str) -> None:
        with httpx.Client(timeout=30) as client:
            for n in range(40):
                key = f"{name}-{n}"
                try:
                    response = client.post(url, json={"toml": text}, headers={
                        "Authorization": f"Bearer {issued[name]}", "Idempotency-Key": key})
                    response.raise_for_status()
                    with lock:
                        acknowledged[key] = response.json()["submission_id"]
                except httpx.HTTPError:
                    with lock:
                        unanswered.append((name, key))
                    return

    threads = [threading.Thread(target=student, args=(name,)) for name in STUDENTS]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + BACKSTOP
    while len(acknowledged) < 60 and time.monotonic() < deadline:   # past the first gradings: a steady stream
        time.sleep(0.01)
    os.kill(server.pid, signal.SIGKILL)     # mid-stream: requests are in flight
    server.wait()
    for thread in threads:
        thread.join(BACKSTOP)
    assert len(acknowledged) >= 60 and unanswered

    server = serve(tmp_path, port)
    try:
        with httpx.Client(timeout=30) as client:
            for name, key in unanswered:    # a request never answered is sent again, with its key
                response = client.post(url, json={"toml": text}, headers={
                    "Authorization": f"Bearer {issued[name]}", "Idempotency-Key": key})
                assert response.status_code == 200
                acknowledged[key] = response.json()["submission_id"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(BACKSTOP)

    with sqlite3.connect(tmp_path / "gradebook.sqlite") as db:
        stored = db.execute("SELECT idempotency_key, submission_id FROM service_submissions").fetchall()
        graded = {row[0] for row in db.execute("SELECT submission_id FROM gradings")}
    keys = [key for key, _ in stored]
    assert len(keys) == len(set(keys))                 # none counted twice
    assert dict(stored) == acknowledged                # every acknowledged one, and only those
    assert set(acknowledged.values()) <= graded        # each with its grading


def test_sigterm_finishes_the_gradings_in_flight_then_exits(tmp_path):
    issued, text = course(tmp_path)
    port = free_port()
    server = serve(tmp_path, port)
    answered: dict[str, int] = {}
    first = threading.Event()

    def student(name: str) -> None:
        response = httpx.post(f"http://127.0.0.1:{port}/api/v1/submissions", json={"toml": text}, timeout=BACKSTOP,
                              headers={"Authorization": f"Bearer {issued[name]}"})
        answered[name] = response.status_code
        first.set()

    threads = [threading.Thread(target=student, args=(name,)) for name in STUDENTS]
    for thread in threads:
        thread.start()
    first.wait(BACKSTOP)            # one answered: the others were sent and wait for the one worker
    server.send_signal(signal.SIGTERM)
    assert server.wait(BACKSTOP) in (0, -signal.SIGTERM)   # uvicorn re-raises the signal once it is done
    for thread in threads:
        thread.join(BACKSTOP)
    assert answered == {name: 200 for name in STUDENTS}
    with sqlite3.connect(tmp_path / "gradebook.sqlite") as db:
        assert sorted(row[0] for row in db.execute("SELECT student FROM service_submissions")) == sorted(STUDENTS)
