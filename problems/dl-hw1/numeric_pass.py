"""Forward pass, backward pass and one SGD step of the 2-3-2 regression net, with numpy.

Returns the network's vectors and matrices, which the parts' answer formulas use (the parts are
formulas over earlier parts, so carry-forward credit applies), plus the values of the known
mistakes (the names after `# known mistakes`), which the problem file's `mistakes` refer to by name.
"""

import numpy as np


def solve(p):
    x = np.array([p["x1"], p["x2"]], dtype=float)
    W1 = np.array([[p["w11"], p["w12"]], [p["w21"], p["w22"]], [p["w31"], p["w32"]]], dtype=float)
    b1 = np.array([p["c1"], p["c2"], p["c3"]], dtype=float)
    W2 = np.array([[p["v11"], p["v12"], p["v13"]], [p["v21"], p["v22"], p["v23"]]], dtype=float)
    b2 = np.array([p["d1"], p["d2"]], dtype=float)
    y = np.array([p["y1"], p["y2"]], dtype=float)
    s, eta = float(p["s"]), float(p["eta"])

    z1 = W1 @ x + b1
    mask = (z1 > 0).astype(float)
    z2 = s * np.maximum(z1, 0.0)
    y_hat = W2 @ z2 + b2
    r = y_hat - y
    loss = float(r @ r)
    dl = 2 * r
    jac = s * np.diag(mask)
    g_b1 = jac @ W2.T @ dl
    out = {
        "x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2, "y": y,
        # known mistakes
        "z1_nobias": W1 @ x,
        "z2_noscale": np.maximum(z1, 0.0),
        "z2_norelu": s * z1,
        "yhat_nobias": W2 @ z2,
        "loss_mean": loss / 2,
        "loss_norm": float(np.sqrt(loss)),
        "dl_no2": r,
        "dl_sign": -dl,
        "jac_noscale": np.diag(mask),
        "gradW2_T": np.outer(z2, dl),
        "gradW2_z1": np.outer(dl, z1),
        "gradb1_nomask": s * (W2.T @ dl),
        "gradb1_nojac": W2.T @ dl,
        "gradW1_T": np.outer(x, g_b1),
        "b2new_sign": b2 + eta * dl,
    }
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in out.items()}
