"""The student's side of `grade serve`: a stored login and the few calls the CLI makes over HTTP.

The answer key stays on the server, so a logged-in `grade submit`, `template`
and `show` ask it instead of reading `problems/`. Every failure (no server, a
refused token, a closed assignment) is a `ServerError`: one line, exit 2.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .errors import GradeError
from .report import Report

TOKEN_ENV = "GRADE_TOKEN"
TIMEOUT = 60.0          # seconds for a reply: a submission is graded before the server answers
CONNECT_TIMEOUT = 5.0   # seconds to reach the server at all
MAX_REPLY = 32 * 1024 * 1024   # bytes of a reply read at most: a long history is a few MB, a wrong server may send GBs


class ServerError(GradeError):
    """The server could not be reached, or refused the request; the message says which and why."""


@dataclass(frozen=True)
class Login:
    """A server and the token to use there, as `grade login` stored them."""

    url: str
    token: str


def _login_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("grade", appauthor=False)) / "login.json"


def stored_login() -> Login | None:
    """The login `grade login` saved, or None (never logged in, or the file is unreadable)."""
    try:
        data = json.loads(_login_file().read_text(encoding="utf-8"))
        return Login(str(data["url"]), str(data["token"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_login(login: Login) -> Path:
    """Write the login readable by its owner only: the token is as good as a password."""
    path = _login_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"url": login.url, "token": login.token}, out)
        os.chmod(path, 0o600)  # an older file keeps its mode through O_CREAT
    except OSError as error:
        raise ServerError(f"cannot save the login in {path}: {error.strerror or error}") from None
    return path


def forget_login() -> bool:
    """Remove the stored login; False when there was none."""
    try:
        _login_file().unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise ServerError(f"cannot remove the login: {error.strerror or error}") from None
    return True


def _base(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ServerError(f"server address {url!r} must start with http:// or https://")
    return url


def connect(server: str | None, token: str | None) -> "Client | None":
    """The server this command talks to: `--server` (with `--token`, or the stored token for that
    server), else the stored login; None means grade locally, as without a service."""
    login = stored_login()
    if server is None:
        if login is None:
            return None
        return Client(login.url, token or login.token)
    url = _base(server)
    if token is None and login is not None and _base(login.url) == url:
        token = login.token
    if not token:
        raise ServerError(f"no token for {url}: run `grade login {url} --token TOKEN` or pass --token")
    return Client(url, token)


class Client:
    """Calls to one server with one token; replies are checked here, so callers get data or a ServerError."""

    def __init__(self, url: str, token: str):
        self.url, self._token = _base(url), token

    def _call(self, method: str, path: str, headers: dict | None = None, expect: type = dict, **kwargs):
        """The reply's JSON, which must be an `expect` (a grade server's reply to this call)."""
        import httpx

        headers = {"Authorization": f"Bearer {self._token}", **(headers or {})}
        try:
            with httpx.stream(method, self.url + path, headers=headers,
                              timeout=httpx.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT), **kwargs) as reply:
                body = _capped(self.url, reply)
        except httpx.TimeoutException:
            raise ServerError(f"the server at {self.url} did not answer in time") from None
        except httpx.HTTPError as error:
            raise ServerError(f"cannot reach the server at {self.url}: {_reason(error)}") from None
        if reply.status_code >= 400:
            raise ServerError(_refusal(self.url, reply, body))
        if reply.status_code >= 300:   # a token is not sent on to wherever a redirect points
            raise ServerError(f"the server at {self.url} redirected the request (HTTP {reply.status_code}) "
                              f"to {reply.headers.get('Location', '?')[:200]}: log in with that address")
        try:
            data = json.loads(body)
        except ValueError:
            raise ServerError(f"the server at {self.url} sent a reply that is not JSON "
                              f"(HTTP {reply.status_code})") from None
        if not isinstance(data, expect):
            raise ServerError(f"the server at {self.url} sent a reply this grade cannot read")
        return data

    def assignments(self) -> list[dict]:
        """The student's assignments; `grade login` calls it to check the token before saving it."""
        return self._rows("/api/v1/assignments")

    def submit(self, path: Path, idempotency_key: str) -> tuple[Report, dict]:
        """Send an answers file; the report, and the whole reply (its receipt: submission id, time
        received, lateness, attempts left).
        The key makes a resend after a lost reply count once."""
        from .loader import MAX_ANSWER_FILE

        try:
            size = path.stat().st_size
            if size > MAX_ANSWER_FILE:
                raise ServerError(f"{path}: file is too large ({size} bytes; the limit is {MAX_ANSWER_FILE})")
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ServerError(f"{path}: cannot read the answers file: {getattr(error, 'strerror', None) or error}") \
                from None
        reply = self._call("POST", "/api/v1/submissions", json={"toml": text},
                           headers={"Idempotency-Key": idempotency_key})
        return _report(self.url, reply), reply

    def template(self, assignment: str) -> str:
        return self._text(f"/api/v1/assignments/{quote(assignment, safe='')}/template", "template")

    def show(self, problem: str) -> str:
        return self._text(f"/api/v1/problems/{quote(problem, safe='')}", "text")

    def _text(self, path: str, field: str) -> str:
        text = self._call("GET", path).get(field)
        if not isinstance(text, str):
            raise ServerError(f"the server at {self.url} sent a reply this grade cannot read")
        return text

    def history(self) -> list[dict]:
        return self._rows("/api/v1/submissions")

    def _rows(self, path: str) -> list[dict]:
        rows = self._call("GET", path, expect=list)
        if not all(isinstance(row, dict) for row in rows):
            raise ServerError(f"the server at {self.url} sent a reply this grade cannot read")
        return rows


def _report(url: str, reply: dict) -> Report:
    try:
        return Report.from_dict(reply)
    except (KeyError, TypeError, ValueError):
        raise ServerError(f"the server at {url} sent a report this grade cannot read") from None


def _capped(url: str, reply) -> bytes:
    """The reply's body, refused once it passes MAX_REPLY bytes (read no further)."""
    chunks, size = [], 0
    for chunk in reply.iter_bytes():
        size += len(chunk)
        if size > MAX_REPLY:
            raise ServerError(f"the server at {url} sent a reply too large to read (over {MAX_REPLY} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(error) -> str:
    """Why a connection failed, in a few words (httpx wraps the socket error)."""
    cause = error.__cause__ or error.__context__
    text = str(getattr(cause, "strerror", None) or cause or error) or type(error).__name__
    return text.splitlines()[0]


def _refusal(url: str, reply, body: bytes) -> str:
    """The server's `{"error": ...}` as one line, with the status and, when rate limited, the wait."""
    try:
        message = str(json.loads(body).get("error") or "")
    except (ValueError, AttributeError):
        message = ""
    message = message or reply.reason_phrase or "refused"
    wait = reply.headers.get("Retry-After")
    extra = f"; retry after {wait} s" if reply.status_code == 429 and wait else ""
    return f"the server at {url} refused the request (HTTP {reply.status_code}): {message}{extra}"
