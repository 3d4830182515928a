"""Who submitted what: the student id of each file, and the ids a person should look at.

Course CI keeps answers at submissions/<assignment>/<student>.toml, where the
path is more trustworthy than the `student` a file claims. Nothing here merges
or renames anyone: a file whose claim disagrees with its path, two files for one
student, ids that differ only in what a reader cannot see (case, spacing,
look-alike letters, zero-width marks) and ids missing from the roster become
warnings for a person to settle.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .inert import visible
from .errors import LoadError
from .hints import nearest

IDENTITY = "identity: "   # the prefix of every warning made here
FROM_FILE, FROM_NAME = "file", "path"

# Cyrillic and Greek letters that look like Latin ones (after casefolding), and the dotless i
_LOOKALIKES = str.maketrans("авеѕіјкмнорстухԁԛԝαβεηικνορτυχı", "abesijkmhopctyxdqwabenikvoptuxi")


def skeleton(student: str) -> str:
    """What a reader sees of an id: compatibility forms, case, spaces, invisible marks and look-alikes folded."""
    if student.isascii():   # most ids: NFKC, casefolding and the look-alikes change nothing more here
        return "".join(student.split()).lower()
    text = unicodedata.normalize("NFKC", student).casefold()
    text = "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")
    return text.translate(_LOOKALIKES)


def _quoted(student: str) -> str:
    return f"'{visible(student)}'"


def path_pattern(spec: str) -> re.Pattern | None:
    """`--student-from`: None for `file`; else a pattern matched against the end of each file's path.

    `path` is the file name (`<student>.toml`); a pattern names `{student}` and
    may name `{assignment}` and use `*` for one path segment.
    """
    if spec == FROM_FILE:
        return None
    if spec == FROM_NAME:
        spec = "{student}.toml"
    if "{student}" not in spec:
        raise ValueError("a --student-from pattern must contain {student}")
    regex = re.escape(spec).replace(r"\{student\}", "(?P<student>[^/]+)")
    regex = regex.replace(r"\{assignment\}", "[^/]+").replace(r"\*", "[^/]*")
    return re.compile(f"(?:^|/){regex}$")


def student_from_path(path: Path, pattern: re.Pattern) -> str | None:
    found = pattern.search(Path(path).as_posix())
    return found.group("student").strip() if found else None


def students_from_paths(files: list[Path], pattern: re.Pattern | None) -> tuple[dict[str, str], set[str]]:
    """({file: student} for the paths the pattern gives a student, the files it does not match)."""
    if pattern is None:
        return {}, set()
    found = {str(f): student_from_path(f, pattern) for f in files}
    return ({f: s for f, s in found.items() if s}, {f for f, s in found.items() if not s})


def disagreement(claimed: str, from_path: str) -> str:
    return (f"{IDENTITY}the file says student {_quoted(claimed)} but its path says {_quoted(from_path)}; "
            f"graded as {_quoted(from_path)}")


SPELLING_HINTS = 20   # ids off the roster that get the closest spelling; the rest only a look-alike

UNMATCHED = f"{IDENTITY}the path does not match --student-from; graded as the student the file claims"


@dataclass(frozen=True)
class Roster:
    """The class list: `student` ids, from a CSV whose header has a `student` column."""

    ids: frozenset[str]
    students: tuple[str, ...] = ()   # the ids in file order, each once (for one handout each)

    @classmethod
    def load(cls, path: Path) -> "Roster":
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise LoadError(path, f"cannot read the roster ({error})") from None
        reader = csv.DictReader(io.StringIO(text))
        columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
        if "student" not in columns:
            raise LoadError(path, "a roster needs a header row with a 'student' column "
                                  "(and optionally name, email, section)")
        students = [row[columns["student"]].strip() for row in reader if (row.get(columns["student"]) or "").strip()]
        return cls(frozenset(students), tuple(dict.fromkeys(students)))

    @cached_property
    def _looks(self) -> dict[str, str]:
        """skeleton -> the first roster id (sorted) that looks so: one lookup per id, not a scan."""
        looks: dict[str, str] = {}
        for r in sorted(self.ids):
            looks.setdefault(skeleton(r), r)
        return looks

    def nearest(self, student: str, spelling: bool = True) -> str | None:
        """The roster id a person most likely meant: one that looks the same, else (with `spelling`)
        the closest spelling, a scan of the whole roster."""
        same = self._looks.get(skeleton(student))
        return same if same is not None or not spelling else nearest(student, sorted(self.ids))


@dataclass(frozen=True)
class Claim:
    """One file of a run (or of the gradebook) and the student it is graded as."""

    file: str
    student: str
    assignment: str | None


def review(claims: list[Claim], roster: Roster | None = None) -> dict[str, list[str]]:
    """file -> identity warnings: two files for one student, look-alike ids, ids missing from the roster."""
    found: dict[str, list[str]] = defaultdict(list)
    files = defaultdict(list)
    looks = defaultdict(set)
    spelled = 0
    seen = {claim.student: skeleton(claim.student) for claim in claims}
    for claim in claims:
        files[(claim.assignment, claim.student)].append(claim.file)
        looks[seen[claim.student]].add(claim.student)
    for (assignment, student), same in files.items():
        if len(same) > 1:
            listed = ", ".join(visible(f) for f in sorted(same)[:5]) + (" ..." if len(same) > 5 else "")
            for file in same:
                found[file].append(f"{IDENTITY}{len(same)} files claim student {_quoted(student)} "
                                   f"for {visible(assignment or '?')}: {listed}")
    for claim in claims:
        others = sorted(looks[seen[claim.student]] - {claim.student})
        if others:
            why = ("in case: ids are case-sensitive" if _only_case(claim.student, others)
                   else "in case, spacing, look-alike or invisible characters")
            found[claim.file].append(f"{IDENTITY}student id {_quoted(claim.student)} looks the same as "
                                     f"{', '.join(map(_quoted, others))} (they differ only {why})")
        if roster is not None and claim.student not in roster.ids:
            spelled += 1   # the closest spelling scans the roster: for a few ids, not a whole class off it
            near = roster.nearest(claim.student, spelling=spelled <= SPELLING_HINTS)
            case = ", which differs only in case: ids are case-sensitive" if near and _only_case(claim.student, [near]) else ""
            found[claim.file].append(f"{IDENTITY}student {_quoted(claim.student)} is not on the roster"
                                     + (f" (nearest: {_quoted(near)}{case})" if near else ""))
    return found


def _only_case(student: str, others: list[str]) -> bool:
    """Ids choose the variant, so one that differs only in case is another student's numbers: say so plainly."""
    return all(o.casefold() == student.casefold() for o in others)


def annotate(outcomes: list, roster: Roster | None, unmatched: set[str]) -> None:
    """Add the run's identity warnings to each graded outcome's report (after it is stored)."""
    graded = [o for o in outcomes if o.report is not None]
    found = review([Claim(o.file, o.report.student, o.report.assignment) for o in graded], roster)
    for outcome in graded:
        outcome.report.warnings += ([UNMATCHED] if outcome.file in unmatched else []) + found.get(outcome.file, [])


def stored_warnings(stored: list, roster: Roster | None) -> list[tuple[str, str]]:
    """(file, warning) for the latest stored grading of each file: those it was stored with, then the class-wide ones."""
    found = review([Claim(s.file, s.student, s.assignment) for s in stored if s.student], roster)
    out = []
    for item in sorted(stored, key=lambda s: s.file):
        kept = [w for w in (item.report or {}).get("warnings", []) if w.startswith(IDENTITY)]
        out += [(item.file, w) for w in kept + found.get(item.file, [])]
    return out
