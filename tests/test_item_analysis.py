"""Item analysis that helps: parts kept for a person are not ranked, invalid answers are counted with their
reason, and each common wrong answer says whether a `mistakes` rule already gives it feedback.

The class below is small enough to label by hand: sq's answer is x^2 = 9; 6 is the known mistake 2x
(credit 0.25), 10 is a wrong answer no rule meets, '3 +' cannot be read."""

from __future__ import annotations

import pytest

from .helpers import run, write

CLASS = {  # student: (sq, why) - None leaves it out
    "s1": ("9", '"because"'),
    "s2": ("6", None),
    "s3": ("6", None),
    "s4": ("10", None),
    "s5": ("'3 +'", None),
    "s6": ("'3 +'", None),
}


@pytest.fixture
def graded(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", '''
        title = "Squares"
        statement = "x = {x}"
        [params]
        x = 3
        [parts.sq]
        type = "number"
        answer = "x^2"
          [[parts.sq.mistakes]]
          answer = "2*x"
          credit = 0.25
          feedback = "You doubled x instead of squaring it."
        [parts.why]
        type = "text"
        points = 2
    ''')
    for number, (student, (sq, why)) in enumerate(CLASS.items()):
        padding = "\n" * number          # each invalid answer on its own line: the reason must not say which
        write(tmp_path / "subs" / f"{student}.toml", f'student = "{student}"\nassignment = "hw"\n{padding}[p]\n'
                                                     f"sq = {sq}\n" + (f"why = {why}\n" if why else ""))
    db = tmp_path / "g.sqlite"
    result = run("batch", tmp_path / "subs", "--problems", bank, "--db", db, "--format", "markdown")
    assert result.exit_code == 0, result.output
    return bank, db, result.stdout


def test_stats_rank_only_auto_graded_parts_and_note_invalid_answers_and_mistake_rules(graded):
    bank, db, _ = graded
    result = run("stats", "--db", db, "--problems", bank)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "6 students (latest submission each)"
    sq = next(line for line in lines if line.startswith("hw/p/sq"))
    assert "correct  16.7%" in sq and "mean credit 0.25" in sq
    common = sq.split("mean credit 0.25  ")[1]
    assert common.startswith("'6' x2 [mistake rule], '3+' x2 [invalid: ")
    assert common.endswith(", '10' x1 [no rule]")
    assert "line" not in common                                   # one reason for both files
    assert not any(line.startswith("hw/p/why") for line in lines)  # kept for a person: 1 of 6 answered, not 0%
    assert "kept for a person (not analysed): hw/p/why" in lines


@pytest.mark.parametrize("top,listed", [("0", ""), ("1", "'6' x2 [mistake rule]"), ("-1", None)])
def test_top_limits_the_wrong_answers_listed_and_refuses_a_negative_count(graded, top, listed):
    bank, db, _ = graded
    result = run("stats", "--db", db, "--problems", bank, "--top", top)
    if listed is None:
        assert result.exit_code == 2 and "Invalid value for '--top'" in result.stderr
        return
    sq = next(line for line in result.stdout.splitlines() if line.startswith("hw/p/sq"))
    assert sq.split("mean credit 0.25")[1].strip() == listed


def test_without_the_bank_stats_still_count_but_make_no_claim_about_rules(graded, tmp_path):
    _, db, _ = graded
    result = run("stats", "--db", db, "--problems", tmp_path / "nowhere")
    sq = next(line for line in result.stdout.splitlines() if line.startswith("hw/p/sq"))
    assert "'6' x2, '3+' x2 [invalid: " in sq and sq.endswith("'10' x1")
    assert "rule" not in result.stdout


def test_the_batch_summary_ranks_only_auto_graded_parts(graded):
    _, _, summary = graded
    rows = [line for line in summary.splitlines() if line.startswith("| hw")]
    assert len(rows) == 1 and rows[0].startswith("| hw/p/sq | 17% | 0.25 | 6 (2, mistake rule); 3\\+ (2, invalid\\: ")
    assert rows[0].endswith("; 10 (1, no rule) |")
    assert "Kept for a person, not ranked: hw/p/why" in summary
