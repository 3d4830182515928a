"""The public API and the CLI's single exit-code path: typed errors, the course secret, lazy imports."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys

import pytest

import grader
from grader import api, course
from grader.errors import EXIT_PIPE, EXIT_UNDER, EXIT_UNUSABLE, BankNotFound, GradeError, NotGradeOutput

from .helpers import PROBLEMS, REPO, SUBMISSIONS, run, write

ALICE = SUBMISSIONS / "demo" / "alice.toml"


def test_every_public_name_resolves():
    namespace: dict = {}
    exec("from grader import *", namespace)  # noqa: S102 - a fixed statement: star-import imports `formats` too
    assert set(grader.__all__) <= set(namespace)
    assert set(grader.__all__) <= set(dir(grader))
    with pytest.raises(AttributeError):
        grader.no_such_name  # noqa: B018


def test_the_functions_the_readme_lists_exist_with_the_parameters_it_names():
    """Each `grader.<module>` bullet of the README's API list: its `name(args)` are that module's."""
    import importlib
    import inspect
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listing = readme.split("The other commands' work, as functions")[1].split("\n## ")[0]
    checked = 0
    for bullet in listing.split("\n- ")[1:]:
        module = re.match(r"`(grader\.\w+)`", bullet)
        if module is None:
            continue
        home = importlib.import_module(module[1])
        for name, args in re.findall(r"`(\w+)\(([^)]*)\)", bullet):
            parameters = inspect.signature(getattr(home, name)).parameters
            named = [a.split("=")[0].strip() for a in args.split(",") if a.strip()]
            assert set(named) <= set(parameters), (module[1], name, named)
            checked += 1
    assert checked >= 12


def test_the_errors_share_one_base_with_an_exit_code():
    for name in ("LoadError", "UnknownAssignment", "SolveError", "GradebookError"):
        error = getattr(grader, name)
        assert issubclass(error, grader.GradeError) and error.exit_code == EXIT_UNUSABLE


def test_status_values_are_the_report_strings():
    assert grader.Status("partial") is grader.Status.PARTIAL and grader.Status.PARTIAL == "partial"


@pytest.mark.parametrize("code", [
    "import grader.cli",
    "from click.testing import CliRunner; from grader.cli import main; CliRunner().invoke(main, ['--help'])",
    "import grader; grader.GradeError",
])
def test_help_and_the_package_load_no_heavy_library(code):
    check = code + "; import sys; heavy = {'sympy', 'numpy', 'lark', 'pydantic', 'rich'} & set(sys.modules); " \
                   "assert not heavy, heavy"
    subprocess.run([sys.executable, "-c", check], cwd=REPO, check=True)


def test_the_api_reads_the_course_secret_as_the_command_does(monkeypatch):
    monkeypatch.setenv("GRADE_SECRET", "s3cret")
    submission = grader.load_submission(ALICE)
    from_env = grader.grade_submission(submission, grader.Bank(PROBLEMS))
    cli = run("submit", ALICE, "--problems", PROBLEMS, "--format", "json")
    assert json.loads(cli.stdout) == from_env.to_dict()
    without = grader.grade_submission(submission, grader.Bank(PROBLEMS), secret="")
    assert without.to_dict() != from_env.to_dict()   # the draws depend on the secret
    flag = run("submit", ALICE, "--problems", PROBLEMS, "--format", "json", "--secret", "")
    assert json.loads(flag.stdout) == without.to_dict()


def test_help_names_the_secret_variable_but_never_its_value(monkeypatch):
    monkeypatch.setenv("GRADE_SECRET", "s3cret")
    result = run("submit", "--help")
    assert "GRADE_SECRET" in result.stdout and "s3cret" not in result.stdout


def test_readme_examples_run():
    failures, tried = doctest.testfile(str(REPO / "README.md"), module_relative=False,
                                       optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


@pytest.fixture(autouse=True)
def _no_secret(monkeypatch):
    monkeypatch.delenv("GRADE_SECRET", raising=False)
    monkeypatch.chdir(REPO)


# one exit-code path: a GradeError's code and first line, whatever the command

@pytest.mark.parametrize("args, message", [
    (["template", "no-such", "--student", "a"], "unknown assignment 'no-such'"),
    (["submit", ALICE, "--problems", "nowhere"], "problem bank 'nowhere' not found"),
    (["show", "demo/nothing"], "no problem 'demo/nothing'"),
    (["export", "--db", "none.sqlite"], "no gradebook at none.sqlite"),
    (["stats", "--db", "none.sqlite"], "no gradebook at none.sqlite"),
    (["regrade", "--db", "none.sqlite"], "no gradebook at none.sqlite"),
])
def test_unusable_input_exits_2_with_one_line(args, message):
    result = run(*args)
    assert result.exit_code == EXIT_UNUSABLE
    assert result.stderr.startswith("grade: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_merge_refuses_what_batch_did_not_write(tmp_path):
    bad = write(tmp_path / "shard.json", '{"not": "a list"}')
    result = run("merge", bad)
    assert result.exit_code == EXIT_UNUSABLE and "not a JSON output of grade batch" in result.stderr
    with pytest.raises(NotGradeOutput):
        course.merge([bad])


def test_a_reader_that_leaves_early_gets_its_own_exit_code(monkeypatch):
    def closed(*args, **kwargs):
        raise BrokenPipeError
    monkeypatch.setattr(api, "grade_file", closed)
    result = run("submit", ALICE)
    assert result.exit_code == EXIT_PIPE and result.stderr == ""


def test_an_internal_error_is_one_line_too(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("oops")
    monkeypatch.setattr(api, "grade_file", broken)
    result = run("submit", ALICE)
    assert result.exit_code == EXIT_UNUSABLE and result.stderr == "grade: internal error: KeyError: 'oops'\n"


def test_fail_under_is_an_exit_code_not_an_error():
    result = run("submit", ALICE, "--fail-under", "50")
    assert result.exit_code == EXIT_UNDER and result.stderr == ""


def test_api_errors_are_grade_errors():
    with pytest.raises(BankNotFound):
        api.grade_file(ALICE, "nowhere")
    with pytest.raises(GradeError, match="unknown assignment"):
        api.template(grader.Bank(PROBLEMS), "no-such", "a")


def test_template_and_show_use_the_students_variant():
    bank = grader.Bank(PROBLEMS)
    assert api.template(bank, "demo", "alice") == run("template", "demo", "--student", "alice").stdout
    assert api.show(bank, "demo/neuron", "bob", secret="x") != api.show(bank, "demo/neuron", "bob", secret="y")
