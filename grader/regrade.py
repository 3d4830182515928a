"""Re-grade stored submissions after a problem is fixed, and say which parts' scores changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .bank import Bank
from .errors import UnknownAssignment
from .pipeline import grade_submission
from .gradebook import Gradebook
from .loader import LoadError, loads, parse_submission
from .report import Report
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


def regrade(gradebook: Gradebook, bank: Bank, secret: str = "", assignment: str | None = None) -> list[Change]:
    """Grade every stored submission again from its stored text; record the new grading."""
    changes: list[Change] = []
    fingerprints = Fingerprints(bank.root, secret)
    for stored in gradebook.latest(assignment):
        report: Report | None = None
        error = None
        try:
            path = Path(stored.file)
            submission = parse_submission(loads(stored.answers, path), stored.answers, path)
            report = grade_submission(submission, bank, secret)
        except (LoadError, UnknownAssignment) as problem:
            error = str(problem)
        gradebook.regraded(stored.submission_id, report, error,
                           fingerprints(report.assignment if report else stored.assignment))
        before, after = _scores(stored.report), _scores(report.to_dict() if report else None)
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                changes.append(Change(stored.student or stored.file, key[0], key[1], before.get(key), after.get(key)))
    # submissions are stored in the order workers finish them: sort for a stable listing
    return sorted(changes, key=lambda c: (c.student, c.problem, c.part))
