"""Reruns resume: unchanged files against an unchanged bank are not graded again."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from grader.variants import SECRET_ENV

from .helpers import run, write
from .test_batch import batch, make_class


def _count(db, table: str) -> int:
    with closing(sqlite3.connect(db)) as con:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_rerun_grades_only_what_changed(tmp_path, bank, monkeypatch):  # noqa: F811
    folder = make_class(tmp_path / "subs", 5)
    (folder / "broken.toml").write_text('student = "x"\nassignment = "demo"\n[neuron\n')
    db = tmp_path / "g.sqlite"
    first = batch(folder, bank, "--db", db)
    assert first.exit_code == 2 and _count(db, "gradings") == 6
    again = batch(folder, bank, "--db", db)
    assert (again.exit_code, again.stdout, again.stderr) == (first.exit_code, first.stdout, first.stderr)
    assert _count(db, "gradings") == 6 and _count(db, "receipts") == 12

    write(folder / "s001.toml", (folder / "s001.toml").read_text() + "\n# edited\n")        # new content
    assert batch(folder, bank, "--db", db).exit_code == 2 and _count(db, "gradings") == 7

    regraded = run("regrade", "--db", db, "--problems", bank)        # all 7 contents, stored with their bank too
    assert regraded.exit_code == 0 and _count(db, "gradings") == 14
    assert batch(folder, bank, "--db", db).exit_code == 2 and _count(db, "gradings") == 14

    problem = bank / "demo" / "neuron.toml"
    problem.write_text(problem.read_text() + "\n# a fixed typo\n")                             # a changed bank
    # the 5 of demo are graded again; the file that is not TOML does not depend on the bank
    assert batch(folder, bank, "--db", db).exit_code == 2 and _count(db, "gradings") == 19

    assert batch(folder, bank, "--db", db, "--regrade").exit_code == 2 and _count(db, "gradings") == 25

    monkeypatch.setenv(SECRET_ENV, "another course")                            # other variants: all again
    assert batch(folder, bank, "--db", db).exit_code == 2 and _count(db, "gradings") == 31


def test_more_jobs_than_cores_are_capped_with_a_note(tmp_path, bank):  # noqa: F811
    folder = make_class(tmp_path / "subs", 2)
    result = batch(folder, bank, "--no-db", "--jobs", "256")
    assert result.exit_code == 0
    assert result.stderr.startswith("grade: note: --jobs 256 is more than the ")
    assert result.stderr.rstrip().endswith(" cores here; using " + result.stderr.split("the ")[1].split()[0])
