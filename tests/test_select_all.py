"""A select-all choice part's answer is a list of keys, and `grade show --solution` shows them as such."""

from __future__ import annotations

from .helpers import run, write
from .test_hunt_pages import SELECT_ALL as PROBLEM


def test_show_with_the_solution_lists_the_keys(tmp_path):
    write(tmp_path / "problems" / "hw" / "convex.toml", PROBLEM)
    result = run("show", "hw/convex", "--problems", tmp_path / "problems", "--solution")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("    answer: a, c\n")
