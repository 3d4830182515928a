"""The dl-hw1 bank: the real submission of hhp9256 gets the verdicts a careful grader would give."""

from __future__ import annotations

import pytest

from .helpers import PROBLEMS, SUBMISSIONS, assert_verdicts, part, run, submit_json

SUBMISSION = SUBMISSIONS / "dl-hw1" / "hhp9256.toml"

# problem/part -> (status, score) for the transcribed answers, graded against the published values
VERDICTS = {
    "regression_forward/steps": ("ungraded", 0),        # text; says SGD computes the gradient in the backward pass (it is autograd; SGD is the update)
    "regression_forward/z1": ("correct", 0.5),
    "regression_forward/z2": ("correct", 1),
    "regression_forward/z3": ("correct", 1),
    "regression_forward/y_hat": ("correct", 0.5),
    "regression_forward/loss": ("correct", 1),
    "regression_forward/shape_W1": ("correct", 0.5),
    "regression_forward/shape_W2": ("correct", 0.5),
    "regression_forward/n_params": ("missing", 0),
    "regression_backward/shape_dl_dyhat": ("correct", 0.5),
    "regression_backward/shape_dyhat_dz3": ("correct", 0.5),
    # wrong: the ReLU Jacobian is indexed up to K ("in R^K"); z1 and z2 have m entries, so it is m x m
    "regression_backward/shape_dz2_dz1": ("incorrect", 0),
    "regression_backward/dl_dyhat": ("correct", 1),
    "regression_backward/dyhat_dz3": ("correct", 0.5),
    "regression_backward/db2": ("correct", 1),
    # wrong: final form 5 (W1 x + b1)^T (dl/dyhat)(dyhat/dz3) drops the ReLU (^T where ^+ belongs)
    # and is a 1 x m row times a 1 x K row: not conformable, so it cannot even be evaluated
    "regression_backward/dW2": ("invalid", 0),
    "regression_backward/db1": ("correct", 1.5),
    "regression_backward/dW1": ("correct", 1.5),
    "classification/y_hat": ("correct", 1),
    "classification/dW2": ("correct", 1.5),
    # wrong: tanh'(z) written 1 - tanh(z^2) instead of 1 - tanh(z)^2 (known mistake, 1/4 credit)
    "classification/dtanh": ("partial", 0.25),
    "classification/dsigma": ("correct", 1),
    # wrong: BCE derivative without the 1/K of the average (known mistake, half credit)
    "classification/dbce": ("partial", 0.75),
    "classification/dbce_dz3": ("missing", 0),
    "classification/relu_why": ("ungraded", 0),      # text; "outputs non-negative" is not the reason (no saturation: slope 1)
    "concepts/softargmax": ("ungraded", 0),          # text; confuses softargmax with argmax of the softmax
    "concepts/graph": ("ungraded", 0),
    "concepts/w_value": ("missing", 0),
    "concepts/dw_dx": ("missing", 0),
    "concepts/dw_dy": ("missing", 0),
    "concepts/dw_dz": ("missing", 0),
    "concepts/derivative_plots": ("ungraded", 0),
    "concepts/linear_maps": ("ungraded", 0),         # text; lists translation, which is affine, not linear
    "concepts/objective": ("ungraded", 0),
    **{f"numeric_pass/{p}": ("missing", 0) for p in (
        "z1", "z2", "y_hat", "loss", "dl_dyhat", "dz2_dz1", "grad_b2", "grad_W2", "grad_b1", "grad_W1", "b2_new")},
}


@pytest.fixture(scope="module")
def report():
    return submit_json(SUBMISSION)


def test_every_part_has_the_expected_verdict(report):
    assert_verdicts(report, VERDICTS)


def test_totals(report):
    assert report["student"] == "hhp9256" and report["assignment"] == "dl-hw1"
    assert report["score"] == pytest.approx(16) and report["max_score"] == pytest.approx(46)


def test_feedback_teaches_the_real_mistakes(report):
    assert "square the value of tanh" in part(report, "classification/dtanh")["feedback"]
    assert "1/K" in part(report, "classification/dbce")["feedback"]
    assert "m entries" in part(report, "regression_backward/shape_dz2_dz1")["feedback"]
    assert "cannot multiply a row vector (1×m) by a row vector (1×K)" in part(report, "regression_backward/dW2")["feedback"]


def test_bank_checks_over_50_variants():
    result = run("check", PROBLEMS / "dl-hw1", "--variants", 50)
    assert result.exit_code == 0, result.output
