"""A statement or prompt shows parameters only: a `{name}` of a part's answer or of a solver's value is
left as written wherever a student reads it (show, template, handout, the service), and
`grade check` fails the problem so the instructor fixes it."""

from __future__ import annotations

import pytest

from grader.api import show, template
from grader.bank import Bank

from .helpers import run, write

PROBLEM = '''
title = "placeholders"
statement = "Take a = {a}. The hidden value is {h}; the answer is {z}."
[params]
a = { value = 3 }
[parts.z]
type = "number"
prompt = "z = a h, where h = {h}"
[solver]
python = "p.py"
'''
SOLVER = '''
def solve(p):
    return {"h": 7.25, "z": p["a"] * 7.25}
'''


@pytest.fixture
def bank(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", PROBLEM)
    write(tmp_path / "problems" / "hw" / "p.py", SOLVER)
    return tmp_path / "problems"


def test_only_parameters_are_filled_in(bank):
    shown = show(Bank(bank), "hw/p", "ann", secret="s")
    assert "Take a = 3." in shown
    assert "{h}" in shown and "{z}" in shown
    assert "7.25" not in shown and "21.75" not in shown     # h and a h, worked out by hand
    blank = template(Bank(bank), "hw", "ann", secret="s")
    assert "7.25" not in blank and "21.75" not in blank and "{h}" in blank


def test_grade_check_fails_a_placeholder_of_a_solver_value_or_an_answer(bank):
    result = run("check", bank, "--variants", "2")
    assert result.exit_code == 1
    assert "has {h}, which names no parameter" in result.stdout
    assert "shows {z}, the answer of part z" in result.stdout
