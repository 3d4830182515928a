"""`grade submit`: reports, formats, exit codes, and bad input that stays inside its part."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from .helpers import CHAIN, ONE_NUMBER, PROBLEMS, SUBMISSIONS, part, run, statuses, submit_json, write

ALICE = SUBMISSIONS / "demo" / "alice.toml"
BOB = SUBMISSIONS / "demo" / "bob.toml"


def test_sample_shows_every_outcome():
    report = submit_json(ALICE)
    assert statuses(report) == {
        "matrix_calculus/grad_bilinear": "correct",
        "matrix_calculus/grad_quadratic": "partial",
        "matrix_calculus/params": "incorrect",
        "matrix_calculus/trace": "missing",
        "neuron/z": "correct",
        "neuron/a": "correct",
        "neuron/loss": "partial",
        "neuron/grad": "partial",
        "neuron/dsigma": "invalid",
        "neuron/why": "ungraded",
    }
    assert report["score"] == 6.5 and report["max_score"] == 14
    assert "never closed at column 10" in part(report, "neuron/dsigma")["feedback"]
    assert "sign error" in part(report, "matrix_calculus/params")["feedback"]
    assert "too few digits" in part(report, "neuron/loss")["feedback"]
    assert "symmetric" in part(report, "matrix_calculus/grad_quadratic")["feedback"]


def test_json_has_the_contract_keys():
    report = submit_json(ALICE)
    assert {"student", "assignment", "score", "max_score", "problems"} <= set(report)
    for problem in report["problems"]:
        assert {"id", "score", "max_score", "parts"} <= set(problem)
        for item in problem["parts"]:
            assert {"id", "status", "score", "max_score", "feedback"} <= set(item)


def test_text_report_is_plain_when_piped():
    result = run("submit", ALICE, "--problems", PROBLEMS)
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "alice — demo: 6.5 / 14 (46.4%)" in result.stdout
    assert "sigma(z) (1 - sigma(z)\n" in result.stdout and "^" in result.stdout
    assert "Traceback" not in result.output


def test_junit_has_a_case_per_part_with_failures_carrying_feedback():
    result = run("submit", ALICE, "--problems", PROBLEMS, "--format", "junit")
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite.get("tests") == "10"
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("5", "1", "1")
    params = suite.find("testcase[@name='params']/failure")
    assert "sign error" in params.text


def test_markdown_summary():
    result = run("submit", ALICE, "--problems", PROBLEMS, "--format", "markdown")
    assert result.stdout.startswith("## alice — demo: 6.5 / 14")
    assert "| dsigma | ! invalid | 0 / 2 |" in result.stdout


@pytest.mark.parametrize("threshold, code", [(40, 0), (46.4, 0), (46.5, 1), (100, 1)])
def test_fail_under(threshold, code):
    assert run("submit", ALICE, "--problems", PROBLEMS, "--fail-under", threshold).exit_code == code


def test_carry_forward_through_a_chain_of_parts():
    report = submit_json(BOB)
    assert part(report, "neuron/z")["status"] == "incorrect"
    for key in ("neuron/a", "neuron/loss", "neuron/grad"):
        assert part(report, key)["status"] == "correct"
        assert "carried forward" in part(report, key)["feedback"]
    assert "no part 'extra'" in " ".join(report["warnings"])


@pytest.mark.parametrize("dz, dW, dx, expected", [
    # a sign slip in dz, used consistently after it: half credit carried forward to dW, full to dx
    ("2 (y - z)", "2 (y - z) x^T", "2 W^T (y - z)", {"dz": "incorrect", "dW": "partial", "dx": "correct"}),
    ("2 (y - z)", "2 (z - y) x^T", "-2 W^T (y - z)", {"dz": "incorrect", "dW": "correct", "dx": "correct"}),
    # wrong in dz and wrong again in dW: no carry-forward
    ("2 (y - z)", "2 x (y - z)^T", "2 W (y - z)", {"dz": "incorrect", "dW": "incorrect", "dx": "invalid"}),
], ids=["consistent", "corrected", "inconsistent"])
def test_carry_forward_through_a_chain_of_formulas(tmp_path, dz, dW, dx, expected):
    write(tmp_path / "problems" / "hw" / "chain.toml", CHAIN)
    answers = write(tmp_path / "a.toml", f"""
        student = "s"
        assignment = "hw"
        [chain]
        dz = "{dz}"
        dW = "{dW}"
        dx = "{dx}"
    """)
    report = submit_json(answers, tmp_path / "problems")
    assert statuses(report) == {f"chain/{pid}": status for pid, status in expected.items()}
    if expected["dW"] == "partial":
        assert part(report, "chain/dW")["score"] == pytest.approx(0.5)
        assert "right for your answer to dz: credit carried forward" in part(report, "chain/dW")["feedback"]


@pytest.mark.parametrize("content, message", [
    ('student = "x"\nassignment = "demo"\n[neuron]\nz = \n', "TOML syntax error"),
    ('assignment = "demo"\n', "missing 'student'"),
    ('student = "x"\nassignment = "nope"\n', "unknown assignment 'nope'"),
    ('student = ""\nassignment = "demo"\n', "'student' must be a non-empty string"),
    ("\xff\xfe", "not UTF-8"),
])
def test_unusable_files_exit_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "answers.toml"
    path.write_bytes(content.encode("latin-1"))
    result = run("submit", path, "--problems", PROBLEMS)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_syntax_error_names_line_and_column(tmp_path):
    path = write(tmp_path / "a.toml", 'student = "x"\nassignment = "demo"\n[neuron]\nz = 1.0 2\n')
    result = run("submit", path, "--problems", PROBLEMS)
    assert result.exit_code == 2
    assert f"{path}:4:" in result.stderr


def test_missing_file_and_missing_bank_exit_2(tmp_path):
    assert run("submit", tmp_path / "nope.toml", "--problems", PROBLEMS).exit_code == 2
    result = run("submit", ALICE, "--problems", tmp_path / "nowhere")
    assert result.exit_code == 2 and "not found" in result.stderr


def test_oversized_answers_file_is_refused(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text('student = "x"\nassignment = "demo"\n# ' + "x" * 1_100_000 + "\n")
    result = run("submit", path, "--problems", PROBLEMS)
    assert result.exit_code == 2 and "too large" in result.stderr


BAD_VALUES = [
    ("[1, 2]", "expected a number, got a list"),
    ('"2 +* 3"', "unexpected '*'"),
    ("nan", "not a finite number"),
    ("inf", "not a finite number"),
    ("-inf", "not a finite number"),
    ("true", "expected a number, got true/false"),
    ('"1/0"', "undefined"),
    ('"x + 1"', "unknown name 'x'"),
    ("{ a = 1 }", "expected a number, got a table"),
    ('"__import__(\'os\')"', ""),
]


@pytest.mark.parametrize("value, message", BAD_VALUES, ids=[v for v, _ in BAD_VALUES])
def test_bad_value_is_invalid_for_that_part_only(tmp_path, value, message):
    answers = write(tmp_path / "a.toml", f"""
        student = "alice"
        assignment = "demo"
        [neuron]
        z = {value}
        a = "1/(1 + e^(-1.28))"
        [matrix_calculus]
        grad_bilinear = "a b^T"
    """)
    report = submit_json(answers)
    assert part(report, "neuron/z")["status"] == "invalid"
    assert message in part(report, "neuron/z")["feedback"]
    assert part(report, "neuron/a")["status"] == "correct"
    assert part(report, "matrix_calculus/grad_bilinear")["status"] == "correct"


def test_unknown_problem_and_part_are_warnings(tmp_path):
    answers = write(tmp_path / "a.toml", """
        student = "alice"
        assignment = "demo"
        loose = 1
        [neuron]
        zz = 1
        [nonexistent]
        q = 2
    """)
    report = submit_json(answers)
    warnings = " ".join(report["warnings"])
    assert "[neuron] has no part 'zz'" in warnings
    assert "[nonexistent] is not a problem of demo" in warnings
    assert "'loose' is outside any problem table" in warnings
    assert all(p["status"] == "missing" for pr in report["problems"] for p in pr["parts"])


def test_a_broken_problem_file_does_not_stop_the_others(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "good.toml", ONE_NUMBER)
    write(bank / "hw" / "bad.toml", 'title = "bad"\n[parts.p]\ntype = "numbr"\n')
    answers = write(tmp_path / "a.toml", 'student = "s"\nassignment = "hw"\n[good]\ndouble = 3.0\n')
    result = run("submit", answers, "--problems", bank, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert statuses(report)["good/double"] in ("correct", "incorrect")
    assert any("bad.toml:3" in w for w in report["warnings"])


def test_text_report_is_coloured_on_a_terminal():
    from grader import formats
    from grader.bank import Bank
    from grader.pipeline import grade_submission
    from grader.loader import load_submission

    report = grade_submission(load_submission(ALICE), Bank(PROBLEMS))
    coloured, plain = formats.text(report, colour=True), formats.text(report, colour=False)
    assert "\x1b[32m" in coloured and "\x1b[" not in plain          # green for correct
    assert [line.strip() for line in plain.splitlines()] == [
        line.strip() for line in re.sub(r"\x1b\[[0-9;]*m", "", coloured).splitlines()]


@pytest.mark.parametrize("step", ["read", "compare"])
def test_a_grader_bug_costs_one_part_a_review_not_the_submission(tmp_path, monkeypatch, step):
    """A checker that raises unexpectedly leaves that part ungraded with the reason; the rest is graded."""
    from grader import check

    def broken(*args):
        raise RuntimeError("checker bug")

    monkeypatch.setattr(check.TYPES["expression"], step, broken)
    answers = write(tmp_path / "a.toml", """
        student = "alice"
        assignment = "demo"
        [neuron]
        z = 1.28
        [matrix_calculus]
        grad_bilinear = "a b^T"
    """)
    result = run("submit", answers, "--problems", PROBLEMS, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    broken_part = part(report, "matrix_calculus/grad_bilinear")
    assert broken_part["status"] == "ungraded"
    assert "the grader failed on this part (its fault, not yours)" in broken_part["feedback"]
    assert "RuntimeError" not in broken_part["feedback"]          # no internals reach the student
    assert "RuntimeError: checker bug" in result.stderr           # whoever runs the grader sees the cause
    assert part(report, "neuron/z")["status"] == "correct"


def test_a_check_over_its_time_budget_is_ungraded_and_the_rest_is_graded(tmp_path):
    write(tmp_path / "problems" / "hw" / "slow.toml", """
        title = "a proof that takes too long"
        [parts.p]
        type = "expression"
        vars = { x = "real" }
        answer = "((x+1)^450 - (x-1)^450)((x+1)^450 + (x-1)^450)"
        prove = true
        timeout = 0.2
        [parts.q]
        type = "number"
        answer = "2"
    """)
    answers = write(tmp_path / "a.toml", """
        student = "s"
        assignment = "hw"
        [slow]
        p = "(x+1)^900 - (x-1)^900"
        q = 2
    """)
    report = submit_json(answers, tmp_path / "problems")
    assert part(report, "slow/p")["status"] == "ungraded"
    assert part(report, "slow/p")["feedback"] == "could not decide within 0.2 s; flagged for review"
    assert part(report, "slow/q")["status"] == "correct"

