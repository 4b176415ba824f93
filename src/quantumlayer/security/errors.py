"""Errors of authentication, authorisation and throttling, in the one QuantumLayer hierarchy.

They subclass `quantumlayer.errors.QuantumLayerError`, so the API maps them to problem responses
in the same single place as every other error (status and code come from the class).
"""

from __future__ import annotations

from quantumlayer.errors import QuantumLayerError, UserError


class AuthenticationFailed(QuantumLayerError):
    """No valid credentials: a missing, expired, forged or revoked token or key (HTTP 401)."""

    exit_code = 2
    http_status = 401
    code = "unauthenticated"


class PermissionDenied(QuantumLayerError):
    """Valid credentials, but not allowed to do this, or not from this network (HTTP 403)."""

    exit_code = 2
    http_status = 403
    code = "forbidden"


class Conflict(UserError):
    """The request clashes with the current state: a name taken, a project not running (409)."""

    http_status = 409
    code = "conflict"


class PayloadTooLarge(UserError):
    """The request body is larger than the API accepts (HTTP 413)."""

    http_status = 413
    code = "payload_too_large"


class RateLimited(QuantumLayerError):
    """Too many requests for the limit that applies (HTTP 429); retry after `retry_after` s."""

    exit_code = 4
    http_status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))
        self.headers = dict(headers or {})
