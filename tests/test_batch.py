"""`grade batch`, `merge`, `export`, `regrade`, `stats`: a class at a time, nothing lost."""

from __future__ import annotations

import csv
import io
import json
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from grader.check import TYPES

from .helpers import ONE_NUMBER, REPO, run, write

ANSWERS = [  # (neuron z, neuron a, matrix_calculus grad_bilinear, grad_quadratic)
    ("0.1", '"sigmoid(0.1)"', '"a b^T"', '"(A + A^T) x"'),
    ("0.1", "0.525", '"a b\'"', '"2 A x"'),
    ("-0.1", "0.475", '"b a^T"', '"A x + A^T x"'),
    ('"0.1"', '"1/(1+e^-0.1)"', '"a^T b"', '"x^T A"'),
    ("0.2", '"sigma(0.2)"', '"a b^T"', '"(A + A^T) x"'),
]


def make_class(folder, count: int, published: bool = True):
    """`count` answers files for the demo assignment, in a few realistic variations."""
    for i in range(count):
        z, a, bilinear, quadratic = ANSWERS[i % len(ANSWERS)]
        write(folder / f"s{i:03d}.toml", f"""
            student = "s{i:03d}"
            assignment = "demo"
            [neuron]
            z = {z}
            a = {a}
            [matrix_calculus]
            grad_bilinear = {bilinear}
            grad_quadratic = {quadratic}
            params = 7850
        """)
    return folder


def batch(folder, bank, *args):
    return run("batch", folder, "--problems", bank, *args)


def test_batch_grades_a_class_in_every_format(tmp_path, bank):
    folder = make_class(tmp_path / "subs", 10)
    db = tmp_path / "g.sqlite"
    result = batch(folder, bank, "--db", db, "--jobs", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""                                   # no progress bar when piped
    reports = json.loads(result.stdout)
    assert [r["student"] for r in reports] == [f"s{i:03d}" for i in range(10)]
    first = {p["id"]: {q["id"]: q["status"] for q in p["parts"]} for p in reports[0]["problems"]}
    assert first["demo/neuron"]["z"] == "correct" and first["demo/matrix_calculus"]["grad_bilinear"] == "correct"
    bilinear = reports[3]["problems"][0]["parts"][0]
    assert bilinear["status"] == "invalid" and "the inner sizes m and n differ" in bilinear["feedback"]

    rows = list(csv.DictReader(io.StringIO(batch(folder, bank, "--no-db", "--format", "csv").stdout)))
    assert len(rows) == 10 and rows[0]["student"] == "s000"
    assert rows[0]["demo/neuron:z"] == "1" and rows[2]["demo/neuron:z"] == "0"
    assert float(rows[0]["score"]) == reports[0]["score"]

    suites = ET.fromstring(batch(folder, bank, "--no-db", "--format", "junit").stdout).findall("testsuite")
    assert len(suites) == 10 and all(s.get("tests") == "10" for s in suites)

    summary = batch(folder, bank, "--no-db", "--format", "markdown").stdout
    assert "## Grades: 10 submissions" in summary and "### Hardest parts" in summary
    assert "mean:" in summary and "median:" in summary and "| 90-100% |" in summary


def test_results_do_not_depend_on_the_number_of_workers(tmp_path, bank):
    folder = make_class(tmp_path / "subs", 12)
    for fmt in ("json", "csv"):
        one = batch(folder, bank, "--no-db", "--jobs", "1", "--format", fmt).stdout
        two = batch(folder, bank, "--no-db", "--jobs", "2", "--format", fmt).stdout
        assert one == two


def test_shards_cover_the_class_once_and_merge_to_the_same_outputs(tmp_path, bank):
    folder = make_class(tmp_path / "subs", 15)
    whole = batch(folder, bank, "--no-db", "--format", "json").stdout
    shards = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}.json"
        assert batch(folder, bank, "--no-db", "--shard", f"{k}/3", "--format", "json", "--out", out).exit_code == 0
        shards.append(out)
    sizes = [len(json.loads(s.read_text())) for s in shards]
    assert sum(sizes) == 15 and all(sizes)
    for fmt in ("json", "csv", "markdown"):
        merged = run("merge", *shards, "--problems", bank, "--format", fmt).stdout
        assert merged == batch(folder, bank, "--no-db", "--format", fmt).stdout
    assert json.loads(run("merge", *shards, "--format", "json").stdout) == json.loads(whole)
    assert batch(folder, bank, "--shard", "4/3").exit_code == 2


def test_a_corrupt_file_in_the_middle_becomes_an_error_row(tmp_path, bank):
    folder = make_class(tmp_path / "subs", 6)
    (folder / "s002.toml").write_text('student = "s002"\nassignment = "demo"\n[neuron\nz = 1\n')
    (folder / "s004.toml").write_bytes(b"\xff\xfe\x00garbage")
    db = tmp_path / "g.sqlite"
    result = batch(folder, bank, "--db", db, "--format", "csv")
    assert result.exit_code == 2
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["error"] != "" for r in rows] == [False, False, True, False, True, False]
    assert "TOML syntax error" in rows[2]["error"] and rows[2]["file"].endswith("s002.toml")
    assert "not UTF-8" in rows[4]["error"]
    assert "s002.toml" in result.stderr and "s004.toml" in result.stderr
    suites = ET.fromstring(batch(folder, bank, "--no-db", "--format", "junit").stdout).findall("testsuite")
    unusable = suites[-1]
    assert unusable.get("name") == "unusable files" and unusable.get("errors") == "2"
    assert "TOML syntax error" in unusable.find("testcase/error").text
    with sqlite3.connect(db) as con:                     # the unusable files are kept too
        assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 6
        assert con.execute("SELECT COUNT(*) FROM gradings WHERE error IS NOT NULL").fetchone()[0] == 2
    regraded = run("regrade", "--db", db, "--problems", bank)                # the stored text is read again
    assert regraded.exit_code == 0 and regraded.stdout.strip() == "0 part scores changed"
    with sqlite3.connect(db) as con:
        # both unusable files are graded again and stay errors; nothing is overwritten
        assert con.execute("SELECT COUNT(*) FROM gradings WHERE error IS NOT NULL").fetchone()[0] == 4


def _hang_on(marker: str):
    """A checker that blocks the time-budget signal and sleeps: sympy stuck where the timer cannot reach."""
    original = TYPES["expression"].compare

    def compare(reading, expected, part):
        if marker in str(reading.shown):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(600)
        return original(reading, expected, part)

    return compare


def test_a_hung_worker_is_replaced_and_only_that_part_is_ungraded(tmp_path, bank, monkeypatch):
    folder = make_class(tmp_path / "subs", 4)
    text = (folder / "s001.toml").read_text().replace('"2 A x"', '"2 A x + hang"')
    (folder / "s001.toml").write_text(text)
    part_file = bank / "demo" / "matrix_calculus.toml"
    part_file.write_text(part_file.read_text().replace(
        'vars = { x = "vector(n)", A = "matrix(n, n)" }',
        'vars = { x = "vector(n)", A = "matrix(n, n)", hang = "vector(n)" }\ntimeout = 0.5'))
    monkeypatch.setattr(TYPES["expression"], "compare", _hang_on("hang"))   # workers are forked: they inherit it
    monkeypatch.setattr("grader.batch.GRACE", 0.5)
    started = time.monotonic()
    result = batch(folder, bank, "--no-db", "--jobs", "2", "--format", "json")
    assert time.monotonic() - started < 60
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    parts = {q["id"]: q for p in reports[1]["problems"] for q in p["parts"]}
    assert parts["grad_quadratic"]["status"] == "ungraded"
    assert "worker was replaced" in parts["grad_quadratic"]["feedback"]
    assert parts["grad_bilinear"]["status"] == "correct" and parts["z"]["status"] == "correct"
    assert [r["student"] for r in reports] == ["s000", "s001", "s002", "s003"]


# large enough that a run cannot finish between the 5th stored file and the kill
CLASS = 300


def test_a_killed_run_loses_nothing_and_a_rerun_completes(tmp_path, bank):
    folder = make_class(tmp_path / "subs", CLASS)
    db = tmp_path / "g.sqlite"
    command = [sys.executable, "-m", "grader", "batch", str(folder), "--problems", str(bank),
               "--db", str(db), "--jobs", "1", "--format", "csv", "--out", str(tmp_path / "out.csv")]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and stored < 5:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=1) as con:
                stored = con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        except sqlite3.OperationalError:
            pass
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        before = con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        assert 5 <= before < CLASS
        # every stored submission is whole: a grading with a result for each of its 10 parts
        counts = con.execute("""SELECT s.id, COUNT(r.part) FROM submissions s JOIN gradings g ON g.submission_id = s.id
                                JOIN results r ON r.grading_id = g.id GROUP BY g.id""").fetchall()
        assert len(counts) == before and all(n == 10 for _, n in counts)
    rerun = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == CLASS
        assert con.execute("SELECT COUNT(DISTINCT file) FROM submissions").fetchone()[0] == CLASS
    rows = list(csv.DictReader(open(tmp_path / "out.csv")))
    assert len(rows) == CLASS


def test_gradebook_is_append_only_and_export_follows_the_policy(tmp_path, bank):
    folder = tmp_path / "subs"
    write(folder / "s000.toml", 'student = "s000"\nassignment = "demo"\n[neuron]\nz = 0.1\na = 0.525\n')
    db = tmp_path / "g.sqlite"
    assert batch(folder, bank, "--db", db).exit_code == 0
    assert batch(folder, bank, "--db", db).exit_code == 0         # the same file again: one submission
    write(folder / "s000.toml", 'student = "s000"\nassignment = "demo"\n[neuron]\nz = 0.1\n')  # resubmitted, worse
    assert batch(folder, bank, "--db", db).exit_code == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 2
        assert con.execute("SELECT COUNT(*) FROM gradings").fetchone()[0] == 2   # the unchanged rerun: not again
        assert con.execute("SELECT COUNT(*) FROM receipts").fetchone()[0] == 3
        answers = [r[0] for r in con.execute("SELECT answers FROM submissions ORDER BY id")]
        assert "a = 0.525" in answers[0] and "a = " not in answers[1]
    latest = list(csv.reader(io.StringIO(run("export", "--db", db).stdout)))
    best = list(csv.reader(io.StringIO(run("export", "--db", db, "--policy", "best").stdout)))
    assert latest[0] == ["student", "demo (14)"] == best[0]
    assert latest[1] == ["s000", "1"] and best[1] == ["s000", "2"]
    canvas = list(csv.reader(io.StringIO(run("export", "--db", db, "--lms", "canvas").stdout)))
    assert canvas == [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "demo (14)"],
                      ["s000", "", "", "s000", "", "1"]]
    assert run("export", "--db", tmp_path / "none.sqlite").exit_code == 2


def test_regrade_after_a_problem_fix_lists_the_changed_parts(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", ONE_NUMBER.replace('answer = "2*x"', 'answer = "3*x"'))   # a wrong key
    write(bank / "hw" / "_assignment.toml", 'published = ["ann", "ben"]\n')
    folder = tmp_path / "subs"
    write(folder / "ann.toml", 'student = "ann"\nassignment = "hw"\n[p]\ndouble = 3.0\n')
    write(folder / "ben.toml", 'student = "ben"\nassignment = "hw"\n[p]\ndouble = 4.5\n')
    db = tmp_path / "g.sqlite"
    assert run("batch", folder, "--problems", bank, "--db", db).exit_code == 0
    write(bank / "hw" / "p.toml", ONE_NUMBER)                                               # fixed
    result = run("regrade", "--db", db, "--problems", bank)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["ann  hw/p/double: 0 -> 2", "ben  hw/p/double: 2 -> 0",
                                          "2 part scores changed"]
    assert run("regrade", "--db", db, "--problems", bank).stdout.strip() == "0 part scores changed"
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM gradings").fetchone()[0] == 6
    assert list(csv.reader(io.StringIO(run("export", "--db", db).stdout)))[1] == ["ann", "2"]


def test_stats_lists_the_common_wrong_answers(tmp_path, bank):
    folder = make_class(tmp_path / "subs", 10)
    db = tmp_path / "g.sqlite"
    batch(folder, bank, "--db", db)
    result = run("stats", "--db", db)
    assert result.exit_code == 0
    assert result.stdout.startswith("10 students")
    line = next(l for l in result.stdout.splitlines() if l.startswith("demo/matrix_calculus/grad_quadratic"))
    assert "correct  60.0%" in line and "'2Ax' x2" in line


def test_progress_goes_to_a_terminal_on_stderr_and_never_into_the_output(tmp_path, bank):
    import os
    import pty

    folder = make_class(tmp_path / "subs", 3)
    primary, secondary = pty.openpty()
    result = subprocess.run([sys.executable, "-m", "grader", "batch", str(folder), "--problems", str(bank),
                             "--no-db", "--format", "csv"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=secondary, timeout=120)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    assert result.returncode == 0
    assert b"grading" in shown                                           # the bar, on the terminal
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert [r["student"] for r in rows] == ["s000", "s001", "s002"]     # the report, clean
