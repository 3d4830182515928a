"""What the gradebook already holds, read without grading anything: the export and the item
analysis. Kept apart from course.py so these commands start without the grading machinery."""

from __future__ import annotations

from pathlib import Path

from .gradebook import Gradebook, Stored, canvas_rows, export_rows
from .stats import stored_analysis


def export(db: Path, policy: str = "latest", lms: str = "plain") -> tuple[list[str], list[list]]:
    """(header, rows): each student's latest or best score per assignment, in `lms` columns."""
    with Gradebook.existing(db) as gradebook:
        header, rows = export_rows(gradebook.latest(reports=False, texts=False), policy)
    return canvas_rows(header, rows) if lms == "canvas" else (header, rows)


def item_rows(db: Path, assignment: str | None = None,
              problems: Path | None = None) -> tuple[int, list, list[Stored]]:
    """(students, item-analysis rows, the stored submissions they came from) over each student's
    latest graded submission per assignment; SQLite counts, no report is decoded. `problems`: the bank
    whose `mistakes` the common wrong answers are matched against."""
    latest, files = {}, {}
    with Gradebook.existing(db) as gradebook:
        for stored in gradebook.latest(assignment, reports=False, texts=False):
            if stored.report is not None:
                latest[(stored.student, stored.assignment)] = stored.submission_id
                files[stored.file] = stored
        rows = stored_analysis(gradebook, latest.values(), problems)
    return len(latest), rows, list(files.values())
