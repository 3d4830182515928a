"""Choice answers as students write them: the key, its label, a number as text; case and spacing aside."""

from __future__ import annotations

import pytest

from grader.check import Invalid, checker_for
from grader.model import Part

LIST = Part(type="choice", answer="yes", choices=["yes", "no", "maybe"])
TABLE = Part(type="choice", answer="b",
             choices={"a": "strictly convex", "b": "convex but not strictly", "c": "not convex"})
NUMBERED = Part(type="choice", answer="2", choices=["1", "2", "10"])
CROSSED = Part(type="choice", answer="x", choices={"x": "y", "y": "z"})   # a label that is another key


def read(raw, part):
    return checker_for("choice").read(raw, part).value


@pytest.mark.parametrize("raw, part, key", [
    # a number, written as a number or as a string
    (3, LIST, "maybe"), ("3", LIST, "maybe"), (" 3 ", LIST, "maybe"), (1, TABLE, "a"), ("2", TABLE, "b"),
    # a label of a table means its key, whatever the case and spacing
    ("strictly convex", TABLE, "a"), ("Strictly Convex", TABLE, "a"), ("  strictly   convex ", TABLE, "a"),
    ("STRICTLY\tCONVEX", TABLE, "a"), ("convex but not strictly", TABLE, "b"), ("Not convex", TABLE, "c"),
    # the key itself, whatever the case and spacing
    ("a", TABLE, "a"), (" B ", TABLE, "b"), ("C", TABLE, "c"), ("YES", LIST, "yes"), (" Maybe ", LIST, "maybe"),
    # a list's letters
    ("b", LIST, "no"), ("C", LIST, "maybe"),
    # options that are numbers: the option's own text (3 is refused below: a value, not the third option)
    ("10", NUMBERED, "10"), ("2", NUMBERED, "2"),
    # a key wins over another option's label
    ("y", CROSSED, "y"), ("Z", CROSSED, "y"), ("x", CROSSED, "x"),
])
def test_a_choice_reads_as_its_key(raw, part, key):
    assert read(raw, part) == key


def test_select_all_reads_labels_and_numbers():
    assert read(["strictly convex", "3"], TABLE) == frozenset({"a", "c"})


@pytest.mark.parametrize("raw, part, options", [
    ("strongly convex", TABLE, "a, b, c"), ("strictly", TABLE, "a, b, c"), ("d", TABLE, "a, b, c"),
    ("4", TABLE, "a, b, c"), (4, LIST, "yes, no, maybe"), ("0", LIST, "yes, no, maybe"),
    ("yes no", LIST, "yes, no, maybe"), ("3.0", LIST, "yes, no, maybe"), ("٣", LIST, "yes, no, maybe"),
    (3, NUMBERED, "1, 2, 10"), ("3", NUMBERED, "1, 2, 10"),
])
def test_a_wrong_choice_is_refused_with_the_options(raw, part, options):
    with pytest.raises(Invalid, match=f"is not one of the options: {options}$"):
        read(raw, part)


@pytest.mark.parametrize("raw, status", [
    ("convex but not strictly", "correct"), ("Convex  but NOT strictly", "correct"), ("2", "correct"),
    ("b", "correct"), ("strictly convex", "incorrect"), ("1", "incorrect"),
])
def test_labels_and_numbers_are_graded_like_keys(raw, status):
    checker = checker_for("choice")
    assert checker.compare(checker.read(raw, TABLE), "b", TABLE).status == status
