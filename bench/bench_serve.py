"""Benchmark: `grade serve` under a class, against `grade batch` of the same files in the same run.

    python bench/bench_serve.py [--typists 50] [--burst 200] [--think 0.25] [--workers N]

One run, on a synthetic dl-hw1 class (bench/synthetic_class.py), against a real `grade serve` on localhost:
- typists: each validates answers as they are typed (10 validations: growing prefixes of their answers,
  `--think` seconds apart, as an editor's debounce would send them), then submits their answers file;
- burst: `--burst` other students submit their answers files all at once;
- then every acknowledged submission is looked up in the gradebook (lost = acknowledged, not stored);
- `grade batch --no-db` grades the burst's files (a fresh process, as CI runs it): the ratio of the
  burst's wall time to it;
- the CPU seconds the burst cost the service's process, its grading workers and this client (which
  shares the cores): where a burst's time goes.
Targets (2 cores): validate p99 < 50 ms with 50 typists; submit p99 < 2 s with 200 at once; 0 errors; 0 lost.
Validations are also split by whether a submission was being graded when they were sent, and a probe
times `/healthz` (a request that does nothing) meanwhile: the floor the machine's load sets.
Results: stdout and bench/results/serve.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from grader.service import tokens  # noqa: E402
from grader.service.store import SqliteStore  # noqa: E402
from synthetic_class import make_class  # noqa: E402

ASSIGNMENT = "dl-hw1"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a live process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def burst_cpu(server: int) -> dict:
    """CPU seconds so far of the service's process, of its grading workers, and of this client."""
    return {"service": cpu_seconds(server), "workers": sum(cpu_seconds(c) for c in children(server)),
            "client": cpu_seconds(os.getpid())}


def typed(answers: dict) -> list[tuple[str, str, object]]:
    """(problem, part, text so far) as a student types their answers: growing prefixes of each string."""
    steps = []
    for problem, parts in answers.items():
        for part, value in parts.items():
            if isinstance(value, str) and len(value) > 1:
                cuts = sorted({max(1, len(value) * k // 3) for k in (1, 2, 3)})
                steps += [(problem, part, value[:cut]) for cut in cuts]
            else:
                steps.append((problem, part, value))
    return steps


async def typist(client, url, token, path: Path, think: float, rng: random.Random, out: dict) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    text = path.read_text()
    data = tomllib.loads(text)
    answers = {k: v for k, v in data.items() if isinstance(v, dict)}
    for problem, part, value in typed(answers)[:10]:
        await asyncio.sleep(think * (0.5 + rng.random()))
        await timed(out, "validate", client.post(f"{url}/api/v1/validate", headers=headers, json={
            "assignment": ASSIGNMENT, "problem": problem, "part": part, "answer": value}))
    await submitter(client, url, token, path, out)


async def submitter(client, url, token, path: Path, out: dict) -> None:
    key = f"bench-{path.stem}"
    out["in_flight"] += 1
    try:
        response = await timed(out, "submit", client.post(f"{url}/api/v1/submissions", json={"toml": path.read_text()},
                                                      headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key}))
    finally:
        out["in_flight"] -= 1
    if response is not None and response.status_code == 200:
        out["acknowledged"].add(response.json()["submission_id"])


async def timed(out: dict, kind: str, request):
    """Await a request; its latency goes to `kind`, and a validation's also to whether grading was going on."""
    start, busy = time.perf_counter(), out["in_flight"] > 0
    try:
        response = await request
    except httpx.HTTPError as error:
        out["errors"].append(f"{kind}: {type(error).__name__}")
        return None
    out[kind].append(time.perf_counter() - start)
    if kind == "validate":
        out["validate_busy" if busy else "validate_idle"].append(time.perf_counter() - start)
    if response.status_code != 200:
        out["errors"].append(f"{kind}: {response.status_code} {response.text[:200]}")
    return response


async def phase(url, tokens_by_student, files, think, typing: bool) -> tuple[dict, float]:
    """Each student has a client (a connection) of their own, as on their own machine. One client for all
    kept a pool of 200 connections that httpcore scans on every request and reply: the benchmark's own
    process then took a third of the 2 cores during a burst (1.1 to 1.5 CPU seconds of about 4)."""
    out = {"validate": [], "validate_idle": [], "validate_busy": [], "submit": [], "healthz": [], "errors": [],
           "acknowledged": set(), "in_flight": 0}
    certificates = ssl.create_default_context()   # loaded once: plain http here, but each client builds a context
    clients = [httpx.AsyncClient(timeout=120, verify=certificates) for _ in range(len(files) + 1)]
    try:
        start = time.perf_counter()
        if typing:
            jobs = [typist(client, url, tokens_by_student[f.stem], f, think, random.Random(f.stem), out)
                    for client, f in zip(clients, files)]
        else:
            jobs = [submitter(client, url, tokens_by_student[f.stem], f, out) for client, f in zip(clients, files)]
        done = asyncio.Event()

        async def floor():   # the latency of a request that does nothing, at the same moments
            while not done.is_set():
                await timed(out, "healthz", clients[-1].get(f"{url}/healthz"))
                await asyncio.sleep(0.05)

        probe = asyncio.create_task(floor())
        await asyncio.gather(*jobs)
        done.set()
        await probe
        return out, time.perf_counter() - start
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--typists", type=int, default=50)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--think", type=float, default=0.25, help="seconds between a typist's validations (mean)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        files = make_class(REPO / "problems", ASSIGNMENT, tmp / "class", args.typists + args.burst)
        students = [f.stem for f in files]
        (tmp / "roster.csv").write_text("student\n" + "\n".join(students) + "\n")
        (tmp / "course.toml").write_text(f'roster = "roster.csv"\n\n[assignments.{ASSIGNMENT}]\n'
                                         'due = 2099-01-01T00:00:00Z\nfeedback = "hints"\n')
        db = tmp / "gradebook.sqlite"
        store = SqliteStore(db)
        issued = tokens.issue(store, students, "student", "2026-01-01T00:00:00Z")
        store.close()

        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "GRADE_SECRET"}   # the class was drawn without one
        server = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--course", str(tmp / "course.toml"),
                                   "--db", str(db), "--port", str(port), "--workers", str(args.workers)],
                                  cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            typing, typing_s = asyncio.run(phase(url, issued, files[:args.typists], args.think, True))
            before = burst_cpu(server.pid)
            burst, burst_s = asyncio.run(phase(url, issued, files[args.typists:], args.think, False))
            after = burst_cpu(server.pid)
        finally:
            server.terminate()
            server.wait(120)
        with sqlite3.connect(db) as connection:
            stored = {row[0] for row in connection.execute("SELECT submission_id FROM service_submissions")}
        acknowledged = typing["acknowledged"] | burst["acknowledged"]
        lost = len(acknowledged - stored)

        (tmp / "burst").mkdir()
        for path in files[args.typists:]:
            (tmp / "burst" / path.name).write_text(path.read_text())
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "grader", "batch", str(tmp / "burst"), "--no-db", "--jobs",
                        str(args.workers), "--out", str(tmp / "batch.csv")], cwd=REPO, env=env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        batch_s = time.perf_counter() - start

    requests = len(typing["validate"]) + len(typing["submit"]) + len(burst["submit"])
    figures = {
        "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (shared machine)",
        "typists": args.typists, "think_s": args.think, "burst": args.burst, "workers": args.workers,
        "validate_p50_ms": round(percentile(typing["validate"], 50) * 1000, 1),
        "validate_p99_ms": round(percentile(typing["validate"], 99) * 1000, 1),
        "validate_idle_p99_ms": round(percentile(typing["validate_idle"], 99) * 1000, 1),
        "validate_busy_p99_ms": round(percentile(typing["validate_busy"], 99) * 1000, 1),
        "healthz_p99_ms": round(percentile(typing["healthz"], 99) * 1000, 1),
        "validations": f'{len(typing["validate_idle"])} with no grading in flight, {len(typing["validate_busy"])} with',
        "burst_healthz_p99_ms": round(percentile(burst["healthz"], 99) * 1000, 1),
        "typists_submit_p50_s": round(percentile(typing["submit"], 50), 3),
        "typists_submit_p99_s": round(percentile(typing["submit"], 99), 3),
        "burst_submit_p50_s": round(percentile(burst["submit"], 50), 3),
        "burst_submit_p99_s": round(percentile(burst["submit"], 99), 3),
        "requests_per_s": round(requests / (typing_s + burst_s), 1),
        "burst_submissions_per_s": round(len(burst["submit"]) / burst_s, 1),
        "errors": len(typing["errors"]) + len(burst["errors"]), "lost": lost,
        "burst_s": round(burst_s, 2), "batch_s": round(batch_s, 2),
        "burst_over_batch": round(burst_s / batch_s, 2),
        "burst_cpu_s": ", ".join(f"{who} {after[who] - before[who]:.2f}" for who in after),
    }
    for name, value in figures.items():
        print(f"{name:24} {value}")
    for error in (typing["errors"] + burst["errors"])[:10]:
        print("error:", error)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "serve.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
