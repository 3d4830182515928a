"""mlmath-hw4: the transcribed real submission gets the verdicts a careful grader would give,
and the assignment passes its own self-checks."""

from __future__ import annotations

import pytest

from .helpers import PROBLEMS, SUBMISSIONS, part, run, statuses, submit_json

ASSIGNMENT = PROBLEMS / "mlmath-hw4"
BKOECH = SUBMISSIONS / "mlmath-hw4" / "bkoech.toml"

# every part of the assignment: (status, score) for bkoech, graded against the published values
EXPECTED = {
    "derivatives_vector/jac": ("correct", 0.5),
    "derivatives_vector/hess": ("correct", 0.5),
    "derivatives_vector/jac_sym": ("correct", 0.5),
    "derivatives_vector/hess_sym": ("correct", 0.5),
    "derivatives_matrix/trace_grad": ("correct", 1),
    "derivatives_matrix/trace_hess": ("correct", 1),
    "derivatives_matrix/frob_grad": ("correct", 1),
    # "2": the right factor, but a scalar where the second derivative is 2·identity (H -> 2H)
    "derivatives_matrix/frob_hess": ("partial", 0.5),
    "derivatives_matrix/bilinear_grad": ("correct", 1),
    "derivatives_matrix/bilinear_hess": ("correct", 1),
    # "2 X b aᵀ": only right when a = b; the product rule gives X(a bᵀ + b aᵀ)
    "derivatives_matrix/quad_grad": ("partial", 0.5),
    # "2 b aᵀ": wrong shape (m×m), built on the wrong gradient; the answer is H(a bᵀ + b aᵀ)
    "derivatives_matrix/quad_hess": ("incorrect", 0),
    "ridge/grad": ("correct", 5),
    "ridge/beta": ("correct", 5),
    # the notebook part is not in the document
    "ridge/lambda_effect": ("missing", 0),
    "backprop/a3": ("correct", 1),
    "backprop/a4": ("correct", 1),
    "backprop/a5": ("correct", 3),
    "backprop/loss": ("correct", 2),
    "backprop/dL_da5": ("correct", 1),
    "backprop/dz4": ("correct", 0.5),
    "backprop/dz3": ("correct", 0.5),
    "backprop/dW35": ("correct", 1),
    "backprop/dW45": ("correct", 1),
    "backprop/dW14": ("correct", 1),
    "backprop/dW24": ("correct", 1),
    "backprop/dW13": ("correct", 1),
    "backprop/dW23": ("correct", 1),
    "backprop/W13_new": ("correct", 0.75),
    "backprop/W14_new": ("correct", 0.75),
    # 1.88784 written as 1.88 (truncated, while the other five entries are rounded): last-digit slip
    "backprop/W23_new": ("partial", 0.375),
    "backprop/W24_new": ("correct", 0.75),
    "backprop/W35_new": ("correct", 1),
    "backprop/W45_new": ("correct", 1),
    # e^1.54 evaluated as 4.652 instead of 4.665: a5 = -0.3599 instead of -0.3622 (from their
    # own weights) or -0.3682 (from the correctly rounded table): close, half credit
    "backprop/a5_b": ("partial", 1),
    # the bonus weights are right for the student's own table (their W23 = 1.88): carried forward
    "backprop/W13_b": ("correct", 0.5),
    "backprop/W14_b": ("correct", 0.5),
    "backprop/W23_b": ("correct", 0.5),
    "backprop/W24_b": ("correct", 0.5),
    "backprop/W35_b": ("correct", 0.5),
    "backprop/W45_b": ("correct", 0.5),
    "checkpoint/derivatives": ("ungraded", 0),
    "checkpoint/gradient_descent": ("ungraded", 0),
    "checkpoint/section": ("ungraded", 0),
    # -(2/N) Σ(Y_i - Ŷ_i): summed over the samples, but ∂MSE/∂Ŷ is a vector, one entry per sample
    "mlp/dYhat": ("partial", 1.5),
    "mlp/dW_o": ("correct", 3),
    "mlp/db_o": ("correct", 3),
    # right chain, but "· X" on the right gives the n×m transpose of the gradient (Xᵀ Δ)
    "mlp/dW_h": ("partial", 1.5),
    # per-sample rows Δ, never summed over the batch (b_h is shared by every row)
    "mlp/db_h": ("partial", 1.5),
    "mlp/upd_Wh": ("correct", 1.25),
    "mlp/upd_bh": ("correct", 1.25),
    "mlp/upd_Wo": ("correct", 1.25),
    "mlp/upd_bo": ("correct", 1.25),
    "mlp/code": ("missing", 0),
    # ∂MSE/∂h1 = ∂MSE/∂h2 · W_h2 skips the second layer's sigmoid slope h2(1 - h2)
    "mlp_bonus/dH1": ("partial", 0.5),
    "mlp_bonus/effect": ("ungraded", 0),
    "mlp_bonus/code": ("missing", 0),
    "evaluation/rmse": ("ungraded", 0),
    "evaluation/why": ("ungraded", 0),
}


@pytest.fixture(scope="module")
def report():
    return submit_json(BKOECH)


def test_every_part_is_pinned(report):
    assert set(statuses(report)) == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_verdict(report, key):
    status, score = EXPECTED[key]
    graded = part(report, key)
    assert graded["status"] == status, graded["feedback"]
    assert graded["score"] == pytest.approx(score)


def test_total_and_graded_against_published_values(report):
    assert report["student"] == "bkoech" and report["assignment"] == "mlmath-hw4"
    assert report["score"] == pytest.approx(sum(score for _, score in EXPECTED.values()))
    assert report["max_score"] == pytest.approx(100)   # the 15 bonus points add to the score only
    assert not report["warnings"]


def test_feedback_names_the_errors(report):
    assert "2H" in part(report, "derivatives_matrix/frob_hess")["feedback"]
    assert "a = b" in part(report, "derivatives_matrix/quad_grad")["feedback"]
    assert "carried forward" in part(report, "backprop/W13_b")["feedback"]
    assert "transpose" in part(report, "mlp/dW_h")["feedback"]
    assert "sums" in part(report, "mlp/db_h")["feedback"]


def test_assignment_passes_its_self_checks():
    result = run("check", ASSIGNMENT, "--variants", 50)
    assert result.exit_code == 0, result.output
