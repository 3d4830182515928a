"""Manual grading: a person scores the parts kept for them (text answers), from `grade score` or the
grading queue page. Scores are appended to the gradebook (`Gradebook.score_manually`) and counted in
results, reports and the export from then on."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .bank import Bank
from .errors import GradeError
from .gradebook import Gradebook, ManualScore, Stored

MAX_COMMENT = 2_000   # characters: a comment is read by a student, not an essay stored per row
POINTS = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", re.ASCII)


class ManualScoreError(GradeError):
    """A score that cannot be recorded: no such part, not a text part, points out of range, nothing to score."""


@dataclass(frozen=True)
class QueueItem:
    """One text answer waiting for (or holding) a person's score."""

    student: str
    assignment: str
    problem: str
    part: str
    prompt: str
    answer: str
    max_score: float
    score: ManualScore | None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.answer)


def _problems(bank: Bank, assignment: str) -> dict:
    """problem id -> loaded problem, for the assignment's usable files (a broken one graded nothing)."""
    return {p.id: p for p in bank.assignment(assignment, known=True) if not isinstance(p, GradeError)}


def text_parts(bank: Bank, assignment: str) -> dict[str, dict[str, tuple[str, float]]]:
    """problem id -> text part id -> (prompt, points): the parts of an assignment kept for a person."""
    out: dict[str, dict[str, tuple[str, float]]] = {}
    for problem in _problems(bank, assignment).values():
        parts = {pid: (part.prompt, part.points) for pid, part in problem.model.parts.items() if part.type == "text"}
        if parts:
            out[problem.id] = parts
    return out


def _latest_each(gradebook: Gradebook, assignment: str) -> dict[str, Stored]:
    """Each student's latest graded submission to the assignment."""
    return {s.student: s for s in gradebook.latest(assignment) if s.student and s.report is not None}


def queue(gradebook: Gradebook, bank: Bank, assignment: str) -> list[QueueItem]:
    """Every text answer in the students' latest submissions, unscored ones first, then by student."""
    parts = text_parts(bank, assignment)
    manual = gradebook.manual_scores(assignment)
    items = []
    for student, stored in sorted(_latest_each(gradebook, assignment).items()):
        for problem in stored.report["problems"]:
            for part in problem["parts"]:
                shown = parts.get(problem["id"], {}).get(part["id"])
                if shown is None or part["answer"] is None:
                    continue
                items.append(QueueItem(student, assignment, problem["id"], part["id"], shown[0], part["answer"],
                                       shown[1], manual.get((student, assignment, problem["id"], part["id"],
                                                             part["answer"]))))
    return sorted(items, key=lambda item: item.score is not None)


def points_of(text: str) -> float:
    """Points as a person types them: a plain decimal number. Python's float alone would read `0_5` as 5,
    `١` (an Arabic-Indic one) as 1, and `nan`."""
    if not POINTS.fullmatch(text.strip()):
        raise ManualScoreError(f"points must be a number like 1.5, not '{text[:50]}'")
    return float(text)


def fingerprint(answer: str) -> str:
    """What a grading page sends back to say which answer its reader scored."""
    return hashlib.sha256(answer.encode("utf-8", errors="replace")).hexdigest()


def score(gradebook: Gradebook, bank: Bank, student: str, assignment: str, problem: str, part: str,
          points: float, comment: str = "", grader: str = "", seen: str | None = None) -> ManualScore:
    """Record a person's score for the answer to a text part in the student's latest submission;
    `seen` (a `fingerprint`) refuses it when that answer is no longer the one they read."""
    problem_id = problem if problem.startswith(f"{assignment}/") else f"{assignment}/{problem}"
    problems = _problems(bank, assignment)
    if problem_id not in problems:   # only the assignment's own files: a name is never a path elsewhere
        raise ManualScoreError(f"no problem '{problem_id}' in {assignment} (its problems: {', '.join(problems)})")
    parts = text_parts(bank, assignment)
    model = problems[problem_id].model
    if part not in model.parts:
        raise ManualScoreError(f"{problem_id} has no part '{part}' (its parts: {', '.join(model.parts)})")
    if part not in parts.get(problem_id, {}):
        raise ManualScoreError(f"{problem_id}/{part} is a {model.parts[part].type} part, graded automatically; "
                               "only text parts are scored by a person")
    top = parts[problem_id][part][1]
    if not 0 <= points <= top:
        raise ManualScoreError(f"{points:g} points is out of range for {problem_id}/{part} (0 to {top:g})")
    if len(comment) > MAX_COMMENT:
        raise ManualScoreError(f"the comment is too long ({len(comment)} characters; the limit is {MAX_COMMENT})")
    stored = _latest_each(gradebook, assignment).get(student)
    if stored is None:
        raise ManualScoreError(f"no graded submission from '{student}' for {assignment}")
    answer = next((p["answer"] for pr in stored.report["problems"] if pr["id"] == problem_id
                   for p in pr["parts"] if p["id"] == part), None)
    if answer is None:
        raise ManualScoreError(f"'{student}' gave no answer to {problem_id}/{part}: there is nothing to score")
    if seen is not None and seen != fingerprint(answer):
        raise ManualScoreError(f"'{student}' has submitted again since the page was loaded: reload it to read "
                               "the new answer")
    points = float(points) + 0.0   # -0.0 is 0: a score is never shown as "-0"
    return gradebook.score_manually(ManualScore(student, assignment, problem_id, part, answer, points,
                                                comment, grader))


def total(gradebook: Gradebook, student: str, assignment: str) -> tuple[float, float] | None:
    """(score, max_score) of the student's latest submission, people's scores included."""
    stored = _latest_each(gradebook, assignment).get(student)
    return (stored.score, stored.max_score) if stored is not None else None
