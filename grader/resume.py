"""Reruns resume: a file whose content and bank are unchanged since its last grading is not graded again.

A CI job with a time limit reruns `grade batch` over the same folder, and each
run must make progress rather than grade everything again (and add gradings).
The bank is named by a fingerprint per assignment, stored with each grading:
the assignment's problem and solver files, the list of assignments (an unknown
assignment may become known), the course secret and the grader version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .bank import Bank
from .batch import Outcome, grade_files, stored_form, stored_name
from .loader import LoadError
from .report import Report


@dataclass
class Fingerprints:
    """The bank fingerprint of each assignment, computed once per run (the course secret draws the variants)."""

    root: Path
    secret: str = ""
    known: dict = field(default_factory=dict)

    def __call__(self, assignment: str | None) -> str:
        if assignment not in self.known:
            self.known[assignment] = self._compute(assignment)
        return self.known[assignment]

    def _compute(self, assignment: str | None) -> str:
        bank = Bank(self.root)
        names = bank.assignments()
        digest = hashlib.sha256(f"grade {__version__}\0{self.secret}\0{chr(0).join(names)}\0".encode())
        if assignment in names:  # a name from a student file is only used once it is known to be a folder
            folder = self.root / assignment
            files = {p.resolve() for p in folder.rglob("*") if p.suffix in (".toml", ".py") and p.is_file()}
            files |= {(item.path.parent / item.model.solver.python).resolve() for item in bank.assignment(assignment)
                      if not isinstance(item, LoadError) and item.model.solver}   # a solver may live elsewhere
            for path in sorted(files):
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()


def reusable(files: list[Path], gradebook, fingerprints: Fingerprints,
             students: dict[str, str] | None = None) -> dict[int, Outcome]:
    """{index in files: outcome} for each file whose stored grading still stands.

    With `students` (ids from paths), a grading stands only if it was for the same student.
    """
    found: dict[int, Outcome] = {}
    for index, path in enumerate(files):
        sha256, text = stored_form(path)
        graded = gradebook.last_grading(stored_name(str(path)), sha256)
        if graded is None or graded.bank != fingerprints(graded.assignment):
            continue
        if students and str(path) in students and graded.student != students[str(path)]:
            continue
        report = Report.from_dict(graded.report) if graded.report else None
        if report is not None:
            report.file = str(path)
        found[index] = Outcome(str(path), sha256, text, report, graded.error, graded.student, graded.assignment,
                               reused=graded.submission_id)
    return found


def grade_or_reuse(files: list[Path], root: Path, secret: str, jobs: int, on_outcome: Callable[[Outcome], None],
                   students: dict[str, str], gradebook=None, fingerprints: Fingerprints | None = None) -> list[Outcome]:
    """Every file's outcome, in file order: the stored grading where it still stands (given a gradebook), else a
    fresh one. `on_outcome` sees the reused ones first."""
    reused = {}
    if gradebook is not None:
        reused = reusable(files, gradebook, fingerprints or Fingerprints(root, secret), students)
    for outcome in reused.values():
        on_outcome(outcome)
    todo = [f for i, f in enumerate(files) if i not in reused]
    fresh = iter(grade_files(todo, root, secret, jobs, on_outcome, students))
    return [reused[i] if i in reused else next(fresh) for i in range(len(files))]
