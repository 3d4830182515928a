"""The HTTP skin over `Service`: routes, bearer auth, JSON errors, body cap, rate limit, access log.

Endpoints are plain functions: FastAPI runs them on its thread pool, so a grading that waits for
a worker or a slow read never blocks the event loop. They return JSONResponse themselves: FastAPI's
encoder would walk every value of a report again. Errors are `{"error": "..."}` with the
contract's status codes; FastAPI's own 422 for a malformed body is a 400 here.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any, Callable

import anyio
from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException

from ..errors import GradeError
from .core import Service
from .errors import BadRequest, RateLimited, ServiceError, Unauthorized
from .tokens import User

MAX_BODY = 256 * 1024   # bytes of a request body; a dl-hw1 answers file is about 2 kB
MAX_KEY = 200           # characters of an Idempotency-Key
RATE = 20.0             # requests per second per token, sustained
BURST = 100             # requests per token at once
SUBMITTING = 500        # submissions waiting for their grading at once (each holds a thread, not a CPU)

access_log = logging.getLogger("grader.access")


class ValidateIn(BaseModel):
    assignment: str = Field(max_length=200)
    problem: str = Field(max_length=400)
    part: str = Field(max_length=200)
    answer: Any = None

    @field_validator("answer")
    @classmethod
    def _text(cls, answer):
        """JSON can escape half a surrogate pair; text cannot hold one (the reply echoing it could not be sent)."""
        try:
            json.dumps(answer, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("not valid text: it holds half a surrogate pair") from None
        return answer


class SubmissionIn(BaseModel):
    """`answers` (problem -> part -> answer) with `assignment`, or `toml`: an answers file's text."""

    assignment: str | None = Field(None, max_length=200)
    answers: dict[str, Any] | None = None
    toml: str | None = None


class RateLimiter:
    """A token bucket per user: `rate` requests a second, `burst` at once. Per instance (see README)."""

    def __init__(self, rate: float = RATE, burst: int = BURST, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def take(self, who: str) -> None:
        with self.lock:
            now = self.clock()
            level, then = self.buckets.get(who, (float(self.burst), now))
            level = min(float(self.burst), level + (now - then) * self.rate)
            if level < 1.0:
                self.buckets[who] = (level, now)
                raise RateLimited("too many requests; slow down", math.ceil((1.0 - level) / self.rate))
            self.buckets[who] = (level - 1.0, now)


class _BodyCap:
    """Refuse a request body over `limit` bytes (413), by its Content-Length or as it streams in."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _send_json(send, 413, {"error": f"request body too large (the limit is {self.limit} bytes)"})
        seen = 0

        async def capped():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, f"request body too large (the limit is {self.limit} bytes)")
            return message

        await self.app(scope, capped, send)


class _AccessLog:
    """One JSON line per request: time, method, route, status, duration, student. The route is the
    template (`/api/v1/students/{s}/...`), never the query, a header or a body: no token, no answer."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start, status = time.perf_counter(), [500]

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            user = scope.get("state", {}).get("user")
            access_log.info(json.dumps({
                "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                "method": scope["method"], "route": getattr(route, "path", "(unmatched)"), "status": status[0],
                "ms": round((time.perf_counter() - start) * 1000, 1), "student": user.id if user else None}))


async def _send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


def create_app(service: Service, *, max_body: int = MAX_BODY, limiter: RateLimiter | None = None,
               close_service: bool = True) -> FastAPI:
    """The ASGI app over `service`; on shutdown it finishes gradings in flight and closes the store
    (`close_service=False`: the caller closes it)."""
    limiter = limiter or RateLimiter()
    waiting = anyio.CapacityLimiter(SUBMITTING)

    @asynccontextmanager
    async def lifespan(app):
        yield
        if close_service:
            service.close()

    app = FastAPI(title="grade", summary="The grading service: students submit, the answer key stays here.",
                  openapi_url="/api/v1/openapi.json", docs_url="/api/v1/docs", redoc_url=None, lifespan=lifespan)
    app.state.service = service

    @app.exception_handler(ServiceError)
    async def refused(request: Request, error: ServiceError):
        headers = {}
        if isinstance(error, RateLimited):
            headers["Retry-After"] = str(error.retry_after)
        if isinstance(error, Unauthorized):
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse({"error": error.first_line()}, error.status, headers=headers)

    @app.exception_handler(GradeError)
    async def unusable(request: Request, error: GradeError):
        return JSONResponse({"error": error.first_line()}, 400)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: RequestValidationError):
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "malformed request"}
        where = ".".join(str(x) for x in first["loc"] if x != "body")
        return JSONResponse({"error": f"{where}: {first['msg']}" if where else first["msg"]}, 400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        return JSONResponse({"error": str(error.detail)}, error.status_code, headers=error.headers)

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception):
        logging.getLogger("grader").error("internal error: %s: %s", type(error).__name__, error)
        return JSONResponse({"error": "internal error"}, 500)

    def caller(request: Request, authorization: str | None = Header(None)) -> User:
        """The user of the bearer token, rate-limited; 401 without a live token."""
        scheme, _, token = (authorization or "").partition(" ")
        user = service.user(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise Unauthorized("a valid token is needed: Authorization: Bearer TOKEN")
        request.state.user = user
        limiter.take(user.id)
        return user

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/api/v1/assignments")
    def assignments(user: User = Depends(caller)):
        return JSONResponse(service.assignments(user))

    @app.get("/api/v1/assignments/{assignment}")
    def assignment(assignment: str, user: User = Depends(caller)):
        return JSONResponse(service.assignment(user, assignment))

    @app.get("/api/v1/assignments/{assignment}/template")
    def template(assignment: str, user: User = Depends(caller)):
        return JSONResponse({"template": service.template(user, assignment)})

    @app.get("/api/v1/problems/{problem:path}")
    def problem(problem: str, user: User = Depends(caller)):
        return JSONResponse(service.problem(user, problem))

    @app.post("/api/v1/validate")
    def validate(body: ValidateIn, user: User = Depends(caller)):
        return JSONResponse(service.validate(user, body.assignment, body.problem, body.part, body.answer))

    @app.post("/api/v1/submissions")
    async def submit(body: SubmissionIn, user: User = Depends(caller),
                     idempotency_key: str | None = Header(None, max_length=MAX_KEY)):
        if (body.answers is None) == (body.toml is None):
            raise BadRequest("send either 'answers' (with 'assignment') or 'toml' (an answers file's text)")
        answers = body.answers if body.answers is not None else body.toml
        # its own threads: a submission waits for a worker, and must not hold a thread validation needs
        return JSONResponse(await anyio.to_thread.run_sync(service.submit, user, body.assignment, answers,
                                                           idempotency_key, limiter=waiting))

    @app.get("/api/v1/submissions")
    def submissions(user: User = Depends(caller)):
        return JSONResponse(service.submissions(user))

    @app.get("/api/v1/results")
    def results(assignment: str, policy: str = "latest", user: User = Depends(caller)):
        return JSONResponse(service.results(user, assignment, policy))

    @app.get("/api/v1/export")
    def export(assignment: str | None = None, lms: str = "plain", policy: str = "latest",
               user: User = Depends(caller)):
        return PlainTextResponse(service.export(user, assignment, lms, policy), media_type="text/csv")

    @app.get("/api/v1/students/{student}/assignments/{assignment}")
    def variant(student: str, assignment: str, user: User = Depends(caller)):
        return JSONResponse(service.variant(user, student, assignment))

    from ..web.pages import mount   # the web pages for students and TAs (grader/web)

    # the last added runs first: the access log sees every request, the pages' security headers go on
    # every response (a 413 of the body cap too)
    app.add_middleware(_BodyCap, limit=max_body)
    mount(app, service, limiter)
    app.add_middleware(_AccessLog)
    return app
