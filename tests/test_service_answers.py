"""A submission posted as JSON becomes the answers file it stands for: read back, it is the same answers."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from grader.loader import loads
from grader.service.core import toml_text

names = st.text(min_size=1, max_size=12)
scalars = st.one_of(st.text(max_size=30), st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False),
                    st.booleans())
values = st.one_of(scalars, st.lists(st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                                               st.text(max_size=5)), max_size=4))


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b if not isinstance(b, float) else float(a) == b


@given(student=names, assignment=names,
       answers=st.dictionaries(names.filter(lambda n: n not in ("student", "assignment")),
                               st.dictionaries(names, values, max_size=4), max_size=3))
def test_json_answers_read_back_from_their_answers_file(student, assignment, answers):
    data = loads(toml_text(student, assignment, answers), "answers.toml")
    assert (data["student"], data["assignment"]) == (student, assignment)
    assert set(data) - {"student", "assignment"} == set(answers)
    for problem, parts in answers.items():
        assert set(data[problem]) == set(parts)
        assert all(same(value, data[problem][part]) for part, value in parts.items())


def test_non_finite_numbers_are_toml_s_own():
    data = loads(toml_text("a", "b", {"p": {"x": float("inf"), "y": float("-inf"), "z": float("nan")}}), "x")
    assert data["p"]["x"] == math.inf and data["p"]["y"] == -math.inf and math.isnan(data["p"]["z"])
