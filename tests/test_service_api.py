"""`grade serve` through an HTTP client: every route and status code, who may see what, deadlines,
late penalties and attempts on a clock the test moves, idempotent retries, caps and the access log."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.gradebook import Gradebook
from grader.service.app import RateLimiter

from .helpers import SUBMISSIONS
from .service_util import T0, start

POLICIES = {
    # open, 3 attempts, 10% a started day late up to 30%, full feedback, solutions after the due date
    "demo": '''opens = 2026-02-01T00:00:00Z
due = 2026-03-10T23:00:00Z
attempts = 3
feedback = "full"
late = { penalty_per_day = 0.1, max_penalty = 0.3 }''',
    # late work refused, 2 attempts, verdicts only, solutions never
    "strict": '''due = "2026-03-10T23:00:00+00:00"
attempts = 2
feedback = "verdict"
solutions = "never"''',
    # not open yet
    "future": '''opens = 2026-04-01T00:00:00Z
due = 2026-05-01T00:00:00Z''',
}
ALICE_DEMO = (SUBMISSIONS / "demo" / "alice.toml").read_text()


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    made = start(tmp_path_factory.mktemp("serve"), {"demo": "demo", "strict": "demo", "future": "demo"}, POLICIES,
                 roster=("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hal", "ivy", "jo"))
    for user, role in [("alice", "student"), ("bob", "student"), ("ta1", "ta"), ("prof", "instructor")]:
        made.login(user, role)
    yield made
    made.service.close()


@pytest.fixture(autouse=True)
def clock_reset(setup):
    setup.clock.now = T0


def answers_for(student: str, assignment: str = "demo") -> str:
    return ALICE_DEMO.replace('student = "alice"', f'student = "{student}"').replace(
        'assignment = "demo"', f'assignment = "{assignment}"')


def submit(setup, student, assignment="demo", key=None, answers=None):
    """Post `answers` (JSON) for the assignment, or else the sample answers file as the student's."""
    headers = dict(setup.headers[student])
    if key:
        headers["Idempotency-Key"] = key
    body = {"assignment": assignment, "answers": answers} if answers else {"toml": answers_for(student, assignment)}
    return setup.client.post("/api/v1/submissions", headers=headers, json=body)


# authentication and authorization

STUDENT_ROUTES = [("get", "/api/v1/assignments", None), ("get", "/api/v1/assignments/demo", None),
                  ("get", "/api/v1/assignments/demo/template", None), ("get", "/api/v1/problems/demo/neuron", None),
                  ("post", "/api/v1/validate", {"assignment": "demo", "problem": "neuron", "part": "z", "answer": "1"}),
                  ("post", "/api/v1/submissions", {"assignment": "demo", "answers": {}}),
                  ("get", "/api/v1/submissions", None)]
STAFF_ROUTES = [("get", "/api/v1/results?assignment=demo", None),
                ("get", "/api/v1/export?assignment=demo", None),
                ("get", "/api/v1/students/alice/assignments/demo", None)]


def test_healthz_needs_no_token(setup):
    response = setup.client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize("method,path,body", STUDENT_ROUTES + STAFF_ROUTES)
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic YWxpY2U6eA==", "Bearer "])
def test_every_route_refuses_a_missing_or_unknown_token(setup, method, path, body, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = getattr(setup.client, method)(path, headers=headers, **({"json": body} if body else {}))
    assert response.status_code == 401
    assert "token" in response.json()["error"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_gets_401(setup):
    headers = setup.login("carol")
    assert setup.client.get("/api/v1/assignments", headers=headers).status_code == 200
    assert setup.store.revoke("carol", "2026-03-01T00:00:00Z") == 1
    assert setup.client.get("/api/v1/assignments", headers=headers).status_code == 401


def test_a_new_token_replaces_the_old_one(setup):
    old = setup.login("dave")
    new = setup.login("dave")
    assert setup.client.get("/api/v1/assignments", headers=old).status_code == 401
    assert setup.client.get("/api/v1/assignments", headers=new).status_code == 200


@pytest.mark.parametrize("method,path,body", STAFF_ROUTES)
def test_students_cannot_call_staff_routes(setup, method, path, body):
    response = getattr(setup.client, method)(path, headers=setup.headers["alice"])
    assert response.status_code == 403
    assert "role" in response.json()["error"]


def test_a_ta_sees_results_and_variants_but_not_the_export(setup):
    assert setup.client.get("/api/v1/results?assignment=demo", headers=setup.headers["ta1"]).status_code == 200
    assert setup.client.get("/api/v1/students/bob/assignments/demo", headers=setup.headers["ta1"]).status_code == 200
    assert setup.client.get("/api/v1/export", headers=setup.headers["ta1"]).status_code == 403


def test_a_student_cannot_submit_as_another(setup):
    response = setup.client.post("/api/v1/submissions", headers=setup.headers["bob"],
                                 json={"toml": answers_for("alice")})
    assert response.status_code == 403
    assert "alice" in response.json()["error"] and "bob" in response.json()["error"]


def test_a_student_sees_only_their_own_submissions_and_variant(setup):
    setup.login("erin")
    setup.login("frank")
    assert submit(setup, "erin").status_code == 200
    mine = setup.client.get("/api/v1/submissions", headers=setup.headers["frank"]).json()
    assert mine == []
    erins = setup.client.get("/api/v1/submissions", headers=setup.headers["erin"]).json()
    assert [s["student"] for s in erins] == ["erin"]
    # every student-facing route answers for the caller's own variant, whatever is asked
    view = setup.client.get("/api/v1/assignments/demo", headers=setup.headers["frank"]).json()
    assert view["student"] == "frank"
    template = setup.client.get("/api/v1/assignments/demo/template", headers=setup.headers["frank"]).json()
    assert 'student = "frank"' in template["template"]
    shown = setup.client.get("/api/v1/problems/demo/neuron", headers=setup.headers["frank"]).json()
    assert "(student frank)" in shown["text"]


def test_an_unsigned_answers_file_is_the_callers(setup):
    setup.login("gina")
    text = answers_for("gina").replace('student = "gina"\n', "")
    report = setup.client.post("/api/v1/submissions", headers=setup.headers["gina"], json={"toml": text}).json()
    assert report["student"] == "gina"


# students' routes

def test_assignments_list_dates_attempts_and_score(setup):
    setup.login("hal")
    listed = {a["id"]: a for a in setup.client.get("/api/v1/assignments", headers=setup.headers["hal"]).json()}
    assert set(listed) == {"demo", "strict"}     # `future` is not open yet
    demo = listed["demo"]
    assert (demo["due"], demo["attempts_left"], demo["score"], demo["max_score"]) == \
        ("2026-03-10T23:00:00+00:00", 3, None, 14.0)
    graded = submit(setup, "hal").json()
    demo = {a["id"]: a for a in setup.client.get("/api/v1/assignments", headers=setup.headers["hal"]).json()}["demo"]
    assert (demo["attempts_left"], demo["score"]) == (2, graded["score"])


def test_the_assignment_view_has_the_callers_numbers_and_no_answers(setup):
    view = setup.client.get("/api/v1/assignments/demo", headers=setup.headers["alice"]).json()
    neuron = next(p for p in view["problems"] if p["id"] == "demo/neuron")
    assert "{x1}" not in neuron["statement"] and "$x_1 = 1.0$" in neuron["statement"]
    part_keys = {key for p in view["problems"] for part in p["parts"] for key in part}
    assert part_keys <= {"id", "type", "prompt", "points", "choices", "names", "bonus"}
    trace = next(part for p in view["problems"] for part in p["parts"] if part["id"] == "trace")
    assert trace["choices"] == {"yes": "yes", "no": "no"}            # key -> label: the key is what is sent
    grad = next(part for p in view["problems"] for part in p["parts"] if part["id"] == "grad_bilinear")
    assert set(grad["names"]) == {"a", "b", "X"}                      # the names its formula may use


def test_solutions_appear_after_the_due_date_only_where_allowed(setup):
    setup.clock.move(days=20)
    demo = setup.client.get("/api/v1/assignments/demo", headers=setup.headers["alice"]).json()
    strict = setup.client.get("/api/v1/assignments/strict", headers=setup.headers["alice"]).json()
    assert all("solution" in part for p in demo["problems"] for part in p["parts"] if part["type"] != "text")
    assert not any("solution" in part for p in strict["problems"] for part in p["parts"])
    shown = setup.client.get("/api/v1/problems/demo/matrix_calculus", headers=setup.headers["alice"]).json()
    assert "answer: a b^T" in shown["text"]


def test_an_assignment_not_open_yet_is_refused(setup):
    for path in ("/api/v1/assignments/future", "/api/v1/assignments/future/template", "/api/v1/problems/future/neuron"):
        assert setup.client.get(path, headers=setup.headers["alice"]).status_code == 409
    assert submit(setup, "alice", "future").status_code == 409
    setup.clock.move(days=40)
    assert setup.client.get("/api/v1/assignments/future", headers=setup.headers["alice"]).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/assignments/nope", "/api/v1/assignments/nope/template",
                                  "/api/v1/problems/demo/nope", "/api/v1/problems/nope/neuron",
                                  "/api/v1/results?assignment=nope"])
def test_unknown_names_are_404(setup, path):
    headers = setup.headers["prof" if "results" in path else "alice"]
    response = setup.client.get(path, headers=headers)
    assert response.status_code == 404
    assert "nope" in response.json()["error"]


# validate

@pytest.mark.parametrize("part,answer,status,read_as", [
    ("grad_bilinear", "a b^T", "ok", "a b^T"),          # the right answer ...
    ("grad_bilinear", "b a^T", "ok", "b a^T"),          # ... and a wrong one look the same
    ("grad_bilinear", "a b^^T", "invalid", None),
    ("params", 7850, "ok", "7850"),
    ("params", "", "invalid", None),
    ("trace", "maybe", "invalid", None),
])
def test_validate_says_how_an_answer_reads_never_whether_it_is_right(setup, part, answer, status, read_as):
    response = setup.client.post("/api/v1/validate", headers=setup.headers["alice"], json={
        "assignment": "demo", "problem": "matrix_calculus", "part": part, "answer": answer})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "read_as", "message"}
    assert (body["status"], body["read_as"]) == (status, read_as)
    if status == "invalid":
        assert body["message"]


def test_validate_points_at_the_error_with_a_caret(setup):
    body = setup.client.post("/api/v1/validate", headers=setup.headers["alice"], json={
        "assignment": "demo", "problem": "matrix_calculus", "part": "grad_bilinear", "answer": "a b^^T"}).json()
    assert body["message"].splitlines()[-1].strip() == "^"
    assert "column 5" in body["message"]


@pytest.mark.parametrize("body,status", [
    ({"assignment": "demo", "problem": "neuron", "part": "nope", "answer": "1"}, 404),
    ({"assignment": "demo", "problem": "nope", "part": "z", "answer": "1"}, 404),
    ({"assignment": "nope", "problem": "neuron", "part": "z", "answer": "1"}, 404),
    ({"assignment": "demo", "problem": "neuron"}, 400),
    ({"assignment": "demo", "problem": "neuron", "part": "z", "answer": "x" * 3000}, 200),
])
def test_validate_refusals(setup, body, status):
    response = setup.client.post("/api/v1/validate", headers=setup.headers["alice"], json=body)
    assert response.status_code == status
    if status == 200:
        assert response.json()["status"] == "invalid" and "too long" in response.json()["message"]
    else:
        assert response.json()["error"]


# submissions

def test_a_submission_is_graded_stored_and_acknowledged(setup):
    setup.login("ivy")
    response = submit(setup, "ivy")
    assert response.status_code == 200
    report = response.json()
    assert {"student", "assignment", "score", "max_score", "problems", "submission_id", "received_at",
            "late"} <= set(report)
    assert report["received_at"] == T0.isoformat()
    assert report["late"] == {"days": 0, "penalty": 0.0, "score": report["score"]}
    statuses = {part["id"]: part["status"] for p in report["problems"] for part in p["parts"]}
    assert statuses["dsigma"] == "invalid" and statuses["trace"] == "missing" and statuses["why"] == "ungraded"
    with Gradebook.existing(setup.db) as gradebook:
        stored = [s for s in gradebook.latest("demo") if s.student == "ivy"]
    assert [(s.submission_id, s.score) for s in stored] == [(report["submission_id"], report["score"])]


def test_answers_as_json_grade_like_the_same_answers_file(setup):
    setup.login("jo")
    as_json = submit(setup, "jo", assignment="strict", answers={
        "matrix_calculus": {"grad_bilinear": "a b^T", "params": 7850, "trace": "yes"},
        "neuron": {"z": 1.28}}).json()
    parts = {part["id"]: part for p in as_json["problems"] for part in p["parts"]}
    assert parts["grad_bilinear"]["status"] == "correct"
    assert parts["params"]["answer"] == "7850"


def test_an_idempotent_retry_counts_once(setup):
    headers = setup.login("kim")
    first = submit(setup, "kim", key="retry-1")
    again = submit(setup, "kim", key="retry-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    other = submit(setup, "kim", key="retry-2")
    assert other.json()["submission_id"] != first.json()["submission_id"]
    history = setup.client.get("/api/v1/submissions", headers=headers).json()
    assert [s["submission_id"] for s in history] == [first.json()["submission_id"], other.json()["submission_id"]]


def test_attempts_run_out_with_409(setup):
    setup.login("lee")
    assert [submit(setup, "lee", "strict").status_code for _ in range(3)] == [200, 200, 409]
    assert "attempts" in submit(setup, "lee", "strict").json()["error"]


def test_a_late_submission_loses_a_share_per_started_day_up_to_the_cap(setup):
    setup.login("max")
    on_time = submit(setup, "max").json()
    setup.clock.now = T0.replace(day=12)           # due 10 March 23:00: 1 day 13 hours late: 2 started days
    late = submit(setup, "max").json()
    assert late["late"] == {"days": 2, "penalty": 0.2, "score": round(on_time["score"] * 0.8, 4)}
    setup.clock.move(days=30)
    capped = submit(setup, "max").json()
    assert capped["late"]["penalty"] == 0.3
    results = setup.client.get("/api/v1/results?assignment=demo", headers=setup.headers["prof"]).json()
    assert next(r for r in results if r["student"] == "max")["score"] == capped["late"]["score"]


def test_late_work_is_refused_where_the_course_says_so(setup):
    setup.login("ned")
    setup.clock.now = T0.replace(day=11)
    response = submit(setup, "ned", "strict")
    assert response.status_code == 409
    assert "closed" in response.json()["error"]


def test_verdict_feedback_says_nothing_before_the_due_date_and_everything_after(setup):
    setup.login("ola")
    before = submit(setup, "ola", "strict").json()
    wrong = [part for p in before["problems"] for part in p["parts"] if part["status"] in ("incorrect", "partial")]
    assert wrong and all(part["feedback"] == "" for part in wrong)
    setup.clock.move(days=30)
    history = setup.client.get("/api/v1/submissions", headers=setup.headers["ola"]).json()
    after = [part for p in history[0]["problems"] for part in p["parts"] if part["id"] == "grad_quadratic"]
    assert after[0]["feedback"]


@pytest.mark.parametrize("body,status,words", [
    ({"toml": 'student = "alice"\nassignment = "demo"\n[neuron\n'}, 400, "answers.toml:3"),
    ({"toml": 'student = "alice"\nassignment = "nope"\n'}, 404, "nope"),
    ({"assignment": "demo", "toml": 'student = "alice"\nassignment = "strict"\n'}, 400, "strict"),
    ({"assignment": "demo"}, 400, "either"),
    ({"answers": {"neuron": {"z": 1}}}, 400, "assignment"),
    ({"assignment": "demo", "answers": {"neuron": 3}}, 400, "answers.neuron"),
    ({"assignment": "demo", "answers": {"neuron": {"z": {"a": 1}}}}, 400, "answers.neuron.z"),
    ({"toml": 5}, 400, "toml"),
    ({"assignment": "demo", "answers": {"neuron": {"z": "\ud800"}}}, 400, "surrogate"),
    ({"toml": 'student = "alice"\nassignment = "demo"\n[neuron]\nz = "\ud800"\n'}, 400, "surrogate"),
])
def test_unusable_submissions_are_400_with_where_and_why(setup, body, status, words):
    response = setup.client.post("/api/v1/submissions", content=json.dumps(body),   # JSON escapes a lone surrogate
                                 headers={**setup.headers["alice"], "Content-Type": "application/json"})
    assert response.status_code == status
    assert words in response.json()["error"]


def test_a_body_over_the_cap_is_413(tmp_path):
    made = start(tmp_path, {"demo": "demo"}, {"demo": POLICIES["demo"]}, max_body=4096)
    try:
        headers = made.login("alice")
        big = made.client.post("/api/v1/submissions", headers=headers, json={"toml": "#" * 5000})
        assert big.status_code == 413 and "too large" in big.json()["error"]

        def chunks():            # no Content-Length: counted as it streams in
            for _ in range(10):
                yield b"x" * 1000

        streamed = made.client.post("/api/v1/validate", headers={**headers, "Content-Type": "application/json"},
                                    content=chunks())
        assert streamed.status_code == 413
    finally:
        made.service.close()


def test_a_token_over_its_rate_gets_429_with_retry_after(tmp_path):
    now = [0.0]
    made = start(tmp_path, {"demo": "demo"}, {"demo": POLICIES["demo"]},
                 limiter=RateLimiter(rate=0.5, burst=2, clock=lambda: now[0]))
    try:
        alice, bob = made.login("alice"), made.login("bob")
        codes = [made.client.get("/api/v1/assignments", headers=alice).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        refused = made.client.get("/api/v1/assignments", headers=alice)
        assert refused.headers["Retry-After"] == "2" and "slow down" in refused.json()["error"]
        assert made.client.get("/api/v1/assignments", headers=bob).status_code == 200   # per token
        now[0] += 2.0
        assert made.client.get("/api/v1/assignments", headers=alice).status_code == 200
    finally:
        made.service.close()


# staff routes

def test_results_latest_or_best_and_every_roster_student(setup):
    setup.login("pat")
    first = submit(setup, "pat", answers={"matrix_calculus": {"grad_bilinear": "a b^T"}}, assignment="demo").json()
    second = submit(setup, "pat", answers={"matrix_calculus": {"grad_bilinear": "b a^T"}}, assignment="demo").json()
    assert first["score"] > second["score"]
    headers = setup.headers["prof"]
    latest = setup.client.get("/api/v1/results?assignment=demo", headers=headers).json()
    best = setup.client.get("/api/v1/results?assignment=demo&policy=best", headers=headers).json()
    assert next(r for r in latest if r["student"] == "pat")["score"] == second["score"]
    assert next(r for r in best if r["student"] == "pat")["score"] == first["score"]
    assert next(r for r in latest if r["student"] == "bob")["score"] is None    # on the roster, nothing yet
    assert setup.client.get("/api/v1/results?assignment=demo&policy=worst", headers=headers).status_code == 400


def test_export_is_the_csv_of_grade_export(setup):
    setup.login("quin")
    graded = submit(setup, "quin").json()
    plain = setup.client.get("/api/v1/export?assignment=demo", headers=setup.headers["prof"])
    assert plain.headers["content-type"].startswith("text/csv")
    rows = plain.text.splitlines()
    assert rows[0] == "student,demo (14)"
    assert f"quin,{graded['score']:g}" in rows
    canvas = setup.client.get("/api/v1/export?assignment=demo&lms=canvas", headers=setup.headers["prof"]).text
    assert canvas.splitlines()[0] == "Student,ID,SIS User ID,SIS Login ID,Section,demo (14)"


def test_a_students_variant_with_solutions_for_staff(setup):
    view = setup.client.get("/api/v1/students/bob/assignments/strict", headers=setup.headers["prof"]).json()
    assert view["student"] == "bob"
    parts = {part["id"]: part for p in view["problems"] for part in p["parts"]}
    assert parts["grad_bilinear"]["solution"] == "a b^T"
    missing = setup.client.get("/api/v1/students/nobody/assignments/demo", headers=setup.headers["prof"])
    assert missing.status_code == 404


# the API document and the access log

def test_the_openapi_document_lists_every_route(setup):
    paths = setup.client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/healthz", "/api/v1/assignments", "/api/v1/assignments/{assignment}", "/api/v1/validate",
            "/api/v1/submissions", "/api/v1/results", "/api/v1/export",
            "/api/v1/assignments/{assignment}/template", "/api/v1/problems/{problem}",
            "/api/v1/students/{student}/assignments/{assignment}"} <= set(paths)


def test_the_access_log_has_one_line_per_request_and_no_token_or_answer(setup, caplog):
    setup.login("rae")
    headers = setup.headers["rae"]
    token = headers["Authorization"].split()[1]
    secret_answer = "17.123456789 + 0"
    with caplog.at_level(logging.INFO, logger="grader.access"):
        setup.client.post("/api/v1/validate", headers=headers, json={
            "assignment": "demo", "problem": "neuron", "part": "z", "answer": secret_answer})
        submit(setup, "rae", answers={"neuron": {"z": secret_answer}}, assignment="demo")
        setup.client.get("/api/v1/students/rae/assignments/demo?token=" + token, headers=headers)
        setup.client.get("/api/v1/assignments", headers={"Authorization": "Bearer " + token + "x"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "grader.access"]
    assert [(x["route"], x["status"], x["student"]) for x in lines] == [
        ("/api/v1/validate", 200, "rae"), ("/api/v1/submissions", 200, "rae"),
        ("/api/v1/students/{student}/assignments/{assignment}", 403, "rae"), ("/api/v1/assignments", 401, None)]
    assert all({"time", "method", "route", "status", "ms", "student"} == set(x) for x in lines)
    text = caplog.text
    assert token not in text and token[:20] not in text and "17.123456789" not in text


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40)),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part=st.sampled_from(["z", "grad", "dsigma", "why", "nope"]), answer=json_values)
def test_validate_answers_any_json_with_a_verdict_on_how_it_reads(setup, part, answer):
    headers = setup.headers.get("fuzzer") or setup.login("fuzzer")
    response = setup.client.post("/api/v1/validate", content=json.dumps({
        "assignment": "demo", "problem": "neuron", "part": part, "answer": answer}),
        headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == (404 if part == "nope" else 200)
    if part != "nope":
        assert response.json()["status"] in ("ok", "invalid")


@pytest.mark.parametrize("method,path,status", [("get", "/api/v1/nothing", 404), ("delete", "/api/v1/submissions", 405)])
def test_unknown_routes_and_methods_answer_json_errors(setup, method, path, status):
    response = getattr(setup.client, method)(path, headers=setup.headers["alice"])
    assert response.status_code == status
    assert response.json() == {"error": {404: "Not Found", 405: "Method Not Allowed"}[status]}


def test_a_staff_members_trial_is_stored_but_no_row_of_results_or_export(setup):
    """A TA trying the assignment out is answered like a student; the class's results and the LMS
    export list students only."""
    response = submit(setup, "ta1")
    assert response.status_code == 200 and response.json()["submission_id"]
    headers = setup.headers["prof"]
    results = setup.client.get("/api/v1/results?assignment=demo", headers=headers).json()
    assert "ta1" not in {row["student"] for row in results}
    export = setup.client.get("/api/v1/export?assignment=demo", headers=headers).text
    assert not any(line.startswith("ta1,") for line in export.splitlines())
    assert [k.student for k in setup.store.kept(student="ta1")] == ["ta1"]   # stored all the same
