"""`grade serve` attacked as a student would: holes found by hunting for them, each kept as a test.

Expectations are labelled by hand from the problem files and the contract, never copied from a
response: the answer formulas below are what the instructor's mistake feedback writes, read off
problems/ by eye.
"""

from __future__ import annotations

import json
import threading

import pytest

from grader.errors import LoadError
from grader.service.app import RateLimiter
from grader.service.coursefile import Course

from .helpers import write
from .service_util import T0, start

FULL = 'due = 2026-03-10T23:00:00Z\nfeedback = "full"'   # solutions after the due date (the default)
SERVED = ("demo", "cs577-a2", "mlcalc-hw", "mlmath-hw4")
TWICE = 'due = 2026-03-10T23:00:00Z\nattempts = 2'   # late work refused: closed from the due date on


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    made = start(tmp_path_factory.mktemp("hunt"), {**{a: a for a in SERVED}, "twice": "demo"},
                 {**{a: FULL for a in SERVED}, "twice": TWICE}, roster=("alice", "bob", "carol", "dan"),
                 limiter=RateLimiter(rate=1e6, burst=10**6))
    for student in ("alice", "bob", "carol", "dan"):
        made.login(student)
    yield made
    made.service.close()


@pytest.fixture(autouse=True)
def clock_reset(request):
    yield
    if "served" in request.fixturenames:
        request.getfixturevalue("served").clock.now = T0


def _part(report: dict, problem: str, part: str) -> dict:
    return next(p for pr in report["problems"] if pr["id"] == problem for p in pr["parts"] if p["id"] == part)


# Mistake feedback that restates the canonical answer in a spacing or notation of its own: before
# the due date (solutions not released) a student who makes that mistake must not be told the answer.
RESTATED = [
    # (assignment, problem, part, an answer matching a mistake rule, the canonical answer as its feedback writes it)
    ("demo", "neuron", "dsigma", "sigma(z)^2", "sigma(z)(1 - sigma(z))"),             # answer: sigma(z) (1 - sigma(z))
    ("cs577-a2", "logistic", "dsigma", "sigmoid(z)^2", "sigma(z)(1 - sigma(z))"),     # answer: sigmoid(z) (1 - sigmoid(z))
    ("cs577-a2", "multiclass", "ovo_count", "k^2", "k(k - 1)/2"),                     # answer: k (k - 1)/2
    ("mlcalc-hw", "network", "dl_dyhat", "2 (y - y_hat)", "−2(y − ŷ)"),               # answer: -2 (y - y_hat)
    ("mlmath-hw4", "derivatives_vector", "jac", "M M^T", "MᵀM"),                       # answer: M^T M
]


@pytest.mark.parametrize("assignment, problem, part, answer, canonical", RESTATED)
def test_mistake_feedback_that_restates_the_answer_is_withheld_until_solutions(
        served, assignment, problem, part, answer, canonical):
    body = {"assignment": assignment, "answers": {problem: {part: answer}}}
    before = served.client.post("/api/v1/submissions", headers=served.headers["alice"], json=body)
    assert before.status_code == 200, before.text
    shown = _part(before.json(), f"{assignment}/{problem}", part)
    assert shown["status"] in ("incorrect", "partial")
    assert canonical not in shown["feedback"]
    history = served.client.get("/api/v1/submissions", headers=served.headers["alice"]).json()
    assert all(canonical not in _part(s, f"{assignment}/{problem}", part)["feedback"]
               for s in history if s["assignment"] == assignment)
    # once solutions are released the same report shows the message whole: the rule did fire on this answer
    served.clock.move(days=30)
    try:
        later = served.client.get("/api/v1/submissions", headers=served.headers["alice"]).json()
    finally:
        served.clock.move(days=-30)
    mine = next(s for s in later if s["submission_id"] == before.json()["submission_id"])
    assert canonical in _part(mine, f"{assignment}/{problem}", part)["feedback"]


def test_a_read_error_is_shown_even_when_the_answer_it_quotes_resembles_the_key(served):
    """Where and why an answer cannot be read is about the student's own text (validate says the
    same at any time): it holds no key, so the filter above must not swallow it."""
    body = {"assignment": "demo", "answers": {"neuron": {"dsigma": "sigma(z) (1 - sigma(z)"}}}
    report = served.client.post("/api/v1/submissions", headers=served.headers["alice"], json=body).json()
    shown = _part(report, "demo/neuron", "dsigma")
    assert shown["status"] == "invalid"
    assert "'(' is never closed" in shown["feedback"]


# An Idempotency-Key names one request: reusing it for a different one must not pass off the first
# request's receipt as the second's (the second would silently never be graded or stored).

def _post(served, student, key, body):
    return served.client.post("/api/v1/submissions", json=body,
                              headers={**served.headers[student], "Idempotency-Key": key})


@pytest.mark.parametrize("second", [
    {"assignment": "cs577-a2", "answers": {"logistic": {"dsigma": "1"}}},   # another assignment
    {"assignment": "demo", "answers": {"neuron": {"z": 2.5}}},               # other answers
])
def test_a_key_reused_for_a_different_submission_is_refused(served, second):
    key = f"reused-{second['assignment']}"
    first = _post(served, "alice", key, {"assignment": "demo", "answers": {"neuron": {"z": 1.5}}})
    assert first.status_code == 200
    counted = len(served.client.get("/api/v1/submissions", headers=served.headers["alice"]).json())
    again = _post(served, "alice", key, second)
    assert again.status_code == 400
    assert "Idempotency-Key" in again.json()["error"]
    assert len(served.client.get("/api/v1/submissions", headers=served.headers["alice"]).json()) == counted
    # the same request under the same key is still the retry it always was
    retry = _post(served, "alice", key, {"assignment": "demo", "answers": {"neuron": {"z": 1.5}}})
    assert (retry.status_code, retry.json()["submission_id"]) == (200, first.json()["submission_id"])


def test_a_retry_after_the_close_or_the_last_attempt_still_gets_its_receipt(served):
    body = {"assignment": "twice", "answers": {"neuron": {"z": 1.5}}}
    first = _post(served, "dan", "dan-1", body)
    second = _post(served, "dan", "dan-2", body)
    assert (first.status_code, second.status_code) == (200, 200)
    assert _post(served, "dan", "dan-3", body).status_code == 409            # no attempts left
    assert _post(served, "dan", "dan-2", body).json() == second.json()        # ...but a retry is no new attempt
    served.clock.move(days=30)
    try:
        assert _post(served, "dan", "dan-4", body).status_code == 409        # closed
        late_retry = _post(served, "dan", "dan-1", body)
    finally:
        served.clock.move(days=-30)
    assert (late_retry.status_code, late_retry.json()) == (200, first.json())


def test_submissions_racing_on_threads_never_pass_the_attempt_limit(served):
    statuses, start = [], threading.Barrier(6)

    def one():
        start.wait()
        statuses.append(served.client.post("/api/v1/submissions", headers=served.headers["carol"], json={
            "assignment": "twice", "answers": {"neuron": {"z": 1.5}}}).status_code)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 409, 409, 409, 409]
    history = served.client.get("/api/v1/submissions", headers=served.headers["carol"]).json()
    assert [s["attempt"] for s in history if s["assignment"] == "twice"] == [1, 2]


@pytest.mark.parametrize("after_due, status, days", [
    ({"hours": -1}, 200, 0),
    ({}, 200, 0),                      # at the due instant: on time
    ({"microseconds": 1}, 409, None),  # a moment after, with late work refused: closed
    ({"days": -40}, 200, 0),           # long before (an open assignment has no lower bound)
])
def test_the_due_instant_is_on_time_and_the_next_moment_is_closed(served, after_due, status, days):
    from datetime import datetime, timedelta, timezone

    served.clock.now = datetime(2026, 3, 10, 23, 0, tzinfo=timezone.utc) + timedelta(**after_due)
    response = served.client.post("/api/v1/submissions", headers=served.headers["bob"],
                                  json={"assignment": "demo", "answers": {"neuron": {"z": 1.5}}})
    assert response.status_code == status
    if days is not None:
        assert response.json()["late"] == {"days": 0, "penalty": 0.0, "score": response.json()["score"]}
    else:
        assert "closed" in response.json()["error"]


def test_another_students_key_is_theirs_alone(served):
    body = {"assignment": "demo", "answers": {"neuron": {"z": 1.5}}}
    alices = _post(served, "alice", "shared-key", body)
    bobs = _post(served, "bob", "shared-key", body)
    assert bobs.status_code == 200
    assert bobs.json()["student"] == "bob"
    assert bobs.json()["submission_id"] != alices.json()["submission_id"]


# A TOML date without a time (`due = 2026-03-10`) has no zone either: it must be refused with its
# line like a local date-time, not served as a naive time that every request then fails to compare.

@pytest.mark.parametrize("key, line", [("opens", 3), ("due", 4), ("closes", 5)])
def test_a_date_without_a_time_is_refused_with_its_line(tmp_path, key, line):
    write(tmp_path / "roster.csv", "student\nalice\n")
    times = {"opens": "2026-01-05T09:00:00Z", "due": "2026-03-10T23:00:00Z", "closes": "2026-03-12T23:00:00Z"}
    times[key] = "2026-03-11"
    path = write(tmp_path / "course.toml", 'roster = "roster.csv"\n[assignments.demo]\n'
                 + "".join(f"{name} = {value}\n" for name, value in times.items()))
    with pytest.raises(LoadError) as error:
        Course.load(path)
    assert str(error.value).startswith(f"{path}:{line}: assignments.demo.{key}:")
    assert "no zone" in str(error.value)


# JSON can escape half of a surrogate pair ("\ud800"); text cannot hold one. Every message that
# echoes what was sent (a read error, a missing problem, a mismatched assignment) then failed to
# render: a 500 instead of a 400 that says why.

SURROGATES = [
    ("/api/v1/validate", {"assignment": "demo", "problem": "neuron", "part": "dsigma", "answer": "z\ud800"}),
    ("/api/v1/validate", {"assignment": "demo", "problem": "neuron", "part": "why", "answer": "\udfff"}),
    ("/api/v1/validate", {"assignment": "demo", "problem": "neuron", "part": "grad", "answer": ["1", "\ud800"]}),
    ("/api/v1/validate", {"assignment": "demo", "problem": "neur\ud800on", "part": "z", "answer": "1"}),
    ("/api/v1/validate", {"assignment": "\ud800", "problem": "neuron", "part": "z", "answer": "1"}),
    ("/api/v1/submissions", {"assignment": "\ud800", "toml": 'assignment = "demo"\n'}),
    ("/api/v1/submissions", {"assignment": "demo", "answers": {"neuron": {"z\ud800": 1}}}),
]


@pytest.mark.parametrize("path, body", SURROGATES)
def test_half_a_surrogate_pair_anywhere_in_a_body_is_a_400(served, path, body):
    from fastapi.testclient import TestClient

    client = TestClient(served.client.app, raise_server_exceptions=False)   # a 500 shows as a 500
    response = client.post(path, content=json.dumps(body),   # json.dumps escapes the lone surrogate
                           headers={**served.headers["alice"], "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("depth", [60, 500, 950])
def test_answers_nested_deeper_than_an_answers_file_may_be_are_a_400(served, depth):
    """JSON answers are written out as the answers file they stand for: a list nested hundreds
    deep must get the answers file's own limit, not a RecursionError (500)."""
    from fastapi.testclient import TestClient

    client = TestClient(served.client.app, raise_server_exceptions=False)
    nested = "[" * depth + "1" + "]" * depth
    response = client.post("/api/v1/submissions", headers={**served.headers["alice"], "Content-Type": "application/json"},
                           content='{"assignment": "demo", "answers": {"neuron": {"grad": %s}}}' % nested)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]


def test_validation_cache_keeps_no_large_answer(served):
    """Identical answers are read once per instance, but a cache of 4096 readings keyed by answers
    of up to 256 kB let one student fill a gigabyte within the rate limit: large ones are not kept."""
    for i in range(5):
        big = [i] + [1.5] * 30000   # about 150 kB of JSON: refused by count, and answered each time
        response = served.client.post("/api/v1/validate", headers=served.headers["alice"], json={
            "assignment": "demo", "problem": "neuron", "part": "grad", "answer": big})
        assert response.json()["status"] == "invalid"
    typed = served.client.post("/api/v1/validate", headers=served.headers["alice"], json={
        "assignment": "demo", "problem": "neuron", "part": "grad", "answer": "[0.25, -0.5]"})
    assert typed.json()["status"] == "ok"
    kept = served.service._readings.items
    assert max(len(repr(key)) for key in kept) < 10_000
    assert any("[0.25, -0.5]" in repr(key) for key in kept)   # what people type is still read once
