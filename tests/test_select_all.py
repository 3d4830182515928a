"""A select-all choice part's answer is a list of keys, and `grade show --solution` shows them as such."""

from __future__ import annotations

from .helpers import run, write

PROBLEM = """
title = "Convexity"
statement = "Which functions are convex on the real line?"
[parts.which]
type = "choice"
prompt = "Select every convex function"
choices = { a = "x^2", b = "sin(x)", c = "e^x" }
answer = ["a", "c"]
points = 2
"""


def test_show_with_the_solution_lists_the_keys(tmp_path):
    write(tmp_path / "problems" / "hw" / "convex.toml", PROBLEM)
    result = run("show", "hw/convex", "--problems", tmp_path / "problems", "--solution")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("    answer: a, c\n")
