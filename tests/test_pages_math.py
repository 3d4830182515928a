"""Math in statements and prompts: `$...$` is shown on the assignment page as MathML of what the
answer reader understood, prose around it stays escaped text, a segment that cannot be read is shown
as code, and `grade check` warns about that segment with its file and line. Elsewhere (grade show)
the text stays as written."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from grader.mathtext import segments
from grader.web.authored import authored

from .helpers import run, write
from .web_course import serve_course, sign_in

PROBLEM = r"""
title = "Math in statements"
statement = '''
A layer computes $z = W_1 x + b_1$ for an input <b>x</b> & more.
Inside: $<script>alert(1)</script>$; outside: <img src=x onerror=alert(1)>; drawn: $x_1 = {x1}$.
A price of \$5, and a slip: $\frac{1}{$ here.
'''

[params]
x1 = 0.5

[parts.z]
prompt = 'The output $z$, with $x^T$ and $\hat{y}$ in it'
type = "expression"
vars = { z = "vector(h)", W_1 = "matrix(h, d)", x = "vector(d)", b_1 = "vector(h)", y_hat = "real" }
answer = "W_1 x + b_1"
"""
COURSE = """
roster = "roster.csv"
[assignments.mathy]
opens = 2026-01-01T00:00:00Z
due = 2027-06-30T23:59:00Z
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The assignment page alice sees, as HTML."""
    bank = tmp_path_factory.mktemp("bank")
    write(bank / "mathy" / "layer.toml", PROBLEM)
    served = serve_course(tmp_path_factory.mktemp("course"), bank, COURSE)
    try:
        with TestClient(served.app(), follow_redirects=True) as client:
            assert sign_in(client, served.tokens["alice"]).status_code == 200
            response = client.get("/assignments/mathy")
            assert response.status_code == 200
            yield response.text
    finally:
        served.service.close()


def statement(html: str) -> str:
    return re.search(r'<div class="statement">(.*?)</div>', html, re.S).group(1)


def maths(html: str) -> list[ET.Element]:
    """Each <math> element in `html`, parsed (the one named entity the printer writes made a character)."""
    found = re.findall(r"<math>.*?</math>", html, re.S)
    return [ET.fromstring(m.replace("&InvisibleTimes;", "\u2062")) for m in found]


def flat(element: ET.Element) -> list[tuple[str, str]]:
    """(tag, text) of every leaf in document order: the reading as the page shows it."""
    return [(e.tag, e.text or "") for e in element.iter() if len(e) == 0]


def test_an_equation_renders_each_side_as_math_with_the_relation_between(page):
    equation = maths(statement(page))[0]
    row = equation[0]
    assert [child.tag for child in row][:2] == ["mi", "mo"] and (row[0].text, row[1].text) == ("z", "=")
    subscripted = {(s[0].text, s[1].text) for s in equation.iter("msub")}
    assert subscripted == {("W", "1"), ("b", "1")}
    assert ("mi", "x") in flat(equation) and ("mo", "+") in flat(equation)


def test_a_filled_parameter_reads_as_written(page):
    drawn = maths(statement(page))[1]
    assert flat(drawn) == [("mi", "x"), ("mn", "1"), ("mo", "="), ("mn", "0.5")]


def test_prose_around_math_stays_escaped_text(page):
    text = statement(page)
    assert "for an input &lt;b&gt;x&lt;/b&gt; &amp; more." in text
    assert "<b>" not in text


@pytest.mark.parametrize("inert", ["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;"])
def test_markup_inside_and_outside_math_is_inert(page, inert):
    assert inert in statement(page)
    assert "<script>alert" not in page and "<img src=x" not in page


def test_markup_inside_math_is_shown_as_code(page):
    assert '<code class="tex">$&lt;script&gt;alert(1)&lt;/script&gt;$</code>' in statement(page)


def test_an_unreadable_segment_is_shown_as_code_text(page):
    assert '<code class="tex">$\\frac{1}{$</code> here.' in statement(page)


def test_an_escaped_dollar_is_a_dollar(page):
    assert "A price of $5, and a slip:" in statement(page)


def test_a_prompt_shows_transpose_and_hat_as_written(page):
    label = re.search(r'<label for="answer-0-0">(.*?)</label>', page, re.S).group(1)
    shown = [flat(m) for m in maths(label)]
    assert shown == [[("mi", "z")], [("mi", "x"), ("mo", "T")], [("mi", "y"), ("mo", "^")]]
    assert '<mover accent="true">' in label


def test_grade_show_keeps_the_text_as_written(tmp_path):
    write(tmp_path / "mathy" / "layer.toml", PROBLEM)
    result = run("show", "mathy/layer", "--problems", tmp_path)
    assert result.exit_code == 0, result.output
    assert "A layer computes $z = W_1 x + b_1$ for an input <b>x</b> & more." in result.stdout
    assert "drawn: $x_1 = 0.5$." in result.stdout


def test_grade_check_warns_about_an_unreadable_segment_with_file_and_line(tmp_path):
    path = write(tmp_path / "mathy" / "layer.toml", PROBLEM)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "a slip:" in text)
    result = run("check", tmp_path)
    assert result.exit_code == 0, result.output   # a warning: the check still passes
    warnings = [w for w in result.stdout.splitlines() if "cannot be read as math" in w]
    assert len(warnings) == 2, result.stdout
    assert f"{path}:{line}: the statement has $\\frac{{1}}{{$, which cannot be read as math" in result.stdout
    assert any("$<script>alert(1)</script>$" in w for w in warnings)


def test_grade_check_is_quiet_about_readable_math(tmp_path):
    write(tmp_path / "mathy" / "layer.toml", PROBLEM.replace("$\\frac{1}{$", "\\$1").replace(
        "$<script>alert(1)</script>$", "none"))
    result = run("check", tmp_path)
    assert result.exit_code == 0 and "cannot be read as math" not in result.stdout, result.stdout


NAMES = (("x", "vector(n)"), ("W_1", "matrix(n, n)"), ("y", "real"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("$\\<>&\"'xyW_1^T+-=()[]{} \nab")), max_size=60))
def test_any_text_renders_without_error_and_carries_no_markup_of_its_own(text):
    html = str(authored(text, NAMES))
    outside = re.sub(r'<math>.*?</math>|<code class="tex">|</code>', "", html, flags=re.S)
    assert "<" not in outside and ">" not in outside
    for element in re.findall(r"<math>.*?</math>", html, re.S):
        ET.fromstring(element.replace("&InvisibleTimes;", "\u2062"))   # well-formed: no text became a tag


@pytest.mark.parametrize("text, pieces", [
    ("no math", [("no math", False)]),
    ("$a$ and $b$", [("a", True), (" and ", False), ("b", True)]),
    (r"\$5 and \$6", [("$5 and $6", False)]),
    ("left $open", [("left $open", False)]),
    ("$$", [("", True)]),
])
def test_segments_split_prose_and_math(text, pieces):
    assert [(s.text, s.math) for s in segments(text)] == pieces


QUEUED = r"""
title = "Saturation"
[params]
z0 = { value = 4, draw = { choice = [4, 6] } }
[parts.slope]
prompt = 'The slope $\sigma(z) (1 - \sigma(z))$'
type = "expression"
vars = { z = "real" }
answer = "sigma(z) (1 - sigma(z))"
[parts.why]
prompt = 'Why is $\sigma(z)$ flat at $z = {z0}$?'
type = "text"
"""


def test_the_grading_queue_shows_each_prompt_as_its_student_read_it(tmp_path):
    """The TA reads the prompt with the student's own value filled in and its math rendered."""
    bank = tmp_path / "bank"
    write(bank / "mathy" / "flat.toml", QUEUED)
    served = serve_course(tmp_path / "course", bank, COURSE)
    try:
        with TestClient(served.app(), follow_redirects=True) as client:
            assert sign_in(client, served.tokens["alice"]).status_code == 200
            form = client.get("/assignments/mathy").text
            token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            field = re.search(r'<textarea[^>]*name="([^"]+)"', form).group(1)   # the text part's box
            sent = client.post("/assignments/mathy/submit", data={"csrf": token, field: "It saturates."})
            assert sent.status_code == 200
            drawn = served.service.bank.variant(served.service.bank.problem("mathy/flat"), "alice",
                                                served.service.secret).scope["z0"]
            assert sign_in(client, served.tokens["ta1"]).status_code == 200
            queue = client.get("/staff/mathy/queue").text
    finally:
        served.service.close()
    prompt = re.search(r'<p class="prompt">(.*?)</p>', queue, re.S).group(1)
    assert "{z0}" not in prompt and "$" not in prompt
    assert f"<mn>{drawn}</mn>" in prompt.replace(".0<", "<")
    assert len(maths(prompt)) == 2
