"""Where the service keeps things: one interface (`Store`), one implementation on the SQLite gradebook.

Everything a request needs to agree on across instances is here: tokens, submissions with their
gradings, attempt counts, idempotency keys. Caches and rate limits are per instance (core.py).
A PostgreSQL store would implement the same methods, with the attempt count and the
idempotency check inside the same transaction as the insert (as `save` does here).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Protocol

from ..gradebook import Gradebook, GradebookError, with_manual
from ..report import Report
from .errors import BadRequest, Conflict

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    student TEXT NOT NULL,
    role TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS tokens_by_student ON tokens (student);
CREATE TABLE IF NOT EXISTS service_submissions (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    days_late INTEGER NOT NULL,
    penalty REAL NOT NULL,
    score REAL,
    max_score REAL,
    idempotency_key TEXT,
    response TEXT NOT NULL,
    UNIQUE (student, assignment, attempt),
    UNIQUE (student, idempotency_key)
);
"""


@dataclass(frozen=True)
class Incoming:
    """A graded submission on its way into the store (score after the late penalty)."""

    student: str
    assignment: str
    text: str
    report: Report
    received_at: str
    days_late: int
    penalty: float
    score: float
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Kept:
    """A stored service submission."""

    submission_id: int
    student: str
    assignment: str
    attempt: int
    received_at: str
    days_late: int
    penalty: float
    score: float | None
    max_score: float | None


class Store(Protocol):
    """What the service needs kept: shared by every instance serving the course."""

    def add_tokens(self, rows: list[tuple[str, str, str]], now: str) -> None:
        """(student, role, hash) rows; each student's earlier tokens are revoked."""

    def revoke(self, student: str, now: str) -> int:
        """Revoke a student's live tokens; how many there were."""

    def token(self, digest: str) -> tuple[str, str, str] | None:
        """(hash, student, role) of a live token."""

    def staff(self) -> set[str]:
        """The ids whose latest token is a ta's or an instructor's (revoked or not)."""

    def replay(self, student: str, key: str, text: str) -> dict | None:
        """The response stored with this idempotency key, if that request (answers `text`) was stored;
        BadRequest when the key was used for other answers."""

    def attempts_used(self, student: str, assignment: str) -> int: ...

    def save(self, incoming: Incoming, limit: int | None, respond: Callable[[int, int], dict]) -> dict:
        """Store a submission and its grading in one transaction and return `respond(submission_id,
        attempt)`, which is stored with it; raises Conflict when `limit` attempts are used, and returns
        the stored response when its idempotency key was stored before (as `replay` does)."""

    def kept(self, student: str | None = None, assignment: str | None = None) -> list[Kept]:
        """Service submissions, in the order received."""

    def report(self, submission_id: int) -> dict | None:
        """The full report of a stored submission, as graded."""

    def close(self) -> None: ...


class SqliteStore:
    """The store in the gradebook file: its tables plus `tokens` and `service_submissions`.

    Two connections, each used by one thread at a time (a lock each): the writer's, for the short
    transactions committed before a request is answered, and a reader's, so that checking a token
    or counting attempts never waits for a write (WAL: readers see what is committed).
    """

    def __init__(self, path: Path | str):
        self.gradebook = Gradebook(path, threads=True)
        self.lock = threading.Lock()
        self.read_lock = threading.Lock()
        try:
            self.gradebook.db.executescript(SCHEMA)
            self.reader = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            self.gradebook.close()
            raise GradebookError(f"gradebook {path} cannot be written ({error})") from None

    @property
    def db(self) -> sqlite3.Connection:
        return self.gradebook.db

    def add_tokens(self, rows, now):
        with self.lock, self.gradebook.atomic():
            for student, role, digest in rows:
                self.db.execute("UPDATE tokens SET revoked_at = ? WHERE student = ? AND revoked_at IS NULL",
                                (now, student))
                self.db.execute("INSERT INTO tokens (hash, student, role, issued_at) VALUES (?, ?, ?, ?)",
                                (digest, student, role, now))

    def revoke(self, student, now):
        with self.lock, self.gradebook.atomic():
            return self.db.execute("UPDATE tokens SET revoked_at = ? WHERE student = ? AND revoked_at IS NULL",
                                   (now, student)).rowcount

    def token(self, digest):
        with self.read_lock:
            return self.reader.execute("SELECT hash, student, role FROM tokens WHERE hash = ? AND revoked_at IS NULL",
                                   (digest,)).fetchone()

    def staff(self):
        with self.read_lock:
            return {row[0] for row in self.reader.execute(
                "SELECT student FROM tokens t WHERE role != 'student' AND rowid = "
                "(SELECT MAX(rowid) FROM tokens WHERE student = t.student)")}

    def replay(self, student, key, text):
        with self.read_lock:
            return self._replay(student, key, text, self.reader)

    def _replay(self, student, key, text: str, db: sqlite3.Connection):
        row = db.execute("SELECT response, sha256 FROM service_submissions JOIN submissions ON id = submission_id "
                         "WHERE service_submissions.student = ? AND idempotency_key = ?", (student, key)).fetchone()
        if row is None:
            return None
        if row[1] != _sha256(text):   # a new request under an old key: its receipt is not this one's
            raise BadRequest("this Idempotency-Key was sent before with other answers: send these with a new key")
        return json.loads(row[0])

    def attempts_used(self, student, assignment):
        with self.read_lock:
            return self._attempts(student, assignment, self.reader)

    def _attempts(self, student, assignment, db: sqlite3.Connection) -> int:
        return db.execute("SELECT COUNT(*) FROM service_submissions WHERE student = ? AND assignment = ?",
                               (student, assignment)).fetchone()[0]

    def save(self, incoming, limit, respond):
        text = incoming.text
        with self.lock, self.gradebook.atomic():
            if incoming.idempotency_key is not None:
                stored = self._replay(incoming.student, incoming.idempotency_key, text, self.db)
                if stored is not None:
                    return stored
            attempt = self._attempts(incoming.student, incoming.assignment, self.db) + 1
            if limit is not None and attempt > limit:
                raise Conflict(f"no attempts left for {incoming.assignment} (the limit is {limit})")
            file = f"serve:{incoming.student}/{incoming.assignment}#{attempt}"
            submission_id = self.gradebook.add(file, _sha256(text), text,
                                               incoming.report, received_at=incoming.received_at)
            response = respond(submission_id, attempt)
            self.db.execute(
                "INSERT INTO service_submissions (submission_id, student, assignment, attempt, received_at, days_late, "
                "penalty, score, max_score, idempotency_key, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (submission_id, incoming.student, incoming.assignment, attempt, incoming.received_at,
                 incoming.days_late, incoming.penalty, incoming.score, incoming.report.max_score,
                 incoming.idempotency_key, json.dumps(response, ensure_ascii=False)))
            return response

    def kept(self, student=None, assignment=None):
        query, args = "SELECT submission_id, student, assignment, attempt, received_at, days_late, penalty, score, " \
                      "max_score FROM service_submissions WHERE 1", []
        if student is not None:
            query, args = query + " AND student = ?", args + [student]
        if assignment is not None:
            query, args = query + " AND assignment = ?", args + [assignment]
        with self.read_lock:
            kept = [Kept(*row) for row in self.reader.execute(query + " ORDER BY received_at, submission_id", args)]
        with self.lock:
            manual = self.gradebook.manual_points([k.submission_id for k in kept])
        # a person's score for a text part (grade score, the grading queue) counts, under the same late penalty
        return [replace(k, score=round(k.score + manual[k.submission_id] * (1 - k.penalty), 4))
                if k.submission_id in manual and k.score is not None else k for k in kept]

    def report(self, submission_id):
        with self.lock:
            row = self.db.execute("SELECT file, sha256 FROM submissions WHERE id = ?", (submission_id,)).fetchone()
            graded = self.gradebook.last_grading(*row) if row else None
            if graded is None:
                return None
            return with_manual(graded.report, self.gradebook.manual_scores(graded.assignment, graded.student))

    def close(self):
        with self.lock, self.read_lock:
            self.reader.close()
            self.gradebook.close()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
