"""What the TA pages need beyond the service's routes: the item analysis, the manual grading queue and
recording a score, each over the service's gradebook. Each first asks the service for the
assignment's results, which refuses anyone but a ta or instructor (403) and an unknown assignment
(404); the gradebook is then used under the store's lock, as the store itself does."""

from __future__ import annotations

from dataclasses import replace

from .. import manual
from ..gradebook import ManualScore
from ..stats import PartStats, stored_analysis


def _latest_ids(service, user, assignment: str) -> list[int]:
    return [row["submission_id"] for row in service.results(user, assignment, "latest") if row["submission_id"]]


def item_analysis(service, user, assignment: str) -> tuple[int, list[PartStats]]:
    """(students, rows): `grade stats` over each student's latest submission to the assignment."""
    latest = _latest_ids(service, user, assignment)
    with service.store.lock:
        return len(latest), stored_analysis(service.store.gradebook, latest)


def grading_queue(service, user, assignment: str) -> list[manual.QueueItem]:
    """The text answers of the students' latest submissions, unscored first, each under its prompt as
    that student read it (their values filled in)."""
    _latest_ids(service, user, assignment)
    with service.store.lock:
        queued = manual.queue(service.store.gradebook, service.bank, assignment)
    return [replace(item, prompt=service.prompt(user, item.student, item.problem, item.part)) for item in queued]


def score(service, user, assignment: str, student: str, problem: str, part: str, points: float,
          comment: str, seen: str | None) -> ManualScore:
    """Record the signed-in TA's score for a text answer (ManualScoreError when it cannot be)."""
    _latest_ids(service, user, assignment)
    with service.store.lock:
        return manual.score(service.store.gradebook, service.bank, student, assignment, problem, part, points,
                            comment, user.id, seen)
