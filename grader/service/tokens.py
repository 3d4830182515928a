"""Bearer tokens: random, kept only as SHA-256 hashes, compared in constant time, revocable.

A token is 32 random bytes (`secrets`), so a hash without salt or stretching is enough: there is
no dictionary to try. The clear text exists once, in the output of `grade tokens issue`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

ROLES = ("student", "ta", "instructor")
MAX_TOKEN = 200   # characters; a real token has 49
PREFIX = "grade_"   # recognisable in a leaked paste (and never a leading "-" a spreadsheet would take for a formula)


@dataclass(frozen=True)
class User:
    """Who a request is from: the roster id, and what they may do."""

    id: str
    role: str

    @property
    def staff(self) -> bool:
        return self.role in ("ta", "instructor")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


def issue(store, students: list[str], role: str, now: str) -> dict[str, str]:
    """A fresh token for each student (their earlier ones are revoked): student -> token, in order."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    issued = {student: PREFIX + secrets.token_urlsafe(32) for student in students}
    store.add_tokens([(student, role, digest(token)) for student, token in issued.items()], now)
    return issued


def verify(store, token: str | None) -> User | None:
    """The user a live token belongs to, else None (unknown, revoked, or not a token at all)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    wanted = digest(token)
    found = store.token(wanted)
    if found is None or not hmac.compare_digest(found[0], wanted):
        return None
    return User(found[1], found[2])
