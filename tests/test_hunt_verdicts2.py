"""Wrong verdicts found by an adversarial hunt over the core checkers (round 2).

Every expectation is labelled by hand from the mathematics (exact integer arithmetic in
Python, the written digits), never from the grader's output.
"""

from __future__ import annotations

import math

import pytest

from grader.check import checker_for
from grader.check.expression import table_for
from grader.expr import budget, parse
from grader.model import Part

from .helpers import run, statuses, submit_json, write

# ------------------------------------------------------------------ integers past 2^53, exactly

INTEGERS = """
title = "Counting"
statement = "Subsets and pairs of a set of {n}."

[params]
n = 60
k = 30
p = 0.1

[parts.subsets]
type = "integer"
answer = "2^n"

[parts.pairs]
type = "integer"
answer = "n! / (k! (n - k)!)"

[parts.ten]
type = "integer"
answer = "10 p"
"""

SUBSETS, PAIRS = 2**60, math.comb(60, 30)

INTEGER_ROWS = [
    # (part, answer, status): float64 has 53 bits, so these all round to the right value
    ("subsets", "2^60 - 1", "incorrect"),                 # the nonempty subsets: off by one
    ("subsets", str(SUBSETS - 1), "incorrect"),
    ("subsets", SUBSETS - 1, "incorrect"),                # a TOML integer, not a string
    ("subsets", "2^60", "correct"),
    ("subsets", str(SUBSETS), "correct"),
    ("pairs", str(PAIRS), "correct"),                     # not a multiple of float's step there
    ("pairs", str(PAIRS + 1), "incorrect"),
    ("pairs", "60!/(30! 30!)", "correct"),
    ("ten", 1, "correct"),                                # 10 * 0.1 is exactly 1
    ("ten", "1.0", "correct"),
    ("ten", "2.9999999999", "invalid"),                   # not a whole number, however close
    ("ten", "1 + 10^-12", "invalid"),
    ("ten", "log(8)/log(2) - 2", "correct"),              # float rounding of an exact 1 is no fraction
]


@pytest.mark.parametrize("part_id, answer, status", INTEGER_ROWS, ids=lambda v: repr(v)[:40])
def test_integers_are_compared_exactly(tmp_path, part_id, answer, status):
    problems = tmp_path / "problems"
    write(problems / "hw" / "count.toml", INTEGERS)
    value = repr(answer) if isinstance(answer, int) else f"'{answer}'"
    answers = write(tmp_path / "a.toml", f"""
        student = "s"
        assignment = "hw"

        [count]
        {part_id} = {value}
        """)
    assert statuses(submit_json(answers, problems))[f"count/{part_id}"] == status


# ------------------------------------------------------------------ choices: never guess a position

CHOICES = """
title = "Choices"
statement = "Pick."

[parts.rank]
type = "choice"
choices = ["0", "1", "2"]
answer = "2"

[parts.singular]
type = "choice"
choices = ["A", "B", "D"]
answer = "D"

[parts.case]
type = "choice"
choices = ["A", "a"]
answer = "A"

[parts.plain]
type = "choice"
choices = ["yes", "no"]
answer = "no"
"""

CHOICE_ROWS = [
    # options that are numbers: 3 is a wrong value, not the third option "2"
    ("rank", "'3'", "invalid"),
    ("rank", "3", "invalid"),
    ("rank", "'2'", "correct"),
    ("rank", "2", "correct"),
    # options that are letters: C is not the third option D
    ("singular", "'C'", "invalid"),
    ("singular", "'c'", "invalid"),
    ("singular", "'d'", "correct"),
    # options that differ only in case: as written first
    ("case", "'A'", "correct"),
    ("case", "'a'", "incorrect"),
    # words: letters and positions still name options
    ("plain", "'b'", "correct"),
    ("plain", "2", "correct"),
    ("plain", "'No '", "correct"),
    ("plain", "'a'", "incorrect"),
]


@pytest.mark.parametrize("part_id, answer, status", CHOICE_ROWS, ids=lambda v: str(v))
def test_a_choice_is_never_a_guessed_position(tmp_path, part_id, answer, status):
    problems = tmp_path / "problems"
    write(problems / "hw" / "pick.toml", CHOICES)
    answers = write(tmp_path / "a.toml", f"""
        student = "s"
        assignment = "hw"

        [pick]
        {part_id} = {answer}
        """)
    assert statuses(submit_json(answers, problems))[f"pick/{part_id}"] == status


# ------------------------------------------------------------------ a term float64 hides beside a long number

def _verdict(answer: str, canonical: str, vars_: dict) -> str:
    part = Part(type="expression", answer="0", vars=vars_)
    checker = checker_for("expression")
    with budget(20.0):
        return checker.compare(checker.read(answer, part), parse(canonical, table_for(part)), part).status


REAL = {"x": "real"}

HIDDEN_TERM_ROWS = [
    # (answer, canonical, status): the difference is 1 everywhere, 10^-20 of the values
    ("1e20 x", "1e20 x + 1", "incorrect"),
    ("1e20 x + 1", "1e20 x", "incorrect"),
    ("6.02214076e23 x + 1", "6.02214076e23 x", "incorrect"),   # no approximation: no digits_credit
    ("1e20 (x + 10^-20)", "1e20 x + 1", "correct"),            # the same function, rewritten
    ("x 1602/10^22", "1.602e-19 x", "correct"),
    # a long number only the canonical answer has is a float parameter's approximation of 1/3
    ("x^2/3", "0.3333333333333333 x^2", "correct"),
]


@pytest.mark.parametrize("answer, canonical, status", HIDDEN_TERM_ROWS)
def test_a_term_hidden_beside_a_long_number_is_seen(answer, canonical, status):
    assert _verdict(answer, canonical, REAL) == status


# ------------------------------------------------------------------ sizes of both parities

SQUARE = {"A": "matrix(n,n)"}
WIDE = {"X": "matrix(m,n)"}

PARITY_ROWS = [
    # det(c A) = c^n det(A): -det(A) only for odd n, so a size of each parity must be drawn
    ("det(-A)", "-det(A)", SQUARE, "incorrect"),
    ("det(-A)", "(-1)^n det(A)", SQUARE, "correct"),
    ("(-1)^n", "-1", SQUARE, "incorrect"),
    ("det(2 A)", "2^n det(A)", SQUARE, "correct"),
    ("det(2 A)", "2 det(A)", SQUARE, "incorrect"),
]


@pytest.mark.parametrize("answer, canonical, vars_, status", PARITY_ROWS)
def test_a_size_of_each_parity_is_drawn(answer, canonical, vars_, status):
    assert _verdict(answer, canonical, vars_) == status


GRAM_ROWS = [
    # X is m×n: X^T X is n×n and invertible only where m >= n, X X^T is m×m and invertible only where
    # n >= m; det(c G) = c^k det(G) for a k×k G. Each needs a size of each parity where its G is invertible.
    ("det(-X^T X)", "-det(X^T X)", "incorrect"),
    ("det(-X^T X)", "(-1)^n det(X^T X)", "correct"),
    ("det(-(X^T X))", "(-1)^n det(X^T X)", "correct"),
    ("det(-X X^T)", "-det(X X^T)", "incorrect"),
    ("det(-X X^T)", "(-1)^m det(X X^T)", "correct"),
    ("det(2 X^T X)", "2^n det(X^T X)", "correct"),
    ("det(2 X^T X)", "2 det(X^T X)", "incorrect"),
    ("det(2 X^T X)", "2^m det(X^T X)", "incorrect"),
    ("det(X^T X)", "det(X X^T)", "incorrect"),      # one of the two is 0 unless m = n
    ("det(X^T X)", "det(X^T X)^1", "correct"),
]


@pytest.mark.parametrize("answer, canonical, status", GRAM_ROWS)
def test_a_size_of_each_parity_is_drawn_where_a_gram_matrix_is_invertible(answer, canonical, status):
    assert _verdict(answer, canonical, WIDE) == status


# ------------------------------------------------------------------ a domain outside its name's kind

DOMAIN_PROBLEM = """
title = "Domain"
statement = "s"

[parts.f]
type = "expression"
vars = {{ x = "{kind}" }}
domain = {{ {name} = [{low}, {high}] }}
answer = "abs(x)"
"""

DOMAIN_ROWS = [
    # (kind, name, low, high, message or None): `x` for `abs(x)` graded correct over [-1, 1],
    # since a positive x's abs(x) is built as x, unless the file is refused
    ("positive", "x", -1, 1, "domain [-1, 1] has values a positive name cannot take"),
    ("positive", "x", -0.5, 1, "domain [-0.5, 1] has values a positive name cannot take"),
    ("positive", "x", 0, 1, None),      # a closed end at 0 is never drawn
    ("nonnegative", "x", -1, 1, "domain [-1, 1] has values a nonnegative name cannot take"),
    ("negative", "x", -1, 0.5, "domain [-1, 0.5] has values a negative name cannot take"),
    ("negative", "x", -1, 0, None),
    ("natural", "x", 0, 5, "domain [0, 5] has values a natural name cannot take"),
    ("real", "y", -1, 1, "domain given for 'y', which is not declared"),  # was an internal error
    ("positive", "x", 0.5, 2, None),
    ("nonnegative", "x", 0, 2, None),
    ("negative", "x", -2, -0.5, None),
    ("real", "x", -1, 1, None),
    ("integer", "x", -3, 3, None),
]


@pytest.mark.parametrize("kind, name, low, high, message", DOMAIN_ROWS)
def test_a_domain_outside_its_names_kind_is_refused_with_its_line(tmp_path, kind, name, low, high, message):
    problems = tmp_path / "problems"
    write(problems / "hw" / "d.toml", DOMAIN_PROBLEM.format(kind=kind, name=name, low=low, high=high))
    result = run("check", problems)
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1, result.output
        assert "d.toml:4: parts.f: vars: " in result.output and message in result.output


# ------------------------------------------------------------------ kinks in the size of a vector or matrix

CLIP = {"g": "vector(n)", "A": "matrix(n,n)", "c": "positive"}
SPD = {"S": "spd(n)"}

NORM_KINK_ROWS = [
    # Gaussian draws have norms near sqrt(n) <= 3.2: a threshold above that is never crossed by
    # them, so a forgotten clip agreed at every drawn point
    ("g", "min(1, 5/norm(g)) g", CLIP, "incorrect"),
    ("g", "min(1, 10/norm(g)) g", CLIP, "incorrect"),
    ("g / max(1, norm(g)/100)", "g", CLIP, "incorrect"),
    ("norm(g)", "min(norm(g), 10)", CLIP, "incorrect"),
    ("det(A)", "max(det(A), -10^6)", CLIP, "incorrect"),
    ("tr(S)", "max(tr(S), 1000)", SPD, "incorrect"),
    # a switch applied entry by entry to a vector: ReLU6 and a shifted ReLU, thresholds no
    # Gaussian entry reaches
    ("relu(g)", "relu(g) - relu(g - 5)", CLIP, "incorrect"),
    ("relu(A g)", "relu(A g) - relu(A g - 20)", CLIP, "incorrect"),
    ("g", "relu(g + 10) - 10", CLIP, "incorrect"),
    ("step(g)", "step(g - 4)", CLIP, "incorrect"),
    ("relu(g) - relu(-g)", "g", CLIP, "correct"),
    ("relu(A g)", "(A g) \\odot step(A g)", CLIP, "correct"),
    # the same clip written another way is still right
    ("g / max(1, norm(g)/5)", "g min(1, 5/norm(g))", CLIP, "correct"),
    ("min(1, c/norm(g)) g", "g min(1, c/norm(g))", CLIP, "correct"),
    ("abs(tr(A))", "tr(A) sign(tr(A))", CLIP, "correct"),
]


@pytest.mark.parametrize("answer, canonical, vars_, status", NORM_KINK_ROWS)
def test_a_kink_in_the_size_of_a_vector_or_matrix_is_crossed(answer, canonical, vars_, status):
    assert _verdict(answer, canonical, vars_) == status


# the 1-norm, as a lasso penalty is written: sum of the entries' sizes (not the Euclidean norm, not the sum)
ONE_NORM_ROWS = [
    ("\\|g\\|_1", "sum(abs(g))", "correct"),
    ("norm(g, 1)", "sum(abs(g))", "correct"),
    ("c \\|g\\|_1 + \\|g\\|_2^2", "c sum(abs(g)) + g^T g", "correct"),
    ("\\|A g\\|_1", "sum(abs(A g))", "correct"),
    ("\\|g\\|_1", "norm(g)", "incorrect"),
    ("\\|g\\|_1", "sum(g)", "incorrect"),
    ("\\|g\\|_1", "sum(relu(g))", "incorrect"),
    ("\\|g\\|_1^2", "g^T g", "incorrect"),
    ("norm(g, 2)", "\\|g\\|_1", "incorrect"),
]


@pytest.mark.parametrize("answer, canonical, status", ONE_NORM_ROWS)
def test_the_one_norm_is_the_sum_of_the_entries_sizes(answer, canonical, status):
    assert _verdict(answer, canonical, CLIP) == status


# ------------------------------------------------------------------ a flat list for a row vector

ROWS = """
title = "Rows"
statement = "s"

[params]
w = [[1.5, -2.0, 3.25]]

[parts.row]
type = "array"
answer = [[1.5, -2.0, 3.25]]

[parts.transposed]
type = "array"
answer = "w"
"""

ROW_ROWS = [
    # a TOML list has no orientation: its numbers are the row's
    ("row", "[1.5, -2.0, 3.25]", "correct"),
    ("row", "[1.5, -2.0, 3.0]", "incorrect"),
    ("row", "[[1.5, -2.0, 3.25]]", "correct"),
    ("row", "[[1.5], [-2.0], [3.25]]", "incorrect"),   # an explicit column is not the row
    ("row", "[1.5, -2.0]", "incorrect"),
    ("transposed", "[1.5, -2.0, 3.25]", "correct"),
]


@pytest.mark.parametrize("part_id, answer, status", ROW_ROWS)
def test_a_flat_list_answers_a_row_vector(tmp_path, part_id, answer, status):
    problems = tmp_path / "problems"
    write(problems / "hw" / "rows.toml", ROWS)
    answers = write(tmp_path / "a.toml", f"""
        student = "s"
        assignment = "hw"

        [rows]
        {part_id} = {answer}
        """)
    assert statuses(submit_json(answers, problems))[f"rows/{part_id}"] == status


@pytest.mark.parametrize("answer, status", [
    ("3.0000000001", "invalid"),      # a TOML float, as written: not whole
    ("3.0", "correct"),
    ("3e0", "correct"),
    ("2.5", "invalid"),
    ("4.0", "incorrect"),
])
def test_a_toml_float_for_an_integer_is_read_as_written(tmp_path, answer, status):
    problems = tmp_path / "problems"
    write(problems / "hw" / "count.toml", INTEGERS.replace('answer = "10 p"', 'answer = "30 p"'))
    answers = write(tmp_path / "a.toml", f"""
        student = "s"
        assignment = "hw"

        [count]
        ten = {answer}
        """)
    assert statuses(submit_json(answers, problems))["count/ten"] == status


@pytest.mark.parametrize("answer, canonical, domain, status", [
    # the integers of [0.5, 3.5] are 1, 2, 3: 0 (where the two differ) is not drawn
    ("k", "abs(k - 1/2) + 1/2", [0.5, 3.5], "correct"),
    ("k", "abs(k - 1/2) + 1/2", [1, 3], "correct"),
    ("k", "abs(k - 1/2) + 1/2", [-1, 3], "incorrect"),
    ("-k - 1", "abs(k + 1/2) - 1/2", [-2.5, -0.5], "correct"),
])
def test_an_integer_domain_draws_only_the_integers_inside_it(answer, canonical, domain, status):
    part = Part(type="expression", answer="0", vars={"k": "integer"}, domain={"k": domain})
    checker = checker_for("expression")
    with budget(20.0):
        check = checker.compare(checker.read(answer, part), parse(canonical, table_for(part)), part)
    assert check.status == status


def test_an_integer_domain_with_no_integer_is_refused():
    with pytest.raises(ValueError, match=r"domain \[0.2, 0.8\] holds no whole number"):
        Part(type="expression", answer="k", vars={"k": "integer"}, domain={"k": [0.2, 0.8]})
