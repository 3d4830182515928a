"""The CLI as a client, where no server answers: one clear line and exit 2, never a traceback,
and without a login or --server every command works locally as before."""

from __future__ import annotations

import pytest

from .helpers import REPO, run
from .service_util import free_port

ALICE = REPO / "submissions" / "demo" / "alice.toml"


@pytest.mark.parametrize("args", [
    ["submit", ALICE],
    ["template", "demo"],
    ["show", "demo/neuron"],
    ["history"],
])
def test_a_server_that_is_down_is_one_line_and_exit_2(args):
    url = f"http://127.0.0.1:{free_port()}"
    result = run(*args, "--server", url, "--token", "t0ken")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"grade: cannot reach the server at {url}")
    assert "Traceback" not in result.output + result.stderr
    assert "t0ken" not in result.output + result.stderr


def test_login_to_a_server_that_is_down_saves_nothing():
    url = f"http://127.0.0.1:{free_port()}"
    result = run("login", url, "--token", "t0ken")
    assert result.exit_code == 2 and "cannot reach the server" in result.stderr
    assert run("history").stderr.startswith("grade: not logged in")


@pytest.mark.parametrize("url, message", [
    ("ftp://example.org", "must start with http:// or https://"),
    ("localhost:8000", "must start with http:// or https://"),
])
def test_a_server_address_without_a_scheme_is_refused(url, message):
    result = run("submit", ALICE, "--server", url, "--token", "t")
    assert result.exit_code == 2 and message in result.stderr


def test_a_server_without_a_token_says_how_to_get_one():
    result = run("submit", ALICE, "--server", "http://127.0.0.1:9")
    assert result.exit_code == 2
    assert "no token for http://127.0.0.1:9: run `grade login" in result.stderr


def test_without_a_login_submit_grades_locally():
    result = run("submit", ALICE, "--problems", REPO / "problems")
    assert result.exit_code == 0 and "alice" in result.stdout


def test_a_local_template_still_needs_the_student():
    result = run("template", "demo", "--problems", REPO / "problems")
    assert result.exit_code == 2 and "--student" in result.output + result.stderr


def test_history_and_logout_without_a_login():
    assert run("history").exit_code == 2
    result = run("logout")
    assert result.exit_code == 0 and result.stdout == "not logged in\n"
