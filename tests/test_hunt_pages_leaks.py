"""No student page holds an answer key after the student answers wrong, before the due date: the
preview of a readable wrong answer to every part of every problem in problems/, the report of the
submitted wrong answers (feedback at the "hints" level) and the history. The key is labelled as the
service's leak test labels it; the student's own answers (shown in `<code>`, and as read in
`<math>`: a wrong vector may have right entries) are left out of the scan."""

from __future__ import annotations

import re

import pytest

from .test_hunt_pages import Form
from . import test_pages_leaks
from .test_service_leaks import ASSIGNMENTS, _wrong_forms, leaks
from .web_course import page_csrf

served = test_pages_leaks.served   # a student signed in before the due date, feedback "hints"
ECHO = re.compile(r"<code>.*?</code>|<math>.*?</math>", re.S)   # the answer as sent, and as read


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_page_after_a_wrong_answer_holds_the_key(served, assignment):
    client = served.client
    problems, variants, strings, numbers = test_pages_leaks.answer_key(served, assignment)

    page = client.get(f"/assignments/{assignment}").text
    data, pages = dict(Form(page, f"/assignments/{assignment}/submit").hidden), {}
    # the page lists the problems and their parts in the bank's order: part j of problem i is answer-i-j
    assert re.findall(r'<span class="pid">(.*?)</span>', page) == [pid for p in problems for pid in p.model.parts]
    for i, problem in enumerate(problems):
        for j, (pid, part) in enumerate(problem.model.parts.items()):
            wrong = str(_wrong_forms(part, variants[problem.id].expected.get(pid))[0])
            preview = client.post(f"/assignments/{assignment}/preview", headers={"X-CSRF-Token": page_csrf(page)},
                                  data={"problem": problem.id, "part": pid, "answer": wrong})
            assert preview.status_code == 200
            pages[f"preview of {problem.id}/{pid}"] = preview.text
            data[f"answer-{i}-{j}"] = wrong
    report = client.post(f"/assignments/{assignment}/submit", data=data)
    assert report.status_code == 200 and "/submissions/" in str(report.url)
    pages["report"] = report.text
    pages["history"] = client.get("/history").text
    found = {where: hits for where, text in pages.items() if (hits := leaks(ECHO.sub("", text), strings, numbers))}
    assert found == {}
