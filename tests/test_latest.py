"""`--policy latest` follows when each content was received, whatever the row ids or the number of workers."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from contextlib import closing

from .helpers import run, write
from .test_batch import batch, make_class

GOOD = 'student = "s000"\nassignment = "demo"\n[neuron]\nz = 0.1\na = 0.525\n'
WORSE = 'student = "s000"\nassignment = "demo"\n[neuron]\nz = 0.1\n'


def _export(db, policy="latest"):
    return list(csv.reader(io.StringIO(run("export", "--db", db, "--policy", policy).stdout)))


def test_a_file_reverted_to_an_earlier_content_is_the_latest_again(tmp_path, bank):  # noqa: F811
    folder, db = tmp_path / "subs", tmp_path / "g.sqlite"
    for text, score in ((GOOD, "2"), (WORSE, "1"), (GOOD, "2")):
        write(folder / "s000.toml", text)
        assert batch(folder, bank, "--db", db).exit_code == 0
        assert _export(db)[1] == ["s000", score]
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 2          # stored once per content
        assert con.execute("SELECT COUNT(*) FROM receipts").fetchone()[0] == 3


def test_which_file_is_latest_does_not_depend_on_the_number_of_workers(tmp_path, bank):  # noqa: F811
    make_class(tmp_path / "class", 2)
    folder = tmp_path / "subs"
    # two files claim s000: the slow one (formulas) finishes last on two workers, first on one
    write(folder / "a_slow.toml", (tmp_path / "class" / "s001.toml").read_text().replace('"s001"', '"s000"'))
    write(folder / "z_fast.toml", WORSE)
    exports = []
    for jobs in ("1", "2"):
        db = tmp_path / f"g{jobs}.sqlite"
        assert batch(folder, bank, "--db", db, "--jobs", jobs).exit_code == 0
        exports.append(_export(db))
    assert exports[0] == exports[1]
    assert exports[0][1] == ["s000", "1"]                  # one run: the path that sorts last is the latest


def test_one_file_given_by_relative_and_absolute_path_is_one_submission(tmp_path, bank):  # noqa: F811
    folder, db = tmp_path / "subs", tmp_path / "g.sqlite"
    write(folder / "s000.toml", GOOD)
    for given in (folder.resolve(), "subs", "./subs/../subs"):
        assert run("batch", given, "--problems", bank, "--db", db, cwd=tmp_path).exit_code == 0
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT file FROM submissions").fetchall() == [(os.path.join("subs", "s000.toml"),)]
