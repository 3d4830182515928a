"""Re-grade stored submissions after a problem is fixed, and say which parts' scores changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .bank import Bank
from .batch import grade_files
from .gradebook import Gradebook
from .resume import Fingerprints


@dataclass(frozen=True)
class Change:
    student: str
    problem: str
    part: str
    before: float | None
    after: float | None


def _scores(report: dict | None) -> dict[tuple[str, str], float]:
    if not report:
        return {}
    return {(p["id"], part["id"]): part["score"] for p in report["problems"] for part in p["parts"]}


def regrade(gradebook: Gradebook, bank: Bank, secret: str = "", assignment: str | None = None,
            jobs: int = 1) -> list[Change]:
    """Grade every stored submission again from its stored text, on the worker pool; record the new gradings."""
    changes: list[Change] = []
    fingerprints = Fingerprints(bank.root, secret)
    stored = gradebook.latest(assignment)
    outcomes = grade_files([Path(s.file) for s in stored], bank.root, secret, jobs,
                           texts=[s.answers for s in stored])
    for item, outcome in zip(stored, outcomes):
        report = outcome.report
        gradebook.regraded(item.submission_id, report, outcome.error,
                           fingerprints(report.assignment if report else item.assignment))
        before, after = _scores(item.report), _scores(report.to_dict() if report else None)
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                changes.append(Change(item.student or item.file, key[0], key[1], before.get(key), after.get(key)))
    gradebook.flush()
    # submissions are stored in the order workers finish them: sort for a stable listing
    return sorted(changes, key=lambda c: (c.student, c.problem, c.part))
