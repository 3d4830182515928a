"""mlcalc-hw: the worksheet's (empty) submission is reported part by part, the worksheet's own
numbers grade correctly, and the assignment passes its self-checks."""

from __future__ import annotations

import pytest

from .helpers import PROBLEMS, SUBMISSIONS, run, statuses, submit_json, write

ASSIGNMENT = PROBLEMS / "mlcalc-hw"
STUDENT002 = SUBMISSIONS / "mlcalc-hw" / "student002.toml"

PARTS = {
    "chain_rule": ["chain", "dydx", "dydu", "dydv", "product", "dqdu", "dqdv", "quotient"],
    "network": ["draw", "n_matrices", "W1_shape", "W2_shape", "a1", "a2", "z1", "z2", "b", "yhat",
                "label", "loss", "chain_W211", "dl_dyhat", "dyhat_db", "dyhat_db_yhat", "db_dW211",
                "dJ_dW211", "chain_W112", "db_dz1", "dz1_da1", "da1_dW112", "dJ_dW112", "W211_new",
                "W112_new"],
    "param_count": ["linear1", "activation", "total"],
    "concepts": ["compare"],
}
# The worksheet is an unanswered handout: every part of the real submission is missing.
EXPECTED = {f"{problem}/{pid}": "missing" for problem, pids in PARTS.items() for pid in pids}


def test_real_submission_every_part_missing():
    report = submit_json(STUDENT002)
    assert report["student"] == "student002" and report["assignment"] == "mlcalc-hw"
    assert statuses(report) == EXPECTED
    assert report["score"] == 0
    assert report["max_score"] == pytest.approx(35)
    assert not report["warnings"]


def test_worksheet_numbers_grade_correct_for_the_published_student(tmp_path):
    """student002 is published: graded against x = [2, 5], W1, W2 and η = 2 of the worksheet."""
    answers = write(tmp_path / "a.toml", """
        student = "student002"
        assignment = "mlcalc-hw"
        [chain_rule]
        dydx = "x^2 cos x + 2x sin x"
        product = "u dvdx + v dudx"
        quotient = "(v dudx - u dvdx)/v^2"
        [network]
        a1 = 3
        a2 = -2
        z1 = 3
        z2 = 0
        b = -5
        yhat = "\\\\sigma(-5)"
        label = 0
        loss = 0.98665
        dyhat_db = "\\\\sigma(b)(1 - \\\\sigma(b))"
        dJ_dW211 = -0.039623
        dJ_dW112 = 0.13208
        W211_new = -1.92075
        W112_new = -1.26416
        [param_count]
        linear1 = 6
        activation = 0
        total = 9
    """)
    got = statuses(submit_json(answers))
    answered = ["chain_rule/dydx", "chain_rule/product", "chain_rule/quotient", "network/a1",
                "network/a2", "network/z1", "network/z2", "network/b", "network/yhat",
                "network/label", "network/loss", "network/dyhat_db", "network/dJ_dW211",
                "network/dJ_dW112", "network/W211_new", "network/W112_new",
                "param_count/linear1", "param_count/activation", "param_count/total"]
    assert {key: got[key] for key in answered} == {key: "correct" for key in answered}


def test_sheet_misprint_of_the_sigmoid_derivative_is_caught(tmp_path):
    answers = write(tmp_path / "a.toml", """
        student = "student002"
        assignment = "mlcalc-hw"
        [network]
        dyhat_db = "sigma(b)(1 - e^{-b})"
    """)
    report = submit_json(answers)
    graded = next(p for pr in report["problems"] for p in pr["parts"] if p["id"] == "dyhat_db")
    assert graded["status"] == "incorrect"
    assert "misprint" in graded["feedback"]


def test_assignment_passes_its_self_checks():
    result = run("check", ASSIGNMENT, "--variants", 50)
    assert result.exit_code == 0, result.output
