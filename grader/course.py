"""A class at once: what `batch`, `merge`, `export`, `regrade` and `stats` do, as functions.

Outcomes and tables come back as values; the CLI prints them and picks the exit code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .bank import Bank
from .batch import Outcome, Storer, discover, shard as shard_files
from .errors import NotGradeOutput
from .gradebook import Gradebook
from .identity import Roster, annotate, students_from_paths
from .report import Report
from .resume import Fingerprints, grade_or_reuse
from .variants import course_secret


@dataclass
class Run:
    """A batch run: every file's outcome in file order, and why results could not be stored, if so."""

    outcomes: list[Outcome]
    failure: str | None = None


def grade_folder(folder: Path, problems: Path = Path("problems"), *, jobs: int = 1, db: Path | None = None,
                 shard: tuple[int, int] | None = None, force: bool = False, student_from=None,
                 roster: Roster | None = None, secret: str | None = None,
                 on_start: Callable[[int], None] = lambda count: None,
                 on_outcome: Callable[[Outcome], None] = lambda outcome: None) -> Run:
    """Grade every answers file under `folder`; with `db`, store each outcome and reuse standing gradings.

    `shard` (K, N) grades share K of N; `student_from` is an `identity.path_pattern`;
    `force` grades again files the gradebook holds for this content and bank; `on_start`
    hears how many files there are, `on_outcome` each outcome as it comes.
    """
    Bank.existing(problems)
    secret = course_secret(secret)
    files = discover(folder)
    if shard:
        files = shard_files(files, *shard, folder)
    students, unmatched = students_from_paths(files, student_from)
    gradebook = Gradebook(db) if db is not None else None
    fingerprints = Fingerprints(problems, secret)
    storer = Storer(gradebook, fingerprints) if gradebook is not None else None
    on_start(len(files))

    def each(outcome: Outcome) -> None:
        if storer is not None:
            storer(outcome)
        on_outcome(outcome)

    try:
        outcomes = grade_or_reuse(files, problems, secret, jobs, each, students,
                                  gradebook if not force else None, fingerprints)
    finally:
        if gradebook is not None:
            gradebook.close()
    annotate(outcomes, roster, unmatched)
    return Run(outcomes, storer.failure if storer is not None else None)


def merge(paths: list[Path]) -> list[Outcome]:
    """The outcomes in the JSON outputs of `grade batch --shard` runs, as one list in file order."""
    outcomes = []
    for path in paths:
        try:
            items = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise NotGradeOutput(f"{path}: not a JSON output of grade batch ({error})") from None
        if not isinstance(items, list):
            raise NotGradeOutput(f"{path}: not a JSON output of grade batch (expected a list)")
        for item in items:
            if "error" in item:
                outcomes.append(Outcome(item["file"], "", "", None, item["error"], item.get("student"),
                                        item.get("assignment")))
            else:
                outcomes.append(Outcome(item.get("file") or "", "", "", Report.from_dict(item)))
    return sorted(outcomes, key=lambda o: o.file)


def regrade(db: Path, problems: Path = Path("problems"), assignment: str | None = None,
            secret: str | None = None, jobs: int = 1):
    """Grade the stored submissions again (after a problem fix) on `jobs` workers; the part
    scores that changed."""
    from .regrade import regrade as regrade_stored

    with Gradebook.existing(db, readonly=False) as gradebook:
        return regrade_stored(gradebook, Bank.existing(problems), course_secret(secret), assignment, jobs)
