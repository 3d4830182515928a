"""`require` on a problem: draws that break a condition are drawn again, the same way on every
run; `grade check` fails conditions that reject almost every draw, or cannot be read."""

from __future__ import annotations

import json
import re

import pytest

from .helpers import run, write

PROBLEM = """
title = "constrained"
statement = "a = {a}, b = {b}"
REQUIRE

[params]
a = { value = 8, draw = { range = [1, 9] } }
b = { value = 2, draw = { range = [1, 9] } }
gap = "a - b"

[parts.q]
type = "number"
answer = "1 / (a - b)"
"""

STUDENTS = [f"s{i:02d}" for i in range(30)]


def _bank(tmp_path, require: str):
    write(tmp_path / "problems" / "hw" / "p.toml", PROBLEM.replace("REQUIRE", require))
    return tmp_path / "problems"


def _draws(bank, student: str) -> tuple[int, int]:
    """(a, b) of a student's variant, as `grade show` prints them."""
    result = run("show", "hw/p", "--student", student, "--problems", bank)
    assert result.exit_code == 0, result.output
    found = re.search(r"a = (-?\d+), b = (-?\d+)", result.stdout)
    return int(found.group(1)), int(found.group(2))


def test_draws_that_break_a_condition_are_drawn_again(tmp_path):
    free = {s: _draws(_bank(tmp_path / "free", ""), s) for s in STUDENTS}
    bank = _bank(tmp_path / "kept", 'require = ["gap > 2", "a != 9"]')
    kept = {s: _draws(bank, s) for s in STUDENTS}
    assert any(a - b <= 2 or a == 9 for a, b in free.values())  # without require, some break it
    assert all(a - b > 2 and a != 9 for a, b in kept.values())
    # a student whose first draw met the conditions keeps it
    for student, (a, b) in free.items():
        if a - b > 2 and a != 9:
            assert kept[student] == (a, b)
    # and the redraw is the same on every run
    assert {s: _draws(bank, s) for s in STUDENTS[:5]} == {s: kept[s] for s in STUDENTS[:5]}


def test_check_passes_conditions_that_accept_enough_draws(tmp_path):
    result = run("check", _bank(tmp_path, 'require = ["gap > 2"]'), "--variants", "10")
    assert result.exit_code == 0, result.output


def _check_line(bank, result) -> str:
    text = (bank / "hw" / "p.toml").read_text().splitlines()
    line = next(n for n, row in enumerate(text, start=1) if row.startswith("require"))
    return next(row for row in result.stdout.splitlines() if f"p.toml:{line}:" in row)


def test_check_fails_conditions_that_reject_almost_every_draw(tmp_path):
    # a - b > 6 holds for 3 of the 81 draws (8, 1), (9, 1), (9, 2): 3.7%, under the 5% asked
    bank = _bank(tmp_path, 'require = ["a - b > 6"]')
    path = bank / "hw" / "p.toml"
    path.write_text(path.read_text().replace("value = 8", "value = 9").replace("value = 2", "value = 1"))
    result = run("check", bank, "--variants", "5")
    assert result.exit_code == 1
    reported = _check_line(bank, result)
    found = re.search(r"(\d+) of 200 draws met it \((\d+\.\d)%", reported)
    assert found, reported
    assert int(found.group(1)) < 10 and float(found.group(2)) == pytest.approx(int(found.group(1)) / 2, abs=0.05)


def test_a_student_no_draw_satisfies_gets_the_problem_flagged_not_a_crash(tmp_path):
    bank = _bank(tmp_path, 'require = ["a > 100"]')
    (bank / "hw" / "p.toml").write_text((bank / "hw" / "p.toml").read_text().replace("value = 8", "value = 101"))
    result = run("check", bank, "--variants", "3")
    assert result.exit_code == 1 and "0 of 200 draws met it (0.0%" in _check_line(bank, result)
    answers = write(tmp_path / "a.toml", 'student = "pat"\nassignment = "hw"\n[p]\nq = 1\n')
    result = run("submit", answers, "--problems", bank, "--format", "json")
    assert result.exit_code == 0, result.output
    part = json.loads(result.stdout)["problems"][0]["parts"][0]
    assert part["status"] == "ungraded" and "no draw out of 200 meets require" in part["feedback"]


def test_check_fails_when_the_published_values_break_a_condition(tmp_path):
    bank = _bank(tmp_path, 'require = ["b > a"]')
    result = run("check", bank, "--variants", "3")
    assert result.exit_code == 1
    assert "the published values do not meet" in _check_line(bank, result)


@pytest.mark.parametrize("condition, message", [
    ("a > ", "needs a formula on both sides"),
    ("a = 1", "exactly one of <, <=, >, >=, ==, != (found 0)"),
    ("0 < a < 5", "(found 2)"),
    ("q > 0", "unknown name 'q'"),                                   # a part: conditions name parameters
    ("__import__('os').system('touch pwned') > 0", "cannot read"),  # read, never run
    ("[a, b] > 0", "compares arrays"),
])
def test_a_bad_condition_is_a_located_error(tmp_path, condition, message):
    bank = _bank(tmp_path, f"require = [{json.dumps(condition)}]")
    result = run("check", bank, "--variants", "2", cwd=tmp_path)
    assert result.exit_code == 1
    assert message in _check_line(bank, result)
    assert not (tmp_path / "pwned").exists()
