"""Warnings with hints: a near miss names the valid name it most likely meant, a far-off name gets none,
and a name that differs only in case says so (ids and names are case-sensitive)."""

from __future__ import annotations

import json
import shutil

import pytest

from .helpers import PROBLEMS, run, write


@pytest.fixture
def bank(tmp_path):
    root = tmp_path / "problems"
    shutil.copytree(PROBLEMS / "demo", root / "demo")
    write(root / "demo" / "_assignment.toml", 'published = ["ann"]\n')
    return root


def _warnings(tmp_path, bank, body: str, student: str = "bob", assignment: str = "demo"):
    answers = write(tmp_path / "answers.toml", f'student = "{student}"\nassignment = "{assignment}"\n{body}')
    result = run("submit", answers, "--problems", bank, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)["warnings"]


@pytest.mark.parametrize("body, expected", [
    ("[nueron]\nz = 1\n",
     "[nueron] is not a problem of demo; those answers were ignored (did you mean 'neuron'?)"),
    ("[Neuron]\nz = 1\n", "[Neuron] is not a problem of demo; those answers were ignored "
                          "(did you mean 'neuron'? it differs only in case, and names are case-sensitive)"),
    ("[qqqqq]\nz = 1\n", "[qqqqq] is not a problem of demo; those answers were ignored"),
    ("[neuron]\ndsigm = 'x'\n", "[neuron] has no part 'dsigm'; that answer was ignored (did you mean 'dsigma'?)"),
    ("[neuron]\nZ = 1\n", "[neuron] has no part 'Z'; that answer was ignored "
                          "(did you mean 'z'? it differs only in case, and names are case-sensitive)"),
    ("[neuron]\nwxyq = 1\n", "[neuron] has no part 'wxyq'; that answer was ignored"),
    ("asignment = 'demo'\n", "'asignment' is outside any problem table and was ignored (did you mean 'assignment'?)"),
    ("z = 1\n", "'z' is outside any problem table and was ignored"),
])
def test_an_unknown_problem_or_part_names_the_nearest_valid_one(tmp_path, bank, body, expected):
    assert _warnings(tmp_path, bank, body) == [expected]


@pytest.mark.parametrize("assignment, hint", [
    ("Demo", "(did you mean 'demo'? it differs only in case, and names are case-sensitive)"),
    ("dmeo", "(did you mean 'demo'?)"),
    ("zzzz-hw9", None),
])
def test_an_unknown_assignment_names_the_nearest_one(tmp_path, bank, assignment, hint):
    answers = write(tmp_path / "a.toml", f'student = "bob"\nassignment = "{assignment}"\n')
    result = run("submit", answers, "--problems", bank)
    assert result.exit_code == 2
    assert f"unknown assignment '{assignment}'" in result.stderr and "(known: demo)" in result.stderr
    assert (hint in result.stderr) if hint else "did you mean" not in result.stderr


def test_show_names_the_assignment_that_differs_only_in_case(bank):
    result = run("show", "Demo", "--problems", bank)
    assert result.exit_code == 2 and "unknown assignment 'Demo'" in result.stderr
    assert "(did you mean 'demo'? it differs only in case, and names are case-sensitive)" in result.stderr


def test_an_unknown_problem_id_names_the_nearest_one(bank):
    assert "did you mean 'demo/neuron'?" in run("show", "demo/nueron", "--problems", bank).stderr
    assert "did you mean" not in run("show", "demo/qqqqqqqq", "--problems", bank).stderr


def test_a_student_id_differing_from_a_published_one_only_in_case_says_so(tmp_path, bank):
    assert _warnings(tmp_path, bank, "", student="Ann") == [
        "student 'Ann' differs only in case from 'ann' (listed as published); ids are case-sensitive, "
        "so this file is graded with its own draws"]
    assert _warnings(tmp_path, bank, "", student="anna") == []     # a different id, not a case slip
    assert _warnings(tmp_path, bank, "", student="ann") == []


def test_a_roster_id_differing_only_in_case_says_so(tmp_path, bank):
    roster = write(tmp_path / "roster.csv", "student\nann\nbob\n")
    folder = tmp_path / "subs"
    for name, student in (("x", "Bob"), ("y", "anne")):
        write(folder / f"{name}.toml", f'student = "{student}"\nassignment = "demo"\n')
    result = run("batch", folder, "--problems", bank, "--no-db", "--format", "json", "--roster", roster)
    warnings = {r["student"]: r["warnings"] for r in json.loads(result.stdout)}
    assert warnings["Bob"] == ["identity: student 'Bob' is not on the roster (nearest: 'bob', which differs only "
                               "in case: ids are case-sensitive)"]
    assert warnings["anne"] == ["identity: student 'anne' is not on the roster (nearest: 'ann')"]
