"""Re-grade stored submissions after a problem is fixed, and say which parts' scores changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .bank import Bank
from .batch import Pool
from .gradebook import Gradebook
from .report import Report
from .resume import Fingerprints


@dataclass(frozen=True)
class Change:
    student: str
    problem: str
    part: str
    before: float | None
    after: float | None


def _scores(report: Report | None) -> dict[tuple[str, str], float]:
    return {(problem.id, part.id): part.score for problem, part in report.parts()} if report else {}


def regrade(gradebook: Gradebook, bank: Bank, secret: str = "", assignment: str | None = None,
            jobs: int = 1) -> list[Change]:
    """Grade every stored submission again from its stored text, on the worker pool; record each new grading
    as it comes back (workers keep grading meanwhile)."""
    fingerprints = Fingerprints(bank.root, secret)
    stored = gradebook.latest(assignment, reports=False)
    before: dict[int, dict] = {item.submission_id: {} for item in stored}
    for submission, problem, part, _, score, *_ in gradebook.part_rows(before):
        before[submission][(problem, part)] = score
    changes: list[Change] = []
    pool = Pool(Path(bank.root), secret, max(1, jobs))
    try:
        for number, outcome in pool.run([Path(s.file) for s in stored], [s.answers for s in stored]):
            item, report = stored[number], outcome.report
            gradebook.regraded(item.submission_id, report, outcome.error,
                               fingerprints(report.assignment if report else item.assignment))
            old, new = before[item.submission_id], _scores(report)
            changes += [Change(item.student or item.file, key[0], key[1], old.get(key), new.get(key))
                        for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    finally:
        pool.close()
    gradebook.flush()
    # gradings come back in the order workers finish them: sort for a stable listing
    return sorted(changes, key=lambda c: (c.student, c.problem, c.part))
