"""`grade check` catches the authoring mistakes that grade every student wrong or show them the
solution: each is reported with the file, the line and the part, and fails the check (exit 1)."""

from __future__ import annotations

import re

import pytest

from .helpers import run, write

PROBLEM = """
title = "authoring"
statement = \"\"\"
A square of side {a} cm.
Its area is asked below.
\"\"\"

[params]
a = { value = 3, draw = { range = [2, 9] } }

[parts.area]
prompt = "The area of the square of side {a}"
type = "number"
answer = "a^2"

[parts.pick]
prompt = "Is the area larger than the side?"
type = "choice"
choices = { yes = "Yes, always", no = "No" }
answer = "yes"
"""


def _line_of(text: str, needle: str) -> int:
    """The 1-based line of `needle` in the file as written (found here, not by the grader)."""
    lines = text.splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


# (what is changed in PROBLEM, the text on the line to be named, the part, what the message says)
MISTAKES = [
    pytest.param(('answer = "yes"', 'answer = "maybe"'), 'answer = "maybe"', "part pick",
                 "'maybe' is not among its choices (yes, no)", id="choice-answer-not-a-choice"),
    pytest.param(('answer = "yes"', 'answer = "Yes, always"'), 'answer = "Yes, always"', "part pick",
                 "did you mean 'yes'?", id="choice-answer-is-a-label"),
    pytest.param(('answer = "a^2"', 'answer = "a^ "'), 'answer = "a^ "', "part area",
                 "cannot read its answer", id="unreadable-answer"),
    pytest.param(("side {a}\"", "side {mm}\""), "side {mm}", "part area",
                 "{mm}, which names no parameter", id="prompt-placeholder-names-nothing"),
    pytest.param(("Its area is asked below.", "Its area is {aa} below."), "{aa} below", "the statement",
                 "{aa}, which names no parameter", id="statement-placeholder-names-nothing"),
    pytest.param(("Its area is asked below.", "Its area is {area}."), "Its area is {area}", "the statement",
                 "shows {area}, the answer of part area", id="statement-shows-an-answer"),
    pytest.param(('prompt = "Is the area', 'prompt = "Is {area} larger than the side? Is the area'),
                 "Is {area} larger", "part pick", "the answer of part area", id="prompt-shows-an-answer"),
]


@pytest.mark.parametrize("change, on_line, part, message", MISTAKES)
def test_check_fails_an_authoring_mistake_naming_file_line_and_part(tmp_path, change, on_line, part, message):
    text = PROBLEM.replace(*change)
    path = write(tmp_path / "problems" / "hw" / "p.toml", text)
    result = run("check", tmp_path / "problems", "--variants", "3")
    assert result.exit_code == 1, result.output
    line = _line_of(path.read_text(), on_line)
    reported = [row for row in result.stdout.splitlines() if f"p.toml:{line}:" in row]
    assert reported, result.stdout
    assert part in reported[0] and message in reported[0], reported[0]
    assert "1 failed" in result.stdout


def test_the_unchanged_problem_passes(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", PROBLEM)
    result = run("check", tmp_path / "problems", "--variants", "3")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stdout


def test_latex_braces_are_not_placeholders(tmp_path):
    """`\\hat{Y}` and `x_{ij}` are LaTeX, which the statement shows as written."""
    write(tmp_path / "problems" / "hw" / "p.toml",
          PROBLEM.replace("Its area is asked below.", "Write \\\\hat{Y} and x_{ij} and e^{t}."))
    result = run("check", tmp_path / "problems", "--variants", "2")
    assert result.exit_code == 0, result.output


def test_an_error_in_every_variant_is_printed_once_with_the_count(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", PROBLEM.replace('answer = "yes"', 'answer = "maybe"'))
    result = run("check", tmp_path / "problems", "--variants", "20")
    assert result.exit_code == 1
    distinct = int(re.search(r"\(2 parts, (\d+) distinct variants\)", result.stdout).group(1))
    assert distinct > 2  # range [2, 9] over 20 students: several variants
    reported = [row for row in result.stdout.splitlines() if "not among its choices" in row]
    assert len(reported) == 1, result.stdout
    assert reported[0].endswith(f"(in {distinct} of {distinct} variants)")


def test_check_warns_where_an_answer_splits_a_word_into_names(tmp_path):
    path = write(tmp_path / "problems" / "hw" / "p.toml", """
        title = "glued"
        [parts.f]
        type = "expression"
        vars = { x = "real", k = "real" }
        answer = "k x^2 + kk"
    """)
    result = run("check", tmp_path / "problems", "--variants", "1")
    assert result.exit_code == 0, result.output  # a warning: kk may mean k times k
    line = _line_of(path.read_text(), 'answer = "k x^2 + kk"')
    warning = next(row for row in result.stdout.splitlines() if "warning:" in row)
    assert f"p.toml:{line}:" in warning and "part f" in warning and "'kk' as k k" in warning
