"""What grading produced: per part, per problem, per submission. Reports never grade."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_WARNINGS = 20       # per report; the rest are counted
MAX_WARNING_CHARS = 300


def capped(warnings: list[str]) -> list[str]:
    """The first warnings, each cut short, and a count of the rest.

    Warnings quote student text (unknown keys): a file with 60k of them must not
    become megabytes of output per file and gigabytes in a batch.
    """
    kept = [w if len(w) <= MAX_WARNING_CHARS else w[:MAX_WARNING_CHARS - 3] + "..." for w in warnings[:MAX_WARNINGS]]
    if len(warnings) > MAX_WARNINGS:
        kept.append(f"... and {len(warnings) - MAX_WARNINGS} more warnings")
    return kept


@dataclass
class PartResult:
    id: str
    status: str
    score: float
    max_score: float
    feedback: str = ""
    read_as: str | None = None
    answer: str | None = None


@dataclass
class ProblemResult:
    id: str
    title: str
    score: float
    max_score: float
    parts: list[PartResult] = field(default_factory=list)


@dataclass
class Report:
    student: str
    assignment: str
    problems: list[ProblemResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file: str | None = None

    @property
    def score(self) -> float:
        return round(sum(p.score for p in self.problems), 4)

    @property
    def max_score(self) -> float:
        return round(sum(p.max_score for p in self.problems), 4)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def parts(self):
        for problem in self.problems:
            for part in problem.parts:
                yield problem, part

    def to_dict(self) -> dict:
        """The JSON shape (contract): student, assignment, score, max_score, problems[parts[]]."""
        return {
            "student": self.student,
            "assignment": self.assignment,
            "score": self.score,
            "max_score": self.max_score,
            "percent": round(self.percent, 2),
            "problems": [
                # fields are plain values: vars() is asdict() without its deep copies (5 ms a report)
                {**{k: v for k, v in vars(p).items() if k != "parts"},
                 "parts": [dict(vars(part)) for part in p.parts]}
                for p in self.problems
            ],
            "warnings": list(self.warnings),
            "file": self.file,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        problems = [
            ProblemResult(p["id"], p.get("title", p["id"]), p["score"], p["max_score"],
                          [PartResult(**part) for part in p["parts"]])
            for p in data["problems"]
        ]
        return cls(data["student"], data["assignment"], problems, list(data.get("warnings", [])), data.get("file"))
