"""What a user can act on: one base class, so the CLI turns every one into one line and one exit code.

Each error's message says what and where on its first line. Errors inside
grading (a student's unreadable answer, a problem's failing solver) never get
here: they stay inside their part as a verdict.
"""

from __future__ import annotations

EXIT_OK = 0        # graded (or done)
EXIT_UNDER = 1     # graded, but under --fail-under; for `check`, a problem failed its self-test
EXIT_UNUSABLE = 2  # unusable input: a file, the bank, the gradebook
EXIT_PIPE = 141    # the reader of stdout left early (`grade ... | head`), as a shell reports SIGPIPE


class GradeError(Exception):
    """Input the grader cannot use; `exit_code` is what `grade` exits with."""

    exit_code = EXIT_UNUSABLE

    def first_line(self) -> str:
        """The first line of the message (the CLI shows no more), or the class name."""
        text = str(self)
        return text.splitlines()[0] if text else type(self).__name__


class LoadError(GradeError):
    """A file that cannot be used, with where and why."""

    def __init__(self, path, message: str, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = self.path + (f":{line}" if line else "") + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")


class UnknownAssignment(GradeError):
    """The answers (or a command) name an assignment the bank does not have."""


class BankNotFound(GradeError):
    """The problem bank folder is not there."""


class NotGradeOutput(GradeError):
    """A file given to `grade merge` is not a JSON output of `grade batch`."""
