"""The bank's real submissions get the verdicts a careful grader would give, and every assignment
passes its self-checks: one table per assignment (the transcribed submission, every part's
verdict, the totals, the feedback that must teach), and one parametrized test per claim."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from .helpers import PROBLEMS, SUBMISSIONS, assert_verdicts, part, run, statuses, submit_json, write

# problem/part -> (status, score) for the transcribed answers, graded against the published values
CS577_A2 = {
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
    # the Jacobians are matrix parts graded entry by entry (the source marked each entry):
    # partial: 5 of 6 entries (1.5 points); the third row of J_G is [1, -1]: d(x^2 - y)/dx = 2x taken as 1
    "jacobian_chain/jG": ("partial", 1.25),
    "jacobian_chain/jF": ("correct", 1.5),
    # partial: 3 of 4 entries (2 points); y - 1 instead of y - 2x, by both the direct and the
    # chain-rule method (same slip)
    "jacobian_chain/jFG": ("partial", 1.5),
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
        ("df_dx", 1), ("df_dy", 1), ("jF", 2),
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

DL_HW1 = {
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

GENAI_HW1 = {
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

MLCALC_PARTS = {
    "chain_rule": ["chain", "dydx", "dydu", "dydv", "product", "dqdu", "dqdv", "quotient"],
    "network": ["draw", "n_matrices", "W1_shape", "W2_shape", "a1", "a2", "z1", "z2", "b", "yhat",
                "label", "loss", "chain_W211", "dl_dyhat", "dyhat_db", "dyhat_db_yhat", "db_dW211",
                "dJ_dW211", "chain_W112", "db_dz1", "dz1_da1", "da1_dW112", "dJ_dW112", "W211_new",
                "W112_new"],
    "param_count": ["linear1", "activation", "total"],
    "concepts": ["compare"],
}
# The worksheet is an unanswered handout: every part of the real submission is missing.
MLCALC_HW = {f"{problem}/{pid}": ("missing", 0) for problem, pids in MLCALC_PARTS.items() for pid in pids}

MLMATH_HW4 = {
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


@dataclass(frozen=True)
class Assignment:
    """One assignment's real submission and everything pinned about its grading."""

    name: str
    submission: Path
    student: str
    verdicts: dict[str, tuple[str, float]]
    score: float
    max_score: float
    feedback: dict[str, list[str]] = field(default_factory=dict)   # problem/part -> phrases it must contain
    tolerance: float = 1e-9                                         # on each part's score and the total


ASSIGNMENTS = [
    Assignment("cs577-a2", SUBMISSIONS / "cs577-a2" / "aputhawala.toml", "aputhawala", CS577_A2,
               score=sum(score for _, score in CS577_A2.values()), max_score=152, tolerance=1e-3, feedback={
                   "neuron/unit_normal": ["not the constant term"],
                   "logistic/hypothesis": ["passes it through the sigmoid"],
                   "multiclass/ds_dtheta_other": ["subtracted output is s_i"],
                   "nn_regression/single_grad_w": ["not 1"],
                   "jacobian_chain/jG": ["2x, not 1"],
                   "jacobian_chain/jFG": ["2x, not 1"],
                   "network/z_s2": ["each other's weights"],
                   "network/yhat_s3": ["off by a power of ten: check the decimal point"],
                   "network/loss_s3": ["carried forward"],
                   "network/grad_w2": ["minus one half of the gradient"],
                   "matrix_backprop/grad_v": ["carried forward"],
               }),
    Assignment("dl-hw1", SUBMISSIONS / "dl-hw1" / "hhp9256.toml", "hhp9256", DL_HW1,
               score=16, max_score=46, feedback={
                   "classification/dtanh": ["square the value of tanh"],
                   "classification/dbce": ["1/K"],
                   "regression_backward/shape_dz2_dz1": ["m entries"],
                   "regression_backward/dW2": ["cannot multiply a row vector (1×m) by a row vector (1×K)"],
               }),
    Assignment("genai-hw1", SUBMISSIONS / "genai-hw1" / "genai-student.toml", "genai-student", GENAI_HW1,
               score=73.25, max_score=103, feedback={
                   "weight_decay/grad_tilde": ["alpha stays in the denominator"],
                   "receptive_mixed/rf3": ["ALL earlier strides"],
                   "hessian/degenerate": ["Cauchy-Schwarz"],
                   "logistic/minimiser": ["separable"],
               }),
    Assignment("mlcalc-hw", SUBMISSIONS / "mlcalc-hw" / "student002.toml", "student002", MLCALC_HW,
               score=0, max_score=35),
    Assignment("mlmath-hw4", SUBMISSIONS / "mlmath-hw4" / "bkoech.toml", "bkoech", MLMATH_HW4,
               score=sum(score for _, score in MLMATH_HW4.values()),
               max_score=100,   # the 15 bonus points add to the score only
               feedback={
                   "derivatives_matrix/frob_hess": ["2H"],
                   "derivatives_matrix/quad_grad": ["a = b"],
                   "backprop/W13_b": ["carried forward"],
                   "mlp/dW_h": ["transpose"],
                   "mlp/db_h": ["sums"],
               }),
]
BY_NAME = {assignment.name: assignment for assignment in ASSIGNMENTS}
NAMES = list(BY_NAME)
FEEDBACK = [(a.name, key, phrase) for a in ASSIGNMENTS for key, phrases in a.feedback.items() for phrase in phrases]


@cache
def report_of(name: str) -> dict:
    """The JSON report of that assignment's real submission, graded once per test session."""
    return submit_json(BY_NAME[name].submission)


@pytest.mark.parametrize("name", NAMES)
def test_every_part_has_the_expected_verdict(name):
    assignment = BY_NAME[name]
    assert_verdicts(report_of(name), assignment.verdicts, tolerance=assignment.tolerance)


@pytest.mark.parametrize("name", NAMES)
def test_totals(name):
    assignment, report = BY_NAME[name], report_of(name)
    assert (report["student"], report["assignment"]) == (assignment.student, name)
    assert report["score"] == pytest.approx(assignment.score, abs=assignment.tolerance)
    assert report["score"] == pytest.approx(sum(s for _, s in assignment.verdicts.values()), abs=assignment.tolerance)
    assert report["max_score"] == pytest.approx(assignment.max_score)
    assert not report["warnings"]


@pytest.mark.parametrize("name, key, phrase", FEEDBACK, ids=[f"{n}:{k}" for n, k, _ in FEEDBACK])
def test_feedback_teaches_the_real_mistakes(name, key, phrase):
    assert phrase in part(report_of(name), key)["feedback"]


@pytest.mark.parametrize("name", NAMES)
def test_assignment_passes_its_self_checks_over_50_variants(name):
    result = run("check", PROBLEMS / name, "--variants", 50)
    assert result.exit_code == 0, result.output


def test_cs577_student_is_graded_against_the_published_values():
    report = report_of("cs577-a2")
    # the document's numbers: w1 = (0.01, 0.02, 0.03), ..., samples ((1, 2), 8), ((1, 3), 11), ((2, 2), 10)
    shown = run("show", "cs577-a2/network", "--problems", PROBLEMS).stdout
    assert "((1, 2), 8)" in shown and "w1 = (0.01, 0.02, 0.03)" in shown
    assert part(report, "network/loss_s1")["status"] == "correct"


def test_mlcalc_worksheet_numbers_grade_correct_for_the_published_student(tmp_path):
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


def test_mlcalc_sheet_misprint_of_the_sigmoid_derivative_is_caught(tmp_path):
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
