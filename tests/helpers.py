"""Shared test helpers: throwaway problem banks and a CLI runner."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

REPO = Path(__file__).resolve().parent.parent
PROBLEMS = REPO / "problems"
SUBMISSIONS = REPO / "submissions"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def run(*args, cwd: Path | None = None):
    """Run `grade ARGS` as a user would; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


def submit_json(answers: Path, problems: Path = PROBLEMS) -> dict:
    result = run("submit", answers, "--problems", problems, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def statuses(report: dict) -> dict[str, str]:
    """{"problem/part": status} from a JSON report."""
    return {f"{p['id'].split('/', 1)[1]}/{part['id']}": part["status"]
            for p in report["problems"] for part in p["parts"]}


def assert_verdicts(report: dict, verdicts: dict[str, tuple[str, float]], tolerance: float = 1e-9) -> None:
    """Every part's status and score as pinned: {"problem/part": (status, score)}, nothing more."""
    assert statuses(report) == {key: status for key, (status, _) in verdicts.items()}
    for key, (_, score) in verdicts.items():
        assert part(report, key)["score"] == pytest.approx(score, abs=tolerance), key


def part(report: dict, key: str) -> dict:
    problem, pid = key.split("/")
    for p in report["problems"]:
        if p["id"].endswith("/" + problem):
            for item in p["parts"]:
                if item["id"] == pid:
                    return item
    raise KeyError(key)


ONE_NUMBER = """
title = "One number"
statement = "Compute 2 * {x}."

[params]
x = { value = 1.5, draw = { uniform = [1.0, 2.0], decimals = 2 } }

[parts.double]
type = "number"
points = 2
answer = "2*x"
"""

CHAIN = """
title = "Backprop through a linear layer"

[params]
c = { value = 2, draw = { choice = [2, 3] } }

[parts.dz]
type = "expression"
answer = "c (z - y)"
vars = { z = "vector(n)", y = "vector(n)" }

[parts.dW]
type = "expression"
answer = "dz x^T"
vars = { z = "vector(n)", y = "vector(n)", x = "vector(m)" }
carry_forward = 0.5

[parts.dx]
type = "expression"
answer = "W^T dz"
vars = { z = "vector(n)", y = "vector(n)", W = "matrix(n, m)" }
"""

