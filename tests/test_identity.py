"""Who submitted what: ids from paths, and the claims a person should settle, in every format and in stats."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import xml.etree.ElementTree as ET

from hypothesis import given, strategies as st

from grader.identity import _LOOKALIKES, Roster, skeleton

from .helpers import run, write
from .test_batch import batch


def _answers(student: str) -> str:
    return f'student = {json.dumps(student)}\nassignment = "demo"\n[neuron]\nz = 0.1\n'


def _warnings(stdout: str) -> dict[str, list[str]]:
    return {r["file"].rsplit("/", 1)[-1]: r["warnings"] for r in json.loads(stdout)}


def test_ids_that_only_look_different_fold_together():
    assert skeleton(" Ann ") == skeleton("a\u200bnn") == skeleton("\u0430nn") == skeleton("ＡＮＮ") == "ann"
    assert skeleton("ann") != skeleton("anne")


def test_the_student_can_come_from_the_path(tmp_path, bank):  # noqa: F811
    folder = tmp_path / "submissions"
    write(folder / "demo" / "ann.toml", _answers("bob"))
    write(folder / "demo" / "cy.toml", _answers("cy"))
    write(folder / "stray.toml", _answers("dee"))
    result = batch(folder, bank, "--no-db", "--format", "json", "--student-from",
                   "submissions/{assignment}/{student}.toml")
    assert result.exit_code == 0, result.stderr
    reports = {r["file"].rsplit("/", 1)[-1]: r for r in json.loads(result.stdout)}
    assert reports["ann.toml"]["student"] == "ann"
    assert reports["ann.toml"]["warnings"] == [
        "identity: the file says student 'bob' but its path says 'ann'; graded as 'ann'"]
    assert reports["cy.toml"]["warnings"] == []
    assert reports["stray.toml"]["warnings"] == [
        "identity: the path does not match --student-from; graded as the student the file claims"]
    by_name = batch(folder, bank, "--no-db", "--format", "json", "--student-from", "path")
    assert {r["student"] for r in json.loads(by_name.stdout)} == {"ann", "cy", "stray"}
    wrong = batch(folder, bank, "--no-db", "--student-from", "{assignment}.toml")
    assert wrong.exit_code == 2 and "must contain {student}" in wrong.stderr


def test_two_claims_and_look_alike_ids_are_reported_in_every_format(tmp_path, bank):  # noqa: F811
    folder = tmp_path / "subs"
    for name, student in [("a", "ann"), ("b", "ann"), ("c", "Ann"), ("d", "a\u200bnn"), ("e", "\u0430nn"),
                          ("f", "zed")]:
        write(folder / f"{name}.toml", _answers(student))
    result = batch(folder, bank, "--no-db", "--format", "json")
    assert result.exit_code == 0
    warnings = _warnings(result.stdout)
    assert warnings["a.toml"][0].startswith("identity: 2 files claim student 'ann' for demo: ")
    assert warnings["a.toml"][0].endswith("subs/a.toml, " + str(folder / "b.toml"))
    assert warnings["c.toml"] == ["identity: student id 'Ann' looks the same as 'ann', 'a\\u200bnn', '\u0430nn' "
                                  "(they differ only in case, spacing, look-alike or invisible characters)"]
    assert len(warnings["d.toml"]) == 1 and "'a\\u200bnn' looks the same as" in warnings["d.toml"][0]
    assert warnings["f.toml"] == []

    rows = {r["file"].rsplit("/", 1)[-1]: r for r in
            csv.DictReader(io.StringIO(batch(folder, bank, "--no-db", "--format", "csv").stdout))}
    assert "looks the same as" in rows["c.toml"]["warnings"] and rows["f.toml"]["warnings"] == ""
    suites = ET.fromstring(batch(folder, bank, "--no-db", "--format", "junit").stdout).findall("testsuite")
    assert "looks the same as" in suites[2].find("system-err").text and suites[5].find("system-err") is None
    summary = batch(folder, bank, "--no-db", "--format", "markdown").stdout
    assert "### Who submitted what" in summary and summary.count("looks the same as") == 5


def test_a_roster_flags_unknown_ids_with_the_nearest_one(tmp_path, bank):  # noqa: F811
    roster = write(tmp_path / "roster.csv", "Student,name,email,section\nann,Ann A,ann@x.edu,1\nbob,Bob B,,2\n")
    assert Roster.load(roster).ids == {"ann", "bob"}
    folder = tmp_path / "subs"
    for student in ("ann", "anne", "bob\u200b", "zzz"):
        write(folder / f"{student.strip(chr(0x200b))}.toml", _answers(student))
    db = tmp_path / "g.sqlite"
    result = batch(folder, bank, "--db", db, "--format", "json", "--roster", roster)
    warnings = _warnings(result.stdout)
    assert warnings["ann.toml"] == []
    assert warnings["anne.toml"] == ["identity: student 'anne' is not on the roster (nearest: 'ann')"]
    assert "identity: student 'bob\\u200b' is not on the roster (nearest: 'bob')" in warnings["bob.toml"]
    assert warnings["zzz.toml"] == ["identity: student 'zzz' is not on the roster"]
    stats = run("stats", "--db", db, "--roster", roster)
    assert stats.exit_code == 0
    assert f"warning: {folder / 'anne.toml'}: identity: student 'anne' is not on the roster (nearest: 'ann')" \
        in stats.stdout.splitlines()
    plain = run("stats", "--db", db).stdout
    assert "warning:" not in plain                                           # nothing else to report
    bad = write(tmp_path / "bad.csv", "name,email\nAnn,a@x\n")
    refused = batch(folder, bank, "--no-db", "--roster", bad)
    assert refused.exit_code == 2 and "a roster needs a header row with a 'student' column" in refused.stderr


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_an_ascii_id_folds_as_the_general_rule_folds_it(student):
    """skeleton's shortcut for ASCII ids gives what NFKC, casefolding, dropping spaces and invisible
    marks and the look-alike table give."""
    folded = unicodedata.normalize("NFKC", student).casefold()
    folded = "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")
    assert skeleton(student) == folded.translate(_LOOKALIKES)
