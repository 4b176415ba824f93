"""The audit trail of security-relevant actions (logins, keys, roles, deployments ...)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from quantumlayer.api.deps import Principal, client_ip, request_id
from quantumlayer.api.state import ApiState
from quantumlayer.security.pii import redact
from quantumlayer.store import auth_repositories as auth_repo


def _clean(details: dict[str, Any] | None) -> dict[str, Any] | None:
    if not details:
        return None
    return {k: redact(v) if isinstance(v, str) else v for k, v in details.items()}


def record(
    session: Session,
    request: Request | None,
    principal: Principal | None,
    action: str,
    *,
    outcome: str = "success",
    target_type: str | None = None,
    target_id: str | None = None,
    details: dict[str, Any] | None = None,
    actor_id: str | None = None,
    actor_type: str | None = None,
) -> None:
    """Append an event in the caller's transaction (it commits with the action itself)."""
    auth_repo.record_audit(
        session, action=action, outcome=outcome,
        actor_id=actor_id or (principal.user_id if principal else None),
        actor_type=actor_type or (principal.kind if principal else "anonymous"),
        target_type=target_type, target_id=target_id,
        client_ip=client_ip(request) if request else None,
        request_id=request_id(request) if request else None,
        details=_clean(details),
    )


def record_now(state: ApiState, request: Request | None, principal: Principal | None,
               action: str, **kwargs: Any) -> None:
    """Append an event in a transaction of its own (for refusals: the request's rolls back)."""
    with state.sessions.begin() as session:
        record(session, request, principal, action, **kwargs)
