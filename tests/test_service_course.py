"""The course file and the token commands: errors name the file and line; tokens print as CSV,
work once issued, and stop working when revoked or reissued."""

from __future__ import annotations

import csv
import io

import pytest

from grader.errors import LoadError
from grader.service.coursefile import Course
from grader.service.store import SqliteStore
from grader.service.tokens import User, verify

from .helpers import PROBLEMS, run, write

GOOD = '''roster = "roster.csv"

[assignments.demo]
opens = 2026-01-05T09:00:00Z
due = "2026-03-10T23:00:00-05:00"
attempts = 3
'''


@pytest.mark.parametrize("replace,add,line,words", [
    ('due = "2026-03-10T23:00:00-05:00"', "due = 2026-03-10T23:00:00", 5, "has no zone"),
    ('due = "2026-03-10T23:00:00-05:00"', 'due = "2026-03-10 23:00"', 5, "has no zone"),
    ('due = "2026-03-10T23:00:00-05:00"', 'due = "next friday"', 5, "not an ISO 8601 time"),
    ("attempts = 3", "atempts = 3", 6, "did you mean 'attempts'"),
    ("attempts = 3", "attempts = 0", 6, "greater than or equal to 1"),
    ("attempts = 3", 'feedback = "everything"', 6, "'full', 'hints' or 'verdict'"),
    ("attempts = 3", 'late = "sometimes"', 6, "late"),
    ("attempts = 3", "late = { penalty_per_day = 2 }", 6, "less than or equal to 1"),
    ("opens = 2026-01-05T09:00:00Z", "opens = 2026-04-05T09:00:00Z", 3, "opens is after due"),
    ('due = "2026-03-10T23:00:00-05:00"\n', "", 3, "missing key 'due'"),
    ('roster = "roster.csv"', 'roster = "nobody.csv"', 1, "roster file 'nobody.csv' not found"),
])
def test_course_file_errors_name_the_file_and_line(tmp_path, replace, add, line, words):
    write(tmp_path / "roster.csv", "student\nalice\n")
    path = write(tmp_path / "course.toml", GOOD.replace(replace, add))
    with pytest.raises(LoadError) as error:
        Course.load(path)
    assert str(error.value).startswith(f"{path}:{line}:")
    assert words in str(error.value)


def test_a_good_course_file_loads_with_zoned_times_and_the_roster(tmp_path):
    write(tmp_path / "roster.csv", "Student,name,email,section\nalice,A,a@x,1\nbob,B,b@x,2\n")
    course = Course.load(write(tmp_path / "course.toml", GOOD))
    demo = course.assignments["demo"]
    assert demo.due.utcoffset().total_seconds() == -5 * 3600
    assert (demo.attempts, demo.late, demo.feedback, demo.solutions) == (3, "refuse", "hints", "after_due")
    assert course.roster.ids == {"alice", "bob"}


def test_grade_serve_refuses_a_bad_course_file_with_one_located_line(tmp_path):
    write(tmp_path / "roster.csv", "student\nalice\n")
    bad = write(tmp_path / "course.toml", GOOD.replace("attempts = 3", "atempts = 3"))
    result = run("serve", "--problems", str(PROBLEMS), "--course", str(bad), "--db", str(tmp_path / "g.sqlite"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"grade: {bad}:6: assignments.demo.atempts: unknown key 'atempts' (did you mean 'attempts'?)"]


def test_grade_serve_refuses_a_course_assignment_the_bank_lacks(tmp_path):
    write(tmp_path / "roster.csv", "student\nalice\n")
    course = write(tmp_path / "course.toml", GOOD.replace("[assignments.demo]", "[assignments.nope]"))
    result = run("serve", "--problems", str(PROBLEMS), "--course", str(course), "--db", str(tmp_path / "g.sqlite"))
    assert result.exit_code == 2
    assert "unknown assignment 'nope'" in result.stderr


def test_grade_serve_says_where_it_listens_before_serving(monkeypatch):
    import uvicorn

    from grader.service import app, server
    served = {}

    class Server:
        def __init__(self, config):
            served["app"] = config.app

        def run(self, sockets):
            served["port"] = sockets[0].getsockname()[1]
            sockets[0].close()

    monkeypatch.setattr(server, "build", lambda *args: "service")
    monkeypatch.setattr(app, "create_app", lambda service: f"app of {service}")
    monkeypatch.setattr(uvicorn, "Server", Server)
    result = run("serve", "--course", "course.toml", "--port", "0")   # port 0: the system picks one
    assert result.exit_code == 0, result.stderr
    assert served["app"] == "app of service" and served["port"] > 0
    assert result.stderr.splitlines() == [
        f"grade serve: course.toml at http://127.0.0.1:{served['port']}/ (Ctrl-C stops it)"]


def test_grade_serve_on_a_busy_port_is_one_line_and_exit_2_before_any_worker_starts(monkeypatch):
    import socket

    from grader.service import server

    def build(*args):
        raise AssertionError("the service was built for a port it cannot have")

    monkeypatch.setattr(server, "build", build)
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = run("serve", "--course", "course.toml", "--port", str(port))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"grade: cannot listen on 127.0.0.1:{port}: Address already in use"]


def test_tokens_issue_prints_a_working_token_per_student_and_revoke_stops_one(tmp_path):
    roster = write(tmp_path / "roster.csv", "student,name\nbob,B\nalice,A\n")
    db = tmp_path / "g.sqlite"
    issued = run("tokens", "issue", "--roster", str(roster), "--db", str(db), "--role", "ta")
    assert issued.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(issued.stdout)))
    assert [r["student"] for r in rows] == ["alice", "bob"]
    store = SqliteStore(db)
    try:
        assert [verify(store, r["token"]) for r in rows] == [User("alice", "ta"), User("bob", "ta")]
        stored = store.db.execute("SELECT hash FROM tokens").fetchall()
        assert not any(r["token"] in h for (h,) in stored for r in rows)   # only hashes are kept
    finally:
        store.close()
    revoked = run("tokens", "revoke", "alice", "--db", str(db))
    assert (revoked.exit_code, revoked.stdout) == (0, "revoked 1 token of alice\n")
    store = SqliteStore(db)
    try:
        assert verify(store, rows[0]["token"]) is None and verify(store, rows[1]["token"]) is not None
    finally:
        store.close()
    again = run("tokens", "revoke", "alice", "--db", str(db))
    assert again.exit_code == 2 and "no live token for 'alice'" in again.stderr


def test_the_served_socket_sends_replies_at_once():
    """Accepted connections inherit TCP_NODELAY from the listening socket: without it, a reply written in
    two pieces waits for the client's delayed ACK (Nagle), 40 ms on every request."""
    import socket

    from grader.service.server import listen

    sock = listen("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()
