"""The cs577-a2 bank: the real submission of aputhawala gets the verdicts a careful grader would give."""

from __future__ import annotations

import pytest

from .helpers import PROBLEMS, SUBMISSIONS, assert_verdicts, part, run, submit_json

SUBMISSION = SUBMISSIONS / "cs577-a2" / "aputhawala.toml"

# problem/part -> (status, score) for the transcribed answers, graded against the published values
VERDICTS = {
    "neuron/output": ("correct", 1),
    "neuron/boundary_sign": ("ungraded", 0),
    "neuron/coefficients": ("ungraded", 0),       # text; claims b0 is the distance to the origin (it is b0/||(b1, b2)||)
    "neuron/normal": ("correct", 1),
    # wrong: unit normal written (1/sqrt13, 3/sqrt13): the bias 1 took the place of the x1 coefficient 2
    "neuron/unit_normal": ("partial", 0.5),
    "neuron/distance": ("correct", 2),
    "neuron/augmented": ("ungraded", 0),
    "logistic/step_vs_sigmoid": ("ungraded", 0),
    "logistic/posterior": ("correct", 2),
    "logistic/dsigma": ("correct", 1),
    "logistic/dlogsigma": ("correct", 2),
    "logistic/loglik": ("correct", 2),
    "logistic/bce": ("correct", 1),
    # wrong: "where h_theta(x) = theta^T x": the hypothesis is sigma(theta^T x) (the gradient (h - y) x needs it)
    "logistic/hypothesis": ("incorrect", 0),
    "logistic/grad_loglik": ("correct", 2),
    "logistic/grad_loss": ("correct", 2),
    "logistic/update": ("correct", 2),
    "logistic/update_meaning": ("ungraded", 0),
    "gradient_descent/direction": ("ungraded", 0),
    "gradient_descent/stopping": ("ungraded", 0),
    "gradient_descent/learning_rate": ("ungraded", 0),
    "gradient_descent/zero_one_gd": ("correct", 1),
    "gradient_descent/zero_one_why": ("ungraded", 0),
    "multiclass/ova_count": ("correct", 1),
    "multiclass/ovo_count": ("correct", 1),
    "multiclass/ova_vs_ovo": ("ungraded", 0),
    "multiclass/templates": ("ungraded", 0),
    "multiclass/why_softmax": ("ungraded", 0),
    "multiclass/ds_dz_same": ("correct", 1),
    "multiclass/ds_dz_other": ("correct", 1),
    "multiclass/ds_dtheta_same": ("correct", 1),
    # wrong: s_j (delta_ij - s_j) x, with s_j where s_i belongs: -s_j^2 x for i != j (known mistake, 1/4)
    "multiclass/ds_dtheta_other": ("partial", 0.5),
    "multiclass/dlogs_dtheta_same": ("correct", 1),
    # wrong: the same index slip carried into log softmax: -s_j x instead of -s_i x (known mistake, 1/4)
    "multiclass/dlogs_dtheta_other": ("partial", 0.5),
    "multiclass/ce_loss": ("correct", 2),
    "multiclass/ce_grad": ("correct", 2),
    "multiclass/ce_update": ("correct", 2),
    "multiclass/ce_update_meaning": ("ungraded", 0),
    "nn_regression/expand": ("ungraded", 0),
    "nn_regression/bottleneck": ("ungraded", 0),
    "nn_regression/hidden_harder": ("ungraded", 0),
    # wrong: dE/dv = -(y - yhat) * 1: the factor dyhat/dv = z dropped (known mistake, 1/4)
    "nn_regression/single_grad_v": ("partial", 0.5),
    # wrong: dyhat/dz_j written as 1 instead of v_j (known mistake, 1/2)
    "nn_regression/single_grad_w": ("partial", 1),
    # wrong: (yhat_q - y_q)^2 z: the square kept after differentiating (known mistake, 1/4)
    "nn_regression/multi_grad_v": ("partial", 0.5),
    # wrong: the same squared residual inside an otherwise right chain (known mistake, 1/2)
    "nn_regression/multi_grad_w": ("partial", 1),
    # wrong: E = y log(yhat): no minus sign and no (1 - y) log(1 - yhat) term (known mistake, 1/4)
    "nn_classification/bce_loss": ("partial", 0.25),
    # wrong: dE/dyhat = yhat(1 - yhat) log(yhat) + y(1 - yhat) is not a derivative of the loss
    "nn_classification/bce_dyhat": ("incorrect", 0),
    "nn_classification/bce_grad_v": ("incorrect", 0),    # built on that wrong dE/dyhat
    "nn_classification/bce_grad_w": ("incorrect", 0),    # built on that wrong dE/dyhat
    "nn_classification/ce_grad_v": ("correct", 2),
    # wrong: the z_j of sigma'(a_j) = z_j (1 - z_j) replaced by an unevaluated d yhat/d z_j (known mistake, 1/2)
    "nn_classification/ce_grad_w": ("partial", 1),
    "nn_classification/init_same": ("correct", 1),
    "nn_classification/init_why": ("ungraded", 0),
    "graph_chain/advantages": ("ungraded", 0),
    "graph_chain/node_duties": ("ungraded", 0),
    "graph_chain/l2_w1": ("correct", 1),
    "graph_chain/l2_w2": ("correct", 1),
    # wrong: the cross-entropy differentiated without its minus sign and with + for - on the (1 - y) term (1/4)
    "graph_chain/ce_w1": ("partial", 0.5),
    # wrong: the gradient of the log-likelihood, i.e. of the loss without its minus sign (1/2)
    "graph_chain/ce_w2": ("partial", 1),
    # wrong: sum (y_j - f2_j) ... with the minus sign of d/dyhat (1/2)(y - yhat)^2 dropped (1/2)
    "graph_chain/multi_l2_w1": ("partial", 1),
    "graph_chain/multi_l2_w2": ("missing", 0),
    # wrong: L = sum y log f2 differentiated without the minus sign (1/2 each)
    "graph_chain/multi_ce_w1": ("partial", 1),
    "graph_chain/multi_ce_w2": ("partial", 0.5),
    **{f"node_gradients/{p}": ("correct", 1) for p in (
        "add_const", "add_two", "mul_const", "mul_a", "mul_b", "max_a", "max_b", "min_a", "min_b",
        "order_6", "order_7", "order_8")},
    "node_gradients/node_order": ("ungraded", 0),
    "jacobian_chain/chain_rule": ("correct", 2),
    "jacobian_chain/chain_entries": ("ungraded", 0),  # text; writes f_i(g_i(x_j)), which is not the chain rule
    "jacobian_chain/fg_1": ("correct", 0.5),
    "jacobian_chain/fg_2": ("correct", 0.5),
    **{f"jacobian_chain/jG_{e}": ("correct", 0.25) for e in ("11", "12", "21", "22", "32")},
    # wrong: the third row of J_G is [1, -1]: d(x^2 - y)/dx = 2x taken as 1
    "jacobian_chain/jG_31": ("incorrect", 0),
    **{f"jacobian_chain/jF_{e}": ("correct", 0.25) for e in ("11", "12", "13", "21", "22", "23")},
    "jacobian_chain/jFG_11": ("correct", 0.5),
    "jacobian_chain/jFG_12": ("correct", 0.5),
    # wrong: y - 1 instead of y - 2x, by both the direct and the chain-rule method (same slip)
    "jacobian_chain/jFG_21": ("incorrect", 0),
    "jacobian_chain/jFG_22": ("correct", 0.5),
    "network/graph": ("ungraded", 0),
    "network/sym_grad_v": ("correct", 1),
    "network/sym_grad_v0": ("missing", 0),
    "network/sym_grad_w": ("correct", 2),
    "network/sym_grad_w0": ("correct", 1),
    "network/z_s1": ("correct", 1),
    "network/yhat_s1": ("correct", 1),
    "network/loss_s1": ("correct", 1),
    # wrong: z1 computed with w2's weights and z2 with w1's ("sigma(0) = 0.52498" is sigma(0.10)) (1/2)
    "network/z_s2": ("partial", 0.5),
    "network/yhat_s2": ("correct", 1),
    "network/loss_s2": ("correct", 1),
    # wrong: z2 = 0.522184 is not sigma(0.09) = 0.522485; z1 and z3 right (2 of 3 entries)
    "network/z_s3": ("partial", 2 / 3),
    # wrong: yhat = 0.5722303 is ten times the true 0.05722 (decimal slip)
    "network/yhat_s3": ("incorrect", 0),
    "network/loss_s3": ("correct", 1),             # (10 - 0.5722303)^2: right for their yhat, carried forward
    "network/grad_v0": ("missing", 0),
    # wrong: sum (y - yhat) z1 = 15.019 is neither the gradient (-30.39) nor minus half of it (15.194): arithmetic
    "network/grad_v1": ("incorrect", 0),
    # wrong: sum (y - yhat) z: sign flipped and the factor 2 dropped, i.e. minus half the gradient (1/4)
    "network/grad_v2": ("partial", 0.25),
    "network/grad_v3": ("partial", 0.25),
    # wrong: no entry matches the gradient or minus half of it (garbled working, 0.3472 vs 0.3420)
    "network/grad_w1": ("incorrect", 0),
    # wrong: (.216, .29, .5133) is minus half the gradient (1/4)
    "network/grad_w2": ("partial", 0.5),
    # wrong: (.1788, .1387, .1685) matches nothing (true gradient -0.5755, -0.7739, -1.3696)
    "network/grad_w3": ("incorrect", 0),
    **{f"calculus/{p}": ("correct", pts) for p, pts in (
        ("df_dx", 1), ("df_dy", 1), ("jF_11", 0.5), ("jF_12", 0.5), ("jF_21", 0.5), ("jF_22", 0.5),
        ("jacF_at", 1), ("dcomp_1", 1), ("dcomp_2", 1), ("dcomp_at", 1))},
    "matrix_backprop/z": ("correct", 1),
    # wrong: yhat ~ 0.5223 is z1; the output is v^T z + c = 0.05675
    "matrix_backprop/yhat": ("incorrect", 0),
    "matrix_backprop/loss": ("correct", 1),
    # wrong: dL/dyhat = 2(8 - 0.5223) = 15.8: the sign is flipped (true -15.89) and the arithmetic off
    "matrix_backprop/dL_dyhat": ("incorrect", 0),
    "matrix_backprop/grad_v": ("correct", 1),      # 15.8 z: right for their dL/dyhat, carried forward
    "matrix_backprop/grad_c": ("correct", 1),      # 15.8: right for their dL/dyhat, carried forward
    "matrix_backprop/dL_dz": ("missing", 0),
    "matrix_backprop/grad_b": ("missing", 0),
    "matrix_backprop/grad_W": ("missing", 0),
}


@pytest.fixture(scope="module")
def report():
    return submit_json(SUBMISSION)


def test_every_part_has_the_expected_verdict(report):
    assert_verdicts(report, VERDICTS, tolerance=1e-3)


def test_totals(report):
    assert report["student"] == "aputhawala" and report["assignment"] == "cs577-a2"
    assert report["score"] == pytest.approx(sum(score for _, score in VERDICTS.values()), abs=1e-3)
    assert report["max_score"] == pytest.approx(152)
    assert not report["warnings"]


def test_feedback_teaches_the_real_mistakes(report):
    assert "not the constant term" in part(report, "neuron/unit_normal")["feedback"]
    assert "passes it through the sigmoid" in part(report, "logistic/hypothesis")["feedback"]
    assert "subtracted output is s_i" in part(report, "multiclass/ds_dtheta_other")["feedback"]
    assert "not 1" in part(report, "nn_regression/single_grad_w")["feedback"]
    assert "2x, not 1" in part(report, "jacobian_chain/jG_31")["feedback"]
    assert "2x, not 1" in part(report, "jacobian_chain/jFG_21")["feedback"]
    assert "each other's weights" in part(report, "network/z_s2")["feedback"]
    assert "off by a power of ten: check the decimal point" in part(report, "network/yhat_s3")["feedback"]
    assert "carried forward" in part(report, "network/loss_s3")["feedback"]
    assert "minus one half of the gradient" in part(report, "network/grad_w2")["feedback"]
    assert "carried forward" in part(report, "matrix_backprop/grad_v")["feedback"]


def test_the_student_is_graded_against_the_published_values(report):
    # the document's numbers: w1 = (0.01, 0.02, 0.03), ..., samples ((1, 2), 8), ((1, 3), 11), ((2, 2), 10)
    shown = run("show", "cs577-a2/network", "--problems", PROBLEMS).stdout
    assert "((1, 2), 8)" in shown and "w1 = (0.01, 0.02, 0.03)" in shown
    assert part(report, "network/loss_s1")["status"] == "correct"


def test_bank_checks_over_50_variants():
    result = run("check", PROBLEMS / "cs577-a2", "--variants", 50)
    assert result.exit_code == 0, result.output
