"""`grade score`: a person's score for a text part counts in the student's total, the report and the export."""

from __future__ import annotations

import pytest

from grader.bank import Bank
from grader.gradebook import Gradebook
from grader.manual import queue

from .helpers import run, write

PROBLEM = """
title = "Sigmoid"
statement = "z = 2."
[parts.value]
type = "number"
answer = "2"
points = 1
[parts.why]
type = "text"
prompt = "Why does the gradient vanish?"
points = 2
"""

ANSWERS = {
    "ann": 'value = 2\nwhy = "It saturates: sigma(1 - sigma) is small."',
    "ben": 'value = 3\nwhy = "<script>alert(1)</script>"',
    "cat": "value = 2",   # no explanation: nothing to score
}


@pytest.fixture
def course(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "sig.toml", PROBLEM)
    folder = tmp_path / "answers"
    for student, body in ANSWERS.items():
        write(folder / f"{student}.toml", f'student = "{student}"\nassignment = "hw"\n[sig]\n{body}\n')
    db = tmp_path / "gradebook.sqlite"
    assert run("batch", folder, "--problems", bank, "--db", db, "--jobs", 1).exit_code == 0
    return bank, folder, db


def score(course, *args):
    bank, _, db = course
    return run("score", "--db", db, "--problems", bank, "--grader", "ta1", *args)


def export(course, *args) -> str:
    return run("export", "--db", course[2], *args).stdout


def test_a_score_counts_in_the_total_the_export_and_the_report(course):
    assert export(course) == "student,hw (3)\nann,1\nben,0\ncat,1\n"
    result = score(course, "ann", "hw", "sig", "why", "1.5", "--comment", "Right idea; say which factor.")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ann  hw/sig/why scored 1.5; hw total 2.5 / 3\n"
    assert export(course) == "student,hw (3)\nann,2.5\nben,0\ncat,1\n"
    with Gradebook.existing(course[2]) as gradebook:
        [ann] = [s for s in gradebook.latest("hw") if s.student == "ann"]
    why = ann.report["problems"][0]["parts"][1]
    assert (why["status"], why["score"], why["feedback"]) == ("partial", 1.5,
                                                             "scored by a person: Right idea; say which factor.")
    assert (ann.report["score"], ann.report["percent"]) == (2.5, 83.33)


def test_the_latest_score_for_an_answer_stands(course):
    assert score(course, "ann", "hw", "hw/sig", "why", "2").exit_code == 0
    assert score(course, "ann", "hw", "sig", "why", "0", "--comment", "on second reading, no").exit_code == 0
    assert export(course) == "student,hw (3)\nann,1\nben,0\ncat,1\n"


def test_a_resubmitted_answer_keeps_its_score_and_a_changed_one_goes_back_to_the_queue(course):
    bank, folder, db = course
    assert score(course, "ann", "hw", "sig", "why", "2").exit_code == 0
    write(folder / "ann.toml", 'student = "ann"\nassignment = "hw"\n[sig]\nvalue = 5\n'
                               'why = "It saturates: sigma(1 - sigma) is small."\n')
    assert run("batch", folder, "--problems", bank, "--db", db, "--jobs", 1).exit_code == 0
    assert export(course) == "student,hw (3)\nann,2\nben,0\ncat,1\n"     # 0 for value, 2 kept for why
    write(folder / "ann.toml", 'student = "ann"\nassignment = "hw"\n[sig]\nvalue = 2\nwhy = "It just does."\n')
    assert run("batch", folder, "--problems", bank, "--db", db, "--jobs", 1).exit_code == 0
    assert export(course) == "student,hw (3)\nann,1\nben,0\ncat,1\n"
    with Gradebook.existing(db) as gradebook:
        waiting = [(i.student, i.answer, i.score) for i in queue(gradebook, Bank(bank), "hw")]
    assert waiting == [("ann", "It just does.", None), ("ben", "<script>alert(1)</script>", None)]


def test_the_best_policy_counts_the_scored_submission(course):
    bank, folder, db = course
    assert score(course, "ann", "hw", "sig", "why", "2").exit_code == 0
    write(folder / "ann.toml", 'student = "ann"\nassignment = "hw"\n[sig]\nvalue = 9\nwhy = "changed"\n')
    assert run("batch", folder, "--problems", bank, "--db", db, "--jobs", 1).exit_code == 0
    assert export(course, "--policy", "best") == "student,hw (3)\nann,3\nben,0\ncat,1\n"
    assert export(course, "--policy", "latest") == "student,hw (3)\nann,0\nben,0\ncat,1\n"


@pytest.mark.parametrize("args, message", [
    (["ann", "hw", "sig", "value", "1"], "hw/sig/value is a number part, graded automatically"),
    (["ann", "hw", "sig", "why", "2.5"], "2.5 points is out of range for hw/sig/why (0 to 2)"),
    (["--", "ann", "hw", "sig", "why", "-1"], "-1 points is out of range for hw/sig/why (0 to 2)"),
    (["ann", "hw", "sig", "how", "1"], "hw/sig has no part 'how' (its parts: value, why)"),
    (["ann", "hw", "cos", "why", "1"], "no problem 'hw/cos' in hw (its problems: hw/sig)"),
    (["ann", "hw", "../../etc/x", "why", "1"], "no problem 'hw/../../etc/x' in hw"),
    (["ann", "hx", "sig", "why", "1"], "unknown assignment 'hx'"),
    (["dan", "hw", "sig", "why", "1"], "no graded submission from 'dan' for hw"),
    (["cat", "hw", "sig", "why", "1"], "'cat' gave no answer to hw/sig/why: there is nothing to score"),
    (["ann", "hw", "sig", "why", "1", "--comment", "x" * 2001], "the comment is too long (2001 characters"),
])
def test_a_score_that_cannot_be_recorded_is_refused_and_nothing_changes(course, args, message):
    result = score(course, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert export(course) == "student,hw (3)\nann,1\nben,0\ncat,1\n"


def test_a_missing_gradebook_is_named(tmp_path, course):
    result = run("score", "ann", "hw", "sig", "why", "1", "--db", tmp_path / "none.sqlite", "--problems", course[0])
    assert result.exit_code == 2
    assert f"no gradebook at {tmp_path / 'none.sqlite'}" in result.stderr


def test_scored_text_parts_join_the_item_analysis(course):
    before = run("stats", "--db", course[2]).stdout
    # ann's and ben's texts wait for a person: the part is listed, not analysed
    assert before.endswith("kept for a person (not analysed): hw/sig/why\n")
    assert "hw/sig/why  " not in before
    assert score(course, "ann", "hw", "sig", "why", "2").exit_code == 0
    assert score(course, "ben", "hw", "sig", "why", "1").exit_code == 0
    after = run("stats", "--db", course[2]).stdout
    # of ann 2/2, ben 1/2 and cat's missing answer: one right, mean credit (1 + 0.5 + 0) / 3
    assert after == before.replace("kept for a person (not analysed): hw/sig/why\n",
                                   "hw/sig/why    correct  33.3%  mean credit 0.50  (2 scored by a person)\n")
