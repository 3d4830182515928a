"""Adversarial cases for the authoring features (issue 15): entries of arrays in formulas,
elementwise credit on matrices of formulas, require, handouts. Every expectation is labelled by
hand or by numpy/sympy, never by the grader."""

from __future__ import annotations

import json

import numpy as np
import pytest

from grader.canonical import numeric_value
from grader.expr import ExprError

from .helpers import run, write

H = np.array([3.0, 5.0, 7.0])
SCOPE = {"h": H, "M": np.array([[1.0, 2.0], [3.0, 4.0]]), "k": 2.0}


@pytest.mark.parametrize("text", [
    "h[-1]",      # Python's last entry: read as a product it was -h
    "h[1.0]",     # read as a product it was h itself
    "h[1e0]",
    "h[+1]",
    "M[1.5, 2]",
    "h[1][2]",    # read as h[1] times [2] it was 2 h[1]
    "M[1][2]",
    "M[2, 1][1]",
    "M [-1, 1]",  # W times a vector must be written with a product sign: W * [-1, 1]
    "kh[1]",      # kh[1]: glued, it read as k h [1] = 2 h, the whole array
    "kM[1, 2]",
    "\\mathbf{h}[-1]",
])
def test_numbers_in_brackets_after_an_array_that_are_no_index_are_refused(text):
    with pytest.raises(ExprError) as error:
        numeric_value(text, SCOPE)
    assert "h" in error.value.reason or "M" in error.value.reason


@pytest.mark.parametrize("text, expected", [
    ("h[1]", 3.0),
    ("h[3]", 7.0),
    ("h[2] h[3]", 35.0),
    ("M[2, 1]", 3.0),
    ("h * [-1]", -H),         # a product, written as one, keeps its reading
    ("k [-1]", -2.0),         # after a number's name a bracket is a product, as it always was
    ("k [1.5]", 3.0),
    ("k h[2]", 10.0),         # spaced, the glued case reads as meant
    ("kh", 2 * H),            # a glued product without a bracket keeps its reading
    ("\\mathbf{h}[2]", 5.0),  # a bold h is h: its entry too (it was the whole h times [2])
    ("\\vec{h}[3] - \\mathbf{h}[1]", 4.0),
    ("\\mathbf{h}^T \\mathbf{h}", 83.0),
    ("M * [-1, 1]", np.array([1.0, 1.0])),  # [[1, 2], [3, 4]] (-1, 1)
])
def test_indices_and_products_that_stay_as_they_were(text, expected):
    assert np.allclose(numeric_value(text, SCOPE), expected)


def test_a_computed_parameter_may_still_scale_a_bracket_by_a_scalar(tmp_path):
    """The dependency scan treats every name as a possible array; it must not refuse `c [-1, 2]`
    where c is a number (the reading that knows c is a number makes it a product)."""
    write(tmp_path / "problems" / "hw" / "p.toml", """
        title = "P"
        statement = "c = {c}"
        [params]
        c = 3
        v = "c [-1, 2]"
        [parts.s]
        type = "number"
        answer = "v^T v"
    """)
    result = run("check", tmp_path / "problems")
    assert result.exit_code == 0, result.output
    answers = write(tmp_path / "a.toml", 'student = "s"\nassignment = "hw"\n[p]\ns = 45\n')
    report = json.loads(run("submit", answers, "--problems", tmp_path / "problems", "--format", "json").stdout)
    assert report["problems"][0]["parts"][0]["status"] == "correct"  # 9 + 36


ELEMENTWISE = """
title = "J"
statement = "A matrix of formulas"

[parts.m]
type = "expression"
credit = "elementwise"
vars = { x = "KIND", y = "real" }
answer = "[[x, y], [1, 2]]"
"""


@pytest.mark.parametrize("kind, written, status, score", [
    # sqrt(x)^2 is x only where x >= 0: on a real x the matrix as written is undefined for x < 0,
    # as the whole-matrix comparison says; elementwise credit used to forget that and give 1
    ("real", "[[sqrt(x)^2, y], [1, 2]]", "incorrect", 0.0),
    ("real", "[[x, y], [1, 2]]", "correct", 1.0),
    ("real", "[[x, 1], [y, 2]]", "partial", 0.5),      # the transpose: two of four entries right
    ("real", "[[2 x, 2 y], [2, 4]]", "incorrect", 0.0),  # twice the matrix: none right
    ("real", "[[x, y]]", "incorrect", 0.0),             # another shape earns nothing
    ("real", "x", "incorrect", 0.0),
    ("positive", "[[sqrt(x)^2, y], [1, 2]]", "correct", 1.0),  # defined wherever x is
])
def test_elementwise_credit_keeps_where_the_answer_is_defined(tmp_path, kind, written, status, score):
    write(tmp_path / "problems" / "hw" / "p.toml", ELEMENTWISE.replace("KIND", kind))
    answers = write(tmp_path / "a.toml", f'student = "s"\nassignment = "hw"\n[p]\nm = "{written}"\n')
    result = run("submit", answers, "--problems", tmp_path / "problems", "--format", "json")
    part = json.loads(result.stdout)["problems"][0]["parts"][0]
    assert (part["status"], part["score"]) == (status, pytest.approx(score))


@pytest.mark.parametrize("name", ["sigma", "step", "tr", "exp", "ln", "relu"])
def test_an_array_named_like_a_function_has_entries_too(name):
    """A parameter may be called `sigma` (the declared name wins over the built-in): its entry
    `sigma[2]` is 5, not 2 sigma (the whole array doubled, which `sigma[2]` used to be)."""
    scope = {name: H}
    assert numeric_value(f"{name}[2]", scope) == 5.0
    assert numeric_value(f"2 {name}[3] - {name}_1", scope) == 11.0


@pytest.mark.parametrize("latex", ["\\\\sqrt[3]{x}", "\\\\xrightarrow[n]{t}", "\\\\sqrt[n]{y} + e^{t}"])
def test_a_latex_argument_after_an_optional_argument_is_no_placeholder(tmp_path, latex):
    """`\\sqrt[3]{x}` is LaTeX (the cube root of x), shown as written since x is no parameter; it
    is not a `{name}` placeholder that names nothing (grade check used to fail the problem)."""
    from .test_authoring_check import PROBLEM

    write(tmp_path / "problems" / "hw" / "p.toml", PROBLEM.replace("Its area is asked below.", f"Write {latex}."))
    result = run("check", tmp_path / "problems", "--variants", "2")
    assert result.exit_code == 0, result.output


def test_a_condition_over_parameters_in_a_cycle_names_the_cycle(tmp_path):
    """c = d + 1 and d = c + 1 have no value: `require = ["c > 0"]` is the file's fault, not a
    condition that "the published values do not meet" nor one that "rejects almost every draw"."""
    write(tmp_path / "problems" / "hw" / "p.toml", """
        title = "P"
        statement = "a = {a}"
        require = ["c > 0"]
        [params]
        a = { value = 3, draw = { range = [1, 100] } }
        c = "d + 1"
        d = "c + 1"
        [parts.z]
        type = "number"
        answer = "2 a"
    """)
    result = run("check", tmp_path / "problems", "--variants", "2")
    assert result.exit_code == 1
    assert "p.toml:3: require: parameters depend on each other in a cycle" in result.stdout, result.stdout
    assert "do not meet" not in result.stdout and "rejects almost every draw" not in result.stdout


MATRIX_OF_FORMULAS = """
title = "P"
statement = "J"

[parts.J]
type = "expression"
vars = { x = "real" }
answer = "[[2 x, 1], [0, 3]]"

[parts.e]
type = "expression"
vars = { x = "real" }
answer = "J[1, 1] + J_22"
"""


@pytest.mark.parametrize("J, e, statuses", [
    # J[1, 1] + J_22 of [[2x, 1], [0, 3]] is 2x + 3 (by hand); it used to read as J times the
    # column [1, 1], plus J_22 unknown: a vector, so every student's 2x + 3 was graded wrong
    ("[[2x, 1], [0, 3]]", "2x + 3", ["correct", "correct"]),
    ("[[2x, 1], [0, 3]]", "2x + 4", ["correct", "incorrect"]),
    ("[[3x, 1], [0, 5]]", "3x + 5", ["incorrect", "correct"]),   # carried forward from the student's J
    ("[[3x, 1], [0, 5]]", "2x + 3", ["incorrect", "correct"]),
    ("[[3x, 1], [0, 5]]", "3x + 3", ["incorrect", "incorrect"]),
    ("x", "2x + 3", ["incorrect", "correct"]),
])
def test_an_entry_of_a_matrix_of_formulas_in_a_later_answer(tmp_path, J, e, statuses):
    write(tmp_path / "problems" / "hw" / "p.toml", MATRIX_OF_FORMULAS)
    assert run("check", tmp_path / "problems").exit_code == 0
    answers = write(tmp_path / "a.toml", f'student = "s"\nassignment = "hw"\n[p]\nJ = "{J}"\ne = "{e}"\n')
    report = json.loads(run("submit", answers, "--problems", tmp_path / "problems", "--format", "json").stdout)
    assert [p["status"] for p in report["problems"][0]["parts"]] == statuses


def test_a_text_part_nobody_answered_is_not_the_hardest_part(tmp_path):
    """No student wrote the essay: it is still a person's to grade, not an auto-graded part every
    student got wrong (it used to top "hardest parts" at 0%, in the batch summary and in stats)."""
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", """
        title = "P"
        statement = "x"
        [parts.n]
        type = "number"
        answer = "2"
        [parts.essay]
        type = "text"
        prompt = "Explain."
    """)
    for student, n in (("a", 2), ("b", 3)):
        write(tmp_path / "subs" / f"{student}.toml", f'student = "{student}"\nassignment = "hw"\n[p]\nn = {n}\n')
    db = tmp_path / "g.sqlite"
    summary = run("batch", tmp_path / "subs", "--problems", bank, "--db", db, "--format", "markdown").stdout
    assert [line.split(" | ")[0] for line in summary.splitlines() if line.startswith("| hw")] == ["| hw/p/n"]
    assert "Kept for a person, not ranked: hw/p/essay" in summary
    stats = run("stats", "--db", db, "--problems", bank).stdout.splitlines()
    assert not any(line.startswith("hw/p/essay") for line in stats)
    assert "kept for a person (not analysed): hw/p/essay" in stats


def test_a_class_off_the_roster_does_not_compare_every_id_with_every_other(monkeypatch):
    """A roster of emails against files of logins puts every id off the roster: the closest spelling
    of each (a scan of the roster) made `review` quadratic, about 6 s for 1000 students. Only the
    first few get a spelling hint; a look-alike id (another case) is still named for every one."""
    from grader import identity

    calls = []
    real = identity.nearest
    monkeypatch.setattr(identity, "nearest", lambda word, choices: calls.append(word) or real(word, choices))
    ids = [f"user{i:04d}@school.edu" for i in range(300)]
    roster = identity.Roster(frozenset(ids), tuple(ids))
    claims = [identity.Claim(f"f{i}", f"login{i:04d}", "hw") for i in range(300)]
    claims.append(identity.Claim("case", "USER0007@school.edu", "hw"))
    found = identity.review(claims, roster)
    assert len(calls) <= identity.SPELLING_HINTS
    assert all("is not on the roster" in " ".join(found[c.file]) for c in claims)
    assert "nearest: 'user0007@school.edu', which differs only in case" in " ".join(found["case"])


@pytest.mark.parametrize("params, answer", [
    ('area = "a^2"', '"area"'),      # the part's answer is the computed parameter
    ('area = "a^2"', '"a^2"'),       # the part's answer is the parameter's formula, as written
    ('area = "a * a"', '"a*a"'),     # spacing aside
])
def test_a_placeholder_of_a_computed_parameter_that_is_an_answer_fails_the_check(tmp_path, params, answer):
    """`{area}` in the statement, with area = a^2 and the part's answer `area`: every student's
    handout shows the solution (handouts fill parameters), yet grade check used to pass it."""
    write(tmp_path / "problems" / "hw" / "p.toml", f"""
        title = "P"
        statement = "A square of side {{a}} has area {{area}}."
        [params]
        a = {{ value = 3, draw = {{ range = [2, 9] }} }}
        {params}
        [parts.A]
        type = "number"
        answer = {answer}
    """)
    result = run("check", tmp_path / "problems", "--variants", "2")
    assert result.exit_code == 1
    assert "p.toml:2: the statement shows {area}, the answer of part A" in result.stdout, result.stdout
    handout = run("handout", "hw", "--student", "s", "--problems", tmp_path / "problems").stdout
    assert "has area {area}" not in handout   # the value, which is the answer, is what students see


def test_a_computed_parameter_that_no_part_answers_may_be_shown(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", """
        title = "P"
        statement = "A square of side {a}, perimeter {per}."
        [params]
        a = { value = 3, draw = { range = [2, 9] } }
        per = "4 a"
        [parts.A]
        type = "number"
        answer = "a^2"
    """)
    assert run("check", tmp_path / "problems", "--variants", "2").exit_code == 0


def test_a_students_id_is_compared_with_the_published_ids_by_case_only(tmp_path, monkeypatch):
    """Grading any file looked for the closest spelling among the published ids (difflib over the
    whole list, for every submission) to keep only a match in case: the case check alone is a scan."""
    from grader import hints

    spelled = []
    monkeypatch.setattr(hints.difflib, "get_close_matches", lambda *a, **k: spelled.append(a) or [])
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", 'title = "P"\nstatement = "x"\n[parts.n]\ntype = "number"\nanswer = "2"\n')
    write(bank / "hw" / "_assignment.toml", "published = [" + ", ".join(f'"s{i:03d}"' for i in range(300)) + "]\n")
    for student, warned in (("zed", False), ("S007", True), ("s007", False)):
        answers = write(tmp_path / f"{student}.toml", f'student = "{student}"\nassignment = "hw"\n[p]\nn = 2\n')
        report = json.loads(run("submit", answers, "--problems", bank, "--format", "json").stdout)
        said = [w for w in report.get("warnings", []) if "differs only in case" in w]
        assert bool(said) == warned, (student, report.get("warnings"))
    assert spelled == []


DEFINED_WHERE = """
title = "J"
statement = "x"

[parts.m]
type = "expression"
credit = "elementwise"
vars = { x = "real", y = "real" }
answer = "[[1/x, 0], [0, 1]]"

[parts.l]
type = "expression"
credit = "elementwise"
vars = { x = "real", y = "real" }
answer = "[[log(x^2), y], [sqrt(x^2), 1]]"
"""


@pytest.mark.parametrize("part, written, status, score", [
    # the matrix is undefined at x = 0 as the answer is: every entry is right (the whole matrix's
    # domain must not be asked of each entry, or the 0 entries fail where 1/x does)
    ("m", "[[1/x, 0], [0, 1]]", "correct", 1.0),
    ("m", "[[x^-1, 0 y], [0, 1]]", "correct", 1.0),
    ("m", "[[1/x, 0], [0, 2]]", "partial", 0.75),
    ("l", "[[log(x^2), y], [abs(x), 1]]", "correct", 1.0),         # sqrt(x^2) = |x| (by hand)
    ("l", "[[2 log(abs(x)), y], [abs(x), 1]]", "correct", 1.0),
    ("l", "[[2 log(x), y], [abs(x), 1]]", "incorrect", 0.0),        # undefined for x < 0
    ("l", "[[log(x^2), y], [sqrt(x)^2, 1]]", "incorrect", 0.0),     # undefined for x < 0
])
def test_elementwise_credit_asks_where_the_whole_matrix_is_defined(tmp_path, part, written, status, score):
    write(tmp_path / "problems" / "hw" / "p.toml", DEFINED_WHERE)
    answers = write(tmp_path / "a.toml", f'student = "s"\nassignment = "hw"\n[p]\n{part} = "{written}"\n')
    report = json.loads(run("submit", answers, "--problems", tmp_path / "problems", "--format", "json").stdout)
    got = next(p for p in report["problems"][0]["parts"] if p["id"] == part)
    assert (got["status"], got["score"]) == (status, pytest.approx(score))
