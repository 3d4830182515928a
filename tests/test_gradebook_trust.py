"""The gradebook refuses to write where it cannot be trusted, and can be read where it cannot be written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from grader.gradebook import Gradebook

from .helpers import PROBLEMS, REPO, run, write
from .test_batch import batch, make_class


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_gradebook_is_refused_before_anything_is_written(tmp_path, bank):  # noqa: F811
    folder = make_class(tmp_path / "subs", 3)
    db = tmp_path / "g.sqlite"
    assert batch(folder, bank, "--db", db).exit_code == 0
    with closing(sqlite3.connect(db)) as con:
        page = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'gradings_by_submission'").fetchone()[0]
        size = con.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    start = (page - 1) * size + 8
    data[start:start + 192] = bytes(range(192))                                      # cell pointers now point nowhere
    db.write_bytes(bytes(data))
    before = _digest(db)
    write(folder / "s099.toml", 'student = "s099"\nassignment = "demo"\n[neuron]\nz = 0.1\n')
    result = batch(folder, bank, "--db", db)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"grade: gradebook {db} is damaged (On tree page {page} ")
    assert result.stderr.rstrip().endswith("; nothing was written")
    assert _digest(db) == before and not os.path.exists(f"{db}-wal")
    db.write_bytes(b"not a database at all" * 100)
    result = batch(folder, bank, "--db", db)
    assert result.exit_code == 2 and result.stderr == f"grade: gradebook {db} is damaged (file is not a database); " \
                                                      "nothing was written\n"


def test_a_full_disk_still_writes_the_report_and_exits_2(tmp_path, bank, monkeypatch):  # noqa: F811
    opened = Gradebook.__init__

    def tiny(self, *args, **kwargs):                     # the file may not grow past what the schema needs
        opened(self, *args, **kwargs)
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count = {pages + 1}")

    monkeypatch.setattr(Gradebook, "__init__", tiny)
    folder = make_class(tmp_path / "subs", 12)
    db, out = tmp_path / "g.sqlite", tmp_path / "out.csv"
    result = batch(folder, bank, "--db", db, "--jobs", "1", "--out", out)
    assert result.exit_code == 2
    assert len(list(csv.DictReader(io.StringIO(out.read_text())))) == 12                  # the whole report
    assert f"grade: gradebook {db}: could not store results (database or disk is full); " in result.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    assert f"; {12 - stored} files not stored" in result.stderr and stored < 12


def _read_only(folder) -> list[str]:
    """A command prefix under which `folder` cannot be written: a read-only bind mount for root, else file modes."""
    if os.geteuid() != 0:
        os.chmod(folder / "g.sqlite", 0o444)
        os.chmod(folder, 0o555)
        return []
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'
    prefix = ["unshare", "-m", "sh", "-c", script, str(folder)]
    if shutil.which("unshare") is None or subprocess.run([*prefix, "true"], capture_output=True).returncode:
        pytest.skip("no way here to make a folder read-only for root")
    return prefix


def test_a_read_only_gradebook_can_be_exported(tmp_path, bank):  # noqa: F811
    folder = make_class(tmp_path / "subs", 3)
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    db = shelf / "g.sqlite"
    assert batch(folder, bank, "--db", db).exit_code == 0
    prefix = _read_only(shelf)
    try:
        for command in ("export", "stats"):
            done = subprocess.run([*prefix, sys.executable, "-m", "grader", command, "--db", str(db)], cwd=REPO,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("3 students")
        assert os.listdir(shelf) == ["g.sqlite"]
        write(folder / "s099.toml", 'student = "s099"\nassignment = "demo"\n[neuron]\nz = 0.1\n')
        refused = subprocess.run([*prefix, sys.executable, "-m", "grader", "batch", str(folder), "--problems",
                                  str(bank), "--db", str(db)], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.startswith(f"grade: gradebook {db} cannot be opened (")
    finally:
        os.chmod(shelf, 0o755)


def test_a_symlinked_assignment_folder_inside_the_bank_works(tmp_path):
    shared = tmp_path / "shared"
    shutil.copytree(PROBLEMS / "demo", shared / "demo")
    bank = tmp_path / "problems"
    bank.mkdir()
    (bank / "demo").symlink_to(shared / "demo", target_is_directory=True)
    folder = make_class(tmp_path / "subs", 2)
    result = run("batch", folder, "--problems", bank, "--no-db", "--format", "json")
    assert result.exit_code == 0, result.stderr
    import json
    assert [p["id"] for p in json.loads(result.stdout)[0]["problems"]] == ["demo/matrix_calculus", "demo/neuron"]


def test_a_gradebook_from_before_receipts_is_read_and_then_upgraded(tmp_path, bank):  # noqa: F811
    folder = make_class(tmp_path / "subs", 2)
    db = tmp_path / "g.sqlite"
    assert batch(folder, bank, "--db", db).exit_code == 0
    with closing(sqlite3.connect(db)) as con:
        con.execute("DROP TABLE receipts")
        con.execute("ALTER TABLE gradings DROP COLUMN bank")
        con.commit()
    exported = run("export", "--db", db)                                  # read-only: nothing to add the table to
    assert exported.exit_code == 0 and exported.stdout.splitlines()[0] == "student,demo (14)"
    assert batch(folder, bank, "--db", db).exit_code == 0
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT COUNT(*) FROM receipts").fetchone()[0] == 2
        assert con.execute("SELECT COUNT(*) FROM gradings WHERE bank IS NOT NULL").fetchone()[0] == 2


def _as_before_outlines(db) -> None:
    """Turn a gradebook into the earlier layout: each grading's full report as JSON, part rows by rowid."""
    with Gradebook(db, readonly=True) as gradebook:
        reports = {s.submission_id: s.report for s in gradebook.latest()}
    with closing(sqlite3.connect(db)) as con:
        for grading, submission in con.execute("SELECT id, submission_id FROM gradings").fetchall():
            con.execute("UPDATE gradings SET report = ? WHERE id = ?", (json.dumps(reports[submission]), grading))
        con.execute("ALTER TABLE gradings DROP COLUMN outline")
        con.execute("CREATE TABLE old (grading_id INTEGER NOT NULL REFERENCES gradings (id), problem TEXT NOT NULL, "
                    "part TEXT NOT NULL, status TEXT NOT NULL, score REAL NOT NULL, max_score REAL NOT NULL, "
                    "feedback TEXT, answer TEXT, read_as TEXT)")
        con.execute("INSERT INTO old SELECT grading_id, p.name, part, status, score, max_score, feedback, answer, "
                    "read_as FROM results JOIN problems p ON p.id = problem ORDER BY grading_id, seq")
        con.execute("DROP TABLE results")
        con.execute("ALTER TABLE old RENAME TO results")
        con.execute("DROP TABLE problems")
        con.execute("CREATE INDEX results_by_grading ON results (grading_id)")
        con.commit()


def test_a_gradebook_from_before_outlines_reads_the_same_and_takes_new_gradings(tmp_path, bank):  # noqa: F811
    folder = make_class(tmp_path / "subs", 3)
    db = tmp_path / "g.sqlite"
    first = batch(folder, bank, "--db", db, "--format", "json")
    before = [run(command, "--db", db).stdout for command in ("export", "stats")]
    _as_before_outlines(db)
    assert [run(command, "--db", db).stdout for command in ("export", "stats")] == before
    assert batch(folder, bank, "--db", db, "--format", "json").stdout == first.stdout    # reused: read from JSON
    write(folder / "s099.toml", 'student = "s099"\nassignment = "demo"\n[neuron]\nz = 0.1\n')
    assert batch(folder, bank, "--db", db).exit_code == 0
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT COUNT(*) FROM gradings WHERE outline IS NOT NULL").fetchone()[0] == 1
        assert con.execute("SELECT COUNT(*) FROM gradings WHERE report IS NOT NULL").fetchone()[0] == 3
        assert con.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 40
    assert run("export", "--db", db).stdout.splitlines()[-1] == "s099,1"
    assert run("stats", "--db", db).stdout.startswith("4 students")
