"""The README says what the code does: its shell examples run, and its figures are the code's.

Every `grade ...` line in a ```sh block (and the last command of a `... && grade ...` line) runs, in README
order, through the CLI runner in a copy of the bundled sample (problems/ and submissions/), and must exit
as the line says: 0, or the code a trailing `# exits N` comment gives. Only the commands that need a
running server are skipped, and they are named in SERVER."""

from __future__ import annotations

import re
import shlex
import shutil
import sqlite3

from grader.expr.limits import DEFAULT_LIMITS
from grader.gradebook import Gradebook

from .helpers import PROBLEMS, REPO, SUBMISSIONS, run

README = (REPO / "README.md").read_text(encoding="utf-8")
SERVER = ("grade serve", "grade login", "grade submit --server")   # need a service listening: not run here


def _examples() -> list[tuple[int, str, int]]:
    """(line number, command, expected exit code) for every example in a ```sh block."""
    found, block = [], None
    for number, line in enumerate(README.splitlines(), 1):
        if line.startswith("```"):
            block = line[3:].strip() if block is None else None
            continue
        if block != "sh":
            continue
        command = line.split("&& ")[-1].strip()
        expected = re.search(r"#\s*exits (\d)", command)
        command = command.split("#")[0].strip()
        if command.startswith("grade ") and not command.startswith(SERVER) and "--server" not in command:
            found.append((number, command, int(expected[1]) if expected else 0))
    return found


EXAMPLES = _examples()


def test_the_readme_has_shell_examples_for_the_commands():
    commands = {command.split()[1] for _, command, _ in EXAMPLES}
    assert {"submit", "check", "show", "template", "handout", "batch", "export", "stats", "regrade"} <= commands


def test_every_shell_example_in_the_readme_runs(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADE_SECRET", raising=False)
    shutil.copytree(PROBLEMS, tmp_path / "problems")
    shutil.copytree(SUBMISSIONS, tmp_path / "submissions")
    shutil.copytree(REPO / "course", tmp_path / "course")   # the sample course `grade tokens` reads
    printed = {}
    for number, command, expected in EXAMPLES:
        result = run(*shlex.split(command)[1:], cwd=tmp_path)
        assert result.exit_code == expected, f"README line {number}: {command}\n{result.output}{result.stderr}"
        printed[command] = result.stdout
    for command in ("grade submit submissions/demo/alice.toml", "grade stats --db class.sqlite", "grade show dl-hw1"):
        # the outputs the README shows, byte for byte (no trailing spaces)
        assert f"```\n{printed[command]}```" in README, command
    assert sorted(p.name for p in (tmp_path / "handouts").iterdir()) == ["alice.html", "bob.html"]


def test_the_sample_output_in_the_readme_is_what_grade_prints(monkeypatch):
    monkeypatch.delenv("GRADE_SECRET", raising=False)
    shown = README.split("The sample shows every outcome a part can get:\n\n```\n", 1)[1].split("```", 1)[0]
    printed = run("submit", "submissions/demo/alice.toml", cwd=REPO).stdout
    assert [line.rstrip() for line in printed.splitlines()] == shown.splitlines()   # columns are padded


def test_the_factorial_cap_in_the_readme_is_the_readers():
    assert re.findall(r"factorial arguments \(≤ (\d+)\)", README) == [str(DEFAULT_LIMITS.max_factorial)]


def test_the_gradebook_columns_in_the_readme_are_the_tables(tmp_path):
    with Gradebook(tmp_path / "g.sqlite"):
        pass
    with sqlite3.connect(tmp_path / "g.sqlite") as db:
        for table in ("submissions", "receipts", "gradings", "results", "problems"):
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            described = re.search(rf"`{table}` \(([^)]*)\)", README)
            assert described, table
            named = set(re.findall(r"`(\w+)`", described[1]))
            assert named and named <= columns, (table, named - columns)


def test_every_command_of_grade_help_is_in_the_readme():
    """`grade --help` and the README's command lists name the same commands."""
    from grader.cli import main
    listed = [f"grade {name}" for name in main.commands]
    listed += [f"grade tokens {name}" for name in main.commands["tokens"].commands]
    assert len(listed) > 15
    # each at the start of a line of a code block, as the command lists write them
    assert [command for command in listed if not re.search(rf"^{re.escape(command)}\b", README, re.M)] == []


def test_the_layout_names_every_module():
    layout = README.split("## Layout")[1].split("```")[1]
    modules = [p.name for p in (REPO / "grader").glob("*.py") if not p.name.startswith("__")]
    modules += [f"{p.parent.name}/" for p in (REPO / "grader").glob("*/__init__.py")]
    assert len(modules) > 30
    assert [m for m in modules if not re.search(rf"(?<![\w.]){re.escape(m)}", layout)] == []
