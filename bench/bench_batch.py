"""Benchmark: `grade batch --jobs 1` and `--jobs 2` against a loop of one `grade submit` process per student.

    python bench/bench_batch.py [--students 1000] [--loop 40] [--assignment NAME]

All three run in this process's run on the same synthetic class (bench/synthetic_class.py). The
loop is timed on its first --loop students and compared by throughput (submissions per second).
Peak memory is the largest summed RSS of the batch process and its workers, sampled every 20 ms.
Results: stdout and bench/results/batch.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from grader.bank import Bank  # noqa: E402
from synthetic_class import make_class  # noqa: E402


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def timed(command: list[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, peak, subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def largest_assignment(bank: Bank) -> str:
    def graded_parts(name):
        return sum(sum(p.type != "text" for p in item.model.parts.values())
                   for item in bank.assignment(name) if not isinstance(item, Exception))
    return max(bank.assignments(), key=graded_parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--loop", type=int, default=40, help="students timed with one process each")
    parser.add_argument("--assignment", default=None)
    parser.add_argument("--problems", default=str(REPO / "problems"))
    args = parser.parse_args()

    bank = Bank(args.problems)
    assignment = args.assignment or largest_assignment(bank)
    problems = [p for p in bank.assignment(assignment)]
    parts = sum(len(p.model.parts) for p in problems)
    graded = sum(sum(q.type != "text" for q in p.model.parts.values()) for p in problems)
    work = Path(tempfile.mkdtemp(prefix="grade-bench-"))
    started = time.perf_counter()
    files = make_class(Path(args.problems), assignment, work / "class", args.students)
    print(f"class: {len(files)} students x {parts} parts ({graded} auto-graded) of {assignment}; "
          f"generated in {time.perf_counter() - started:.1f} s")

    grade = [sys.executable, "-m", "grader"]
    runs = {}
    outputs = {}
    for jobs in (1, 2):
        elapsed, peak, result = timed(grade + ["batch", str(work / "class"), "--problems", args.problems,
                                               "--jobs", str(jobs), "--no-db", "--format", "json"])
        if result.returncode not in (0, 2):
            raise SystemExit(f"batch failed: {result.stderr[-2000:]}")
        outputs[jobs] = result.stdout
        runs[f"batch --jobs {jobs}"] = {"seconds": elapsed, "submissions": len(files), "peak_mb": peak / 2**20}

    loop_files = files[: args.loop]
    start = time.perf_counter()
    loop_peak = 0
    loop_reports = []
    for path in loop_files:
        _, peak, result = timed(grade + ["submit", str(path), "--problems", args.problems, "--format", "json"])
        loop_peak = max(loop_peak, peak)
        loop_reports.append(json.loads(result.stdout))
    runs["loop of grade submit"] = {"seconds": time.perf_counter() - start, "submissions": len(loop_files),
                                    "peak_mb": loop_peak / 2**20}

    same_across_jobs = outputs[1] == outputs[2]
    batch_reports = json.loads(outputs[2])[: len(loop_reports)]
    same_as_loop = [r["problems"] for r in batch_reports] == [r["problems"] for r in loop_reports]
    loop_rate = runs["loop of grade submit"]["submissions"] / runs["loop of grade submit"]["seconds"]
    print(f"\n{'run':<22}{'students':>9}{'seconds':>9}{'subm/s':>9}{'checks/s':>10}{'peak MB':>9}{'vs loop':>9}")
    for name, run in runs.items():
        rate = run["submissions"] / run["seconds"]
        run.update(submissions_per_s=rate, checks_per_s=rate * graded, speedup_vs_loop=rate / loop_rate)
        print(f"{name:<22}{run['submissions']:>9}{run['seconds']:>9.1f}{rate:>9.1f}{rate * graded:>10.0f}"
              f"{run['peak_mb']:>9.0f}{rate / loop_rate:>8.1f}x")
    print(f"\njobs=1 and jobs=2 outputs identical: {same_across_jobs}; batch equals the loop on its "
          f"{len(loop_reports)} students: {same_as_loop}")
    two = runs["batch --jobs 2"]
    print(f"targets: {len(files)} students with --jobs 2 in {two['seconds']:.1f} s (target < 30 s for 1000); "
          f"{two['speedup_vs_loop']:.0f}x the loop's throughput (target >= 20x)")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "batch.json").write_text(json.dumps({
        "assignment": assignment, "students": len(files), "parts": parts, "auto_graded_parts": graded,
        "runs": runs, "identical_across_jobs": same_across_jobs, "batch_equals_loop": same_as_loop,
    }, indent=2))


if __name__ == "__main__":
    main()
