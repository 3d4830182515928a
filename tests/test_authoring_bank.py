"""The bank uses the authoring features: dl-hw1/numeric_pass carries forward a wrong z1 through
the whole chain, and cs577-a2 asks its Jacobians as matrix parts graded entry by entry."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import sympy as sp

from .helpers import PROBLEMS, run, statuses, write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _published() -> dict:
    """numeric_pass's published values, read from the file (hhp9256 is graded against them)."""
    data = tomllib.loads((PROBLEMS / "dl-hw1" / "numeric_pass.toml").read_text(encoding="utf-8"))
    return {name: (p["value"] if isinstance(p, dict) else p) for name, p in data["params"].items()}


def _chain(z1: np.ndarray) -> dict:
    """Every later part for the student's own z1, computed here with numpy."""
    p = _published()
    x = np.array([p["x1"], p["x2"]], dtype=float)
    W2 = np.array([[p["v11"], p["v12"], p["v13"]], [p["v21"], p["v22"], p["v23"]]], dtype=float)
    b2, y, s = np.array([p["d1"], p["d2"]], dtype=float), np.array([p["y1"], p["y2"]], dtype=float), p["s"]
    z2 = s * np.maximum(z1, 0)
    y_hat = W2 @ z2 + b2
    dl = 2 * (y_hat - y)
    jac = s * np.diag((z1 > 0).astype(float))
    g_b1 = jac @ W2.T @ dl
    return {"z2": z2, "y_hat": y_hat, "loss": float((y_hat - y) @ (y_hat - y)), "dl_dyhat": dl,
            "dz2_dz1": jac, "grad_b2": dl, "grad_W2": np.outer(dl, z2), "grad_b1": g_b1,
            "grad_W1": np.outer(g_b1, x), "b2_new": b2 - p["eta"] * dl}


def _submit(tmp_path, table: str, answers: dict) -> dict:
    lines = ['student = "hhp9256"', 'assignment = "dl-hw1"', f"[{table}]"]
    lines += [f"{k} = {json.dumps(v.tolist() if isinstance(v, np.ndarray) else v)}" for k, v in answers.items()]
    path = write(tmp_path / "answers.toml", "\n".join(lines) + "\n")
    result = run("submit", path, "--problems", PROBLEMS, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_numeric_pass_carries_a_wrong_z1_through_the_chain(tmp_path):
    z1 = np.array([0.25, -1.75, -0.5])  # unit 3 wrongly inactive: every later value changes
    report = _submit(tmp_path, "numeric_pass", {"z1": z1, **_chain(z1)})
    got = {k.split("/")[1]: v for k, v in statuses(report).items() if k.startswith("numeric_pass/")}
    assert got.pop("z1") == "partial"  # elementwise: two of three entries right
    assert set(got.values()) == {"correct"}, got
    parts = {p["id"]: p for problem in report["problems"] if problem["id"].endswith("numeric_pass")
             for p in problem["parts"]}
    assert "carried forward" in parts["z2"]["feedback"] and "carried forward" in parts["grad_W1"]["feedback"]


def test_numeric_pass_grades_the_true_chain_correct_and_a_broken_one_wrong(tmp_path):
    p = _published()
    W1 = np.array([[p["w11"], p["w12"]], [p["w21"], p["w22"]], [p["w31"], p["w32"]]], dtype=float)
    z1 = W1 @ np.array([p["x1"], p["x2"]], dtype=float) + np.array([p["c1"], p["c2"], p["c3"]], dtype=float)
    chain = _chain(z1)
    report = _submit(tmp_path, "numeric_pass", {"z1": z1, **chain})
    assert {v for k, v in statuses(report).items() if k.startswith("numeric_pass/")} == {"correct"}
    # a y_hat that follows from nothing the student wrote earns no carry-forward
    report = _submit(tmp_path, "numeric_pass", {"z1": z1, "z2": chain["z2"], "y_hat": chain["y_hat"] + 1})
    assert statuses(report)["numeric_pass/y_hat"] == "incorrect"


def test_old_per_entry_jacobian_ids_are_reported_not_silently_dropped(tmp_path):
    path = write(tmp_path / "a.toml", """
        student = "aputhawala"
        assignment = "cs577-a2"
        [jacobian_chain]
        jG_11 = "1"
        jG = "[[1, -5], [y, x], [2x, -1]]"
    """)
    result = run("submit", path, "--problems", PROBLEMS, "--format", "json")
    report = json.loads(result.stdout)
    assert statuses(report)["jacobian_chain/jG"] == "correct"
    assert any("jG_11" in warning for warning in report.get("warnings", [])) or "jG_11" in result.stderr


JACOBIAN = """
title = "jacobian"
[params]
b = 5
[parts.jG]
type = "expression"
points = 1.5
credit = "elementwise"
vars = { x = "real", y = "real" }
answer = "[[1, -b], [y, x], [2 x, -1]]"
"""


X, Y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("written, given", [
    ("[[1, -5], [y, x], [2x, -1]]", [[1, -5], [Y, X], [2 * X, -1]]),
    ("[[1, -5], [y, x], [1, -1]]", [[1, -5], [Y, X], [1, -1]]),
    ("[[1, 5], [x, y], [2x, -1]]", [[1, 5], [X, Y], [2 * X, -1]]),
    ("[[0, 0], [0, 0], [0, 0]]", [[0, 0], [0, 0], [0, 0]]),
])
def test_a_matrix_of_formulas_earns_the_share_of_entries_right(tmp_path, written, given):
    truth = sp.Matrix([[1, -5], [Y, X], [2 * X, -1]])
    share = sum(sp.simplify(a - b) == 0 for a, b in zip(sp.Matrix(given), truth)) / 6
    write(tmp_path / "problems" / "hw" / "p.toml", JACOBIAN)
    answers = write(tmp_path / "a.toml", f'student = "s"\nassignment = "hw"\n[p]\njG = "{written}"\n')
    result = run("submit", answers, "--problems", tmp_path / "problems", "--format", "json")
    part = json.loads(result.stdout)["problems"][0]["parts"][0]
    assert part["score"] == pytest.approx(1.5 * share, abs=1e-3)
    assert part["status"] == {1: "correct", 0: "incorrect"}.get(share, "partial")
