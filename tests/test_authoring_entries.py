"""Entries of an array part or parameter in an instructor's formula: `h[1]` (counted from 1, as a
statement counts), `W[1, 2]`, or `h_1`; carry-forward uses the student's own `h`. Anywhere else
`[...]` keeps its reading (a bracket after any other name is a product)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import sympy as sp

from grader.expr import ExprError, SymbolTable, read

from .helpers import run, statuses, write

h = sp.MatrixSymbol("h", 3, 1)
W = sp.MatrixSymbol("W", 2, 3)
k = sp.Symbol("k", real=True)
DECLARED = {"h": "vector(3)", "W": "matrix(2, 3)", "k": "real"}
ENTRIES = SymbolTable(DECLARED, entries=frozenset({"h", "W"}))
PLAIN = SymbolTable(DECLARED)  # the same names, none of them indexable (a part's own vars)


@pytest.mark.parametrize("text, meaning", [
    ("h[1]", h[0, 0]),
    ("h[3]", h[2, 0]),
    ("h_2", h[1, 0]),
    ("h_{2}", h[1, 0]),
    ("2 h[1]^2", 2 * h[0, 0] ** 2),
    ("h[1] h[2]", h[0, 0] * h[1, 0]),
    ("W[2, 3]", W[1, 2]),
    ("W_13", W[0, 2]),
    ("sin h[2]", sp.sin(h[1, 0])),
    ("|h[1] - k|", sp.Abs(h[0, 0] - k)),
    ("k h[1]", k * h[0, 0]),
])
def test_an_entry_of_an_array_reads_as_that_entry(text, meaning):
    assert read(text, ENTRIES).value == meaning


@pytest.mark.parametrize("text", [
    "k [1]",               # a bracket after a number's name: still k times [1]
    "[1, 2, 3]^T h",
    "h^T [1, 2, 3]",
    "k [2] + 1",
    "2 [k]",
])
def test_a_bracket_after_anything_else_keeps_its_reading(text):
    assert read(text, ENTRIES).value == read(text, PLAIN).value


def test_a_parts_own_vars_are_not_indexed():
    """Only array parts and parameters have entries: `h[1]` over a declared vector var is not an
    entry, and not the product h·1 either (a silent h, as typed in code): it is refused."""
    for text in ("h[1]", "h[4]"):
        with pytest.raises(ExprError, match="looks like an entry"):
            read(text, PLAIN)
    assert read("h [4]", PLAIN).value == 4 * h  # spaced, the bracket is a factor


@pytest.mark.parametrize("text, message", [
    ("h[4]", "h[4] is out of range: h has 3 entries (counted from 1)"),
    ("h[0]", "h[0] is out of range"),
    ("W[3, 1]", "W[3, 1] is out of range: W has 2 rows and 3 columns"),
    ("W[1]", "W is a 2 x 3 matrix; write an entry as W[i, j]"),
    ("h[1, 2]", "h is a vector of 3; write an entry as h[i]"),
])
def test_an_index_out_of_range_is_a_located_error(text, message):
    with pytest.raises(ExprError) as caught:
        read(text, ENTRIES)
    assert message in caught.value.reason
    assert caught.value.column == text.index("[") + 1


PROBLEM = """
title = "entries"
statement = "x = [{x1}, {x2}]"

[params]
x1 = { value = 1, draw = { choice = [1, 2, 3] } }
x2 = { value = -2, draw = { choice = [-2, -3] } }

[parts.h]
type = "array"
answer = "[3 x1, x2 + 1]"

[parts.s]
type = "number"
answer = "h[1] + 2 h_2"

[parts.m]
type = "number"
answer = "W[1, 2] h[2]"

[solver]
python = "entries.py"
"""

SOLVER = '''
import numpy as np

def solve(p):
    return {"W": [[1.0, p["x1"]], [0.5, 2.0]]}
'''


def _bank(tmp_path, problem: str = PROBLEM):
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", problem)
    write(bank / "hw" / "entries.py", SOLVER)
    write(bank / "hw" / "_assignment.toml", 'published = ["pat"]\n')  # pat gets x1 = 1, x2 = -2
    return bank


def _submit(tmp_path, bank, answers: dict) -> dict:
    lines = ['student = "pat"', 'assignment = "hw"', "[p]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in answers.items()]
    path = write(tmp_path / "answers.toml", "\n".join(lines) + "\n")
    result = run("submit", path, "--problems", bank, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _expected(h_value: np.ndarray, x1: float = 1.0) -> dict:
    """The later parts for a given h, computed here with numpy (W from the solver above)."""
    W_value = np.array([[1.0, x1], [0.5, 2.0]])
    return {"s": float(h_value[0] + 2 * h_value[1]), "m": float(W_value[0, 1] * h_value[1])}


def test_entries_in_formulas_grade_the_right_values(tmp_path):
    bank = _bank(tmp_path)
    true_h = np.array([3 * 1.0, -2.0 + 1])
    report = _submit(tmp_path, bank, {"h": true_h.tolist(), **_expected(true_h)})
    assert statuses(report) == {"p/h": "correct", "p/s": "correct", "p/m": "correct"}
    assert run("check", bank, "--variants", "5").exit_code == 0


def test_entries_carry_forward_from_the_students_own_array(tmp_path):
    bank = _bank(tmp_path)
    own_h = np.array([4.0, 0.5])  # wrong, and used consistently
    report = _submit(tmp_path, bank, {"h": own_h.tolist(), **_expected(own_h)})
    assert statuses(report) == {"p/h": "incorrect", "p/s": "correct", "p/m": "correct"}
    feedback = {part["id"]: part["feedback"] for part in report["problems"][0]["parts"]}
    assert "carried forward" in feedback["s"] and "carried forward" in feedback["m"]
    # the same numbers without the wrong h to carry forward are simply wrong
    report = _submit(tmp_path, bank, _expected(own_h))
    assert statuses(report) == {"p/h": "missing", "p/s": "incorrect", "p/m": "incorrect"}


def test_an_index_out_of_range_fails_check_naming_file_line_and_part(tmp_path):
    bank = _bank(tmp_path, PROBLEM.replace('answer = "h[1] + 2 h_2"', 'answer = "h[1] + 2 h[3]"'))
    result = run("check", bank, "--variants", "2")
    assert result.exit_code == 1
    text = (bank / "hw" / "p.toml").read_text().splitlines()
    line = next(n for n, row in enumerate(text, start=1) if "h[3]" in row)
    reported = next(row for row in result.stdout.splitlines() if f"p.toml:{line}:" in row)
    assert "part s" in reported and "h[3] is out of range: h has 2 entries" in reported


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="hWk[]_,{} 0123459+-^", max_size=30))
def test_reading_around_entries_never_crashes(text):
    """Any text of array names, brackets and subscripts reads, or is refused with a reason."""
    try:
        read(text, ENTRIES)
    except ExprError as error:
        assert error.reason


def test_computed_parameters_and_conditions_use_entries_of_an_array_parameter(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", """
        title = "array parameter"
        statement = "v = {v}"
        require = ["v[1] > 0"]
        [params]
        v = { value = [1, 2], draw = { choice = [[1, 2], [-1, 2], [3, 4]] } }
        q = "v[2] * 2"
        [parts.s]
        type = "number"
        answer = "q + v_1"
    """)
    assert run("check", bank, "--variants", "10").exit_code == 0
    for student in ("a", "b", "c", "d", "e", "f"):
        shown = run("show", "hw/p", "--student", student, "--solution", "--problems", bank).stdout
        v = np.array(json.loads(shown.split("v = ", 1)[1].splitlines()[0]))
        assert v[0] > 0  # [-1, 2] is never drawn
        assert float(shown.split("answer: ", 1)[1].split()[0]) == pytest.approx(v[1] * 2 + v[0])
