"""Problem files: schema errors with file and line, variants, solver graphs, python solvers."""

from __future__ import annotations

import json

import pytest

from grader.bank import Bank
from grader.check.expression import table_for
from grader.expr import compare, parse
from grader.loader import LoadError, load_problem
from grader.solve import SolveError, Unsolved, solve
from grader.variants import draw_params

from .helpers import CHAIN, ONE_NUMBER, run, write

BASE = """
title = "t"
[params]
x = 2.0
[parts.p]
type = "number"
answer = "3*x"
"""


@pytest.mark.parametrize("change, line, message", [
    (("answer = \"3*x\"", "answer = \"3*x\"\nrtoll = 0.1"), 7, "parts.p.rtoll: unknown key 'rtoll' (did you mean 'rtol'?)"),
    (("type = \"number\"", "type = \"numbr\""), 5, "parts.p.type: Input should be 'number'"),
    (("type = \"number\"\n", ""), 4, "parts.p.type: missing key 'type'"),
    (("title = \"t\"", "titel = \"t\""), 1, "unknown key 'titel' (did you mean 'title'?)"),
    (("x = 2.0", "x = { value = 2.0, draw = { choice = [] } }"), 3, "choice needs at least one value"),
    (("x = 2.0", "x = { value = 2.0, draw = { range = [5, 1] } }"), 3, "must not exceed"),
    (("x = 2.0", "x = { value = 2.0, draw = { uniform = [0, 1], range = [0, 1] } }"), 3, "exactly one of"),
    (("answer = \"3*x\"", "answer = \"3*x\"\npoints = -1"), 7, "greater than or equal to 0"),
    (("answer = \"3*x\"", "answer = \"3*x"), 6, "TOML syntax error"),
])
def test_schema_errors_name_file_and_line(tmp_path, change, line, message):
    path = write(tmp_path / "hw" / "p.toml", BASE.replace(*change))
    with pytest.raises(LoadError) as caught:
        load_problem(path, tmp_path)
    assert caught.value.line == line, str(caught.value)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}")


def test_problem_id_comes_from_the_path(tmp_path):
    path = write(tmp_path / "hw4" / "backprop.toml", BASE)
    assert load_problem(path, tmp_path).id == "hw4/backprop"


DRAWS = """
title = "draws"
statement = "a={a} b={b} c={c} d={d}"
[params]
a = { value = 1, draw = { choice = [1, 2, 3, 4, 5, 6, 7, 8] } }
b = { value = 10, draw = { range = [10, 50], step = 10 } }
c = { value = 0.5, draw = { uniform = [0.1, 0.9], decimals = 3 } }
d = { value = 1, draw = { range = [-3, 3], exclude = [0] } }
[parts.s]
type = "number"
answer = "a + b + c + d"
"""


def test_variants_are_seeded_per_student_and_rounded(tmp_path):
    problem = load_problem(write(tmp_path / "hw" / "d.toml", DRAWS), tmp_path)
    published = draw_params(problem.model, problem.id, None)
    assert published == {"a": 1, "b": 10, "c": 0.5, "d": 1}
    alice = draw_params(problem.model, problem.id, "alice")
    assert alice == draw_params(problem.model, problem.id, "alice")            # same every time
    assert alice != draw_params(problem.model, problem.id, "alice", "secret")  # the course secret matters
    many = [draw_params(problem.model, problem.id, f"s{i}") for i in range(200)]
    assert len({tuple(v.values()) for v in many}) > 150
    assert {v["b"] for v in many} == {10, 20, 30, 40, 50}
    assert all(v["d"] != 0 and -3 <= v["d"] <= 3 for v in many)
    assert all(round(v["c"], 3) == v["c"] and 0.1 <= v["c"] <= 0.9 for v in many)


def test_variant_draws_are_pinned_across_machines(tmp_path):
    """Fixed values: if these change, every student's numbers change. Never update lightly."""
    problem = load_problem(write(tmp_path / "hw" / "d.toml", DRAWS), tmp_path)
    assert draw_params(problem.model, problem.id, "alice") == {"a": 2, "b": 40, "c": 0.611, "d": -3}


def test_shown_values_are_the_graded_values(tmp_path):
    write(tmp_path / "problems" / "hw" / "d.toml", DRAWS)
    shown = run("show", "hw/d", "--student", "bob", "--problems", tmp_path / "problems")
    values = dict(pair.split("=") for pair in shown.stdout.split("\n")[2].split())
    problem = Bank(tmp_path / "problems").problem("hw/d")
    variant = solve(problem, "bob")
    assert variant.expected["s"] == pytest.approx(sum(float(v) for v in values.values()))


GRAPH = """
title = "graph"
[params]
x = 2.0
h = "x / 2"
[parts.a]
type = "number"
answer = "b + 1"
[parts.b]
type = "number"
answer = "h * 3"
[parts.c]
type = "array"
answer = "[a, b, x]"
"""


def test_part_answers_form_a_graph(tmp_path):
    problem = load_problem(write(tmp_path / "hw" / "g.toml", GRAPH), tmp_path)
    variant = solve(problem)
    assert variant.expected["b"] == 3.0 and variant.expected["a"] == 4.0
    assert list(variant.expected["c"]) == [4.0, 3.0, 2.0]
    assert variant.depends["a"] == {"b"} and variant.depends["c"] == {"a", "b"}


@pytest.mark.parametrize("change, message", [
    (('answer = "h * 3"', 'answer = "a * 3"'), "cycle: "),
    (('answer = "h * 3"', 'answer = "h * "'), "cannot read its answer"),
])
def test_graph_errors_name_what_is_wrong(tmp_path, change, message):
    problem = load_problem(write(tmp_path / "hw" / "g.toml", GRAPH.replace(*change)), tmp_path)
    with pytest.raises(SolveError, match=message.replace("(", r"\(").replace("*", r"\*")):
        solve(problem)


@pytest.mark.parametrize("answer, reason", [
    ("q * 3", "unknown name 'q'"),
    ("log(x - 2)", "'log(x - 2)' is not finite for these parameter values"),
])
def test_an_answer_that_cannot_be_evaluated_takes_only_what_depends_on_it(tmp_path, answer, reason):
    text = GRAPH.replace('answer = "h * 3"', f'answer = "{answer}"') + '[parts.d]\ntype = "number"\nanswer = "h + 1"\n'
    variant = solve(load_problem(write(tmp_path / "hw" / "g.toml", text), tmp_path))
    assert reason in variant.expected["b"].reason
    for pid in ("a", "c"):
        assert variant.expected[pid].reason.startswith("it uses 'b', which cannot be evaluated")
    assert variant.expected["d"] == 2.0


def test_an_expression_answer_may_name_earlier_expression_parts(tmp_path):
    problem = load_problem(write(tmp_path / "hw" / "chain.toml", CHAIN), tmp_path)
    variant = solve(problem)
    for pid, written in (("dW", "2 (z - y) x^T"), ("dx", "2 W^T (z - y)")):
        table = table_for(problem.model.parts[pid])
        assert compare(parse(written, table), variant.expected[pid], table).equivalent
    assert variant.depends["dW"] == {"dz"} and variant.depends["dx"] == {"dz"}
    result = run("check", tmp_path, "--variants", "5")
    assert result.exit_code == 0, result.stdout


def test_a_formula_part_named_like_a_builtin_leaves_the_builtin_alone(tmp_path):
    problem = load_problem(write(tmp_path / "hw" / "j.toml", """
        title = "softmax jacobian"
        [parts.diag]
        type = "expression"
        vars = { s_i = "real" }
        answer = "s_i (1 - s_i)"
        [parts.jacobian]
        type = "expression"
        vars = { s = "vector(n)" }
        answer = "diag(s) - s s^T"
    """), tmp_path)
    variant = solve(problem)
    table = table_for(problem.model.parts["jacobian"])
    assert variant.expected["jacobian"] == parse("diag(s) - s s^T", table)
    assert variant.depends["jacobian"] == set()


DW_PART = 'type = "expression"\nanswer = "dz x^T"\nvars = { z = "vector(n)", y = "vector(n)", x = "vector(m)" }'


@pytest.mark.parametrize("dw_part, message", [
    # the later part reads z as a number: the formula it names has a vector z
    ('type = "expression"\nanswer = "dz x^T"\nvars = { z = "real", y = "vector(n)", x = "vector(m)" }',
     "'dz' uses z, which this part does not declare the same way"),
    ('type = "number"\nanswer = "2 dz"', "'2 dz' names the formula 'dz': a numeric answer can only use numbers"),
])
def test_naming_an_expression_part_needs_matching_vars_and_a_formula(tmp_path, dw_part, message):
    assert DW_PART in CHAIN
    problem = load_problem(write(tmp_path / "hw" / "chain.toml", CHAIN.replace(DW_PART, dw_part)), tmp_path)
    variant = solve(problem)
    assert message in variant.expected["dW"].reason
    assert not isinstance(variant.expected["dz"], Unsolved)


SOLVED = """
title = "solver"
[params]
n = { value = 3, draw = { range = [2, 6] } }
[solver]
python = "sq.py"
[parts.square]
type = "number"
[parts.plus]
type = "number"
answer = "square + helper"
[parts.vec]
type = "array"
"""


def test_python_solver_beside_the_file_and_expressions_together(tmp_path):
    write(tmp_path / "hw" / "sq.py", """
        import numpy as np

        def solve(params):
            n = params["n"]
            return {"square": n * n, "helper": 0.5, "vec": np.arange(n).tolist()}
    """)
    problem = load_problem(write(tmp_path / "hw" / "s.toml", SOLVED), tmp_path)
    variant = solve(problem, "alice")
    n = variant.params["n"]
    assert variant.expected["square"] == n * n
    assert variant.expected["plus"] == n * n + 0.5
    assert list(variant.expected["vec"]) == list(range(n))


def test_a_python_solver_may_return_numpy_values(tmp_path):
    write(tmp_path / "hw" / "sq.py", """
        import numpy as np

        def solve(params):
            n = np.int64(params["n"])
            return {"square": n * n, "helper": np.float64(0.5), "vec": np.arange(n)}
    """)
    problem = load_problem(write(tmp_path / "hw" / "s.toml", SOLVED), tmp_path)
    variant = solve(problem, "alice")
    n = variant.params["n"]
    assert variant.expected["square"] == n * n and variant.expected["plus"] == n * n + 0.5
    assert list(variant.expected["vec"]) == list(range(n))


def test_a_failing_solver_is_reported_not_raised(tmp_path):
    write(tmp_path / "hw" / "sq.py", "def solve(params):\n    return 1 / 0\n")
    problem = load_problem(write(tmp_path / "hw" / "s.toml", SOLVED), tmp_path)
    with pytest.raises(SolveError, match="ZeroDivisionError"):
        solve(problem)


def test_missing_solver_file_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="solver file 'sq.py' not found"):
        load_problem(write(tmp_path / "hw" / "s.toml", SOLVED), tmp_path)


# grade check / show / template / schema through the CLI

def test_check_passes_the_sample_bank():
    result = run("check", "problems/demo", "--variants", "5")
    assert result.exit_code == 0, result.output
    assert "2 problems, 10 parts: 2 passed, 0 failed" in result.stdout


@pytest.mark.parametrize("extra, message", [
    ('\n[[tests]]\nanswers = { double = 1.0 }\nexpect = { double = "correct" }\n',
     "test 1: part double: expected correct, got incorrect"),
    ('\n[[tests]]\nanswers = {}\nexpect = { nope = "correct" }\n', "expects unknown parts nope"),
    ('\n[[parts.double.mistakes]]\nanswer = "x + x"\nfeedback = "same"\n', "equals the correct answer"),
    ('\n[[parts.double.mistakes]]\nanswer = "y"\nfeedback = "?"\n', "cannot be evaluated"),
])
def test_check_reports_failures_and_exits_1(tmp_path, extra, message):
    write(tmp_path / "problems" / "hw" / "p.toml", ONE_NUMBER + extra)
    result = run("check", tmp_path / "problems", "--variants", "3")
    assert result.exit_code == 1
    assert message in result.stdout
    assert "1 failed" in result.stdout


def test_check_catches_a_tolerance_so_loose_a_wrong_answer_passes(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", ONE_NUMBER + "rtol = 0.5\n")
    result = run("check", tmp_path / "problems", "--variants", "2")
    assert result.exit_code == 1 and "perturbed answer" in result.stdout


def test_check_catches_ill_posed_variants(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", """
        title = "ill-posed"
        [params]
        k = { value = 1, draw = { range = [0, 1] } }
        [parts.inv]
        type = "number"
        answer = "1 / k"
    """)
    result = run("check", tmp_path / "problems", "--variants", "10")
    assert result.exit_code == 1 and "not finite" in result.stdout


@pytest.mark.parametrize("answer, vars_", [
    ("log(x)", '{ x = "negative" }'),
    ("inv(u u^T)", '{ u = "vector(n)" }'),
    ("sqrt(x - 5000)", '{ x = "real" }'),  # points reach 1000 at most
])
def test_check_refuses_an_expression_that_numbers_cannot_test(tmp_path, answer, vars_):
    """A canonical answer undefined almost everywhere in its vars' domain would grade only its own
    spelling correct and leave every other correct form ungraded."""
    write(tmp_path / "problems" / "hw" / "p.toml", f"""
        title = "untestable"
        [parts.f]
        type = "expression"
        answer = "{answer}"
        vars = {vars_}
    """)
    result = run("check", tmp_path / "problems", "--variants", "1")
    assert result.exit_code == 1
    assert "part f: the answer has a value at only 0 of the sampled points" in result.stdout
    assert "check the vars' kinds and domain" in result.stdout


def test_check_accepts_an_expression_defined_on_part_of_the_domain(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", """
        title = "half the line"
        [parts.f]
        type = "expression"
        answer = "sqrt(x)"
        vars = { x = "real" }
    """)
    result = run("check", tmp_path / "problems", "--variants", "1")
    assert result.exit_code == 0, result.stdout


def test_check_reports_schema_errors_with_lines(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", ONE_NUMBER.replace("points = 2", "pionts = 2"))
    result = run("check", tmp_path / "problems")
    assert result.exit_code == 1 and "p.toml:9: parts.double.pionts: unknown key" in result.stdout


def test_show_with_student_and_solution():
    published = run("show", "demo/matrix_calculus", "--solution").stdout
    alice = run("show", "demo/matrix_calculus", "--student", "alice", "--solution").stdout
    assert "maps 784 inputs to 10 outputs" in published and "answer: 7850" in published
    assert "maps 784 inputs to 40 outputs" in alice and "answer: 31400" in alice
    assert "answer:" not in run("show", "demo/matrix_calculus").stdout
    assert run("show", "demo/nope").exit_code == 2


def test_template_is_a_blank_answers_file_for_that_student(tmp_path):
    result = run("template", "demo", "--student", "carol")
    assert result.exit_code == 0
    path = tmp_path / "carol.toml"
    path.write_text(result.stdout)
    report = json.loads(run("submit", path, "--format", "json").stdout)
    assert report["student"] == "carol"
    assert {p["status"] for pr in report["problems"] for p in pr["parts"]} == {"missing"}
    assert "# grad_bilinear (2 points, expression)\n# The gradient of $a^T X b$" in result.stdout
    assert "names you can use: a, b, X" in result.stdout
    assert run("template", "nope", "--student", "x").exit_code == 2


def test_schema_is_json_schema_of_the_problem_file():
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "Problem"
    assert "parts" in schema["properties"] and "rtol" in schema["$defs"]["Part"]["properties"]


def test_students_listed_as_published_get_the_published_values(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", ONE_NUMBER)
    write(bank / "hw" / "_assignment.toml", 'published = ["historic"]\n')
    for student in ("historic", "fresh"):
        write(tmp_path / f"{student}.toml", f'student = "{student}"\nassignment = "hw"\n[p]\ndouble = 3.0\n')
    historic = json.loads(run("submit", tmp_path / "historic.toml", "--problems", bank, "--format", "json").stdout)
    fresh = json.loads(run("submit", tmp_path / "fresh.toml", "--problems", bank, "--format", "json").stdout)
    assert historic["problems"][0]["parts"][0]["status"] == "correct"      # 2 * 1.5, the published x
    assert fresh["problems"][0]["parts"][0]["status"] == "incorrect"       # fresh has a drawn x
    assert "Compute 2 * 1.5." in run("show", "hw/p", "--student", "historic", "--problems", bank).stdout
    assert run("check", bank, "--variants", "2").exit_code == 0            # the settings file is no problem


def test_a_broken_assignment_settings_file_is_unusable(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", ONE_NUMBER)
    write(bank / "hw" / "_assignment.toml", 'publisher = ["x"]\n')
    write(tmp_path / "a.toml", 'student = "a"\nassignment = "hw"\n')
    result = run("submit", tmp_path / "a.toml", "--problems", bank)
    assert result.exit_code == 2 and "_assignment.toml:1: publisher: unknown key" in result.stderr


VECTORS = """
title = "vectors in answers"
[params]
u = [1.0, 2.0]
[parts.jac]
type = "expression"
vars = { x = "real", y = "real" }
answer = "[[1, -3], [y, x], [2x, -1]]"
[parts.norm2]
type = "number"
answer = "u^T u"
[parts.shifted]
type = "array"
answer = "u + [1, 1]"
[parts.d_L_dv]
type = "number"
answer = "2*norm2"
[parts.scaled]
type = "array"
answer = "norm2 * u"
[parts.outer]
type = "array"
answer = "u u^T"
[parts.order_of_ops]
type = "text"
"""


def test_vector_parameters_and_parts_are_columns_in_answers(tmp_path):
    write(tmp_path / "problems" / "hw" / "v.toml", VECTORS)
    variant = solve(Bank(tmp_path / "problems").problem("hw/v"))
    assert variant.expected["norm2"] == 5.0 and variant.expected["d_L_dv"] == 10.0
    assert variant.expected["shifted"].tolist() == [2.0, 3.0]
    assert variant.expected["scaled"].tolist() == [5.0, 10.0]
    assert variant.expected["outer"].tolist() == [[1.0, 2.0], [2.0, 4.0]]


def test_explicit_matrix_formulas_grade_in_a_batch(tmp_path):
    write(tmp_path / "problems" / "hw" / "v.toml", VECTORS)
    write(tmp_path / "problems" / "hw" / "_assignment.toml", 'published = ["s1", "s2"]\n')
    for name, jac in (("s1", "[[1, -3], [y, x], [2 x, -1]]"), ("s2", "[[1, -3], [x, y], [2 x, -1]]")):
        write(tmp_path / "subs" / f"{name}.toml", f'student = "{name}"\nassignment = "hw"\n[v]\njac = "{jac}"\n')
    result = run("batch", tmp_path / "subs", "--problems", tmp_path / "problems", "--no-db", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["problems"][0]["parts"][0]["status"] for r in json.loads(result.stdout)] == ["correct", "incorrect"]
    assert run("check", tmp_path / "problems", "--variants", "5").exit_code == 0


def test_a_number_part_whose_answer_is_a_vector_is_a_problem_error(tmp_path):
    write(tmp_path / "problems" / "hw" / "v.toml", VECTORS.replace('answer = "u^T u"', 'answer = "u"'))
    result = run("check", tmp_path / "problems")
    assert result.exit_code == 1
    assert "part norm2: its answer cannot be evaluated: 'u' is a vector or matrix, but the part is a single number" \
        in result.stdout


def test_check_solves_each_distinct_variant_once(tmp_path):
    write(tmp_path / "problems" / "hw" / "v.toml", VECTORS)
    result = run("check", tmp_path / "problems", "--variants", "30")
    assert "(7 parts, 1 distinct variant)" in result.stdout


def test_template_comments_every_line_of_a_long_prompt_and_fills_numbers(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", ONE_NUMBER.replace('answer = "2*x"', 'answer = "2*x"\nprompt = """Twice x.\nHere x = {x}."""'))
    result = run("template", "hw", "--student", "sam", "--problems", bank)
    path = write(tmp_path / "sam.toml", result.stdout)
    assert run("submit", path, "--problems", bank).exit_code == 0      # valid TOML
    x = solve(Bank(bank).problem("hw/p"), "sam").scope["x"]
    assert f"# Here x = {x:g}." in result.stdout


def test_check_writes_canonical_answers_with_the_digits_the_part_asks_for(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", """
        title = "digits"
        [params]
        w = 1.9
        [parts.rounded]
        type = "number"
        decimals = 2
        answer = "w"
        [parts.figures]
        type = "array"
        sigfigs = 3
        answer = "[w, 10 w]"
    """)
    result = run("check", tmp_path / "problems")
    assert result.exit_code == 0, result.stdout


def test_double_braces_are_literal_in_statements(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", ONE_NUMBER.replace(
        'statement = "Compute 2 * {x}."', 'statement = "Compute \\\\\\\\hat{{x}} = 2 * {x}; keep \\\\\\\\frac{1}{2}."'))
    shown = run("show", "hw/p", "--problems", tmp_path / "problems").stdout
    assert "Compute \\\\hat{x} = 2 * 1.5; keep \\\\frac{1}{2}." in shown


def test_bonus_points_add_to_the_score_not_the_maximum(tmp_path):
    bank = tmp_path / "problems"
    write(bank / "hw" / "p.toml", ONE_NUMBER + '[parts.extra]\ntype = "number"\npoints = 1\nbonus = true\nanswer = "x"\n')
    write(bank / "hw" / "_assignment.toml", 'published = ["b"]\n')
    path = write(tmp_path / "b.toml", 'student = "b"\nassignment = "hw"\n[p]\ndouble = 3.0\nextra = 1.5\n')
    report = json.loads(run("submit", path, "--problems", bank, "--format", "json").stdout)
    assert (report["score"], report["max_score"], report["percent"]) == (3.0, 2.0, 150.0)


def test_a_part_variable_named_like_a_function_is_a_name(tmp_path):
    write(tmp_path / "problems" / "hw" / "p.toml", """
        title = "shadowing"
        [parts.lam]
        type = "expression"
        vars = { sigma = "positive" }
        answer = "1 / (2 sigma^2)"
    """)
    variant = solve(Bank(tmp_path / "problems").problem("hw/p"))
    assert str(variant.expected["lam"]) == "1/(2*sigma**2)"
    assert run("check", tmp_path / "problems", "--variants", "1").exit_code == 0
