"""Handouts: every statement and prompt with the student's own values, and nothing a student must not see.

The bank below is built so that what must stay hidden is known without the grader: the canonical value is
a*b*1000 + 17 for the a and b the handout shows, the mistake a*b*1000 + 18, the solver's value a*100003;
the test computes them itself from the handout and scans for them."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader import Bank
from grader.handout import file_name, page
from grader.present import format_value

from .helpers import PROBLEMS, run, write

SECRETS = ("MISTAKE-FEEDBACK-XYZ", "4321", "424242", "SOLVER-ONLY")


@pytest.fixture
def bank(tmp_path):
    root = tmp_path / "problems"
    write(root / "hw" / "_assignment.toml", 'title = "Homework & <friends>"\n')
    write(root / "hw" / "p1.toml", '''
        title = "Products <b>bold</b>"
        statement = """
        Let a = {a} and b = {b}.
        Write <script>alert(1)</script> nowhere; \\\\hat{{y}} stays LaTeX.
        """

        [params]
        a = { value = 2, draw = { choice = [3, 7] } }
        b = { value = 5, draw = { choice = [11, 13] } }
        c = "a * b"

        [parts.prod]
        type = "number"
        points = 2
        prompt = "Compute 1000 a b + 17 for a = {a}."
        answer = "a*b*1000 + 17"

          [[parts.prod.mistakes]]
          answer = "a*b*1000 + 18"
          feedback = "MISTAKE-FEEDBACK-XYZ"

        [parts.sol]
        type = "number"
        answer = "extra + 1"

        [parts.pick]
        type = "choice"
        choices = { p = "PLUM", q = "QUINCE" }
        answer = "q"

        [parts.form]
        type = "expression"
        vars = { x = "real" }
        answer = "4321 x^3"

        [parts.why]
        type = "text"
        points = 3
        prompt = "Why?"

        [solver]
        python = "p1.py"

        [[tests]]
        answers = { prod = 424242 }
        expect = { prod = "incorrect" }
    ''')
    write(root / "hw" / "p1.py", '''
        def solve(p):
            return {"extra": p["a"] * 100003, "note": "SOLVER-ONLY"}
    ''')
    return root


def _values(text: str) -> tuple[int, int]:
    found = re.search(r"Let a = (\d+)(?:\.0)? and b = (\d+)(?:\.0)?\.", text)
    assert found, text
    return int(found[1]), int(found[2])


def _hidden(a: int, b: int) -> list[str]:
    """What a handout for these values must not hold, computed here, not by the grader."""
    return [str(a * b * 1000 + 17), str(a * b * 1000 + 18), str(a * 100003), str(a * 100003 + 1), *SECRETS]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_handout_has_every_statement_with_the_students_values_and_no_answer(tmp_path, bank, fmt):
    for student in ("ann", "bob", "cy", "dee", "eve", "fay"):
        result = run("handout", "hw", "--student", student, "--problems", bank, "--format", fmt)
        assert result.exit_code == 0, result.output
        text = result.stdout
        a, b = _values(text)
        assert a in (3, 7) and b in (11, 13)                      # the student's draws, not the published 2 and 5
        assert f"Compute 1000 a b + 17 for a = {a}." in text
        for leak in _hidden(a, b):
            assert leak not in text, (student, leak)
        assert "PLUM" in text and "QUINCE" in text and "Why?" in text
        assert ("names you can use: x" in text) and ("8 points" in text)
        # the values shown are the ones graded: the answer computed from them is correct
        answers = write(tmp_path / f"{student}.toml", f'student = "{student}"\nassignment = "hw"\n'
                                                      f"[p1]\nprod = {a * b * 1000 + 17}\n")
        report = json.loads(run("submit", answers, "--problems", bank, "--format", "json").stdout)
        assert report["problems"][0]["parts"][0]["status"] == "correct"


def test_the_html_handout_is_escaped_and_standalone(bank):
    hostile = '<img src=x onerror=alert(1)>\x1b[31m'
    page = run("handout", "hw", "--student", hostile, "--problems", bank, "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<img" not in page and "<script" not in page and "<b>bold" not in page and "\x1b" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;\\x1b[31m" in page
    assert "Homework &amp; &lt;friends&gt;" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for external in ("http:", "https:", "src=", "href=", "<link", "@import", "url("):
        assert external not in page.replace("&lt;img src=x", ""), external
    assert "default-src 'none'" in page


def test_a_roster_gives_one_handout_per_student_in_the_folder(tmp_path, bank):
    roster = write(tmp_path / "roster.csv", "student,name,email,section\nann,Ann,a@x,1\nAnn,Ann 2,,1\n"
                                            "../../evil,E,,2\nbob,Bob,,2\nann,dup,,1\n")
    out = tmp_path / "out"
    result = run("handout", "hw", "--roster", roster, "--out", out, "--problems", bank)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"4 handouts written to {out}\n"
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 4 and "ann.md" in files and "bob.md" in files
    assert all(p.parent == out for p in out.iterdir()) and not (tmp_path / "evil.md").exists()
    assert len({name.casefold() for name in files}) == 4             # Ann and ann do not clash on any disk
    for path in out.iterdir():
        a, b = _values(path.read_text(encoding="utf-8"))
        assert not any(leak in path.read_text(encoding="utf-8") for leak in _hidden(a, b))


@pytest.mark.parametrize("args, message", [
    (["hw"], "give --student ID, or --roster CSV with --out DIR"),
    (["hw", "--student", "a", "--roster", "ROSTER"], "give --student ID, or --roster CSV with --out DIR"),
    (["hw", "--roster", "ROSTER"], "--roster needs --out DIR"),
    (["hx", "--student", "a"], "unknown assignment 'hx'"),
])
def test_handout_refuses_what_it_cannot_do(tmp_path, bank, args, message):
    roster = write(tmp_path / "r.csv", "student\nann\n")
    result = run("handout", *[str(roster) if a == "ROSTER" else a for a in args], "--problems", bank)
    assert result.exit_code == 2 and message in result.stderr


def test_show_lists_an_assignments_problems(bank):
    result = run("show", "hw", "--problems", bank)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "hw: Homework & <friends>  (1 problem, 5 parts, 8 points)", "  hw/p1  Products <b>bold</b>  (5 parts, 8 points)"]
    listing = run("show", "dl-hw1", "--problems", PROBLEMS)
    assert listing.exit_code == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()[1:]] == \
        [f"dl-hw1/{p.stem}" for p in sorted((PROBLEMS / "dl-hw1").glob("[!_]*.toml"))]


@pytest.mark.parametrize("assignment", sorted(p.name for p in PROBLEMS.iterdir() if p.is_dir()))
def test_the_bundled_handouts_hold_no_canonical_value(tmp_path, assignment):
    """A sweep of the bundled bank: no number of six or more figures among a part's canonical values
    (or a mistake's) appears in the handout unless the problem file itself writes it."""
    bank = Bank(PROBLEMS)
    text = run("handout", assignment, "--student", "alice", "--problems", PROBLEMS).stdout
    assert text.count("\n## ") == len(bank.paths(assignment))
    for problem in bank.assignment(assignment):
        source = (PROBLEMS / f"{problem.id}.toml").read_text(encoding="utf-8")
        assert problem.model.title in text
        variant = bank.variant(problem, "alice")
        for pid in problem.model.parts:
            assert f"**{pid}**" in text
            values = [variant.expected.get(pid)]
            values += [_mistake(variant, pid, i) for i in range(len(problem.model.parts[pid].mistakes))]
            for number in re.findall(r"-?\d+\.\d{3,}|\d{6,}", " ".join(format_value(v) for v in values if v is not None)):
                if number.lstrip("-") not in source:
                    assert number.lstrip("-") not in text, (problem.id, pid, number)


def _mistake(variant, pid, index):
    try:
        return variant.mistake_value(pid, index)
    except Exception:  # noqa: BLE001 - a mistake that cannot be evaluated has no value to leak
        return None


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(student=_TEXT, title=_TEXT, statement=_TEXT, prompt=_TEXT, label=_TEXT)
def test_no_text_becomes_markup_in_an_html_handout(student, title, statement, prompt, label):
    """Whatever the id, titles, statements, prompts and choices hold, the page has exactly our tags."""
    view = {"id": "hw", "title": title, "points": 1.0, "problems": [{
        "id": "hw/p", "title": title, "statement": statement,
        "parts": [{"id": "a", "type": "choice", "prompt": prompt, "points": 1.0, "choices": {"k": label}}]}]}
    tags = _Tags()
    tags.feed(page(view, student))
    assert tags.seen == _Tags.expected()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append(tag)

    @classmethod
    def expected(cls) -> list[str]:
        plain = {"id": "hw", "title": "t", "points": 1.0, "problems": [{"id": "hw/p", "title": "t", "statement": "s",
                 "parts": [{"id": "a", "type": "choice", "prompt": "p", "points": 1.0, "choices": {"k": "l"}}]}]}
        tags = cls()
        tags.feed(page(plain, "ann"))
        return tags.seen


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT.filter(bool), min_size=1, max_size=8, unique=True))
def test_every_student_gets_a_file_of_their_own_inside_the_folder(students):
    taken: set[str] = set()
    names = [file_name(student, "md", taken) for student in students]
    assert len({name.casefold() for name in names}) == len(students)
    for name in names:
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name.endswith(".md")
        assert name.isprintable() and len(name) < 120
