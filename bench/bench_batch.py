"""Benchmark: a class through the gradebook (batch, regrade, export, stats, size), each figure against its target.

    python bench/bench_batch.py [--students 1000] [--baseline REV] [--jobs1] [--loop 0] [--assignment dl-hw1]

One run, on one synthetic class (bench/synthetic_class.py):
- `grade batch --jobs 2 --db`: seconds, and ratio to the target (45 s per 10,000 students);
- `grade regrade --jobs 2` over that gradebook: ratio to the batch (target <= 1.3);
- `grade export` and `grade stats` on it: seconds (target < 1 s each, the whole command), and their work
  alone (the same calls without the command's imports, in this process);
- gradebook size: MB per 1,000 students (target <= 8).
`--baseline REV` runs the same commands with the grader of commit REV (extracted with `git archive`, problems
from here) in the same run and prints each figure's ratio to it. `--jobs1` also grades with `--jobs 1 --no-db`
and checks the outputs are identical; `--loop N` times N students with one `grade submit` process each.
Peak memory is the largest summed RSS of the process and its workers, sampled every 20 ms.
Results: stdout and bench/results/batch.json.
"""

from __future__ import annotations

import argparse
import json
import os
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


def timed(command: list[str], cwd: Path = REPO) -> tuple[float, int, subprocess.CompletedProcess]:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
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


TARGETS = {"batch": 45.0 / 10_000, "export": 1.0, "stats": 1.0, "mb_per_1000": 8.0}   # batch: seconds per student


def baseline_tree(rev: str, into: Path) -> Path:
    """The grader package of commit `rev`, extracted to run side by side with this one."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "grader"], capture_output=True, check=True)
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def gradebook_figures(tree: Path, work: Path, name: str, problems: str, students: int) -> dict:
    """batch --db, regrade, export, stats and size, with the grader found in `tree`."""
    grade = [sys.executable, "-m", "grader"]
    db = work / f"{name}.sqlite"
    figures = {}
    steps = [("batch", ["batch", str(work / "class"), "--problems", problems, "--jobs", "2", "--db", str(db),
                        "--format", "json"]),
             ("regrade", ["regrade", "--db", str(db), "--problems", problems]
              + (["--jobs", "2"] if name == "new" else [])),
             ("export", ["export", "--db", str(db)]),
             ("stats", ["stats", "--db", str(db), "--problems", problems])]   # its rule notes need the bank
    for step, command in steps:
        elapsed, peak, result = timed(grade + command, cwd=tree)
        if result.returncode not in (0, 2):
            raise SystemExit(f"{name} {step} failed: {result.stderr[-2000:]}")
        figures[step] = {"seconds": elapsed, "peak_mb": peak / 2**20, "output": result.stdout}
        if step == "batch":   # regrade adds gradings: the size is the batch's
            figures["mb_per_1000"] = db.stat().st_size / 2**20 * 1000 / students
    if name == "new":
        figures.update(work_of_export_and_stats(db))
    return figures


def work_of_export_and_stats(db: Path) -> dict:
    """export and stats without the command's start-up (imports), timed in this process."""
    from grader.formats import csv_table
    from grader.gradebook import Gradebook, export_rows
    from grader.stats import stored_analysis

    found = {}
    start = time.perf_counter()
    with Gradebook(db, readonly=True) as gradebook:
        csv_table(*export_rows(gradebook.latest(reports=False)))
    found["export work"] = {"seconds": time.perf_counter() - start}
    start = time.perf_counter()
    with Gradebook(db, readonly=True) as gradebook:
        latest = {(s.student, s.assignment): s.submission_id for s in gradebook.latest(reports=False) if s.report}
        stored_analysis(gradebook, latest.values())
    found["stats work"] = {"seconds": time.perf_counter() - start}
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--baseline", default=None, help="a commit whose grader to run alongside (e.g. c0bf37e)")
    parser.add_argument("--jobs1", action="store_true", help="also --jobs 1, and check the outputs match")
    parser.add_argument("--loop", type=int, default=0, help="students timed with one process each")
    parser.add_argument("--assignment", default="dl-hw1")
    parser.add_argument("--problems", default=str(REPO / "problems"))
    args = parser.parse_args()

    bank = Bank(args.problems)
    assignment = args.assignment
    problems = [p for p in bank.assignment(assignment)]
    parts = sum(len(p.model.parts) for p in problems)
    graded = sum(sum(q.type != "text" for q in p.model.parts.values()) for p in problems)
    work = Path(tempfile.mkdtemp(prefix="grade-bench-"))
    started = time.perf_counter()
    files = make_class(Path(args.problems), assignment, work / "class", args.students)
    print(f"class: {len(files)} students x {parts} parts ({graded} auto-graded) of {assignment}; "
          f"generated in {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}")

    trees = {"new": REPO}
    if args.baseline:
        trees["baseline"] = baseline_tree(args.baseline, work / "baseline")
    found = {name: gradebook_figures(tree, work, name, args.problems, len(files)) for name, tree in trees.items()}
    new, base = found["new"], found.get("baseline")
    targets = {"batch": TARGETS["batch"] * len(files), "regrade": 1.3 * new["batch"]["seconds"],
               "export": TARGETS["export"], "stats": TARGETS["stats"], "export work": TARGETS["export"],
               "stats work": TARGETS["stats"], "mb_per_1000": TARGETS["mb_per_1000"]}
    rows = {}
    print(f"\n{'figure':<22}{'value':>10}{'target':>10}{'/target':>9}" + (f"{'baseline':>10}{'/baseline':>10}"
                                                                         if base else ""))
    for key, target in targets.items():
        value = new[key] if key == "mb_per_1000" else new[key]["seconds"]
        unit = "MB/1000" if key == "mb_per_1000" else "s"
        row = {"value": value, "unit": unit, "target": target, "ratio_to_target": value / target}
        line = f"{key + ' (' + unit + ')':<22}{value:>10.2f}{target:>10.2f}{value / target:>8.2f}x"
        if base and key in base:
            before = base[key] if key == "mb_per_1000" else base[key]["seconds"]
            row.update(baseline=before, ratio_to_baseline=value / before)
            line += f"{before:>10.2f}{value / before:>9.2f}x"
        rows[key] = row
        print(line)
    print(f"regrade / batch: {new['regrade']['seconds'] / new['batch']['seconds']:.2f} (target <= 1.3); "
          f"peak MB: batch {new['batch']['peak_mb']:.0f}, regrade {new['regrade']['peak_mb']:.0f}")
    same = {}
    if base:
        same["export_equals_baseline"] = new["export"]["output"] == base["export"]["output"]
        same["stats_equals_baseline"] = new["stats"]["output"] == base["stats"]["output"]
        same["batch_equals_baseline"] = new["batch"]["output"] == base["batch"]["output"]
    grade = [sys.executable, "-m", "grader"]
    if args.jobs1:
        elapsed, peak, result = timed(grade + ["batch", str(work / "class"), "--problems", args.problems,
                                               "--jobs", "1", "--no-db", "--format", "json"])
        rows["batch --jobs 1 --no-db"] = {"value": elapsed, "unit": "s"}
        same["jobs1_equals_jobs2"] = result.stdout == new["batch"]["output"]
        print(f"batch --jobs 1 --no-db: {elapsed:.1f} s")
    if args.loop:
        start = time.perf_counter()
        looped = [json.loads(timed(grade + ["submit", str(path), "--problems", args.problems, "--format", "json"])[2]
                             .stdout)["problems"] for path in files[: args.loop]]
        loop_rate = args.loop / (time.perf_counter() - start)
        same["batch_equals_loop"] = looped == [r["problems"] for r in json.loads(new["batch"]["output"])[: args.loop]]
        rows["loop of grade submit"] = {"value": loop_rate, "unit": "submissions/s",
                                        "batch_speedup": len(files) / new["batch"]["seconds"] / loop_rate}
        print(f"loop of grade submit: {loop_rate:.1f} subm/s; batch --jobs 2 is "
              f"{rows['loop of grade submit']['batch_speedup']:.0f}x that")
    if same:
        print("identical outputs: " + ", ".join(f"{k} {v}" for k, v in same.items()))
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "batch.json").write_text(json.dumps({
        "assignment": assignment, "students": len(files), "parts": parts, "auto_graded_parts": graded,
        "load_average": os.getloadavg(), "figures": rows, "identical": same,
    }, indent=2))


if __name__ == "__main__":
    main()
