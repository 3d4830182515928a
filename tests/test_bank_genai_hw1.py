"""The genai-hw1 bank: the real submission gets the verdicts a careful grader would give."""

from __future__ import annotations

import pytest

from .helpers import PROBLEMS, SUBMISSIONS, assert_verdicts, part, run, submit_json

SUBMISSION = SUBMISSIONS / "genai-hw1" / "genai-student.toml"

# problem/part -> (status, score) for the transcribed answers, graded against the published values
VERDICTS = {
    "softmax/diag": ("correct", 1),
    "softmax/off_diag": ("correct", 1),
    "softmax/jacobian": ("correct", 2),
    "softmax/jacobian_num": ("missing", 0),
    "gaussian_prior/log_prior": ("correct", 3),
    "gaussian_prior/penalty": ("correct", 2),
    "gaussian_prior/lam": ("correct", 2),
    "gaussian_prior/lam_num": ("missing", 0),
    "gaussian_prior/derivation": ("ungraded", 0),
    # wrong: (lambda/(2 alpha)) * 2 phi simplified to (lambda/2) phi; it is (lambda/alpha) phi
    "weight_decay/grad_tilde": ("partial", 0.75),
    "weight_decay/update": ("correct", 2),
    "weight_decay/decay_rate": ("missing", 0),
    "weight_decay/phi_new": ("missing", 0),
    "weight_decay/proof": ("ungraded", 0),           # text; reaches the right update through the slip above
    "receptive_uniform/rfA1": ("correct", 1),
    "receptive_uniform/rfA2": ("correct", 2),
    "receptive_uniform/rfA3": ("correct", 5),
    "receptive_uniform/rfB1": ("correct", 1),
    "receptive_uniform/rfB2": ("correct", 2),
    "receptive_uniform/rfB3": ("correct", 5),
    "receptive_mixed/rf1": ("correct", 2),
    "receptive_mixed/rf2": ("correct", 2),
    # wrong: 17 = 9 + (9 - 1) * 1 multiplies by the stride of H2 only; the jump is s1 * s2 = 2, so 25
    "receptive_mixed/rf3": ("partial", 2),
    "hessian/h00": ("correct", 1),
    "hessian/h01": ("correct", 1),
    "hessian/h11": ("correct", 1),
    "hessian/trace": ("correct", 1),
    "hessian/det": ("correct", 2),
    "hessian/det_num": ("missing", 0),
    "hessian/eig_min": ("missing", 0),
    # wrong: claims I Sxx - Sx^2 > 0 "for real data"; it is 0 when all x_i are equal (Cauchy-Schwarz gives >= 0)
    "hessian/degenerate": ("incorrect", 0),
    "hessian/proof": ("ungraded", 0),
    "logistic/plot_meaning": ("ungraded", 0),
    "logistic/loss": ("correct", 1),
    "logistic/dphi0": ("correct", 2),
    "logistic/dphi1": ("correct", 2),
    "logistic/heatmap": ("ungraded", 0),
    "logistic/h00": ("correct", 1),
    "logistic/h11": ("correct", 1),
    "logistic/h01": ("missing", 0),
    "logistic/convex": ("correct", 0.5),
    # wrong: "the loss has a unique global minimum": not for linearly separable data
    "logistic/minimiser": ("incorrect", 0),
    "logistic/convex_proof": ("ungraded", 0),        # text; positive diagonal alone does not make a matrix PSD
    **{f"autodiff/{p}": ("correct", pts) for p, pts in (
        ("dy_df5", 1), ("dy_df4", 1), ("dy_df3", 2.5), ("dy_df2", 2.5), ("dy_df1", 3), ("dy_dx_rev", 3),
        ("df1_dx", 1), ("df2_dx", 2), ("df3_dx", 2), ("df4_dx", 2), ("df5_dx", 2), ("dy_dx_fwd", 2))},
    "autodiff/dydx_value": ("missing", 0),
    "autodiff/why_reverse": ("ungraded", 0),
}


@pytest.fixture(scope="module")
def report():
    return submit_json(SUBMISSION)


def test_every_part_has_the_expected_verdict(report):
    assert_verdicts(report, VERDICTS)


def test_totals(report):
    assert report["student"] == "genai-student" and report["assignment"] == "genai-hw1"
    assert report["score"] == pytest.approx(73.25) and report["max_score"] == pytest.approx(103)


def test_feedback_teaches_the_real_mistakes(report):
    assert "alpha stays in the denominator" in part(report, "weight_decay/grad_tilde")["feedback"]
    assert "ALL earlier strides" in part(report, "receptive_mixed/rf3")["feedback"]
    assert "Cauchy-Schwarz" in part(report, "hessian/degenerate")["feedback"]
    assert "separable" in part(report, "logistic/minimiser")["feedback"]


def test_bank_checks_over_50_variants():
    result = run("check", PROBLEMS / "genai-hw1", "--variants", 50)
    assert result.exit_code == 0, result.output
