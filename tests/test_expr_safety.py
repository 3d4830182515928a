"""Student text is hostile until proved otherwise: no code runs, nothing grows without bound, nothing hangs."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

import grader
from grader.expr import BudgetExceeded, ExprError, SymbolTable, budget, compare, parse

PACKAGE = Path(grader.__file__).resolve().parent

# calls that turn text into running code (or into sympy through its eval-based parser)
FORBIDDEN = {"eval", "exec", "sympify", "parse_expr", "__import__", "compile", "lambdify", "S",
             "import_module", "parse_latex", "parse_mathematica"}
# re.compile builds a regular expression; it runs no code
HARMLESS = {("re", "compile")}


def _called_name(call: ast.Call) -> tuple[str | None, str] | None:
    func = call.func
    if isinstance(func, ast.Name):
        return None, func.id
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        return owner, func.attr
    return None


def forbidden_calls(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            called = _called_name(node)
            if called and called[1] in FORBIDDEN and called not in HARMLESS:
                owner, name = called
                found.append(f"{filename}:{node.lineno}: {owner + '.' if owner else ''}{name}(")
    return found


def test_the_scanner_finds_every_spelling():
    source = "eval(t)\nsympy.sympify(t)\nsp.S('x')\nS(t)\nbuiltins.exec(t)\n__import__('os')\n" \
             "parse_expr(t)\nf = lambdify(x, e)\ncompile(t, 'f', 'exec')\nimportlib.import_module(t)\n"
    assert len(forbidden_calls(source, "probe.py")) == 10
    assert forbidden_calls("re.compile('x')\nsp.S.Zero\nsp.Symbol('x')\n", "probe.py") == []


def test_no_eval_like_call_anywhere_in_the_package():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    offenders = [hit for path in files for hit in forbidden_calls(path.read_text(encoding="utf-8"), str(path))]
    assert offenders == []


# ------------------------------------------------------------------ hostile input

HOSTILE = {
    "import": "__import__('os').system('touch x')",
    "dunder": "().__class__.__bases__",
    "dunder-attr": "x.__class__.__init__.__globals__",
    "lambda": "lambda: 0",
    "exec": "exec('open(\"x\", \"w\")')",
    "eval": "eval(\"__import__('os').system('touch x')\")",
    "tower": "9^9^9^9",
    "tower-10": "10^10^10",
    "factorial-call": "factorial(10^7)",
    "factorial-bang": "(10^7)!",
    "factorial-chain": "3!!!!",
    "nested-parens": "(" * 10_000 + "x" + ")" * 10_000,
    "megabyte": "x" * 1_000_000,
    "megabyte-sum": "x+" * 500_000 + "x",
    "long-literal": "9" * 5_000,
    "literal-digits": "1" * 61,
    "sci-huge": "1e999999",
    "sci-tiny": "1e-999999",
    "big-power": "10^1000",
    "big-product": " ".join(["2^999"] * 50),
    "factorial-product": " ".join(["200!"] * 30),
    "merged-power": "((x+1)^1000)^1000",
    "exponent-huge": "x^(10^10)",
    "nested-functions": "sin(" * 200 + "x" + ")" * 200,
    "nested-brackets": "[" * 60 + "x" + "]" * 60,
    "long-chain": "+".join(["x"] * 1_000),
    "long-product": " ".join(["x"] * 1_000),
    "symbol-tower": "x^" * 300 + "x",
    "prime-chain": "x" + "'" * 1_000,
    "minus-chain": "-" * 1_500 + "x",
    "frac-nesting": "\\frac{" * 60 + "1" + "}{2}" * 60,
    "sqrt-nesting": "\\sqrt{" * 80 + "x" + "}" * 80,
    "matrix-power": "[[x, 1], [1, x]]^10000",
    "latex-input": "\\input{/etc/passwd}",
    "latex-def": "\\def\\x{1} \\x",
    "null-byte": "x\x00y",
    "format-string": "{0.__class__}",
    "semicolon": "x; import os",
    "newline": "x\nimport os",
    "division-by-zero": "1/0",
    "complex": "sqrt(-1)",
    "rtl-override": "x\u202e + y",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_refused_quickly_and_harmlessly(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = SymbolTable({"x": "real", "y": "real"})
    with pytest.raises(ExprError):  # not BudgetExceeded: refused long before the backstop fires
        with budget(5.0):
            parse(text, table)
    assert list(tmp_path.iterdir()) == []


def test_the_error_for_an_attack_is_an_ordinary_message():
    with pytest.raises(ExprError) as caught:
        parse("__import__('os').system('touch x')", SymbolTable({"x": "real"}))
    assert caught.value.column is not None
    assert "os" not in caught.value.reason


# ------------------------------------------------------------------ time budget

# (x+1)^900 overflows a float at most sample points, so the numbers cannot decide and
# the symbolic layer expands two degree-900 polynomials: seconds of work without a budget
# how late an interrupted block may end on a loaded machine: the loops below never end by themselves,
# so ending at all within this proves the budget fired; the bounds say nothing about speed
SLACK = 3.0

SLOW_ANSWER = "(x+1)^900 - (x-1)^900"
SLOW_CANONICAL = "((x+1)^450 - (x-1)^450)((x+1)^450 + (x-1)^450)"


# an alarm that lands inside a gc callback (hypothesis installs one) is reported by pytest as
# unraisable and dropped by Python; the budget raises again, which is what these tests check
swallowed_alarms_are_expected = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@swallowed_alarms_are_expected
def test_a_pathological_check_stops_at_its_budget():
    table = SymbolTable({"x": "real"})
    student, expected = parse(SLOW_ANSWER, table), parse(SLOW_CANONICAL, table)
    start = time.perf_counter()
    with pytest.raises(BudgetExceeded):
        with budget(0.3):
            compare(student, expected, table, prove=True)
    assert time.perf_counter() - start < 0.3 + SLACK


@swallowed_alarms_are_expected
def test_the_process_is_fine_after_a_budget_fires():
    table = SymbolTable({"x": "real"})
    with pytest.raises(BudgetExceeded):
        with budget(0.2):
            compare(parse(SLOW_ANSWER, table), parse(SLOW_CANONICAL, table), table, prove=True)
    with budget(2.0):
        assert compare(parse("(x+1)^2", table), parse("x^2 + 2x + 1", table), table).equivalent
    time.sleep(0.3)  # no stray alarm left armed to fire later


def test_an_alarm_swallowed_once_is_raised_again():
    swallowed = 0
    start = time.perf_counter()
    with pytest.raises(BudgetExceeded):
        with budget(0.1):
            while True:
                try:
                    while True:
                        pass
                except BudgetExceeded:
                    if swallowed:
                        raise
                    swallowed += 1  # what Python does to an exception in a gc callback or __del__
    assert swallowed == 1
    assert time.perf_counter() - start < 0.1 + SLACK


def test_budget_is_not_swallowed_by_except_exception():
    with pytest.raises(BudgetExceeded):
        with budget(0.05):
            try:
                while True:
                    pass
            except Exception:  # noqa: BLE001 - what sympy does internally
                pass


def test_nested_budgets_keep_the_earliest_deadline():
    start = time.perf_counter()
    with pytest.raises(BudgetExceeded):
        with budget(5.0):
            with budget(0.1):
                while True:
                    pass
    assert time.perf_counter() - start < 0.1 + SLACK  # the inner deadline, far from the outer 5 s


def test_an_outer_budget_still_fires_after_an_inner_one_ends():
    start = time.perf_counter()
    with pytest.raises(BudgetExceeded):
        with budget(0.3):
            with budget(10.0):
                pass
            while True:
                pass
    assert time.perf_counter() - start < 0.3 + SLACK  # the outer deadline, far from the inner 10 s
