"""Errors a student can be shown: what went wrong, and where in their own text."""

from __future__ import annotations


class ExprError(Exception):
    """An answer that cannot be read. `column` is 1-based in the student's text, or None."""

    def __init__(self, reason: str, text: str = "", column: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.text = text
        self.column = column

    def located(self) -> str:
        """The reason, with the student's line and a caret under the column when known."""
        if self.column is None or not self.text or "\n" in self.text or len(self.text) > 200:
            return self.reason
        col = min(max(self.column, 1), len(self.text) + 1)
        return f"{self.reason} at column {col}:\n    {self.text}\n    {' ' * (col - 1)}^"

    def __str__(self) -> str:
        return self.located()


class LimitExceeded(ExprError):
    """An input over one of the size caps; refused before any evaluation."""


class ShapeMismatch(ExprError):
    """Non-conformable vector or matrix shapes."""


class BudgetExceeded(BaseException):
    """A check ran past its time budget.

    A BaseException on purpose: sympy has `except Exception` blocks that would
    otherwise swallow the interruption and keep computing.
    """
