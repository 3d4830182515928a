"""No student page holds an answer key before the due date, for every part of every problem in problems/:
the assignment page (statements, prompts, hints, choices) and the preview of an unreadable answer
to every part. The key is labelled as the service's leak test labels it (tests/test_service_leaks.py),
independently of the pages."""

from __future__ import annotations

import pytest

from grader.bank import Bank
from grader.service.app import RateLimiter

from .service_util import start
from .test_service_leaks import ASSIGNMENTS, STUDENT, key_of, leaks, shown_text
from .web_course import page_csrf, sign_in


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("page-leaks")
    policies = {a: 'due = 2027-01-01T00:00:00Z\nfeedback = "hints"' for a in ASSIGNMENTS}
    made = start(tmp, {a: a for a in ASSIGNMENTS}, policies, roster=(STUDENT,),
                 limiter=RateLimiter(rate=1e6, burst=10**6))
    token = made.login(STUDENT)["Authorization"].split()[1]
    assert sign_in(made.client, token).status_code == 200
    yield made
    made.service.close()


def answer_key(served, assignment: str) -> tuple[list, dict, set, list]:
    """The assignment's problems and the student's variants of them, and the strings and numbers that
    would give the student's answers away."""
    bank = Bank(served.service.bank.root)
    problems = bank.assignment(assignment)
    variants = {p.id: bank.variant(p, STUDENT, "test-secret") for p in problems}
    shown = "\n".join(shown_text(p, variants[p.id]) for p in problems)
    strings, numbers = set(), []
    for problem in problems:
        found = key_of(problem, variants[problem.id], shown)
        strings |= found[0]
        numbers += found[1]
    assert strings   # the labelling found a key to look for
    return problems, variants, strings, numbers


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_student_page_holds_the_key(served, assignment):
    client = served.client
    problems, _, strings, numbers = answer_key(served, assignment)

    page = client.get(f"/assignments/{assignment}")
    assert page.status_code == 200
    pages = {"assignment page": page.text}
    for problem in problems:
        for pid in problem.model.parts:
            preview = client.post(f"/assignments/{assignment}/preview",
                                  data={"problem": problem.id, "part": pid, "answer": "((1 +"},
                                  headers={"X-CSRF-Token": page_csrf(page.text)})
            assert preview.status_code == 200
            pages[f"preview of {problem.id}/{pid}"] = preview.text
    assert {where: found for where, text in pages.items() if (found := leaks(text, strings, numbers))} == {}
