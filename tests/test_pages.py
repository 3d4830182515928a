"""The web pages through an HTTP client: sign-in and sessions, CSRF, the student's pages, the TA
pages, escaping of student text, the security headers, and no solution in a page before it is due."""

from __future__ import annotations

import re

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from grader.bank import Bank
from grader.present import format_value
from grader.service.app import RateLimiter
from grader.service.tokens import issue
from grader.web.mathml import mathml
from grader.web.sessions import Sessions

from .web_course import AFTER_DUE, BEFORE_DUE, SECRET, hidden, page_csrf, serve_course, sign_in

XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>']


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    served = serve_course(tmp_path_factory.mktemp("course"))
    yield served
    served.service.close()


@pytest.fixture
def client(served):
    with TestClient(served.app(), follow_redirects=True) as client:
        yield client


def as_user(client, served, who: str):
    response = sign_in(client, served.tokens[who])
    assert response.status_code == 200
    return client


def field(html: str, part: str) -> str:
    """The form field name of a part, found through its label as a screen reader would."""
    return re.search(rf'<label for="(answer-\d+-\d+)"><span class="pid">{part}</span>', html).group(1)


def submit(client, answers: dict[str, str]):
    page = client.get("/assignments/demo").text
    data = {"csrf": page_csrf(page), **{field(page, part): value for part, value in answers.items()}}
    return client.post("/assignments/demo/submit", data=data)


# signing in

def test_sign_in_sets_an_httponly_samesite_session_and_pages_need_it(client, served):
    assert client.get("/assignments/demo", follow_redirects=False).headers["location"] == "/signin"
    form = client.get("/signin")
    response = client.post("/signin", data={"csrf": hidden(form.text, "csrf"), "token": served.tokens["alice"]},
                           follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("grade_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert served.tokens["alice"] not in cookie
    assert "alice (student)" in client.get("/").text


def test_a_bad_token_is_refused_with_a_message(client):
    form = client.get("/signin")
    response = client.post("/signin", data={"csrf": hidden(form.text, "csrf"), "token": "guess"})
    assert response.status_code == 401
    assert "That token is not valid (or was revoked)." in response.text


@pytest.mark.parametrize("csrf", [None, "", "forged"])
def test_sign_in_without_its_csrf_token_is_refused(client, served, csrf):
    client.get("/signin")
    data = {"token": served.tokens["alice"]} | ({"csrf": csrf} if csrf is not None else {})
    response = client.post("/signin", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "grade_session" not in response.headers.get("set-cookie", "")


def test_signing_out_ends_the_session(client, served):
    as_user(client, served, "alice")
    cookie = client.cookies.get("grade_session")
    page = client.get("/").text
    assert client.post("/signout", data={"csrf": page_csrf(page)}).url.path == "/signin"
    client.cookies.set("grade_session", cookie)
    assert client.get("/", follow_redirects=False).headers["location"] == "/signin"


# every page

def test_every_page_forbids_inline_scripts_and_has_none(client, served):
    as_user(client, served, "alice")
    for path in ["/signin", "/", "/assignments/demo", "/history"]:
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "default-src 'none'" in policy
        scripts = re.findall(r"<script[^>]*>", response.text)
        assert scripts == ['<script src="/static/pages.js" defer>'], path
    assert client.get("/static/pages.js").status_code == 200
    assert client.get("/static/pages.css").status_code == 200


def test_every_input_of_the_assignment_page_has_a_label(client, served):
    page = as_user(client, served, "alice").get("/assignments/demo").text
    ids = re.findall(r'<(?:input|textarea)[^>]* id="([^"]+)"', page)
    assert len(ids) == 9   # the demo's parts but the one choice part, whose radios are labelled in a fieldset
    for input_id in ids:
        assert f'<label for="{input_id}">' in page
    assert page.count('aria-live="polite"') == 8   # a preview for every part but the text one
    assert re.findall(r'<label class="choice"><input type="radio" name="answer-0-3" value="(\w+)"> (\w+)</label>',
                      page) == [("yes", "yes"), ("no", "no")]


# the student's pages

def test_the_preview_shows_the_caret_error_then_the_reading_as_mathml(client, served):
    page = as_user(client, served, "bob").get("/assignments/demo").text
    ask = {"problem": "demo/neuron", "part": "dsigma"}
    broken = client.post("/assignments/demo/preview", data={**ask, "answer": "sigma(z)(1 - sigma(z)"},
                         headers={"X-CSRF-Token": page_csrf(page)})
    assert broken.status_code == 200
    assert "&#39;(&#39; is never closed at column 9:\n    sigma(z)(1 - sigma(z)\n            ^" in broken.text
    fixed = client.post("/assignments/demo/preview", data={**ask, "answer": "sigma(z)(1 - sigma(z))"},
                        headers={"X-CSRF-Token": page_csrf(page)})
    assert fixed.text.startswith('<span class="read-as">Read as:</span> <math>')
    assert "<mi>z</mi>" in fixed.text and "correct" not in fixed.text


@pytest.mark.parametrize("problem, part, answer, shown", [
    ("demo/neuron", "a", "1/sqrt(13)", "<code>sqrt(13)/13</code> = <math><mn>0.27735</mn></math>"),
    ("demo/neuron", "a", "0.25", "<math><mn>0.25</mn></math>"),
    ("demo/neuron", "grad", "[-0.07, -0.15]", "<mtd><mn>-0.07</mn></mtd><mtd><mn>-0.15</mn></mtd>"),
    ("demo/neuron", "grad", "\\begin{bmatrix} -0.07 \\\\ -0.15 \\end{bmatrix}", "<mtable>"),
    ("demo/neuron", "grad", "[[-0.07, -0.15]]", "<mtable>"),
    ("demo/matrix_calculus", "params", "7850", "<mn>7850</mn>"),
    ("demo/matrix_calculus", "grad_quadratic", "(A + A^T) x", "<mi>A</mi>"),
])
def test_the_preview_shows_every_notation_as_math(client, served, problem, part, answer, shown):
    page = as_user(client, served, "bob").get("/assignments/demo").text
    response = client.post("/assignments/demo/preview", data={"problem": problem, "part": part, "answer": answer},
                           headers={"X-CSRF-Token": page_csrf(page)})
    assert response.text.startswith('<span class="read-as">Read as:</span> '), response.text
    assert shown in response.text and response.text.count("<math>") == 1


def test_a_preview_without_the_csrf_token_is_refused(client, served):
    as_user(client, served, "bob")
    response = client.post("/assignments/demo/preview", data={"problem": "demo/neuron", "part": "z", "answer": "1"})
    assert response.status_code == 403


def test_a_submission_without_the_csrf_token_is_refused_and_not_stored(client, served):
    as_user(client, served, "carol")
    page = client.get("/assignments/demo").text
    response = client.post("/assignments/demo/submit", data={field(page, "z"): "1"})
    assert response.status_code == 403
    assert "Nothing submitted yet." in client.get("/history").text


def test_submitting_the_form_shows_the_report_and_the_history(client, served):
    as_user(client, served, "bob")
    report = submit(client, {"dsigma": "sigma(z)(1 - sigma(z))", "why": "It saturates.", "z": "12345"})
    assert report.status_code == 200 and re.fullmatch(r"/submissions/\d+", report.url.path)
    rows = dict(re.findall(r'<tr class="status-(\w+)">\s*<th scope="row">(\w+)</th>', report.text)[i][::-1]
                for i in range(10))
    assert rows == {"grad_bilinear": "missing", "grad_quadratic": "missing", "params": "missing",
                    "trace": "missing", "z": "incorrect", "a": "missing", "loss": "missing", "grad": "missing",
                    "dsigma": "correct", "why": "ungraded"}
    assert "Score: <strong>2 / 14</strong>" in report.text
    history = client.get("/history").text
    assert f'<a href="{report.url.path}">' in history
    listed = client.get("/").text
    assert "<td>2 / 14</td>" in listed and "<td>49</td>" in listed   # score and attempts left


def test_a_student_cannot_open_another_students_report(client, served):
    as_user(client, served, "alice")
    mine = submit(client, {"z": "1"}).url.path
    as_user(client, served, "bob")
    response = client.get(mine)
    assert response.status_code == 404
    assert "no submission" in response.text


def test_a_student_is_refused_the_staff_pages(client, served):
    as_user(client, served, "alice")
    for path in ["/staff", "/staff/demo", "/staff/demo/items", "/staff/demo/queue", "/staff/demo/export.csv"]:
        assert client.get(path).status_code == 403, path


def test_no_solution_is_in_the_page_before_the_due_date_and_each_is_after(client, served):
    bank = Bank(served.service.bank.root)
    solutions = []
    for problem in bank.assignment("demo"):
        variant = bank.variant(problem, "alice", SECRET)
        solutions += [format_value(variant.expected[pid]) for pid, part in problem.model.parts.items()
                      if part.type != "choice" and variant.expected.get(pid) is not None]
    assert len(solutions) == 8 and all(len(s) >= 3 for s in solutions)
    as_user(client, served, "alice")
    before = client.get("/assignments/demo").text
    assert [s for s in solutions if s in before] == []
    served.now[0] = AFTER_DUE
    try:
        after = client.get("/assignments/demo").text
    finally:
        served.now[0] = BEFORE_DUE
    assert [s for s in solutions if f"Solution: <code>{s}</code>" not in after] == []


def test_a_late_submission_says_its_penalty_and_the_class_table_marks_it(client, served):
    served.now[0] = AFTER_DUE   # 1 day and 12 hours after the due date: 2 started days at 25% each
    try:
        as_user(client, served, "dan")   # whose latest submission no other test reads
        report = submit(client, {"dsigma": "sigma(z)(1 - sigma(z))", "why": "late"}).text
    finally:
        served.now[0] = BEFORE_DUE
    assert "Late by 2 days: 50% off, so this submission counts 1." in report
    assert "<td>1 / 14</td>\n      <td>2 days late</td>" in client.get("/history").text
    as_user(client, served, "ta1")
    assert re.search(r'<th scope="row">dan</th>\s*<td>1 / 14</td>\s*<td>late</td>', client.get("/staff/demo").text)


# the TA's pages

@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_answer_shows_as_text_on_every_ta_page(client, served, payload):
    as_user(client, served, "carol")
    submit(client, {"why": payload, "dsigma": payload, "z": payload})
    as_user(client, served, "ta1")
    for path in ["/staff/demo/queue", "/staff/demo/items", "/staff/demo"]:
        assert payload not in client.get(path).text, path
    assert payload.replace("<", "&lt;").replace(">", "&gt;") in client.get("/staff/demo/queue").text


def test_a_ta_scores_a_text_answer_and_the_total_and_export_change(client, served):
    as_user(client, served, "alice")
    submit(client, {"why": "The gradient a(1 - a) is nearly zero.", "dsigma": "sigma(z)(1 - sigma(z))"})
    as_user(client, served, "prof")
    before = client.get("/staff/demo/export.csv")
    assert before.headers["content-type"].startswith("text/csv")
    assert "alice,2\n" in before.text
    queue = client.get("/staff/demo/queue").text
    form = queue[queue.index('<input type="hidden" name="student" value="alice">') - 200:]
    saved = client.post("/staff/demo/queue", data={
        "csrf": page_csrf(queue), "student": "alice", "problem": "demo/neuron", "part": "why",
        "seen": hidden(form, "seen"), "points": "1", "comment": "Yes: <b>saturation</b>."})
    assert saved.status_code == 200
    assert "Saved: alice, demo/neuron/why scored 1." in saved.text
    assert "alice,3\n" in client.get("/staff/demo/export.csv").text
    assert re.search(r"<th scope=\"row\">alice</th>\s*<td>3 / 14</td>", client.get("/staff/demo").text)
    as_user(client, served, "alice")
    latest = re.search(r'<a href="(/submissions/\d+)">', client.get("/history").text).group(1)
    report = client.get(latest).text
    assert "scored by a person: Yes: &lt;b&gt;saturation&lt;/b&gt;." in report
    assert "Score: <strong>3 / 14</strong>" in report


@pytest.mark.parametrize("change, message, status", [
    ({"points": "2"}, "Not saved: 2 points is out of range for demo/neuron/why (0 to 1)", 400),
    ({"points": "lots"}, "Points must be a number.", 400),
    ({"part": "z"}, "Not saved: demo/neuron/z is a number part, graded automatically", 400),
    ({"seen": "0" * 64}, "has submitted again since the page was loaded", 400),
    ({"csrf": "forged"}, "This form has expired or did not come from this site", 403),
])
def test_a_score_that_cannot_be_saved_is_refused_with_a_reason(client, served, change, message, status):
    as_user(client, served, "bob")
    submit(client, {"why": "Because."})
    as_user(client, served, "ta1")
    queue = client.get("/staff/demo/queue").text
    form = queue[queue.index('<input type="hidden" name="student" value="bob">'):]
    data = {"csrf": page_csrf(queue), "student": "bob", "problem": "demo/neuron", "part": "why",
            "seen": hidden(form, "seen"), "points": "0.5", "comment": ""} | change
    response = client.post("/staff/demo/queue", data=data)
    assert response.status_code == status
    assert message in response.text


def test_a_ta_sees_the_class_and_items_but_only_an_instructor_exports(client, served):
    as_user(client, served, "ta1")
    assert client.get("/staff/demo").status_code == 200
    items = client.get("/staff/demo/items")
    assert items.status_code == 200 and "demo/neuron/dsigma" in items.text
    assert client.get("/staff/demo/export.csv").status_code == 403
    assert client.get("/staff/nope").status_code == 404


# the preview's fragment, for any text

@pytest.fixture
def unlimited(served):
    """A client of an app without a practical rate limit, for many requests in a row."""
    with TestClient(served.app(RateLimiter(rate=1e9, burst=10**9)), follow_redirects=True) as client:
        yield client


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(answer=st.text(alphabet=st.sampled_from("<>&\"'/=() sigmaz1-^{}\\[],;x\n"), min_size=1, max_size=60))
def test_a_preview_fragment_never_carries_the_answers_markup(unlimited, served, answer):
    client = unlimited
    page = as_user(client, served, "carol").get("/assignments/demo").text
    for part in ("dsigma", "grad", "trace"):
        response = client.post("/assignments/demo/preview", data={"problem": "demo/neuron" if part != "trace"
                                                                   else "demo/matrix_calculus",
                                                                   "part": part, "answer": answer},
                               headers={"X-CSRF-Token": page_csrf(page)})
        assert response.status_code == 200
        tags = set(re.findall(r"</?([a-zA-Z]+)", response.text))
        assert tags <= {"span", "pre", "code", "math", "mrow", "mi", "mn", "mo", "msup", "mfrac", "msub",
                        "mtable", "mtr", "mtd", "mfenced", "msqrt", "mover", "mspace"}, response.text


@pytest.mark.parametrize("value, expected", [
    (np.array([1.0, 2.0]), "<mtable>"),
    (np.array([[1.0, 2.0], [3.0, 4.0]]), "<mtable>"),
    (0.25, "<mn>0.25</mn>"),
    (1 / 3, "<mn>0.333333</mn>"),
    (7, "<mn>7</mn>"),
    ("yes", None),                    # a choice: not math
    (frozenset({"a"}), None),
])
def test_a_reading_becomes_mathml_only_when_it_is_math(value, expected):
    shown = mathml(value)
    if expected is None:
        assert shown is None
    else:
        assert shown.startswith("<math>") and expected in shown


def test_page_requests_share_the_per_user_rate_limit(served):
    limiter = RateLimiter(rate=1.0, burst=3, clock=lambda: 0.0)
    with TestClient(served.app(limiter), follow_redirects=True) as client:
        as_user(client, served, "alice")
        statuses = [client.get("/history").status_code for _ in range(4)]
        refused = client.get("/history")
    assert statuses[:2] == [200, 200] and refused.status_code == 429
    assert refused.headers["retry-after"] == "1" and "too many requests" in refused.text


def test_a_session_ends_after_its_lifetime_and_the_oldest_make_room():
    now = [0.0]
    sessions = Sessions(limit=2, lifetime=10, clock=lambda: now[0])
    first, second = sessions.open("t1"), sessions.open("t2")
    assert sessions.get(first.id) == first and first.csrf != second.csrf
    third = sessions.open("t3")
    assert sessions.get(first.id) is None and sessions.get(third.id) == third
    now[0] = 11.0
    assert sessions.get(second.id) is None


def test_revoking_a_token_ends_its_sessions_at_once(client, served):
    token = issue(served.service.store, ["eve"], "student", BEFORE_DUE.isoformat())["eve"]
    assert sign_in(client, token).url.path == "/"
    assert client.get("/history").status_code == 200
    assert served.service.store.revoke("eve", BEFORE_DUE.isoformat()) == 1
    assert client.get("/history", follow_redirects=False).headers["location"] == "/signin"
