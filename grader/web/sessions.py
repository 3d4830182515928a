"""Browser sessions: after signing in with a token, the browser holds only a random session id (an
HttpOnly, SameSite=Strict cookie); the token stays on the server, and every request checks it again,
so a revoked token ends its sessions at once. Each session has its own CSRF token for forms.

Sessions live in this process (see README: several instances need sticky sessions); there are at
most MAX_SESSIONS, the oldest dropped first, each for LIFETIME seconds, and at most PER_TOKEN of one
token (its oldest dropped first), so one person signing in over and over cannot push everyone else's
sessions out.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

COOKIE = "grade_session"
SIGNIN_COOKIE = "grade_signin"   # the CSRF token of the sign-in form (double submit: no session yet)
MAX_SESSIONS = 10_000
LIFETIME = 12 * 3600.0
PER_TOKEN = 20   # browsers and devices of one person


@dataclass(frozen=True)
class Session:
    id: str
    token: str
    csrf: str
    expires: float


class Sessions:
    def __init__(self, limit: int = MAX_SESSIONS, lifetime: float = LIFETIME,
                 clock: Callable[[], float] = time.monotonic, per_token: int = PER_TOKEN):
        self.limit, self.lifetime, self.clock, self.per_token = limit, lifetime, clock, per_token
        self.items: OrderedDict[str, Session] = OrderedDict()
        self.lock = threading.Lock()

    def open(self, token: str) -> Session:
        session = Session(secrets.token_urlsafe(32), token, secrets.token_urlsafe(32), self.clock() + self.lifetime)
        with self.lock:
            mine = [key for key, held in self.items.items() if held.token == token]   # oldest first
            for key in mine[:len(mine) + 1 - self.per_token]:
                del self.items[key]
            self.items[session.id] = session
            while len(self.items) > self.limit:
                self.items.popitem(last=False)
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self.lock:
            session = self.items.get(session_id)
            if session is not None and session.expires < self.clock():
                del self.items[session_id]
                return None
            return session

    def close(self, session_id: str | None) -> None:
        with self.lock:
            self.items.pop(session_id, None)


def same(given: str | None, expected: str | None) -> bool:
    """A CSRF token check in constant time; a missing token never matches."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given).encode(), str(expected).encode())
