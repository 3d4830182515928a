"""The service as a Python API: the HTTP app and the web pages both call `Service`.

Every method takes the calling `User` and refuses what that user may not see (ServiceError with
its HTTP status); a student only ever gets their own variant, submissions and reports. Nothing a
student receives holds a canonical answer, a mistake rule, a solver value or a self-test until
the course file releases solutions. Methods are synchronous and thread-safe: the app runs them
on its thread pool, so a slow one never blocks the event loop; checks run on worker processes.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..bank import Bank
from ..check import INVALID, MISSING, Invalid, checker_for
from ..check.feedback import said
from ..errors import GradeError, LoadError
from ..expr import BudgetExceeded, budget
from ..giveaway import answer_keys, quotes
from ..gradebook import Stored, canvas_rows, export_rows
from ..loader import MAX_ANSWER_FILE, MAX_NESTING, TOO_DEEP, LoadedProblem, loads
from ..variants import course_secret
from .coursefile import AssignmentPolicy, Course, Late
from .errors import BadRequest, Conflict, Forbidden, NotFound, TooLarge
from .grading import Grading
from .store import Incoming, Kept, Store
from .tokens import User, verify

WITHHELD = "(this message names the answer: it is shown once solutions are released)"
_READ_ONLY = (INVALID, MISSING)   # messages about reading the answer: written without the key, as in validate
GRADE_LIMIT = 600.0                     # seconds a request waits for its grading (the watchdog acts long before)
CACHE_SIZE = 4096                       # solved variants and validations kept per instance
CACHED_ANSWER = 4096                    # characters of JSON: a longer answer's reading is not kept


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class _Lru:
    """A small thread-safe LRU map: per-instance caches (variants, validations)."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, compute: Callable):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


def toml_text(student: str, assignment: str, answers: dict) -> str:
    """A JSON submission as the answers file it stands for (kept in the gradebook as such).

    Keys and strings are written as JSON strings, which TOML reads the same; numbers as numbers.
    """
    lines = [f"student = {_toml_string(student)}", f"assignment = {_toml_string(assignment)}"]
    for problem, parts in answers.items():
        if not isinstance(parts, dict):
            raise BadRequest(f"answers.{problem}: expected an object of part -> answer")
        lines += ["", f"[{_toml_string(problem)}]"]
        lines += [f"{_toml_string(part)} = {_toml_value(value, f'answers.{problem}.{part}')}"
                  for part, value in parts.items()]
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but TOML also wants DEL escaped (and no
    surrogate pairs: other characters are written as themselves)."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value, where: str, depth: int = 1) -> str:
    if depth > MAX_NESTING:   # before recursing further: a list 900 deep would exhaust the stack
        raise BadRequest(f"{where}: {TOO_DEEP}")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):   # Python's JSON reads NaN and Infinity
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v, where, depth + 1) for v in value) + "]"
    raise BadRequest(f"{where}: expected a number, a string or a list")


class Service:
    """The grading service over a problem bank, a course and a store.

    `clock` returns the current time (tests move it); `grading` grades answers texts (by default
    `workers` processes; tests may pass a Grading of their own).
    """

    def __init__(self, problems: Path | str, course: Course, store: Store, *, secret: str | None = None,
                 workers: int = 1, clock: Callable[[], datetime] = utc_now, grading: Grading | None = None):
        self.bank = Bank.existing(problems)
        self.course, self.store, self.clock = course, store, clock
        self.secret = course_secret(secret)
        self._variants = _Lru()
        self._readings = _Lru()
        self._answer_keys = _Lru()
        self._known_problems()   # before the workers start: a bank that fails leaves no process behind
        self.grading = grading if grading is not None else Grading(self.bank.root, self.secret, workers)

    def _known_problems(self) -> None:
        """Load every served assignment's problems now, once: a broken bank fails at start, not on a
        student (restart to serve edited problems); and read one answer of each type, so the first
        student's validation does not load the parser."""
        self._served: dict[str, list[LoadedProblem]] = {}
        types = {}
        for assignment in self.course.assignments:
            self._served[assignment] = self.bank.usable(assignment)
            for item in self._served[assignment]:
                types.update({part.type: part for part in item.model.parts.values()})
        for part in types.values():
            _reading(part, "1")

    def close(self) -> None:
        """Finish the gradings in flight, then close the store."""
        self.grading.close()
        self.store.close()

    # who

    def user(self, token: str | None) -> User | None:
        return verify(self.store, token)

    @staticmethod
    def _staff(user: User, instructor: bool = False) -> None:
        if not user.staff or (instructor and user.role != "instructor"):
            raise Forbidden(f"this needs the {'instructor' if instructor else 'ta or instructor'} role")

    # what

    def _policy(self, assignment: str) -> AssignmentPolicy:
        policy = self.course.assignments.get(assignment)
        if policy is None:
            raise NotFound(f"no assignment '{assignment}' in this course")
        return policy

    def _opened(self, user: User, assignment: str) -> AssignmentPolicy:
        policy = self._policy(assignment)
        if not user.staff and not policy.is_open(self.clock()):
            raise Conflict(f"{assignment} opens at {policy.opens.isoformat()}")
        return policy

    def _problems(self, assignment: str) -> list[LoadedProblem]:
        return self._served.get(assignment, [])

    def _problem(self, assignment: str, problem: str) -> LoadedProblem:
        for item in self._problems(assignment):
            if item.name == problem or item.id == problem:
                return item
        raise NotFound(f"no problem '{problem}' in {assignment}")

    def _drawn(self, problem: LoadedProblem, student: str) -> tuple[tuple[str, str], dict]:
        """Which variant a student has, as a cache key, and its draws: students with the same draws
        share one variant (solved once)."""
        draws = self.bank.draws(problem, student, self.secret)
        return (problem.id, json.dumps(draws, sort_keys=True, default=repr)), draws

    def _variant(self, problem: LoadedProblem, student: str):
        key, draws = self._drawn(problem, student)
        return self._variants.get(key, lambda: self.bank.variant(problem, student, self.secret, draws))

    def _title(self, assignment: str) -> str:
        return self.bank.settings(assignment).title or assignment

    def _level(self, assignment: str, now: datetime) -> str:
        """How much a report may say now: the course's `feedback` until the due date, then as graded."""
        policy = self._policy(assignment)
        return policy.feedback if now <= policy.due else "full"

    # students' routes

    def assignments(self, user: User) -> list[dict]:
        """Every assignment of the course with its dates, the caller's attempts left and latest score."""
        now, out = self.clock(), []
        kept = {k.assignment: k for k in self.store.kept(user.id)}   # in the order received: the latest wins
        for assignment, policy in self.course.assignments.items():
            if not user.staff and not policy.is_open(now):
                continue
            used = self.store.attempts_used(user.id, assignment)
            latest = kept.get(assignment)
            out.append({"id": assignment, "title": self._title(assignment), "opens": _iso(policy.opens),
                        "due": _iso(policy.due), "closes": _iso(policy.closes),
                        "attempts": policy.attempts,
                        "attempts_left": None if policy.attempts is None else max(0, policy.attempts - used),
                        "score": latest.score if latest else None,
                        "max_score": round(sum(p.model.max_score for p in self._problems(assignment)), 4)})
        return out

    def assignment(self, user: User, assignment: str) -> dict:
        """The caller's variant of an assignment: statements and prompts with their values, no answers
        (solutions only once the course file releases them)."""
        policy = self._opened(user, assignment)
        return self._view(assignment, user.id, policy.solutions_shown(self.clock()))

    def _view(self, assignment: str, student: str, solutions: bool) -> dict:
        """The student's view (grader.present.view: the one home of what a student may see), with each
        part's solution only when `solutions`, and the assignment's dates."""
        from ..present import format_value, view

        problems = self._problems(assignment)
        variants = {problem.id: self._variant(problem, student) for problem in problems}
        shown = view(problems, variants, assignment, self._title(assignment))
        if solutions:
            for problem in shown["problems"]:
                expected = variants[problem["id"]].expected
                for part in problem["parts"]:
                    if expected.get(part["id"]) is not None:
                        part["solution"] = format_value(expected[part["id"]])
        policy = self._policy(assignment)
        return {**shown, "student": student, "opens": _iso(policy.opens), "due": _iso(policy.due)}

    def validate(self, user: User, assignment: str, problem: str, part: str, answer) -> dict:
        """How an answer would be read: `ok` with its reading, or `invalid` with where and why.

        Reading needs no canonical value, so it cannot tell whether the answer is right.
        """
        self._opened(user, assignment)
        loaded = self._problem(assignment, problem)
        spec = loaded.model.parts.get(part)
        if spec is None:
            raise NotFound(f"no part '{part}' in {loaded.id}")
        text = json.dumps(answer, sort_keys=True)
        if len(text) > CACHED_ANSWER:   # read each time: 4096 cached 256 kB answers would be a gigabyte
            return _reading(spec, answer)
        return self._readings.get((loaded.id, part, text), lambda: _reading(spec, answer))

    def submit(self, user: User, assignment: str | None, answers: dict | str,
               idempotency_key: str | None = None) -> dict:
        """Grade and store a submission (a dict of problem -> part -> answer, or an answers file's text);
        the report as the caller may see it, with `submission_id`, `received_at` and `late`.

        The submission is committed before this returns; a retry with the same `idempotency_key`
        returns the stored response and counts once (the same key with other answers: BadRequest).
        """
        text, assignment = self._answers_text(user, assignment, answers)
        if idempotency_key is not None:
            stored = self.store.replay(user.id, idempotency_key, text)
            if stored is not None:
                return stored
        policy = self._opened(user, assignment)
        received = self.clock()
        if policy.closed(received):
            raise Conflict(f"{assignment} is closed: it was due {policy.due.isoformat()}")
        if policy.attempts is not None and self.store.attempts_used(user.id, assignment) >= policy.attempts:
            raise Conflict(f"no attempts left for {assignment} (the limit is {policy.attempts})")
        outcome = self.grading.submit(f"{assignment}/{user.id}.toml", text, user.id).result(GRADE_LIMIT)
        if outcome.report is None:
            raise BadRequest(outcome.error or "the answers could not be graded")
        days = policy.days_late(received)
        penalty = policy.late.penalty(days) if isinstance(policy.late, Late) else 0.0
        report = outcome.report
        incoming = Incoming(user.id, assignment, text, report, _iso(received), days, penalty,
                            round(report.score * (1 - penalty), 4), idempotency_key)

        shown = self._shown(report.to_dict(), assignment, user.id, received, outcome.keys)   # before the store's lock

        def respond(submission_id: int, attempt: int) -> dict:
            return self._receipt(shown, Kept(submission_id, user.id, assignment, attempt, incoming.received_at,
                                             days, penalty, incoming.score, report.max_score))

        return self.store.save(incoming, policy.attempts, respond)

    def _answers_text(self, user: User, assignment: str | None, answers: dict | str) -> tuple[str, str]:
        """(answers file text, assignment) of a submission; the caller is who it is from."""
        if isinstance(answers, dict):
            if not assignment:
                raise BadRequest("a submission of answers needs its 'assignment'")
            text = toml_text(user.id, assignment, answers)
        elif isinstance(answers, str):
            text = answers
        else:
            raise BadRequest("answers must be an object or an answers file's text")
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as error:   # JSON can carry half of a surrogate pair; text cannot
            raise BadRequest(f"the answers are not valid text (character {error.start} is half a "
                             f"surrogate pair)") from None
        if size > MAX_ANSWER_FILE:
            raise TooLarge(f"the answers are too large (the limit is {MAX_ANSWER_FILE} bytes)")
        try:
            data = loads(text, "answers.toml")
        except LoadError as error:
            raise BadRequest(str(error)) from None
        claimed = data.get("student")
        if claimed is not None and claimed != user.id:
            raise Forbidden(f"the answers are for student '{str(claimed)[:200]}'; you are signed in as '{user.id}'")
        named = data.get("assignment", assignment)
        if not isinstance(named, str) or not named:
            raise BadRequest("the answers name no 'assignment'")
        if assignment and named != assignment:
            raise BadRequest(f"the answers are for '{named[:200]}', not '{assignment}'")
        return text, named

    def _shown(self, report: dict, assignment: str, student: str, now: datetime, keys: dict | None = None) -> dict:
        """A report as its student may see it now: feedback cut to the course's level before the due date.

        Until solutions are released, a message that quotes an answer of its problem (an instructor's
        mistake feedback may: "... the answer is phi^2/2") is withheld. `keys`: the answer keys the
        grading worker made for each problem it solved (else they are made here).
        """
        level = self._level(assignment, now)
        hidden = not self._policy(assignment).solutions_shown(now)
        for problem in report["problems"]:
            found = None if keys is None else keys.get(problem["id"], [])
            for part in problem["parts"]:
                part["feedback"] = said(part["status"], part["feedback"] or "", level)
                if hidden and part["feedback"] and part["status"] not in _READ_ONLY:
                    found = self._keys(assignment, problem["id"], student) if found is None else found
                    if quotes(part["feedback"], found):
                        part["feedback"] = WITHHELD
        report.pop("file", None)
        return {**report, "feedback": level}

    def _receipt(self, shown: dict, kept: Kept) -> dict:
        """A shown report with its submission's receipt: id, time, attempt, lateness."""
        attempts = self._policy(kept.assignment).attempts
        return {**shown, "submission_id": kept.submission_id, "received_at": kept.received_at,
                "attempt": kept.attempt, "attempts_left": None if attempts is None else max(0, attempts - kept.attempt),
                "late": {"days": kept.days_late, "penalty": kept.penalty, "score": kept.score}}

    def _keys(self, assignment: str, problem_id: str, student: str) -> list[str]:
        """What would give away a problem's answers in this student's variant: each formula an
        instructor wrote as an answer, and each canonical value as shown."""
        try:
            problem = self._problem(assignment, problem_id)
        except NotFound:
            return []
        return self._answer_keys.get(self._drawn(problem, student)[0],
                                     lambda: answer_keys(self._variant(problem, student)))

    def submissions(self, user: User) -> list[dict]:
        """The caller's submissions, oldest first, each with its report as they may see it now."""
        now = self.clock()
        out = []
        for kept in self.store.kept(user.id):
            report = self.store.report(kept.submission_id) or {"problems": []}
            out.append(self._receipt(self._shown(report, kept.assignment, kept.student, now), kept))
        return out

    def template(self, user: User, assignment: str) -> str:
        from ..api import template

        self._opened(user, assignment)
        return template(self.bank, assignment, user.id, self.secret)

    def problem(self, user: User, problem_id: str) -> dict:
        """The `grade show` text of one problem for the caller's variant (with solutions once released)."""
        from ..api import show

        assignment = problem_id.split("/")[0]
        policy = self._opened(user, assignment)
        loaded = self._problem(assignment, problem_id)
        return {"id": loaded.id, "text": show(self.bank, loaded.id, user.id,
                                              policy.solutions_shown(self.clock()), self.secret)}

    # staff routes

    def variant(self, user: User, student: str, assignment: str) -> dict:
        """A student's variant with every part's solution (ta, instructor)."""
        self._staff(user)
        self._policy(assignment)
        if student not in self.course.roster.ids:
            raise NotFound(f"no student '{student}' on the roster")
        return self._view(assignment, student, True)

    def prompt(self, user: User, student: str, problem_id: str, part: str) -> str:
        """A part's prompt as this student reads it, with their values (ta, instructor: the grading queue)."""
        from ..present import fill

        self._staff(user)
        problem = self._problem(problem_id.split("/")[0], problem_id)
        spec = problem.model.parts.get(part)
        if spec is None:
            raise NotFound(f"no part '{part}' in {problem.id}")
        return fill(spec.prompt, self._variant(problem, student))

    def results(self, user: User, assignment: str, policy: str = "latest") -> list[dict]:
        """Every roster student's latest (or best) score on an assignment, late penalty applied (ta, instructor)."""
        self._staff(user)
        self._policy(assignment)
        if policy not in ("latest", "best"):
            raise BadRequest("policy must be latest or best")
        chosen: dict[str, Kept] = {}
        counts: dict[str, int] = {}
        for kept in self._class_submissions(assignment):
            counts[kept.student] = counts.get(kept.student, 0) + 1
            current = chosen.get(kept.student)
            if current is None or policy == "latest" or (kept.score or 0) > (current.score or 0):
                chosen[kept.student] = kept
        out = []
        for student in sorted(set(self.course.roster.ids) | set(chosen)):
            kept = chosen.get(student)
            out.append({"student": student, "score": kept.score if kept else None,
                        "max_score": kept.max_score if kept else None,
                        "submission_id": kept.submission_id if kept else None,
                        "received_at": kept.received_at if kept else None,
                        "late_days": kept.days_late if kept else None, "submissions": counts.get(student, 0)})
        return out

    def _class_submissions(self, assignment: str | None) -> list[Kept]:
        """The submissions that count for the class: the students'. A TA or instructor trying an assignment
        out is stored like anyone, but is no row of the results or of the export for the LMS."""
        staff = self.store.staff()
        return [kept for kept in self.store.kept(assignment=assignment) if kept.student not in staff]

    def export(self, user: User, assignment: str | None = None, lms: str = "plain", policy: str = "latest") -> str:
        """The CSV of `grade export` over the service's submissions, late penalties applied (instructor)."""
        from ..formats import csv_table

        self._staff(user, instructor=True)
        if assignment is not None:
            self._policy(assignment)
        if lms not in ("plain", "canvas") or policy not in ("latest", "best"):
            raise BadRequest("lms must be plain or canvas, policy latest or best")
        stored = [Stored(k.submission_id, k.student, k.assignment, "", "", k.score, k.max_score, None)
                  for k in self._class_submissions(assignment)]
        header, rows = export_rows(stored, policy)
        return csv_table(*(canvas_rows(header, rows) if lms == "canvas" else (header, rows)))


def _reading(part, answer) -> dict:
    """Read one answer as grading would, under the part's budget: ok with the reading, or invalid."""
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return {"status": "invalid", "read_as": None, "message": "the answer is empty"}
    checker = checker_for(part.type)
    try:
        refused = checker.refuse(answer, None)
        if refused:
            raise Invalid(refused)
        with budget(part.timeout):
            reading = checker.read(answer, part)
    except Invalid as error:
        return {"status": "invalid", "read_as": None, "message": str(error)}
    except (OverflowError, ArithmeticError):
        return {"status": "invalid", "read_as": None, "message": "the value is out of range: too large to compute"}
    except BudgetExceeded:
        return {"status": "invalid", "read_as": None,
                "message": f"reading the answer took over {part.timeout:g} s; simplify it"}
    except GradeError as error:
        return {"status": "invalid", "read_as": None, "message": error.first_line()}
    shown = reading.shown if reading.shown is not None else (answer if isinstance(answer, str) else json.dumps(answer))
    return {"status": "ok", "read_as": shown, "message": "\n".join(reading.notes)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
