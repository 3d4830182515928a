"""Item analysis: how a class did on each part, and the wrong answers it gave most often."""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .status import KEPT, SCORED, Status
from .report import Report

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass
class PartStats:
    problem: str
    part: str
    count: int = 0
    correct: int = 0
    credit: float = 0.0
    wrong: Counter = field(default_factory=Counter)   # (answer, note) -> count; see `note`
    manual: bool = False                               # kept for a person: no verdict to rank
    scored: int = 0                                    # of `count`, answers a person has scored (grade score)

    @property
    def share_correct(self) -> float:
        return self.correct / self.count if self.count else 0.0

    @property
    def mean_credit(self) -> float:
        return self.credit / self.count if self.count else 0.0


def normalise(answer: str | None) -> str:
    """One spelling per wrong answer: the echo when there is one, without spaces (case matters: A is not a)."""
    return re.sub(r"\s+", "", answer or "")


MATCHED, UNMATCHED = "mistake rule", "no rule"
_WHERE = re.compile(r"^\[[^\]\n]*\] \S+(?: \(line \d+\))?: ")   # "[problem] part (line 11): " before a reason


def reason(feedback: str | None) -> str:
    """Why an answer was invalid, on one line and the same for every student: the line the grader wrote it
    on (after any reading notes), without the file position, which differs from file to file."""
    lines = (feedback or "").splitlines()
    line = next((l for l in lines if _WHERE.match(l)), lines[0] if lines else "")
    line = _WHERE.sub("", line).rstrip(":").strip()
    return line if len(line) <= 100 else line[:97] + "..."


def note(status: str, feedback: str | None, rules: list[str] | None) -> str:
    """What an instructor needs beside a wrong answer: an invalid one's reason, else whether a `mistakes`
    rule gave it its feedback (MATCHED) or none did (UNMATCHED: a candidate for one). "" when the rules
    are unknown (no bank)."""
    if status == Status.INVALID:
        return f"invalid: {reason(feedback)}"
    if rules is None:
        return ""
    return MATCHED if any(rule and rule in (feedback or "") for rule in rules) else UNMATCHED


def item_analysis(reports: list[Report], problems: Path | None = None) -> list[PartStats]:
    """Per part: how many were right, the mean credit and the wrong answers (invalid ones too) with their
    notes; parts kept for a person are marked `manual`. `problems`: the bank whose `mistakes` rules the
    wrong answers are matched against (None: no rule notes)."""
    rows = []
    for report in reports:
        for problem, part in report.parts():
            kept = part.status == Status.UNGRADED and part.feedback == KEPT
            if part.status == Status.UNGRADED and not kept:
                continue  # a check that could not decide: no verdict to analyse
            wrong = part.status in (Status.INCORRECT, Status.PARTIAL, Status.INVALID)
            rows.append((problem.id, part.id, part.status == Status.CORRECT, kept,
                         (part.read_as or part.answer or None) if wrong else None, part.status, part.feedback, 1,
                         part.score / part.max_score if part.max_score else 0.0))
    return _tabulate(rows, problems)


def stored_analysis(gradebook, submissions, problems: Path | None = None) -> list[PartStats]:
    """`item_analysis` of these stored submissions' latest gradings, counted by the gradebook's SQL."""
    return _tabulate(gradebook.part_counts(submissions, KEPT), problems)


def _tabulate(rows, problems: Path | None) -> list[PartStats]:
    """PartStats from rows of (problem, part, correct, kept, wrong answer, status, feedback, count, credit)."""
    specs = part_specs(problems, (row[0] for row in rows)) if problems is not None else None
    rules = None if specs is None else {key: _feedbacks(spec) for key, spec in specs.items()}
    table: dict[tuple[str, str], PartStats] = {}
    for problem, part, correct, kept, wrong, status, feedback, count, credit in rows:
        stats = table.setdefault((problem, part), PartStats(problem, part))
        if (specs or {}).get((problem, part), {}).get("type") == "text":
            stats.manual = True   # a text part nobody answered is still a person's to grade: not ranked
        if kept:
            stats.manual = True
            continue
        stats.scored += count if status == SCORED else 0
        stats.count += count
        stats.correct += count if correct else 0
        stats.credit += credit
        if wrong is not None:
            known = None if rules is None else rules.get((problem, part))   # None: not in the bank
            stats.wrong[(normalise(wrong), note(status, feedback, known))] += count
    return list(table.values())


def part_specs(root: Path, problem_ids) -> dict[tuple[str, str], dict]:
    """(problem, part) -> the part's table, read straight from the problem files.

    Read with tomllib: item analysis starts without the problem models (pydantic, sympy). A problem
    whose file is missing or unreadable is left out, and its answers get no rule note."""
    specs: dict[tuple[str, str], dict] = {}
    base = Path(root).resolve()
    for problem_id in dict.fromkeys(problem_ids):
        path = (base / f"{problem_id}.toml").resolve()
        try:
            if not path.is_relative_to(base):
                continue
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError):
            continue
        for part, spec in (data.get("parts") or {}).items():
            specs[(problem_id, part)] = spec if isinstance(spec, dict) else {}
    return specs


def _feedbacks(spec: dict) -> list[str]:
    """The feedback of each of a part's `mistakes`: the rules a wrong answer is matched against."""
    mistakes = spec.get("mistakes", [])
    return [m["feedback"] for m in mistakes if isinstance(m, dict) and isinstance(m.get("feedback"), str)] \
        if isinstance(mistakes, list) else []


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
