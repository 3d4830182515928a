"""Item analysis: how a class did on each part, and the wrong answers it gave most often."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .status import Status
from .report import Report


@dataclass
class PartStats:
    problem: str
    part: str
    count: int = 0
    correct: int = 0
    credit: float = 0.0
    wrong: Counter = field(default_factory=Counter)

    @property
    def share_correct(self) -> float:
        return self.correct / self.count if self.count else 0.0

    @property
    def mean_credit(self) -> float:
        return self.credit / self.count if self.count else 0.0


def normalise(answer: str | None) -> str:
    """One spelling per wrong answer: the echo when there is one, without spaces (case matters: A is not a)."""
    return re.sub(r"\s+", "", answer or "")


def item_analysis(reports: list[Report]) -> list[PartStats]:
    table: dict[tuple[str, str], PartStats] = {}
    for report in reports:
        for problem, part in report.parts():
            if part.status == Status.UNGRADED:
                continue  # kept for a person: no verdict to analyse
            stats = table.setdefault((problem.id, part.id), PartStats(problem.id, part.id))
            stats.count += 1
            stats.correct += part.status == Status.CORRECT
            stats.credit += part.score / part.max_score if part.max_score else 0.0
            if part.status in (Status.INCORRECT, Status.PARTIAL) and (part.read_as or part.answer):
                stats.wrong[normalise(part.read_as or part.answer)] += 1
    return list(table.values())


def stored_analysis(gradebook, submissions) -> list[PartStats]:
    """`item_analysis` of these stored submissions' latest gradings, counted by the gradebook's SQL."""
    table: dict[tuple[str, str], PartStats] = {}
    for problem, part, correct, wrong, count, credit in gradebook.part_counts(submissions):
        stats = table.setdefault((problem, part), PartStats(problem, part))
        stats.count += count
        stats.correct += count if correct else 0
        stats.credit += credit
        if wrong is not None:
            stats.wrong[normalise(wrong)] += count
    return list(table.values())


def distribution(percents: list[float], width: int = 10) -> list[tuple[str, int]]:
    """Counts per band of `width` percent: 0-9, 10-19, ..., 90-100."""
    bands = Counter(min(int(p // width), 100 // width - 1) for p in percents)
    return [(f"{i * width}-{i * width + width - (0 if i == 100 // width - 1 else 1)}", bands.get(i, 0))
            for i in range(100 // width)]


def class_summary(reports: list[Report]) -> dict:
    percents = [r.percent for r in reports]
    return {
        "count": len(reports),
        "mean": statistics.fmean(percents) if percents else 0.0,
        "median": statistics.median(percents) if percents else 0.0,
        "distribution": distribution(percents),
    }
