"""Adversarial checks of the web pages: the double submit, the security headers of every response,
sessions across a sign-in, CSRF tokens of another session, MathML text, the points a TA types,
the export's file name, and labels and inline code in every page. Each expectation is written
from what a browser or a person should see, not from the code under test."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import sympy as sp
from fastapi.testclient import TestClient

from grader.service.app import RateLimiter
from grader.web.mathml import mathml
from grader.web.sessions import Sessions

from . import test_manual_scores as manual_cli
from .service_util import start
from .web_course import hidden, page_csrf, serve_course, sign_in

course = manual_cli.course   # the `grade score` fixture: ann, ben, cat over a 2-point text part


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    served = serve_course(tmp_path_factory.mktemp("hunt"))
    yield served
    served.service.close()


@pytest.fixture
def app(served):
    return served.app(RateLimiter(rate=1e9, burst=10**9))


def browser(app, who: str | None = None, served=None, **options) -> TestClient:
    client = TestClient(app, follow_redirects=True, **options)
    if who is not None:
        assert sign_in(client, served.tokens[who]).status_code == 200
    return client


class Form(HTMLParser):
    """What a browser sends for the first form posting to `action`: its hidden inputs, and which
    form field belongs to which part (by the label, as a screen reader finds it)."""

    def __init__(self, html: str, action: str):
        super().__init__()
        self.action, self.inside, self.hidden, self.labels = action, False, {}, {}
        self._label = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action and not self.hidden
        elif self.inside and tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs["name"]] = attrs.get("value", "")
        elif self.inside and tag == "label" and "for" in attrs:
            self._label = attrs["for"]
        elif self._label and tag == "span" and attrs.get("class") == "pid":
            self.labels[None] = self._label

    def handle_data(self, data):
        if self.labels.get(None):
            self.labels[data] = self.labels.pop(None)
            self._label = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def answers_form(client, answers: dict[str, str]) -> dict[str, str]:
    """The assignment page's form filled in as a browser sends it (every hidden input included)."""
    form = Form(client.get("/assignments/demo").text, "/assignments/demo/submit")
    return {**form.hidden, **{form.labels[part]: value for part, value in answers.items()}}


def attempts_left(client) -> str:
    return re.search(r'<a href="/assignments/demo">.*?</a></th>(?:\s*<td>.*?</td>){2}\s*<td>(.*?)</td>',
                     client.get("/").text, re.S).group(1)


# submitting

def test_a_double_submit_of_one_page_counts_one_attempt(app, served):
    client = browser(app, "dan", served)
    assert attempts_left(client) == "50"
    data = answers_form(client, {"z": "1", "why": "Twice clicked."})
    first = client.post("/assignments/demo/submit", data=data)
    second = client.post("/assignments/demo/submit", data=data)   # the same form, sent again
    assert first.status_code == second.status_code == 200
    assert first.url.path == second.url.path
    assert attempts_left(client) == "49"
    assert len(re.findall(r'<a href="/submissions/\d+">', client.get("/history").text)) == 1
    again = client.post("/assignments/demo/submit", data=answers_form(client, {"z": "2"}))   # a new page: a new attempt
    assert again.url.path != first.url.path and attempts_left(client) == "48"


# headers of every response

SECURITY = {"content-security-policy": "default-src 'none'; script-src 'self'", "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer"}


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/signin", 200),
    ("GET", "/history", 200),
    ("GET", "/nope", 404),                         # no such route
    ("GET", "/assignments/demo/nope/deeper", 404),
    ("GET", "/static/pages.js", 200),
    ("GET", "/static/pages.css", 200),
    ("GET", "/static/missing.js", 404),
    ("GET", "/submissions/not-a-number", 400),
    ("GET", "/signout", 405),
    ("POST", "/assignments/demo/preview", 403),    # no CSRF token
])
def test_every_response_carries_the_security_headers(app, served, method, path, status):
    response = browser(app, "alice", served).request(method, path, follow_redirects=False)
    assert response.status_code == status
    for name, value in SECURITY.items():
        assert response.headers.get(name, "").startswith(value), (name, response.headers.get(name))


def test_a_body_refused_as_too_large_carries_the_security_headers(app, served):
    response = browser(app, "alice", served).post("/assignments/demo/submit", content=b"x" * 300_000,
                                                  headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert response.headers.get("content-security-policy", "").startswith("default-src 'none'")


# sessions

def test_signing_in_ends_the_session_the_browser_had(app, served):
    client = browser(app, "alice", served)
    before = client.cookies["grade_session"]
    assert sign_in(client, served.tokens["bob"]).status_code == 200
    assert client.cookies["grade_session"] != before
    other = TestClient(app, follow_redirects=False)
    other.cookies["grade_session"] = before   # whoever kept the earlier id
    assert other.get("/history").headers["location"] == "/signin"


def test_the_session_cookie_is_secure_over_https(app, served):
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/signin")
    response = client.post("/signin", data={"csrf": hidden(form.text, "csrf"), "token": served.tokens["alice"]})
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("grade_session="))
    assert {"Secure", "HttpOnly", "SameSite=strict"} <= {part.strip() for part in cookie.split(";")}


@pytest.mark.parametrize("path, data", [
    ("/assignments/demo/preview", {"problem": "demo/neuron", "part": "z", "answer": "1"}),
    ("/assignments/demo/submit", {"answer-1-0": "1"}),
    ("/staff/demo/queue", {"student": "alice", "problem": "demo/neuron", "part": "why", "points": "1"}),
    ("/signout", {}),
])
def test_a_csrf_token_of_another_session_is_refused(app, served, path, data):
    attacker = browser(app, "carol", served)
    theirs = page_csrf(attacker.get("/history").text)
    victim = browser(app, "prof" if path.startswith("/staff") else "bob", served)
    response = victim.post(path, data={**data, "csrf": theirs}, follow_redirects=False)
    assert response.status_code == 403
    assert victim.get("/history" if "prof" not in path else "/staff", follow_redirects=False).status_code == 200


# MathML

@pytest.mark.parametrize("value, shown", [
    (sp.Symbol("x</math><img src=x onerror=alert(1)>"), "<mi>x&lt;/math&gt;&lt;img src=x onerror=alert(1)&gt;</mi>"),
    (sp.Function("f<b>")(sp.Symbol("x")), "<mi>f&lt;b&gt;</mi>"),
    (sp.MatrixSymbol("<A>", 2, 2), "<mi>&lt;A&gt;</mi>"),
    (sp.exp(sp.Symbol("z")), "<mi>&ExponentialE;</mi>"),          # sympy's own entities still render
    (2 * sp.Symbol("z") * sp.Float(0.5), "<mn>1.0</mn>"),
])
def test_mathml_text_is_text_whatever_a_name_holds(value, shown):
    html = mathml(value)
    assert shown in html
    tags = set(re.findall(r"</?([a-zA-Z]+)", html))
    assert not tags & {"img", "b", "script"}, html


# scoring by hand

def queue_form(client, student: str) -> dict:
    page = client.get("/staff/demo/queue").text
    form = page[page.index(f'<input type="hidden" name="student" value="{student}">') - 400:]
    return {"csrf": page_csrf(page), "student": student, "problem": "demo/neuron", "part": "why",
            "seen": hidden(form, "seen"), "comment": ""}


@pytest.mark.parametrize("typed, status, notice", [
    ("-0", 200, "Saved: alice, demo/neuron/why scored 0."),
    ("0.5", 200, "Saved: alice, demo/neuron/why scored 0.5."),
    (" 1 ", 200, "Saved: alice, demo/neuron/why scored 1."),
    (".5", 200, "Saved: alice, demo/neuron/why scored 0.5."),
    ("0_5", 400, "Points must be a number"),       # Python's float reads 5
    ("1,5", 400, "Points must be a number"),
    ("½", 400, "Points must be a number"),
    ("nan", 400, "Points must be a number"),
    ("inf", 400, "Points must be a number"),
    ("-1", 400, "Not saved: -1 points is out of range for demo/neuron/why (0 to 1)"),
    ("1e309", 400, "Not saved: inf points is out of range for demo/neuron/why (0 to 1)"),
    ("", 400, "Points must be a number"),
])
def test_the_points_a_ta_types_are_a_plain_number_in_range(app, served, typed, status, notice):
    student = browser(app, "alice", served)
    student.post("/assignments/demo/submit", data=answers_form(student, {"why": "Because it saturates."}))
    ta = browser(app, "ta1", served)
    response = ta.post("/staff/demo/queue", data={**queue_form(ta, "alice"), "points": typed})
    assert response.status_code == status
    assert notice in response.text
    if status == 200:
        assert "scored -0" not in response.text and "scored -0" not in ta.get("/staff/demo/queue").text


@pytest.mark.parametrize("typed, stdout", [
    ("-0", "ann  hw/sig/why scored 0; hw total 1 / 3\n"),
    ("0_2", ""),   # Python's float reads 2
    ("١", ""),     # an Arabic-Indic one
])
def test_grade_score_takes_points_as_a_plain_number(course, typed, stdout):
    result = manual_cli.score(course, "--", "ann", "hw", "sig", "why", typed)
    assert result.stdout == stdout
    if not stdout:
        assert result.exit_code == 2 and f"points must be a number like 1.5, not '{typed}'" in result.stderr
        assert manual_cli.export(course) == "student,hw (3)\nann,1\nben,0\ncat,1\n"


# the export's file name

def test_an_export_of_an_assignment_named_in_any_script_downloads(tmp_path):
    made = start(tmp_path, {"ψ-hw": "demo"}, {'"ψ-hw"': "due = 2027-01-01T00:00:00Z"}, roster=("alice",))
    try:
        token = made.login("prof", "instructor")["Authorization"].split()[1]
        client = TestClient(made.client.app, follow_redirects=True)
        assert sign_in(client, token).status_code == 200
        response = client.get("/staff/%CF%88-hw/export.csv")
    finally:
        made.service.close()
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="_-hw-plain.csv"'
    assert response.text.startswith("student")   # nobody submitted: the header row


# every page: labels, no inline code, no external asset

class Page(HTMLParser):
    """The inputs a person fills in, the labels, and anything a CSP without 'unsafe-inline' would block."""

    def __init__(self, html: str):
        super().__init__()
        self.fields, self.labelled, self.inline, self.external = [], set(), [], []
        self.in_label = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.inline += [f"{tag} {name}" for name in attrs if name.startswith("on") or name == "style"]
        if tag == "script" and "src" not in attrs:
            self.inline.append("inline script")
        if tag == "style":
            self.inline.append("style element")
        self.external += [value for name, value in attrs.items() if name in ("src", "href", "action")
                          and value and re.match(r"(?i)([a-z]+:|//)", value)]
        if tag == "label":
            self.in_label += 1
            if "for" in attrs:
                self.labelled.add(attrs["for"])
        if tag in ("input", "textarea", "select") and attrs.get("type") not in ("hidden", "submit"):
            self.fields.append((attrs.get("id"), bool(self.in_label)))

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label -= 1


@pytest.mark.parametrize("who, path", [
    (None, "/signin"), ("alice", "/"), ("alice", "/assignments/demo"), ("alice", "/history"),
    ("prof", "/staff"), ("prof", "/staff/demo"), ("prof", "/staff/demo/items"), ("prof", "/staff/demo/queue"),
])
def test_every_page_labels_its_inputs_and_has_no_inline_code(app, served, who, path):
    if who == "prof":   # a text answer in the queue, so the queue page has its form
        student = browser(app, "carol", served)
        student.post("/assignments/demo/submit", data=answers_form(student, {"why": "Queued."}))
    client = browser(app, who, served) if who else TestClient(app)
    page = Page(client.get(path).text)
    assert page.inline == [] and page.external == []
    unlabelled = [field for field, wrapped in page.fields if not wrapped and field not in page.labelled]
    assert unlabelled == []
    assert page.fields or path in ("/", "/history", "/staff", "/staff/demo", "/staff/demo/items")


def test_one_token_signing_in_over_and_over_cannot_push_out_other_sessions():
    sessions = Sessions(limit=10, per_token=3)
    victim = sessions.open("victim-token")
    opened = [sessions.open("attacker-token") for _ in range(50)]
    assert sessions.get(victim.id) == victim
    assert [sessions.get(s.id) is not None for s in opened[-4:]] == [False, True, True, True]   # their newest 3


@pytest.mark.parametrize("path", ["/assignments/demo/preview", "/assignments/demo/submit", "/staff/demo/queue"])
def test_a_post_without_a_session_is_refused_not_answered_with_the_sign_in_page(app, path):
    # the preview's script follows a redirect and would show the sign-in form as the preview
    response = TestClient(app).post(path, data={"problem": "demo/neuron", "part": "z", "answer": "1"},
                                    follow_redirects=False)
    assert response.status_code == 401
    assert "Your session has ended, so this was not sent: sign in again." in response.text
    assert 'action="/signin"' not in response.text


# a select-all choice part

SELECT_ALL = """
title = "Convexity"
statement = "Which functions are convex on the real line?"
[parts.which]
type = "choice"
prompt = "Select every convex function"
choices = { a = "x^2", b = "sin(x)", c = "e^x" }
answer = ["a", "c"]
points = 2
"""


@pytest.mark.parametrize("ticked, status, points", [
    (["a", "c"], "correct", "2 / 2"),
    (["a"], "partial", "1 / 2"),
    (["b"], "incorrect", "0 / 2"),
])
def test_a_select_all_part_takes_several_options(tmp_path, ticked, status, points):
    (tmp_path / "problems" / "hw").mkdir(parents=True)
    (tmp_path / "problems" / "hw" / "convex.toml").write_text(SELECT_ALL, encoding="utf-8")
    made = start(tmp_path, {}, {"hw": "due = 2027-01-01T00:00:00Z"}, roster=("alice",))
    try:
        client = TestClient(made.client.app, follow_redirects=True)
        assert sign_in(client, made.login("alice")["Authorization"].split()[1]).status_code == 200
        page = client.get("/assignments/hw").text
        boxes = re.findall(r'<input type="(\w+)" name="(answer-0-0)" value="(\w)">', page)
        assert boxes == [("checkbox", "answer-0-0", key) for key in "abc"] and "select all that apply" in page
        report = client.post("/assignments/hw/submit",
                             data={"csrf": page_csrf(page), "answer-0-0": ticked})
    finally:
        made.service.close()
    row = re.search(r'<tr class="status-(\w+)">\s*<th scope="row">which</th>\s*<td>\w+</td>\s*<td>(.*?)</td>',
                    report.text)
    assert (row.group(1), row.group(2)) == (status, points)


def test_a_ta_trying_the_assignment_page_is_no_row_of_the_class_export(app, served):
    ta = browser(app, "ta1", served)
    page = ta.get("/assignments/demo").text
    ta.post("/assignments/demo/submit", data={"csrf": page_csrf(page), "answer-1-0": "1"})
    prof = browser(app, "prof", served)
    assert not re.search(r"^ta1,", prof.get("/staff/demo/export.csv").text, re.M)
    assert '<th scope="row">ta1</th>' not in prof.get("/staff/demo").text
