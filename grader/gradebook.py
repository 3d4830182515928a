"""The gradebook: a SQLite file that keeps every submission and every result, append-only.

A submission is stored with its full text and hash; each grading of it adds a
`gradings` row (totals, and an `outline`: warnings and problem titles) and one
`results` row per part (kept together by grading: its primary key; the problem
named by an id into `problems`). The report is rebuilt from those rows, so it is
stored once; gradings from before outlines keep their full `report` JSON.
Nothing is updated or deleted: a resubmission or a regrade adds rows.

A person's score for a part kept for them (a text answer) is a `manual_scores`
row naming the answer it was given for; the latest row for an answer stands, and
counts wherever that answer is the one graded (a resubmission with the same text
keeps its score, a changed text goes back to the queue). `latest` adds it to
the totals and, with reports, puts it in the part.

Writes are committed in groups (every GROUP_FILES submissions or GROUP_SECONDS,
and on `flush`/`close`), in WAL mode with synchronous=NORMAL. A submission is
*stored* once its group is committed: a run killed at any moment leaves whole
submissions or none, loses at most the last uncommitted group (which a rerun
grades again), and a committed group survives `kill -9`; only a power cut may
lose the last commits, never corrupt the file.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import GradeError
from .report import Report
from .status import SCORED

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    student TEXT,
    assignment TEXT,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    received_at TEXT NOT NULL,
    answers TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (student, assignment);
CREATE UNIQUE INDEX IF NOT EXISTS submissions_unique ON submissions (sha256, file);
CREATE TABLE IF NOT EXISTS gradings (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    graded_at TEXT NOT NULL,
    score REAL,
    max_score REAL,
    error TEXT,
    report TEXT,
    bank TEXT,
    outline TEXT
);
CREATE INDEX IF NOT EXISTS gradings_by_submission ON gradings (submission_id);
CREATE TABLE IF NOT EXISTS problems (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS results (
    grading_id INTEGER NOT NULL REFERENCES gradings (id),
    seq INTEGER NOT NULL,
    problem INTEGER NOT NULL REFERENCES problems (id),
    part TEXT NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    feedback TEXT,
    answer TEXT,
    read_as TEXT,
    PRIMARY KEY (grading_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS receipts (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS receipts_by_submission ON receipts (submission_id);
CREATE TABLE IF NOT EXISTS manual_scores (
    id INTEGER PRIMARY KEY,
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    problem TEXT NOT NULL,
    part TEXT NOT NULL,
    answer TEXT NOT NULL,
    points REAL NOT NULL,
    comment TEXT NOT NULL,
    grader TEXT NOT NULL,
    scored_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS manual_scores_by_part ON manual_scores (student, assignment, problem, part);
"""
# columns added since the first gradebooks: added to an older one when it is opened to write
ADDED = {"bank": "TEXT", "outline": "TEXT"}

GROUP_FILES = 100      # submissions per commit
GROUP_SECONDS = 1.0    # or fewer, when this long has passed since the group began


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Stored:
    """A stored submission with its latest grading."""

    submission_id: int
    student: str | None
    assignment: str | None
    file: str
    answers: str
    score: float | None
    max_score: float | None
    report: dict | None


@dataclass(frozen=True)
class Graded:
    """The last grading of one stored content, and the bank fingerprint it was graded against."""

    submission_id: int
    student: str | None
    assignment: str | None
    report: dict | None
    error: str | None
    bank: str | None


@dataclass(frozen=True)
class ManualScore:
    """A person's score for one answer to a part: the answer it was given for, points, comment, who, when."""

    student: str
    assignment: str
    problem: str
    part: str
    answer: str
    points: float
    comment: str
    grader: str
    scored_at: str = ""


MANUAL_COLUMNS = "student, assignment, problem, part, answer, points, comment, grader, scored_at"


class GradebookError(GradeError):
    """A gradebook that cannot be trusted or written: the reason, and that nothing was written."""


class Gradebook:
    """The gradebook file. Opened to write, it is checked first and refused when damaged;
    opened `readonly` (export, stats) it needs no write access to the file or its folder."""

    @classmethod
    def existing(cls, path: Path | str, readonly: bool = True) -> "Gradebook":
        """The gradebook at `path`; a missing one is an error (opening to write would create it)."""
        if not Path(path).is_file():
            raise GradebookError(f"no gradebook at {path}")
        return cls(path, readonly=readonly)

    def __init__(self, path: Path | str = "gradebook.sqlite", readonly: bool = False, threads: bool = False):
        self.path = Path(path)
        self.pending = 0          # submissions written since the last commit
        self.dropped = 0          # submissions written, then rolled back with their group (a full disk)
        self.error: sqlite3.Error | None = None   # why the commit in `close` failed
        self._group_start = 0.0
        self._problems: dict[str, int] = {}
        if readonly:
            self.db = _open_readonly(self.path)
            self._parts = _part_layout(self.db)
            return
        try:
            # threads: the caller serialises use of the connection across threads (the service's store)
            self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=not threads)
        except sqlite3.Error as error:  # a missing folder, no permission
            raise GradebookError(f"gradebook {self.path} cannot be opened ({error})") from None
        self._check()
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")   # in WAL: durable on a crash of this process
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(SCHEMA)
            have = _columns(self.db, "gradings")
            for column, kind in ADDED.items():
                if column not in have:
                    self.db.execute(f"ALTER TABLE gradings ADD COLUMN {column} {kind}")
            self._parts = _part_layout(self.db)
        except sqlite3.Error as error:  # a read-only file or folder, a full disk
            self.db.close()
            raise GradebookError(f"gradebook {self.path} cannot be written ({error})") from None

    def _check(self) -> None:
        """PRAGMA quick_check before anything is written: rows added to a damaged file may be lost or wrong."""
        try:
            found = [row[0] for row in self.db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.OperationalError as error:  # locked, unreadable, in a read-only folder
            self.db.close()
            raise GradebookError(f"gradebook {self.path} cannot be opened ({error}); nothing was written") from None
        except sqlite3.DatabaseError as error:     # not a database, or malformed
            found = [str(error)]
        if found != ["ok"]:
            self.db.close()
            first = next(line for row in found for line in row.splitlines() if not line.startswith("***"))
            raise GradebookError(f"gradebook {self.path} is damaged ({first}); nothing was written")

    def close(self) -> None:
        """Commit the last group and close; a failed commit is kept in `error` (and counted in `dropped`)."""
        try:
            self.flush()
        except sqlite3.Error as error:
            self.error = error
        self.db.close()

    def flush(self) -> None:
        """Commit the open group: its submissions are stored from now on."""
        if not self.db.in_transaction:
            return
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error:
            self._abandon()
            raise
        self.pending = 0

    def _problem(self, name: str) -> int:
        """The id naming this problem in part rows (added the first time it is graded)."""
        if name not in self._problems:
            self.db.execute("INSERT OR IGNORE INTO problems (name) VALUES (?)", (name,))
            self._problems[name] = self.db.execute("SELECT id FROM problems WHERE name = ?", (name,)).fetchone()[0]
        return self._problems[name]

    def _abandon(self) -> None:
        self._problems.clear()   # ids added in the rolled-back group are gone
        self.dropped += self.pending
        self.pending = 0
        if self.db.in_transaction:  # sqlite may have rolled back already (a full disk)
            self.db.execute("ROLLBACK")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self):
        """One submission's rows, in the open group; an error rolls back the whole group (see `dropped`)."""
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")
            self._group_start = time.monotonic()
        try:
            yield
        except BaseException:
            self._abandon()
            raise
        self.pending += 1
        if self.pending >= GROUP_FILES or time.monotonic() - self._group_start >= GROUP_SECONDS:
            self.flush()

    def _submission(self, file: str, sha256: str, answers: str, student, assignment, received_at: str) -> int:
        """The id of this exact file content (stored the first time it is seen), with a receipt for this time.

        A content received again (a file reverted to an earlier version) gets a new
        receipt, so it is the latest again.
        """
        row = self.db.execute("SELECT id FROM submissions WHERE sha256 = ? AND file = ?", (sha256, file)).fetchone()
        if row:
            submission_id = row[0]
        else:
            submission_id = self.db.execute(
                "INSERT INTO submissions (student, assignment, file, sha256, received_at, answers) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (student, assignment, file, sha256, received_at, answers),
            ).lastrowid
        self.db.execute("INSERT INTO receipts (submission_id, received_at) VALUES (?, ?)", (submission_id, received_at))
        return submission_id

    def _grading(self, submission_id: int, report: Report | None, error: str | None, bank: str | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO gradings (submission_id, graded_at, score, max_score, error, outline, bank) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (submission_id, now(), report.score if report else None, report.max_score if report else None,
             error, _outline(report) if report else None, bank),
        )
        grading_id = cursor.lastrowid
        if report is None:
            return grading_id
        rows = [(problem.id, part.id, part.status, part.score, part.max_score, part.feedback, part.answer,
                 part.read_as) for problem, part in report.parts()]
        if self._parts is OLD_PARTS:
            self.db.executemany("INSERT INTO results (grading_id, problem, part, status, score, max_score, feedback, "
                                "answer, read_as) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [(grading_id, *row) for row in rows])
        else:
            self.db.executemany("INSERT INTO results (grading_id, seq, problem, part, status, score, max_score, "
                                "feedback, answer, read_as) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [(grading_id, n, self._problem(row[0]), *row[1:]) for n, row in enumerate(rows)])
        return grading_id

    def record(self, file: str, sha256: str, answers: str, report: Report | None = None,
               error: str | None = None, student: str | None = None, assignment: str | None = None,
               received_at: str | None = None, bank: str | None = None) -> int:
        """Store a submission (once per content), its receipt and this grading of it: all or none, in the
        open commit group (stored once the group commits).

        `received_at` is the run's start, the same for every file of a run, so which
        file is latest does not depend on the order workers finish in. `bank` is the
        fingerprint of the problems it was graded against (see `resume`).
        """
        with self.transaction():
            return self.add(file, sha256, answers, report, error, student, assignment, received_at, bank)

    def add(self, file: str, sha256: str, answers: str, report: Report | None = None, error: str | None = None,
            student: str | None = None, assignment: str | None = None, received_at: str | None = None,
            bank: str | None = None) -> int:
        """The rows of `record`, in whatever transaction is open (a commit group, or `atomic`)."""
        if report is not None:
            student, assignment = report.student, report.assignment
        submission_id = self._submission(file, sha256, answers, student, assignment, received_at or now())
        self._grading(submission_id, report, error, bank)
        return submission_id

    @contextmanager
    def atomic(self):
        """One transaction, committed when the block ends: for a writer that acknowledges each submission
        only once it is stored (the service), where a commit group would acknowledge before the commit."""
        self.flush()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._problems.clear()   # ids added in the rolled-back transaction are gone
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def regraded(self, submission_id: int, report: Report | None, error: str | None = None,
                 bank: str | None = None) -> None:
        with self.transaction():
            self._grading(submission_id, report, error, bank)

    def last_grading(self, file: str, sha256: str) -> Graded | None:
        """The most recent grading of this exact file content, if it was ever stored."""
        row = self.db.execute(
            f"SELECT s.id, s.student, s.assignment, g.id, g.report, {self._outline}, g.error, g.bank "
            "FROM submissions s JOIN gradings g ON g.submission_id = s.id WHERE s.file = ? AND s.sha256 = ? "
            "ORDER BY g.id DESC LIMIT 1", (file, sha256)).fetchone()
        if row is None:
            return None
        return Graded(row[0], row[1], row[2], self._report(row[1], row[2], file, *row[3:6]), row[6], row[7])

    @property
    def _outline(self) -> str:
        """The outline column, or NULL in a gradebook from before outlines (opened read-only, not upgraded)."""
        return "g.outline" if "outline" in _columns(self.db, "gradings") else "NULL"

    def _report(self, student, assignment, file, grading_id: int, report: str | None,
                outline: str | None) -> dict | None:
        """The report of one grading: its stored JSON (older gradings), else rebuilt from outline and results."""
        if report:
            return json.loads(report)
        if not outline:
            return None
        shape = json.loads(outline)
        parts: dict[str, list] = {}
        named, problem, order, _ = self._parts
        for row in self.db.execute(f"SELECT {problem}, r.part, r.status, r.score, r.max_score, r.feedback, r.read_as, "
                                   f"r.answer FROM results r {named} WHERE r.grading_id = ? ORDER BY {order}",
                                   (grading_id,)):
            parts.setdefault(row[0], []).append(dict(zip(PART_KEYS, row[1:])))
        problems = [{"id": pid, "title": title, "score": score, "max_score": top, "parts": parts.get(pid, [])}
                    for pid, title, score, top in shape["problems"]]
        score, top = round(sum(p[2] for p in shape["problems"]), 4), round(sum(p[3] for p in shape["problems"]), 4)
        return {"student": student, "assignment": assignment, "score": score, "max_score": top,
                "percent": round(100.0 * score / top if top else 0.0, 2), "problems": problems,
                "warnings": shape["warnings"], "file": file}

    def score_manually(self, score: ManualScore) -> ManualScore:
        """Append a person's score and commit it at once: a TA's work is never left in an open group."""
        stamped = ManualScore(*astuple(score)[:-1], score.scored_at or now())
        with self.transaction():
            self.db.execute(f"INSERT INTO manual_scores ({MANUAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            astuple(stamped))
        self.flush()
        return stamped

    def manual_scores(self, assignment: str | None = None, student: str | None = None) -> dict[tuple, ManualScore]:
        """The standing score of each answer, keyed (student, assignment, problem, part, answer)."""
        if not _table(self.db, "manual_scores"):
            return {}
        where = [f"{column} = ?" for column, value in (("assignment", assignment), ("student", student)) if value]
        rows = self.db.execute(
            f"SELECT {MANUAL_COLUMNS} FROM manual_scores WHERE id IN (SELECT MAX(id) FROM manual_scores "
            f"{'WHERE ' + ' AND '.join(where) if where else ''} GROUP BY student, assignment, problem, part, answer)",
            tuple(value for value in (assignment, student) if value))
        return {tuple(row[:5]): ManualScore(*row) for row in rows}

    def _scored(self) -> bool:
        """Whether anyone has scored anything (a gradebook from before manual scores has not)."""
        return _table(self.db, "manual_scores") and self.db.execute("SELECT 1 FROM manual_scores").fetchone() is not None

    def _manual_rows(self) -> str:
        """FROM the latest grading's parts of the submissions in a JSON list (`j`, `s`), each ungraded part
        joined to the standing person's score `m` of its answer."""
        named, problem, _, _ = self._parts
        return ("FROM json_each(?) j JOIN submissions s ON s.id = j.value "
                "JOIN gradings g ON g.id = (SELECT MAX(id) FROM gradings WHERE submission_id = s.id) "
                f"JOIN results r ON r.grading_id = g.id {named} "
                "JOIN manual_scores m ON m.id = (SELECT MAX(id) FROM manual_scores WHERE student = s.student "
                f"AND assignment = s.assignment AND problem = {problem} AND part = r.part AND answer = r.answer) "
                "WHERE r.status = 'ungraded'")

    def manual_points(self, submissions) -> dict[int, float]:
        """What people's scores add to the latest grading of each of these submissions (ids)."""
        if not self._scored():
            return {}
        return dict(self.db.execute(f"SELECT s.id, TOTAL(m.points - r.score) {self._manual_rows()} GROUP BY s.id",
                                    (json.dumps(list(submissions)),)).fetchall())

    def received(self, submission_id: int, received_at: str) -> None:
        """A receipt alone: the content was seen again and its grading still stands."""
        with self.transaction():
            self.db.execute("INSERT INTO receipts (submission_id, received_at) VALUES (?, ?)",
                            (submission_id, received_at))

    def latest(self, assignment: str | None = None, reports: bool = True, texts: bool = True) -> list[Stored]:
        """Every stored submission with its most recent grading, in the order received (latest last).

        A content's time is its last receipt; contents received in one run are in
        file path order. With `reports=False` (export, stats, regrade) `report` holds only the
        warnings: nothing is rebuilt or decoded but those. With `texts=False` (export, stats) the
        answers files are not read either (`answers` is None): a class's texts are most of the file.
        """
        # a gradebook from before receipts, opened read-only, cannot be given the table
        receipts = _table(self.db, "receipts")
        seen = "(SELECT MAX(received_at) FROM receipts WHERE submission_id = s.id)" if receipts else "NULL"
        query = f"""
            SELECT s.id, s.student, s.assignment, s.file, {"s.answers" if texts else "NULL"}, g.score, g.max_score,
                   g.id, g.report, {self._outline}, COALESCE({seen}, s.received_at) AS seen
            FROM submissions s JOIN gradings g ON g.id = (
                SELECT MAX(id) FROM gradings WHERE submission_id = s.id)
        """
        args: tuple = ()
        if assignment:
            query += " WHERE s.assignment = ?"
            args = (assignment,)
        rows = self.db.execute(query + " ORDER BY seen, s.file, s.id", args).fetchall()
        added = self.manual_points([r[0] for r in rows])
        rows = [(*r[:5], round(r[5] + added[r[0]], 4) if r[0] in added else r[5], *r[6:]) for r in rows]
        if reports:
            manual = self.manual_scores(assignment) if added else {}
            return [Stored(*r[:7], with_manual(self._report(r[1], r[2], r[3], *r[7:10]), manual)) for r in rows]
        return [Stored(*r[:7], {"warnings": _warnings(r[8], r[9])} if (r[8] or r[9]) else None) for r in rows]

    def part_rows(self, submissions) -> list[tuple]:
        """(submission, problem, part, status, score, max_score, read_as, answer) of the latest grading of each
        of these submissions: the result columns alone, for regrades, decoding no report."""
        named, problem, order, _ = self._parts
        rows = self.db.execute(
            f"SELECT g.submission_id, {problem}, r.part, r.status, r.score, r.max_score, r.read_as, r.answer "
            f"FROM gradings g JOIN results r ON r.grading_id = g.id {named} "
            f"WHERE g.id IN ({LATEST_OF}) ORDER BY g.id, {order}", (json.dumps(list(submissions)),))
        return rows.fetchall()

    def part_counts(self, submissions, kept: str) -> list[tuple]:
        """Item analysis in one pass over the latest grading of each of these submissions: (problem, part,
        correct, kept for a person, wrong answer as read (invalid: as written) or None, its status, its
        feedback, count, sum of credit), in the order first seen going through the submissions in the order
        given. Ungraded parts are left out but for one row per part kept for a person (feedback `kept`),
        which marks the part as graded by hand; then the parts a person scored (`_manual_counts`).

        SQLite streams the rows and Python counts them: a GROUP BY would sort every part row of the class
        (450,000 for 10,000 dl-hw1 students), which costs more than counting them in a dict. Each row says
        what it is in one column (1 correct, 2 kept, 0 neither, or a wrong answer as a JSON array of
        status, answer and feedback, decoded once per distinct answer): a fifth less than a column each."""
        _, _, _, first = self._parts
        # problems by id, named once at the end (the old layout keeps the name in each row)
        names = dict(self.db.execute("SELECT id, name FROM problems")) if self._parts is NEW_PARTS else {}
        shown = "COALESCE(NULLIF(r.read_as, ''), r.answer)"
        wrong = f"r.status IN ('incorrect', 'partial', 'invalid') AND {shown} != ''"
        rows = self.db.execute(
            f"SELECT r.problem, r.part, CASE WHEN {wrong} THEN json_array(r.status, {shown}, r.feedback) "
            f"WHEN r.status = 'correct' THEN 1 WHEN r.status = 'ungraded' THEN 2 ELSE 0 END, "
            f"CASE WHEN r.max_score THEN r.score / r.max_score ELSE 0 END, {first} "
            "FROM json_each(?) j JOIN gradings g ON g.id = (SELECT MAX(id) FROM gradings WHERE submission_id = j.value) "
            "JOIN results r ON r.grading_id = g.id WHERE r.status != 'ungraded' OR r.feedback = ?",
            (json.dumps(list(submissions)), kept))
        groups: dict[tuple, list] = {}   # (problem, part, what) -> [count, credit, first seen]
        for row in rows:
            key = row[:3]
            group = groups.get(key)
            if group is None:
                groups[key] = [1, row[3], row[4]]
            else:
                group[0] += 1
                group[1] += row[3]
                if row[4] < group[2]:
                    group[2] = row[4]
        counted = sorted(groups.items(), key=lambda item: item[1][2])
        return ([(names.get(problem, problem), part, *_what(what), count, credit)
                 for (problem, part, what), (count, credit, _) in counted]
                + self._manual_counts(submissions))

    def _manual_counts(self, submissions) -> list[tuple]:
        """`part_counts` rows of the parts a person scored (after the automatic ones), with status SCORED:
        full points count as correct; a text is not a "wrong answer" to list."""
        if not self._scored():
            return []
        _, problem, _, _ = self._parts
        return self.db.execute(
            f"SELECT {problem}, r.part, m.points >= r.max_score, 0, NULL, ?, NULL, COUNT(*), "
            f"TOTAL(CASE WHEN r.max_score THEN m.points / r.max_score ELSE 0 END) {self._manual_rows()} "
            f"GROUP BY {problem}, r.part, 3 ORDER BY MIN(j.key)", (SCORED, json.dumps(list(submissions)))).fetchall()

    def counts(self) -> dict[str, int]:
        return {table: self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("submissions", "gradings", "results")}


PART_KEYS = ("id", "status", "score", "max_score", "feedback", "read_as", "answer")


def _table(db: sqlite3.Connection, name: str) -> bool:
    """Whether the table is there (a gradebook from before it, opened read-only, cannot be given it)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def with_manual(report: dict | None, manual: dict[tuple, ManualScore]) -> dict | None:
    """The report with people's scores in the parts kept for them whose answer they scored: the points,
    a status that says how many, the comment as feedback; problem and report totals follow."""
    if report is None or not manual:
        return report
    for problem in report["problems"]:
        for part in problem["parts"]:
            score = manual.get((report["student"], report["assignment"], problem["id"], part["id"], part["answer"]))
            if score is None or part["status"] != "ungraded":
                continue
            added = score.points - part["score"]
            part.update(score=score.points, status=_status_of(score.points, part["max_score"]),
                        feedback="scored by a person" + (f": {score.comment}" if score.comment else ""))
            problem["score"] = round(problem["score"] + added, 4)
            report["score"] = round(report["score"] + added, 4)
    top = report["max_score"]
    report["percent"] = round(100.0 * report["score"] / top if top else 0.0, 2)
    return report


def _status_of(points: float, top: float) -> str:
    return "correct" if points >= top else "incorrect" if points <= 0 else "partial"


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


# how part rows are read: (join that names the problem, problem name, order in a grading, order over the
# submissions `j` of a JSON list: its `key` is the position)
NEW_PARTS = ("JOIN problems p ON p.id = r.problem", "p.name", "r.seq", "j.key * 1000000 + r.seq")
OLD_PARTS = ("", "r.problem", "r.rowid", "j.key * 1000000000000 + r.rowid")
# the latest grading of each submission whose id is in a JSON list (the one parameter)
LATEST_OF = "SELECT MAX(id) FROM gradings WHERE submission_id IN (SELECT value FROM json_each(?)) GROUP BY submission_id"


def _part_layout(db: sqlite3.Connection) -> tuple[str, str, str, str]:
    """The part rows' layout: clustered by grading with problems named by id (smaller), or a results table
    from before that, kept as it is (problem names in each row, in insertion order)."""
    return NEW_PARTS if "seq" in _columns(db, "results") else OLD_PARTS


def _what(what) -> tuple:
    """(correct, kept, wrong answer, its status, its feedback) from `part_counts`' one column."""
    if isinstance(what, str):
        status, answer, feedback = json.loads(what)
        return 0, 0, answer, status, feedback
    return int(what == 1), int(what == 2), None, None, None


def _outline(report: Report) -> str:
    """What a report holds beyond its part rows: warnings, and each problem's title and totals."""
    return json.dumps({"warnings": report.warnings,
                       "problems": [[p.id, p.title, p.score, p.max_score] for p in report.problems]},
                      ensure_ascii=False)


def _warnings(report: str | None, outline: str | None) -> list[str]:
    return json.loads(report or outline).get("warnings", [])


def _open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection, even where the folder is read-only too.

    A WAL database needs its -shm file; where that cannot be created, the file
    is read as immutable (no writer can be at work there anyway).
    """
    uri = path.resolve().as_uri()
    for mode in ("?mode=ro", "?mode=ro&immutable=1"):
        db = sqlite3.connect(uri + mode, uri=True)
        try:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError as error:
            db.close()
            reason = error
        except sqlite3.DatabaseError as error:
            db.close()
            raise GradebookError(f"gradebook {path} cannot be read ({error})") from None
    raise GradebookError(f"gradebook {path} cannot be read ({reason})")


def export_rows(stored: list[Stored], policy: str = "latest") -> tuple[list[str], list[list]]:
    """One row per student, one column per assignment: the latest (or best) score."""
    chosen: dict[tuple[str, str], Stored] = {}
    for item in stored:
        if item.student is None or item.score is None:
            continue
        key = (item.student, item.assignment)
        current = chosen.get(key)
        if current is None or policy == "latest" or item.score > current.score:
            chosen[key] = item  # rows come in the order received, so "latest" keeps the last one
    assignments = sorted({a for _, a in chosen})
    students = sorted({s for s, _ in chosen})
    header = ["student"] + [f"{a} ({_points(max(c.max_score for k, c in chosen.items() if k[1] == a))})"
                            for a in assignments]
    rows = [[s] + [_points(chosen[(s, a)].score) if (s, a) in chosen else "" for a in assignments]
            for s in students]
    return header, rows


CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def canvas_rows(header: list[str], rows: list[list]) -> tuple[list[str], list[list]]:
    """The same scores under the columns Canvas's gradebook import matches students by.

    Our student id is the SIS login; Canvas fills in its own ids on import.
    """
    return (CANVAS_COLUMNS + header[1:],
            [[row[0], "", "", row[0], ""] + row[1:] for row in rows])


def _points(x: float) -> str:
    return f"{x:g}"
