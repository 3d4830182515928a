"""The CLI as a client of a real `grade serve` on localhost: login, template, show, submit, history;
a refused token, a closed door (attempts used up), and the same report and exit codes as local grading.
Time limits here are generous backstops, not measures."""

from __future__ import annotations

import re

import pytest

from grader.service import tokens
from grader.service.core import WITHHELD
from grader.service.store import SqliteStore

from .helpers import PROBLEMS, SUBMISSIONS, run, write
from .service_util import BACKSTOP, course_toml, free_port, serve

SECRET = "client-test"
ALICE = SUBMISSIONS / "demo" / "alice.toml"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`grade serve` over the repository's bank: demo open for a century, genai-hw1 with one attempt."""
    tmp = tmp_path_factory.mktemp("served")
    write(tmp / "roster.csv", "student\nalice\nbob\n")
    write(tmp / "course.toml", course_toml({
        "demo": "opens = 2000-01-01T00:00:00Z\ndue = 2099-01-01T00:00:00Z",
        "genai-hw1": "opens = 2000-01-01T00:00:00Z\ndue = 2099-01-01T00:00:00Z\nattempts = 1",
    }))
    store = SqliteStore(tmp / "gradebook.sqlite")
    issued = tokens.issue(store, ["alice", "bob"], "student", "2026-01-01T00:00:00Z")
    store.close()
    port = free_port()
    process = serve(port, PROBLEMS, tmp / "course.toml", tmp / "gradebook.sqlite", SECRET)
    url = f"http://127.0.0.1:{port}"
    yield url, issued
    process.terminate()
    process.wait(BACKSTOP)


@pytest.fixture
def config(tmp_path, monkeypatch):
    """A user's own config folder, where `grade login` keeps the server and token."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "grade" / "login.json"


def test_login_stores_the_server_and_token_readable_by_the_owner_only(server, config):
    url, issued = server
    result = run("login", url, "--token", issued["alice"])
    assert result.exit_code == 0 and result.stdout.startswith(f"logged in to {url}")
    assert config.stat().st_mode & 0o777 == 0o600
    assert issued["alice"] in config.read_text()
    assert issued["alice"] not in result.output + result.stderr


def test_a_refused_token_is_one_line_exit_2_and_saves_nothing(server, config):
    url, _ = server
    result = run("login", url, "--token", "not-a-token")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"grade: the server at {url} refused the request (HTTP 401)")
    assert "Traceback" not in result.stderr and "not-a-token" not in result.stderr
    assert not config.exists()
    assert run("submit", ALICE, "--server", url, "--token", "not-a-token").exit_code == 2


def test_logged_in_submit_prints_the_report_local_grading_prints(server, config):
    url, issued = server
    assert run("login", url, "--token", issued["alice"]).exit_code == 0
    remote = run("submit", ALICE)
    local = run("submit", ALICE, "--local", "--problems", PROBLEMS, "--secret", SECRET)
    assert remote.exit_code == local.exit_code == 0
    # line for line, but for feedback that quotes the answer: the course keeps it until solutions are out
    withheld = [i for i, line in enumerate(remote.stdout.splitlines()) if WITHHELD in line]
    assert len(withheld) == 1
    assert [line for i, line in enumerate(remote.stdout.splitlines()) if i not in withheld] == \
        [line for i, line in enumerate(local.stdout.splitlines()) if i not in withheld]
    assert remote.stderr.startswith("submission #") and "attempts left" not in remote.stderr
    # --fail-under exits as it does locally
    assert run("submit", ALICE, "--fail-under", 99).exit_code == 1
    assert run("submit", ALICE, "--format", "json").exit_code == 0


def test_template_and_show_are_the_students_own_variant(server, config):
    url, issued = server
    assert run("login", url, "--token", issued["bob"]).exit_code == 0
    template = run("template", "demo")
    assert template.exit_code == 0
    assert template.stdout == run("template", "demo", "--local", "--student", "bob", "--problems", PROBLEMS,
                                  "--secret", SECRET).stdout
    shown = run("show", "demo/neuron")
    assert shown.exit_code == 0
    assert shown.stdout == run("show", "demo/neuron", "--local", "--student", "bob", "--problems", PROBLEMS,
                               "--secret", SECRET).stdout
    missing = run("show", "demo/no-such-problem")
    assert missing.exit_code == 2 and "(HTTP 404)" in missing.stderr


def test_someone_elses_answers_file_is_refused(server, config):
    url, issued = server
    result = run("submit", ALICE, "--server", url, "--token", issued["bob"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"grade: the server at {url} refused the request (HTTP 4")
    assert "alice" in result.stderr and len(result.stderr.splitlines()) == 1


def test_history_lists_the_students_own_submissions(server, config, tmp_path):
    url, issued = server
    mine = write(tmp_path / "bob.toml", ALICE.read_text().replace('student = "alice"', 'student = "bob"'))
    assert run("submit", mine, "--server", url, "--token", issued["bob"]).exit_code == 0
    result = run("history", "--server", url, "--token", issued["bob"], "--assignment", "demo")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    count = len(lines) - 1
    assert count >= 1 and lines[-1] == (f"{count} submissions" if count > 1 else "1 submission")
    assert all("  demo  " in line for line in lines[:-1])


def test_attempts_used_up_is_a_refusal_with_the_servers_reason(server, config, tmp_path):
    url, issued = server
    source = (SUBMISSIONS / "genai-hw1" / "genai-student.toml").read_text()
    answers = write(tmp_path / "a.toml", re.sub(r'(?m)^student = ".*"$', 'student = "alice"', source))
    first = run("submit", answers, "--server", url, "--token", issued["alice"])
    assert first.exit_code == 0 and "attempts left: 0" in first.stderr
    second = run("submit", answers, "--server", url, "--token", issued["alice"])
    assert second.exit_code == 2
    assert second.stderr.startswith(f"grade: the server at {url} refused the request (HTTP 409)")
    assert len(second.stderr.splitlines()) == 1


def test_with_a_login_local_still_grades_here(server, config):
    url, issued = server
    assert run("login", url, "--token", issued["alice"]).exit_code == 0
    result = run("submit", ALICE, "--local", "--problems", PROBLEMS)
    assert result.exit_code == 0 and result.stderr == ""
    assert run("logout").stdout == "logged out\n"
    assert run("history").exit_code == 2
