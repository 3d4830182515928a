"""The problem bank on disk: problems/<assignment>/<problem>.toml, loaded once each."""

from __future__ import annotations

from pathlib import Path

from .errors import BankNotFound, UnknownAssignment
from .hints import did_you_mean
from .loader import LoadedProblem, LoadError, load_problem, read_toml, validate
from .model import AssignmentSettings
from .variants import course_secret, draw_params

SETTINGS_FILE = "_assignment.toml"


class Bank:
    """The problems under `root`, loaded on first use and kept."""

    def __init__(self, root: Path | str = "problems"):
        self.root = Path(root)
        self._loaded: dict[Path, LoadedProblem] = {}
        self._by_path: dict[Path, LoadedProblem] = {}
        self._settings: dict[str, AssignmentSettings] = {}

    def assignments(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and any(p.glob("*.toml")))

    def paths(self, assignment: str) -> list[Path]:
        folder = self.root / assignment
        if not assignment or "/" in assignment or "\\" in assignment or assignment.startswith("."):
            return []
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("_"))

    def settings(self, assignment: str) -> AssignmentSettings:
        """The assignment's `_assignment.toml`, or defaults when there is none."""
        if assignment not in self._settings:
            path = self.root / assignment / SETTINGS_FILE
            if self.paths(assignment) and path.is_file():
                data, text = read_toml(path)
                self._settings[assignment] = validate(path, data, text, AssignmentSettings)
            else:
                self._settings[assignment] = AssignmentSettings()
        return self._settings[assignment]

    @classmethod
    def existing(cls, root: Path | str = "problems") -> "Bank":
        """The bank at `root`, or BankNotFound: a missing folder would otherwise read as an empty bank."""
        if not Path(root).is_dir():
            raise BankNotFound(f"problem bank '{root}' not found (use --problems DIR)")
        return cls(root)

    def variant_of(self, assignment: str, student: str | None) -> str | None:
        """Whose draws a student gets: their own, or None (published values) when listed as published."""
        if student is None or student in self.settings(assignment).published:
            return None
        return student

    def draws(self, problem: LoadedProblem, student: str | None, secret: str | None = None) -> dict:
        """This student's parameter values (see `variant_of`); secret None: GRADE_SECRET. Students with
        the same draws share one variant, so callers key their caches by these."""
        return draw_params(problem.model, problem.id, self.variant_of(problem.assignment, student),
                           course_secret(secret))

    def variant(self, problem: LoadedProblem, student: str | None, secret: str | None = None,
                draws: dict | None = None):
        """The problem solved for this student's draws (`draws`, when the caller has them already)."""
        from .solve import solve  # sympy: only when something is solved

        return solve(problem, self.variant_of(problem.assignment, student), course_secret(secret), draws)

    def load(self, path: Path) -> LoadedProblem:
        """The problem in this file, loaded once: by its path as given (every submission asks again,
        and resolving it takes a system call per folder), else by where it resolves to."""
        loaded = self._by_path.get(path)
        if loaded is None:
            key = path.resolve()
            if key not in self._loaded:
                self._loaded[key] = load_problem(path, self.root)
            loaded = self._by_path[path] = self._loaded[key]
        return loaded

    def problem(self, problem_id: str) -> LoadedProblem:
        path = self.root / f"{problem_id}.toml"
        if not path.is_file():
            known = [f"{a}/{p.stem}" for a in self.assignments() for p in self.paths(a)]
            raise LoadError(path, f"no problem '{problem_id}' in {self.root}{did_you_mean(problem_id, known)}")
        return self.load(path)

    def assignment(self, assignment: str, known: bool = False) -> list[LoadedProblem | LoadError]:
        """Every problem of an assignment; a broken file is returned as its LoadError.

        `known`: an assignment without problems raises UnknownAssignment naming the known ones.
        """
        if known and not self.paths(assignment):
            known = self.assignments()
            raise UnknownAssignment(f"unknown assignment '{assignment}' in {self.root}"
                                    f"{did_you_mean(assignment, known)} (known: {', '.join(known) or 'none'})")
        out: list[LoadedProblem | LoadError] = []
        for path in self.paths(assignment):
            try:
                out.append(self.load(path))
            except LoadError as error:
                out.append(error)
        return out

    def usable(self, assignment: str) -> list[LoadedProblem]:
        """Every problem of a known assignment, for what needs them all (a template, a handout, the
        service): the first broken file raises its LoadError."""
        problems = self.assignment(assignment, known=True)
        for item in problems:
            if isinstance(item, LoadError):
                raise item
        return problems
