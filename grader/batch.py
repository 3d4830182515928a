"""Grade many answer files on worker processes, with a watchdog for checks that hang.

Each worker loads the bank once and keeps a cache of identical answers. Before
each part a worker writes (problem, part, start time, budget) into shared
memory; the parent kills a worker whose part has run far past its budget
(sympy stuck where the in-process timer cannot reach), starts a fresh one, and
re-grades that file with the hung part marked `ungraded`. Results come back in
file order, so output does not depend on the number of workers.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import queue
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, MutableSequence

from .bank import Bank
from .errors import UnknownAssignment
from .giveaway import answer_keys
from .expr.library import warm_up
from .pipeline import Hooks, grade_submission, remember
from .gradebook import now
from .identity import disagreement
from .loader import MAX_ANSWER_FILE, LoadError, load_submission, loads, parse_submission
from .report import Report

GRACE = 3.0              # seconds past a part's own budget before its worker is replaced
FILE_LIMIT = 120.0       # seconds for loading a file and solving its variants
MAX_REPLACEMENTS = 5     # hung parts tolerated in one file before it becomes an error row


@dataclass
class Outcome:
    """One answers file: its report, or why it could not be graded."""

    file: str
    sha256: str
    text: str
    report: Report | None = None
    error: str | None = None
    student: str | None = None
    assignment: str | None = None
    reused: int | None = None   # the stored submission whose grading still stands (see `resume`)
    keys: dict | None = None    # a pool with `keys`: problem id -> its variant's answer keys (see giveaway)


def discover(folder: Path) -> list[Path]:
    """Every answers file under `folder`, in a stable order."""
    return sorted((p for p in Path(folder).rglob("*.toml") if p.is_file()), key=str)


def shard(files: list[Path], index: int, count: int, root: Path) -> list[Path]:
    """Shard `index` of `count` (1-based): a stable share by hash of the path under `root`."""
    def bucket(path: Path) -> int:
        rel = path.resolve().relative_to(root.resolve()).as_posix() if root else path.as_posix()
        return int.from_bytes(hashlib.sha256(rel.encode()).digest()[:8], "big") % count

    return [f for f in files if bucket(f) == index - 1]


def stored_form(path: Path) -> tuple[str, str]:
    """(sha256, text) of a file as it will be kept in the gradebook, even if it is not valid."""
    try:
        raw = path.read_bytes()[: MAX_ANSWER_FILE + 1]
    except OSError:
        raw = b""
    return hashlib.sha256(raw).hexdigest(), raw.decode("utf-8", errors="replace")


def grade_file(path: Path, bank: Bank, secret: str, hooks: Hooks | None = None,
               student: str | None = None, text: str | None = None) -> Outcome:
    """Grade one file; an unusable file becomes an Outcome with an error, never an exception.

    `student` (taken from the path) replaces the id the file claims, with a warning when they differ;
    `text` (a regrade) is the file's stored text, graded instead of what is on disk now.
    """
    if text is None:
        outcome = Outcome(str(path), *stored_form(path))
    else:
        outcome = Outcome(str(path), hashlib.sha256(text.encode()).hexdigest(), text)
    try:
        if text is None:
            submission = load_submission(path)
        else:
            data = loads(text, path)
            if student is not None and isinstance(data, dict):
                data.setdefault("student", student)   # the service's caller is who an unsigned file is from
            submission = parse_submission(data, text, path)
        if student is not None and student != submission.student:
            submission.warnings.append(disagreement(submission.student, student))
            submission.student = student
        outcome.student, outcome.assignment = submission.student, submission.assignment
        outcome.report = grade_submission(submission, bank, secret, hooks)
    except (LoadError, UnknownAssignment) as error:
        outcome.error = str(error)
    except Exception as error:  # noqa: BLE001 - one bad file must not stop a class
        outcome.error = f"internal error: {type(error).__name__}: {error}"
    return outcome


# workers

PARENT_POLL = 1.0  # seconds between checks that the parent is still alive


def _follow_parent(parent: int) -> None:
    """Die with the parent (`kill -9` of `grade batch` must not leave workers behind).

    Linux delivers SIGKILL on the parent's death (prctl PR_SET_PDEATHSIG);
    elsewhere, and for a parent gone before this ran, the task loop polls the parent id.
    """
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):  # no prctl here (macOS), or no C library by that name (Windows)
        pass
    if os.getppid() != parent:
        os._exit(1)


def _quiet_stdout() -> None:
    """The parent's stdout is the report: nothing a worker runs (a solver's print) may write there."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def _worker(root: str, secret: str, tasks, results, beacon, parent: int, nice: int = 0, keys: bool = False) -> None:
    _follow_parent(parent)
    _quiet_stdout()
    if nice:
        os.nice(nice)
    warm_up()
    bank = Bank(root)
    cache: dict = {}

    def on_part(problem: int, part: int, budget: float) -> None:
        beacon[0], beacon[1], beacon[2], beacon[3] = problem, part, time.monotonic(), budget

    while True:
        try:
            task = tasks.get(timeout=PARENT_POLL)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)
            continue
        if task is None:
            return
        number, path, skip, text, student = task
        beacon[0], beacon[1], beacon[2], beacon[3], beacon[4] = -1, -1, time.monotonic(), FILE_LIMIT, number
        variants = {} if keys else None
        outcome = grade_file(Path(path), bank, secret, Hooks(cache, on_part, frozenset(skip), variants), student, text)
        if variants is not None:
            outcome.keys = {pid: _answer_keys(cache, variant) for pid, variant in variants.items()}
        beacon[2], beacon[4] = 0.0, -1
        results.put((number, outcome))


def _answer_keys(cache: dict, variant) -> list[str]:
    """A variant's answer keys, made once: students with the same draws share one cached variant.
    The entry holds the variant, so an id reused after it left the cache never matches (as `_judge`'s)."""
    key = ("keys", id(variant))
    entry = cache.get(key)
    if entry is None or entry[0] is not variant:
        entry = remember(cache, key, (variant, answer_keys(variant)))
    return entry[1]


@dataclass
class _Slot:
    process: mp.Process
    tasks: object
    beacon: object
    queued: list = field(default_factory=list)   # tasks handed to this worker, in the order it takes them


@dataclass
class Pool:
    root: Path
    secret: str
    jobs: int
    students: dict = field(default_factory=dict)   # file -> the student id its path gives
    nice: int = 0   # workers' lower priority: the service keeps its own process (HTTP, validation) responsive
    keys: bool = False   # each outcome carries its variants' answer keys (the service's check for quoted answers)
    # files handed to each worker at once: with 2 the next one waits in the worker's queue while this
    # process stores the last outcome (a batch); the service keeps 1, so no submission waits behind another
    depth: int = 2
    context: object = field(default_factory=lambda: mp.get_context("fork" if os.name == "posix" else "spawn"))

    def __post_init__(self):
        self.results = self.context.Queue()
        self.slots = [self._start() for _ in range(self.jobs)]

    def _start(self) -> _Slot:
        tasks = self.context.Queue()
        # what the worker is on: problem, part, since when, its budget, and which task (-1: none)
        beacon = self.context.Array("d", [-1.0, -1.0, 0.0, 0.0, -1.0], lock=False)
        process = self.context.Process(target=_worker, daemon=True,
                                       args=(str(self.root), self.secret, tasks, self.results, beacon, os.getpid(),
                                             self.nice, self.keys))
        process.start()
        return _Slot(process, tasks, beacon)

    def close(self) -> None:
        for slot in self.slots:
            slot.tasks.put(None)
        for slot in self.slots:
            slot.process.join(timeout=5)
            if slot.process.is_alive():
                slot.process.kill()

    def _replace(self, slot: _Slot) -> list[tuple]:
        """Kill a hung worker; return its tasks: the one it was on with the hung part added to the skip
        set (skip None: give up on it), then the others as they were (those it had not started, and one
        it finished whose outcome had not left it yet: a hung check can starve the thread sending it)."""
        problem, part, on = int(slot.beacon[0]), int(slot.beacon[1]), int(slot.beacon[4])
        slot.process.kill()
        slot.process.join()
        fresh = self._start()
        slot.process, slot.tasks, slot.beacon = fresh.process, fresh.tasks, fresh.beacon
        queued, slot.queued = slot.queued, []
        current = next((task for task in queued if task[0] == on), queued[0])
        others = [task for task in queued if task is not current]
        number, path, skip, text, student = current
        if problem < 0 or len(skip) >= MAX_REPLACEMENTS:
            return [(number, path, None, text, student), *others]
        return [(number, path, tuple(sorted(set(skip) | {(problem, part)})), text, student), *others]

    def run(self, files: list[Path], texts: list[str] | None = None) -> Iterator[tuple[int, Outcome]]:
        """Yield (index, outcome) as files finish, in any order; `texts`: grade these instead of the files."""
        pending = [(i, str(f), (), texts[i] if texts is not None else None, self.students.get(str(f)))
                   for i, f in enumerate(files)]
        pending.reverse()
        while pending or self.busy():
            yield from self.step(pending)

    def busy(self) -> bool:
        return any(slot.queued for slot in self.slots)

    def step(self, pending: MutableSequence, wait: float = 0.2) -> list[tuple[int, Outcome]]:
        """Hand tasks from the end of `pending` to workers, one each round up to `depth` each, then wait up
        to `wait` s for one result; a hung or dead worker is replaced and its tasks go back on `pending`
        (or end as an error)."""
        for level in range(1, self.depth + 1):
            for slot in self.slots:
                if len(slot.queued) < level and pending:
                    slot.queued.append(pending.pop())
                    slot.tasks.put(slot.queued[-1])
        try:
            number, outcome = self.results.get(timeout=wait)
        except queue.Empty:
            number = None
        if number is not None:
            for slot in self.slots:
                slot.queued = [task for task in slot.queued if task[0] != number]
            return [(number, outcome)]
        done = []
        now = time.monotonic()
        for slot in self.slots:
            started, budget = slot.beacon[2], slot.beacon[3]
            hung = slot.queued and started > 0 and now - started > budget + max(GRACE, budget)
            if hung or (slot.queued and not slot.process.is_alive()):
                back = self._replace(slot)
                number, path, skip, text, student = back[0]
                if skip is None:
                    kept = stored_form(Path(path)) if text is None else ("", text)
                    done.append((number, Outcome(path, *kept, error="grading did not finish: the worker was replaced")))
                    back = back[1:]
                pending.extend(reversed(back))   # taken from the end: the first of them goes first
        return done


def grade_files(files: list[Path], root: Path, secret: str = "", jobs: int = 1,
                on_outcome: Callable[[Outcome], None] | None = None,
                students: dict[str, str] | None = None) -> list[Outcome]:
    """Grade every file; the list is in the order of `files` whatever `jobs` is.

    `on_outcome` sees each file as soon as it is graded (to store it, or to move a progress bar);
    `students` maps a file (as a string) to the student id to grade it as.
    """
    outcomes: list[Outcome | None] = [None] * len(files)
    pool = Pool(Path(root), secret, max(1, jobs), students or {})
    try:
        for number, outcome in pool.run(files):
            outcomes[number] = outcome
            if on_outcome:
                on_outcome(outcome)
    finally:
        pool.close()
    return outcomes  # type: ignore[return-value]


def stored_name(file: str) -> str:
    """One name per file however it was given: relative to the working folder when under it, else absolute."""
    absolute = os.path.abspath(file)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def store(gradebook, outcome: Outcome, received_at: str | None = None, bank: str | None = None) -> None:
    """Keep one graded (or unusable) file in the gradebook; one not graded again gets a receipt only."""
    if outcome.reused is not None:
        gradebook.received(outcome.reused, received_at or now())
        return
    gradebook.record(stored_name(outcome.file), outcome.sha256, outcome.text, outcome.report, outcome.error,
                     outcome.student, outcome.assignment, received_at, bank)


@dataclass
class Storer:
    """Stores each outcome until the gradebook fails (a full disk), then only counts what it could not store.

    Grading goes on, so the run's report is still written; the caller reports `failure`. A failure rolls
    back the open commit group too (see `gradebook`): those files are counted as not stored.
    """

    gradebook: object
    fingerprint: Callable[[str | None], str] | None = None   # assignment -> bank fingerprint
    received_at: str = field(default_factory=now)             # one time for the whole run
    error: Exception | None = None
    unstored: int = 0

    def __call__(self, outcome: Outcome) -> None:
        if self.error is None:
            try:
                bank = self.fingerprint(outcome.assignment) if self.fingerprint else None
                store(self.gradebook, outcome, self.received_at, bank)
                return
            except sqlite3.Error as error:
                self.error = error
        self.unstored += 1

    @property
    def failure(self) -> str | None:
        """Read after the gradebook is closed: files whose group was rolled back count as not stored."""
        error = self.error or self.gradebook.error
        if error is None:
            return None
        lost = self.unstored + self.gradebook.dropped
        return (f"gradebook {self.gradebook.path}: could not store results ({error}); "
                f"{lost} file{'s' if lost != 1 else ''} not stored")
