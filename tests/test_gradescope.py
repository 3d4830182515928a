"""`grade submit --format gradescope`: the results.json a Gradescope autograder uploads."""

from __future__ import annotations

import json

from click.testing import CliRunner

from grader.cli import main

from .helpers import PROBLEMS, SUBMISSIONS


def _results(answers) -> dict:
    result = CliRunner().invoke(main, ["submit", str(answers), "--problems", str(PROBLEMS), "--format", "gradescope"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_gradescope_results_carry_the_total_and_one_test_per_part():
    results = _results(SUBMISSIONS / "demo" / "alice.toml")
    assert results["score"] == 6.5
    tests = {t["name"]: t for t in results["tests"]}
    assert list(tests)[:2] == ["demo/matrix_calculus/grad_bilinear", "demo/matrix_calculus/grad_quadratic"]
    assert len(tests) == 10 and sum(t["max_score"] for t in tests.values()) == 14
    assert sum(t["score"] for t in tests.values()) == results["score"]
    assert tests["demo/neuron/z"]["status"] == "passed" and tests["demo/neuron/z"]["score"] == 1
    assert tests["demo/matrix_calculus/params"]["status"] == "failed"
    assert "sign error" in tests["demo/matrix_calculus/params"]["output"]
    assert tests["demo/neuron/dsigma"]["output"].startswith("invalid")
    assert all(t["visibility"] == "visible" for t in tests.values())
    assert "6.5 / 14" in results["output"] and results["stdout_visibility"] == "hidden"
