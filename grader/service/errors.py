"""What a request can be refused for: one GradeError subclass per HTTP status, so the app maps
an error to its status in one place and the CLI (`grade tokens`) still exits 2 with one line."""

from __future__ import annotations

from ..errors import GradeError


class ServiceError(GradeError):
    """A refused request; `status` is its HTTP status code."""

    status = 400


class BadRequest(ServiceError):
    """Unusable input, with where and why."""


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    """Attempts used up, or the assignment is not open or closed."""

    status = 409


class TooLarge(ServiceError):
    status = 413


class RateLimited(ServiceError):
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
