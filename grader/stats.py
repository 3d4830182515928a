"""Item analysis: how a class did on each part, and the wrong answers it gave most often."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

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
    return tally((problem.id, part.id, part.status, part.score, part.max_score, part.read_as, part.answer)
                 for report in reports for problem, part in report.parts())


def tally(rows) -> list[PartStats]:
    """PartStats from (problem, part, status, score, max_score, read_as, answer) rows: reports, or the
    gradebook's result columns read directly (`Gradebook.latest_results`), which decodes no report."""
    table: dict[tuple[str, str], PartStats] = {}
    for problem, part, status, score, max_score, read_as, answer in rows:
        if status == "ungraded":
            continue  # kept for a person: no verdict to analyse
        stats = table.get((problem, part))
        if stats is None:
            stats = table[(problem, part)] = PartStats(problem, part)
        stats.count += 1
        stats.correct += status == "correct"
        stats.credit += score / max_score if max_score else 0.0
        if status in ("incorrect", "partial") and (read_as or answer):
            stats.wrong[normalise(read_as or answer)] += 1
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
