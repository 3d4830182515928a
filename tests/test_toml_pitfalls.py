"""TOML traps in answer files: backslashes in double quotes, and floats that forget their digits."""

from __future__ import annotations

import pickle

import pytest
from tests.helpers import run, submit_json, write

from grader.loader import LoadError, WrittenFloat, loads

DIGITS = """
title = "Digits"

[parts.two_decimals]
type = "number"
answer = "1.4"
decimals = 2

[parts.three_figures]
type = "number"
answer = "1.5"
sigfigs = 3

[parts.vector]
type = "array"
answer = "[1.4, -1.02]"
decimals = 2
credit = "elementwise"
"""


def _grade(tmp_path, answers: str) -> dict:
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", DIGITS)
    path = write(tmp_path / "a.toml", 'student = "s"\nassignment = "hw"\n[p]\n' + answers)
    report = submit_json(path, bank)
    return {part["id"]: part["status"] for part in report["problems"][0]["parts"]}


@pytest.mark.parametrize("answers, statuses", [
    ("two_decimals = 1.40\nthree_figures = 1.50\nvector = [1.40, -1.02]",
     {"two_decimals": "correct", "three_figures": "correct", "vector": "correct"}),
    ("two_decimals = 1.4\nthree_figures = 1.5\nvector = [1.4, -1.02]",
     {"two_decimals": "partial", "three_figures": "partial", "vector": "partial"}),
    ("two_decimals = '1.40'\nthree_figures = '1.50'\nvector = ['1.40', '-1.02']",
     {"two_decimals": "correct", "three_figures": "correct", "vector": "correct"}),
    ("two_decimals = 14.0e-1\nthree_figures = 1_5.0e-1\nvector = [1.40, -1.020]",
     {"two_decimals": "correct", "three_figures": "correct", "vector": "correct"}),
])
def test_a_toml_float_keeps_its_written_digits(tmp_path, answers, statuses):
    assert _grade(tmp_path, answers) == statuses


def test_a_written_float_is_the_float_and_remembers_its_text():
    data = loads("a = 1.50\nb = [-1_000.0, 2e3]\nc = 3", "answers.toml")
    assert data == {"a": 1.5, "b": [-1000.0, 2000.0], "c": 3}
    assert [data["a"].text, data["b"][0].text, data["b"][1].text] == ["1.50", "-1000.0", "2e3"]
    assert type(data["c"]) is int
    again = pickle.loads(pickle.dumps(data["a"]))           # batch workers pickle answers
    assert (again, again.text, type(again)) == (1.5, "1.50", WrittenFloat)


@pytest.mark.parametrize("line, advice", [
    ('dsigma = "\\sigma(z)(1 - \\sigma(z))"', "dsigma = '\\sigma(z)(1 - \\sigma(z))'"),
    ('y = "\\underline{x}"  # note', "y = '\\underline{x}'"),
    ('y = "it\'s \\sigma"', "'\\sigma(z)'"),
])
def test_a_backslash_escape_error_says_to_use_single_quotes(line, advice):
    with pytest.raises(LoadError) as caught:
        loads(f'student = "s"\nassignment = "hw"\n[p]\n{line}\n', "answers.toml")
    assert caught.value.line == 4
    assert str(caught.value).startswith("answers.toml:4:")
    assert str(caught.value).endswith(
        "a backslash in \"double quotes\" starts an escape; write LaTeX in single quotes: " + advice)


def test_other_toml_errors_get_no_quoting_advice():
    with pytest.raises(LoadError) as caught:
        loads('x = "open\n', "answers.toml")
    assert "single quotes" not in str(caught.value)


def test_submit_names_the_line_of_a_backslash_in_double_quotes(tmp_path):
    path = write(tmp_path / "a.toml", 'student = "s"\nassignment = "demo"\n[neuron]\ndsigma = "\\sigma(z)"\n')
    result = run("submit", path)
    assert result.exit_code == 2
    assert "a.toml:4:" in result.stderr
    assert "write LaTeX in single quotes: dsigma = '\\sigma(z)'" in result.stderr


def test_template_writes_single_quoted_blanks_and_says_why(tmp_path):
    result = run("template", "demo", "--student", "carol")
    assert result.exit_code == 0
    assert '= ""' not in result.stdout
    assert "\ngrad_bilinear = ''\n" in result.stdout
    assert "formulas in single quotes" in result.stdout and '"\\frac" would be a form feed' in result.stdout
