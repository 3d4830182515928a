"""Start-up against its baselines, measured in the same run: `grade --help` against `import click`,
a cold `grade submit` of the demo against `import sympy, numpy`.

Each command runs in a fresh subprocess (as a user's shell starts it), several times in turn with
its baseline, so machine load hits both alike; the figures are medians. "Cold" means a new
interpreter; the parser cache is warm, as on every run after a user's first. Compiled bytecode is
kept (in a temporary PYTHONPYCACHEPREFIX, even where PYTHONDONTWRITEBYTECODE is set), as for an
installed package. Run from the repository root: `python bench/bench_startup.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAIRS = {
    "grade --help": ([sys.executable, "-m", "grader", "--help"], [sys.executable, "-c", "import click"]),
    "grade submit (demo)": ([sys.executable, "-m", "grader", "submit", "submissions/demo/alice.toml"],
                            [sys.executable, "-c", "import sympy, numpy"]),
}


def seconds(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    figures = {}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="grade-bench-pyc-") as bytecode:
        env["PYTHONPYCACHEPREFIX"] = bytecode
        for name, (command, baseline) in PAIRS.items():
            seconds(command, env)  # writes bytecode and the parser cache; not counted
            seconds(baseline, env)
            ours, theirs = [], []
            for _ in range(runs):
                ours.append(seconds(command, env))
                theirs.append(seconds(baseline, env))
            ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
            print(f"{name:<22} {ours_median * 1000:7.0f} ms   baseline {' '.join(baseline[1:]):<28} "
                  f"{theirs_median * 1000:7.0f} ms   ratio {ours_median / theirs_median:.2f}")
            figures[name] = {"ms": ours_median * 1000, "baseline": " ".join(baseline[1:]),
                             "baseline_ms": theirs_median * 1000, "ratio": ours_median / theirs_median,
                             "runs": runs}
    out = ROOT / "bench" / "results" / "startup.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
