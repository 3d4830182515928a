"""The pages: thin handlers that call `Service` (or `staff`) and render a template.

Every page is rendered server-side with autoescaping: student text reaches HTML only as escaped
text. Every POST needs the session's CSRF token (the sign-in form a cookie-bound one). Every response
carries a Content-Security-Policy allowing scripts and styles from this server only, so even an
injected `<script>` could not run. Forms work without JavaScript; `static/pages.js` only adds the
live preview.
"""

from __future__ import annotations

import functools
import inspect
import secrets
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders

from ..errors import GradeError
from ..manual import ManualScoreError, points_of
from ..mathtext import names_of
from ..service.errors import Forbidden, NotFound, RateLimited, ServiceError
from . import staff
from .authored import authored
from .preview import MAX_PREVIEW, preview
from .sessions import COOKIE, SIGNIN_COOKIE, Sessions, same

HERE = Path(str(resources.files(__package__)))
STATIC = "/static"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-store"}
HINTS = {
    "expression": "A formula as you would write it: sigma(z)(1 - sigma(z)), x^T A x, \\frac{1}{2}.",
    "number": "A number or a formula for one: 0.25, 1/sqrt(13), e^{-2}.",
    "integer": "A whole number.",
    "array": "A vector or matrix: [1, 2], [[1, 2], [3, 4]], or \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}.",
}


def _points(value) -> str:
    return "" if value is None else f"{value:g}"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["points"] = _points
    return env


def _options(choices: dict | None) -> list[tuple[str, str]]:
    """(key, label) of a choice part's options (the view keys them: grader.check.choice.options)."""
    return [(str(k), str(v)) for k, v in (choices or {}).items()]


def _select_all(service, problem_id: str) -> set[str]:
    """The choice parts of a problem whose answer is a list of options: a box for each option, not
    a radio (the format of the question, not its answer)."""
    parts = service.bank.problem(problem_id).model.parts
    return {pid for pid, part in parts.items() if part.type == "choice" and isinstance(part.answer, list)}


def mount(app: FastAPI, service, limiter=None) -> None:
    """Serve the pages and their static files from `app` (the app of `grade serve`); `limiter` (the API's
    per-token rate limit) limits each signed-in user's page requests too."""
    app.include_router(router(service, limiter))
    app.mount(STATIC, StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(_Guarded)


class _Guarded:
    """The pages' security headers (not Cache-Control: static files may be cached) on every response
    outside the API, also those no page renders: a 404, a static file, a malformed request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name != "Cache-Control":
                        headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, sending)


def router(service, limiter=None) -> APIRouter:
    sessions = Sessions()
    env = environment()
    pages = APIRouter(include_in_schema=False)

    def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
        html = env.get_template(name).render(static=STATIC, **context)
        return HTMLResponse(html, status, headers=HEADERS)

    def signed_in(request: Request):
        """(session, user) of this browser, or None (never signed in, expired, token revoked)."""
        session = sessions.get(request.cookies.get(COOKIE))
        user = service.user(session.token) if session is not None else None
        return (session, user) if user is not None else None

    def page(handler):
        """A page for a signed-in user: others go to the sign-in page, or, for a form or the preview's
        request, are refused (401: the script would follow a redirect and show the sign-in page as the
        preview); a refusal is an error page."""
        async def wrapped(request: Request, **kwargs):
            found = await run_in_threadpool(signed_in, request)
            if found is None:
                if request.method == "POST":
                    return render(request, "error.html", {"title": "Signed out", "message": "Your session has "
                                  "ended, so this was not sent: sign in again."}, 401)
                return RedirectResponse("/signin", 303, headers=HEADERS)
            session, user = found
            request.state.user = user   # for the access log: who, never the token
            context = {"user": user, "csrf": session.csrf}
            if request.method == "POST":
                form = await request.form()
                if not same(form.get("csrf") or request.headers.get("x-csrf-token"), session.csrf):
                    return render(request, "error.html", {**context, "title": "Refused",
                                  "message": "This form has expired or did not come from this site: reload the "
                                             "page and try again."}, 403)
                kwargs["form"] = form
            try:
                if limiter is not None:
                    limiter.take(user.id)
                return await run_in_threadpool(functools.partial(handler, request, user, context, **kwargs))
            except ServiceError as error:
                response = render(request, "error.html", {**context, "title": "Refused",
                                                          "message": error.first_line()}, error.status)
                if isinstance(error, RateLimited):
                    response.headers["Retry-After"] = str(error.retry_after)
                return response
            except GradeError as error:
                return render(request, "error.html", {**context, "title": "Refused",
                                                      "message": error.first_line()}, 400)

        # FastAPI reads the path parameters from this signature: the request, then the handler's own
        wanted = list(inspect.signature(handler).parameters.values())[3:]
        wrapped.__signature__ = inspect.Signature(
            [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
            + [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in wanted if p.name != "form"])
        wrapped.__name__ = handler.__name__
        return wrapped

    # signing in and out

    @pages.get("/signin")
    def signin_form(request: Request):
        token = secrets.token_urlsafe(32)
        response = render(request, "signin.html", {"title": "Sign in", "signin_csrf": token})
        _cookie(response, request, SIGNIN_COOKIE, token)
        return response

    @pages.post("/signin")
    async def signin(request: Request):
        form = await request.form()
        if not same(form.get("csrf"), request.cookies.get(SIGNIN_COOKIE)):
            return render(request, "error.html", {"title": "Refused", "message": "This sign-in form has expired: "
                                                  "reload the page and try again."}, 403)
        token = str(form.get("token") or "").strip()
        user = await run_in_threadpool(service.user, token)
        if user is None:
            fresh = secrets.token_urlsafe(32)
            response = render(request, "signin.html", {"title": "Sign in", "signin_csrf": fresh,
                                                       "error": "That token is not valid (or was revoked)."}, 401)
            _cookie(response, request, SIGNIN_COOKIE, fresh)
            return response
        sessions.close(request.cookies.get(COOKIE))   # the id this browser had must not outlive a sign-in
        session = sessions.open(token)
        response = RedirectResponse("/staff" if user.staff else "/", 303, headers=HEADERS)
        _cookie(response, request, COOKIE, session.id)
        response.delete_cookie(SIGNIN_COOKIE)
        return response

    @pages.post("/signout")
    @page
    def signout(request, user, context, form):
        sessions.close(request.cookies.get(COOKIE))
        response = RedirectResponse("/signin", 303, headers=HEADERS)
        response.delete_cookie(COOKIE)
        return response

    # students

    @pages.get("/")
    @page
    def home(request, user, context):
        if user.staff:
            return RedirectResponse("/staff", 303, headers=HEADERS)
        return render(request, "assignments.html", {**context, "title": "Your assignments",
                                                    "assignments": service.assignments(user)})

    @pages.get("/assignments/{assignment}")
    @page
    def assignment(request, user, context, assignment: str):
        view = service.assignment(user, assignment)
        listed = next((a for a in service.assignments(user) if a["id"] == assignment), {})
        for problem in view["problems"]:
            several = _select_all(service, problem["id"])
            model = service.bank.problem(problem["id"]).model
            problem["statement"] = authored(problem["statement"], names_of(model))
            for part in problem["parts"]:
                part["prompt"] = authored(part["prompt"], names_of(model, part["id"]))
                part["options"] = _options(part.get("choices"))
                part["hint"] = HINTS.get(part["type"], "")
                part["select_all"] = part["id"] in several
        return render(request, "assignment.html", {
            **context, "title": view.get("title") or assignment, "assignment": assignment,
            "problems": view["problems"], "due": view.get("due"), "attempts_left": listed.get("attempts_left"),
            "max_answer": MAX_PREVIEW, "attempt_key": secrets.token_urlsafe(16)})

    @pages.post("/assignments/{assignment}/preview")
    @page
    def preview_part(request, user, context, form, assignment: str):
        shown = preview(service, user, assignment, str(form.get("problem") or ""), str(form.get("part") or ""),
                        str(form.get("answer") or ""))
        return HTMLResponse(env.get_template("preview.html").render(**shown), headers=HEADERS)

    @pages.post("/assignments/{assignment}/submit")
    @page
    def submit(request, user, context, form, assignment: str):
        view = service.assignment(user, assignment)
        answers: dict[str, dict[str, str | list[str]]] = {}
        for i, problem in enumerate(view["problems"]):
            name = problem["id"].removeprefix(f"{assignment}/")
            several = _select_all(service, problem["id"])
            for j, part in enumerate(problem["parts"]):
                values = [v for v in form.getlist(f"answer-{i}-{j}") if isinstance(v, str) and v.strip()]
                if values:
                    answers.setdefault(name, {})[part["id"]] = values if part["id"] in several else values[0]
        key = form.get("attempt_key")
        response = service.submit(user, assignment, answers, str(key)[:100] if key else None)
        return RedirectResponse(f"/submissions/{response['submission_id']}", 303, headers=HEADERS)

    @pages.get("/submissions/{submission_id}")
    @page
    def report(request, user, context, submission_id: int):
        found = next((s for s in service.submissions(user) if s["submission_id"] == submission_id), None)
        if found is None:
            raise NotFound(f"no submission {submission_id} of yours")
        return render(request, "report.html", {**context, "title": f"Report: {found.get('assignment')}",
                                               "report": found, "submission_id": submission_id,
                                               "received_at": found.get("received_at"),
                                               "late": found.get("late")})

    @pages.get("/history")
    @page
    def history(request, user, context):
        rows = [{**s, "score": (s.get("late") or {}).get("score", s.get("score")),
                 "late": (s.get("late") or {}).get("days")} for s in reversed(service.submissions(user))]
        return render(request, "history.html", {**context, "title": "Your submissions", "submissions": rows})

    # TAs and instructors

    def staff_context(user, context, assignment: str | None = None) -> dict:
        return {**context, "assignment": assignment, "can_export": user.role == "instructor"}

    @pages.get("/staff")
    @page
    def staff_home(request, user, context):
        if not user.staff:
            raise Forbidden("these pages are for a ta or an instructor")
        return render(request, "staff.html", {**staff_context(user, context), "title": "Class",
                                              "assignments": service.assignments(user)})

    @pages.get("/staff/{assignment}")
    @page
    def class_table(request, user, context, assignment: str):
        policy = "best" if request.query_params.get("policy") == "best" else "latest"
        rows = [{**row, "late": bool(row.get("late_days")), "attempts": row.get("submissions")}
                for row in service.results(user, assignment, policy) if row.get("submission_id")]
        return render(request, "staff_class.html", {**staff_context(user, context, assignment),
                                                    "title": f"{assignment}: class", "rows": rows, "policy": policy})

    @pages.get("/staff/{assignment}/items")
    @page
    def items(request, user, context, assignment: str):
        students, rows = staff.item_analysis(service, user, assignment)
        return render(request, "staff_items.html", {**staff_context(user, context, assignment),
                                                    "title": f"{assignment}: item analysis", "students": students,
                                                    "rows": rows})

    def queue_page(request, user, context, assignment: str, notice: str | None = None, status: int = 200):
        queued = staff.grading_queue(service, user, assignment)
        prompts = [authored(item.prompt, names_of(service.bank.problem(item.problem).model, item.part))
                   for item in queued]
        return render(request, "staff_queue.html", {
            **staff_context(user, context, assignment), "title": f"{assignment}: grading queue",
            "items": list(zip(queued, prompts)),
            "waiting": sum(item.score is None for item in queued), "notice": notice}, status)

    @pages.get("/staff/{assignment}/queue")
    @page
    def queue(request, user, context, assignment: str):
        return queue_page(request, user, context, assignment)

    @pages.post("/staff/{assignment}/queue")
    @page
    def save_score(request, user, context, form, assignment: str):
        try:
            points = points_of(str(form.get("points") or ""))
        except ManualScoreError:
            return queue_page(request, user, context, assignment, "Points must be a number.", 400)
        try:
            given = staff.score(service, user, assignment, str(form.get("student") or ""),
                                str(form.get("problem") or ""), str(form.get("part") or ""), points,
                                str(form.get("comment") or ""), str(form.get("seen") or "") or None)
        except ManualScoreError as error:
            return queue_page(request, user, context, assignment, f"Not saved: {error.first_line()}", 400)
        return queue_page(request, user, context, assignment,
                          f"Saved: {given.student}, {given.problem}/{given.part} scored {given.points:g}.")

    @pages.get("/staff/{assignment}/export.csv")
    @page
    def export(request, user, context, assignment: str):
        lms = "canvas" if request.query_params.get("lms") == "canvas" else "plain"
        text = service.export(user, assignment, lms)
        name = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "_" for c in assignment)   # latin-1
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}-{lms}.csv"'})

    return pages


def _cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        path="/")
