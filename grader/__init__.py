"""grade: an auto-grader for math-heavy homework."""

__version__ = "0.1.0"
