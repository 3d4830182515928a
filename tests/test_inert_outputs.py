"""Student text in every output is shown as written and never acts: no formula, markup, escape or broken XML."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from grader import formats
from grader.inert import csv_cell, markdown_text, visible
from grader.report import Report

from .helpers import PROBLEMS, run, write

PAYLOADS = [
    '=HYPERLINK("http://evil.example","x")', "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)",
    "\t=1+1", "\r=1+1", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "\x1b[2J", "\x1b]0;owned\x07", "nul\x00byte", "[click](http://evil.example)", "![x](http://evil.example/x.png)",
    "# heading\n## second", "ann\u202ereversed",
]
RAW_ESCAPES = ("\x1b[2J", "\x1b]0;", "\x00", "\x07", "\u202e")


def answers(payload: str) -> str:
    text = json.dumps(payload)  # a TOML basic string: \u001b, \t, \" ... are TOML escapes too
    return f'student = {text}\nassignment = "demo"\n[neuron]\nz = {text}\n{text} = 1\n'


@pytest.fixture
def bank(tmp_path):
    root = tmp_path / "problems"
    shutil.copytree(PROBLEMS / "demo", root / "demo")
    return root


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "subs"
    for i, payload in enumerate(PAYLOADS):
        write(folder / f"f{i:02d}.toml", answers(payload))
    write(folder / "zz.toml", 'student = "x"\nassignment = "\\u001b]0;owned\\u0007<b>"\n')   # an error row
    return folder


def test_the_helpers_neutralise_each_payload():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("\t=1") == "'\\x09=1" and csv_cell("@x") == "'@x"
    assert csv_cell("\x1b[2J") == "\\x1b[2J"
    assert csv_cell("-1") == "-1" and csv_cell("+2.5e3") == "+2.5e3" and csv_cell("-1+1") == "'-1+1"
    assert csv_cell("ann") == "ann" and csv_cell(3.0) == 3.0
    assert visible("a\x1b[2Jb\x00\u202e\n") == "a\\x1b[2Jb\\x00\\u202e\\x0a"
    assert markdown_text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert\\(1\\)&gt;"
    assert markdown_text("[a](http://x.y) $x$ | *b*") == "\\[a\\]\\(http\\://x\\.y\\) \\$x\\$ \\| \\*b\\*"
    assert markdown_text("# a\n# b") == "\\# a \\# b"


def test_batch_csv_cells_cannot_be_formulas(tmp_path, bank, hostile):
    result = run("batch", hostile, "--problems", bank, "--no-db", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    students = [r["student"] for r in rows[:-1]]
    assert students == [csv_cell(p.strip()) for p in PAYLOADS]                # ids are stripped on reading
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit(), cell


def test_export_cells_cannot_be_formulas(tmp_path, bank, hostile):
    db = tmp_path / "g.sqlite"
    run("batch", hostile, "--problems", bank, "--db", db)
    for lms in ("plain", "canvas"):
        result = run("export", "--db", db, "--lms", lms)
        assert result.exit_code == 0
        rows = list(csv.reader(io.StringIO(result.stdout)))
        firsts = sorted(r[0] for r in rows[1:])
        assert firsts == sorted({csv_cell(p.strip()) for p in PAYLOADS})               # two ids are "=1+1"
        assert all(not c.startswith(("=", "+", "@", "\t", "\r", "-")) for r in rows for c in r if c)


def test_junit_always_parses_and_keeps_the_text_visible(bank, hostile):
    result = run("batch", hostile, "--problems", bank, "--no-db", "--format", "junit")
    root = ET.fromstring(result.stdout)
    names = [s.get("name") for s in root.findall("testsuite")]
    assert "nul\\x00byte/demo" in names and "\\x1b[2J/demo" in names
    assert not any(e in result.stdout for e in ("\x00", "\x1b", "\x07"))
    single = run("submit", hostile / "f10.toml", "--problems", bank, "--format", "junit").stdout
    assert ET.fromstring(single).find("testsuite").get("name") == "nul\\x00byte/demo"


def test_markdown_cannot_inject_html_links_or_lines(bank, hostile):
    for path in sorted(hostile.glob("f*.toml")):
        out = run("submit", path, "--problems", bank, "--format", "markdown").stdout
        assert "<" not in out and "](" not in out and not any(e in out for e in RAW_ESCAPES)
        lines = out.splitlines()
        assert sum(line.startswith("## ") for line in lines) == 1
        assert all(line == "" or line.startswith(("## ", "### ", "|", "> ")) for line in lines), out
    summary = run("batch", hostile, "--problems", bank, "--no-db", "--format", "markdown").stdout
    assert "<" not in summary and "](" not in summary and "&lt;b&gt;" in summary


def test_terminal_output_shows_escape_sequences_as_text(tmp_path, bank, hostile):
    for path in sorted(hostile.glob("f*.toml")):
        out = run("submit", path, "--problems", bank).stdout
        assert not any(e in out for e in RAW_ESCAPES), repr(out)
    report = json.loads(run("submit", hostile / "f09.toml", "--problems", bank, "--format", "json").stdout)
    coloured = formats.text(Report.from_dict(report), colour=True)        # as on a tty
    assert "\x1b]0;" not in coloured and "\\x1b]0;owned\\x07" in coloured
    result = run("batch", hostile, "--problems", bank, "--no-db")
    assert result.exit_code == 2
    assert "unknown assignment '\\x1b]0;owned\\x07<b>'" in result.stderr
    assert not any(e in result.stderr for e in RAW_ESCAPES)
    db = tmp_path / "g.sqlite"
    run("batch", hostile, "--problems", bank, "--db", db)
    with open(bank / "demo" / "neuron.toml", "a") as problem:                 # a new part: every student changes
        problem.write('\n[parts.extra]\ntype = "number"\npoints = 1\nanswer = "1"\n')
    regraded = run("regrade", "--db", db, "--problems", bank)
    assert regraded.exit_code == 0 and "\\x1b[2J  demo/neuron" in regraded.stdout
    assert not any(e in regraded.stdout for e in RAW_ESCAPES)


@pytest.mark.parametrize("colour", [False, True])
def test_rich_markup_in_student_text_is_shown_as_typed(tmp_path, bank, colour):
    student, answer = "[bold red]eve[/]", "[link=http://evil.example]1[/link]"
    path = write(tmp_path / "a.toml", f'student = "{student}"\nassignment = "demo"\n[neuron]\nz = "{answer}"\n')
    report = Report.from_dict(json.loads(run("submit", path, "--problems", bank, "--format", "json").stdout))
    out = formats.text(report, colour=colour)
    assert out.startswith(("[bold red]eve[/] — demo", "\x1b[1m[bold red]eve[/]\x1b[0m — demo"))
    assert "\n          [link=http://evil.example]1[/link]\n" in out and "\x1b]8;" not in out   # the caret's echo
