"""Python solvers that hang, exit or print, and workers whose parent is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import REPO, run, write
from .test_batch import make_class

SOLVED = """
title = "Solved by python"

[params]
x = 2.0

[parts.y]
type = "number"
points = 1

[solver]
python = "s.py"
"""

HANGS = "def solve(params):\n    while True:\n        pass\n"
BLOCKS_THE_TIMER = """
import signal, time

def solve(params):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(600)
"""
EXITS = "import sys\n\ndef solve(params):\n    sys.exit(3)\n"
PRINTS = "import sys\n\ndef solve(params):\n    print('debug', params)\n    sys.stdout.write('{oops')\n    return {'y': 2 * params['x']}\n"


@pytest.fixture
def bank(tmp_path, monkeypatch):
    """hw: a problem graded by python (s.py, written by each test) and an ordinary one."""
    root = tmp_path / "problems"
    write(root / "hw" / "p.toml", SOLVED)
    write(root / "hw" / "q.toml", 'title = "Plain"\n[parts.z]\ntype = "number"\npoints = 1\nanswer = "3"\n')
    write(root / "hw" / "_assignment.toml", 'published = ["ann", "ben"]\n')
    monkeypatch.setattr("grader.solve.SOLVER_LIMIT", 1.0)
    monkeypatch.setattr("grader.pipeline.SOLVER_LIMIT", 1.0)
    monkeypatch.setattr("grader.batch.GRACE", 0.5)
    return root


def _answers(folder: Path, names=("ann",)) -> Path:
    for name in names:
        write(folder / f"{name}.toml", f'student = "{name}"\nassignment = "hw"\n[p]\ny = 4\n[q]\nz = 3\n')
    return folder


def _parts(report: dict) -> dict:
    return {f"{p['id']}/{q['id']}": (q["status"], q["feedback"]) for p in report["problems"] for q in p["parts"]}


def test_a_hung_solver_is_stopped_by_its_time_limit_in_submit_and_check(tmp_path, bank):
    write(bank / "hw" / "s.py", HANGS)
    started = time.monotonic()
    result = run("submit", _answers(tmp_path / "subs") / "ann.toml", "--problems", bank, "--format", "json")
    assert result.exit_code == 0, result.stderr
    parts = _parts(json.loads(result.stdout))
    assert parts["hw/p/y"] == ("ungraded", "problem could not be graded: solver s.py did not finish within 1 s")
    assert parts["hw/q/z"][0] == "correct"
    checked = run("check", bank / "hw" / "p.toml", "--variants", "3")
    assert checked.exit_code == 1 and "solver s.py did not finish within 1 s" in checked.stdout
    assert time.monotonic() - started < 30


def test_a_solver_that_exits_or_prints_cannot_break_the_report(tmp_path, bank):
    answers = _answers(tmp_path / "subs") / "ann.toml"
    write(bank / "hw" / "s.py", EXITS)
    result = run("submit", answers, "--problems", bank, "--format", "json")
    assert result.exit_code == 0
    assert _parts(json.loads(result.stdout))["hw/p/y"][1] == "problem could not be graded: solver s.py called sys.exit(3)"
    write(bank / "hw" / "s2.py", PRINTS)
    write(bank / "hw" / "p.toml", SOLVED.replace('"s.py"', '"s2.py"'))
    result = run("submit", answers, "--problems", bank, "--format", "json")
    assert _parts(json.loads(result.stdout))["hw/p/y"][0] == "correct"
    assert "debug" in result.stderr
    batch = run("batch", _answers(tmp_path / "subs", ("ann", "ben")), "--problems", bank, "--no-db",
                "--format", "json", "--jobs", "2")
    assert batch.exit_code == 0
    assert [r["student"] for r in json.loads(batch.stdout)] == ["ann", "ben"]


@pytest.mark.parametrize("solver", [HANGS, BLOCKS_THE_TIMER], ids=["interruptible", "blocks-the-timer"])
def test_a_hung_solver_in_batch_is_blamed_and_costs_its_budget(tmp_path, bank, solver):
    write(bank / "hw" / "s.py", solver)
    started = time.monotonic()
    result = run("batch", _answers(tmp_path / "subs", ("ann", "ben")), "--problems", bank, "--no-db",
                 "--format", "json", "--jobs", "2")
    assert time.monotonic() - started < 45
    assert result.exit_code == 0, result.stderr
    for report in json.loads(result.stdout):
        parts = _parts(report)
        assert parts["hw/q/z"][0] == "correct"                       # not blamed: the part graded before it
        status, feedback = parts["hw/p/y"]
        assert status == "ungraded"
        assert feedback in ("problem could not be graded: solver s.py did not finish within 1 s",
                            "problem could not be graded: computing its answers (the solver) did not finish "
                            "and the worker was replaced")
        if solver == BLOCKS_THE_TIMER:
            assert "worker was replaced" in feedback


def test_files_waiting_for_a_replaced_worker_are_all_graded_in_order(tmp_path, bank):
    """One worker holds two files (one grading, the next queued); when it is replaced both go to the
    next worker, and the queued one is graded as if nothing had happened to it."""
    write(bank / "hw" / "s.py", BLOCKS_THE_TIMER)
    result = run("batch", _answers(tmp_path / "subs", ("ann", "ben")), "--problems", bank, "--no-db",
                 "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    reports = json.loads(result.stdout)
    assert [r["student"] for r in reports] == ["ann", "ben"]
    for report in reports:
        parts = _parts(report)
        assert parts["hw/q/z"] == ("correct", "")
        assert parts["hw/p/y"] == ("ungraded", "problem could not be graded: computing its answers (the solver) "
                                               "did not finish and the worker was replaced")


def test_a_replaced_worker_blames_the_file_it_was_on_not_one_it_had_finished(bank):
    """The worker had finished `a` (its outcome not yet sent: a check holding the interpreter can starve
    the thread that sends it) and hung on `b`: `b` gets the hung part in its skip set, `a` goes back as
    it was, to be graded again in full."""
    from grader.batch import Pool

    pool = Pool(bank, "", 1)
    try:
        slot = pool.slots[0]
        a, b = (0, "a.toml", (), None, None), (1, "b.toml", (), None, None)
        slot.queued = [a, b]
        slot.beacon[0], slot.beacon[1], slot.beacon[4] = 2, 3, 1
        assert pool._replace(slot) == [(1, "b.toml", ((2, 3),), None, None), a]
        slot.queued = [a, b]                                  # on none (between files): the first is blamed
        slot.beacon[0], slot.beacon[1], slot.beacon[4] = -1, -1, -1
        assert pool._replace(slot) == [(0, "a.toml", None, None, None), b]
    finally:
        pool.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the workers")
def test_workers_exit_when_the_batch_process_is_killed(tmp_path):
    from .helpers import PROBLEMS
    folder = make_class(tmp_path / "subs", 300)
    process = subprocess.Popen([sys.executable, "-m", "grader", "batch", str(folder), "--problems",
                                str(PROBLEMS), "--no-db", "--jobs", "2"], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    expected = min(2, len(os.sched_getaffinity(0)))                     # --jobs is capped at the cores
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < expected:
        time.sleep(0.1)
        workers = _children(process.pid)
    assert len(workers) == expected
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(5)
    assert [w for w in workers if _alive(w)] == []
