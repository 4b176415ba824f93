"""Repositories of the API gateway's tables (sessions, refresh tokens, API keys, audit log,
secrets) and the few queries the gateway needs over the core tables (users, project usage).

Same rules as `quantumlayer.store.repositories`: keyword-only, the Session passed in, never
commit. The security decisions that need atomicity are single statements here: spending a
refresh token is one conditional UPDATE, so of many concurrent attempts exactly one wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from quantumlayer.errors import NotFound, UserError
from quantumlayer.store.auth_models import (
    ApiKey,
    AuditEvent,
    AuthSession,
    RefreshToken,
    SecretRecord,
)
from quantumlayer.store.models import AgentInteraction, User, utcnow
from quantumlayer.store.repositories import _aware, _fields, _page, _refresh, _write

# --- users -------------------------------------------------------------------------------------

_USER_UPDATABLE = frozenset({"email", "role", "is_active", "password_hash"})


def update_user(session: Session, *, user_id: str, **fields: Any) -> User:
    """Set some of: email, role, is_active, password_hash. NotFound if there is no such user."""
    values = _fields(fields, _USER_UPDATABLE, "user")
    values["updated_at"] = utcnow()
    if _write(session, update(User).where(User.id == user_id).values(**values)) == 0:
        raise NotFound(f"user {user_id!r} not found")
    return _refresh(session, User, user_id)


def delete_user(session: Session, *, user_id: str) -> None:
    """Delete a user with their sessions, API keys and secrets (their projects stay, ownerless)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id!r} not found")
    session.delete(user)
    session.flush()


def count_users(
    session: Session, *, role: str | None = None, active: bool | None = None
) -> int:
    """How many users (of one role, active or not, if given)."""
    stmt = select(func.count()).select_from(User)
    if role is not None:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    return session.scalar(stmt) or 0


# --- login sessions and refresh tokens ----------------------------------------------------------


def create_auth_session(
    session: Session, *, id: str, user_id: str, expires_at: datetime, client_ip: str | None
) -> AuthSession:
    """Record a login; every refresh token of it expires by `expires_at`."""
    row = AuthSession(
        id=id, user_id=user_id, created_at=utcnow(), expires_at=_aware(expires_at, "expires_at"),
        client_ip=client_ip,
    )
    session.add(row)
    session.flush()
    return row


def get_auth_session(session: Session, *, session_id: str) -> AuthSession | None:
    return session.get(AuthSession, session_id)


def revoke_auth_session(
    session: Session, *, session_id: str, reason: str, now: datetime | None = None
) -> bool:
    """End a login and every token of it; False if it was already ended (or never existed)."""
    stmt = (
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow(), revoked_reason=reason[:64])
    )
    return _write(session, stmt) > 0


def revoke_user_sessions(session: Session, *, user_id: str, reason: str) -> int:
    """End every live login of a user (deactivation, password or role change); how many."""
    stmt = (
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason[:64])
    )
    return _write(session, stmt)


def create_refresh_token(
    session: Session, *, id: str, session_id: str, issued_at: datetime, expires_at: datetime
) -> None:
    session.add(
        RefreshToken(
            id=id, session_id=session_id, issued_at=_aware(issued_at, "issued_at"),
            expires_at=_aware(expires_at, "expires_at"),
        )
    )
    session.flush()


def get_refresh_token(session: Session, *, token_id: str) -> RefreshToken | None:
    return session.get(RefreshToken, token_id, populate_existing=True)


def spend_refresh_token(session: Session, *, token_id: str, now: datetime | None = None) -> bool:
    """Mark a refresh token used, if nobody has: True for exactly one of any number of
    concurrent callers (one conditional UPDATE; PostgreSQL re-checks the condition after the
    row lock, SQLite has one writer)."""
    stmt = (
        update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))
        .values(used_at=now or utcnow())
    )
    return _write(session, stmt) == 1


class UserSession(NamedTuple):
    user: User
    auth_session: AuthSession


def get_user_with_session(
    session: Session, *, user_id: str, session_id: str
) -> UserSession | None:
    """A user and one of their logins, in one query (the check behind every access token)."""
    stmt = (
        select(User, AuthSession)
        .join(AuthSession, and_(AuthSession.user_id == User.id, AuthSession.id == session_id))
        .where(User.id == user_id)
    )
    row = session.execute(stmt).first()
    return UserSession(row[0], row[1]) if row else None


# --- API keys ----------------------------------------------------------------------------------


def create_api_key(
    session: Session,
    *,
    id: str,
    owner_id: str,
    name: str,
    prefix: str,
    key_digest: str,
    permissions: list[str],
    expires_at: datetime | None = None,
) -> ApiKey:
    row = ApiKey(
        id=id, owner_id=owner_id, name=name, prefix=prefix, key_digest=key_digest,
        permissions=sorted(permissions), created_at=utcnow(),
        expires_at=_aware(expires_at, "expires_at"),
    )
    session.add(row)
    session.flush()
    return row


class KeyOwner(NamedTuple):
    key: ApiKey
    owner: User


def get_api_key_by_prefix(session: Session, *, prefix: str) -> KeyOwner | None:
    """An API key and its owner, found by the key's public prefix."""
    stmt = select(ApiKey, User).join(User, User.id == ApiKey.owner_id).where(
        ApiKey.prefix == prefix
    )
    row = session.execute(stmt).first()
    return KeyOwner(row[0], row[1]) if row else None


def list_api_keys(
    session: Session, *, owner_id: str | None = None, limit: int = 50, offset: int = 0
) -> list[ApiKey]:
    """API keys (of one owner, if given), newest first."""
    limit, offset = _page(limit, offset)
    stmt = select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id)
    if owner_id is not None:
        stmt = stmt.where(ApiKey.owner_id == owner_id)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def count_api_keys(session: Session, *, owner_id: str | None = None) -> int:
    stmt = select(func.count()).select_from(ApiKey)
    if owner_id is not None:
        stmt = stmt.where(ApiKey.owner_id == owner_id)
    return session.scalar(stmt) or 0


def get_api_key(session: Session, *, key_id: str) -> ApiKey | None:
    return session.get(ApiKey, key_id)


def revoke_api_key(session: Session, *, key_id: str) -> ApiKey:
    """Revoke a key (idempotent); NotFound if there is no such key."""
    stmt = (
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    _write(session, stmt)
    key = session.get(ApiKey, key_id, populate_existing=True)
    if key is None:
        raise NotFound(f"API key {key_id!r} not found")
    return key


def touch_api_key(session: Session, *, key_id: str, now: datetime) -> None:
    """Record that a key was used (callers do it at most once a minute per key)."""
    _write(session, update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))


# --- audit log ---------------------------------------------------------------------------------


def record_audit(
    session: Session,
    *,
    action: str,
    outcome: str = "success",
    actor_id: str | None = None,
    actor_type: str = "user",
    target_type: str | None = None,
    target_id: str | None = None,
    client_ip: str | None = None,
    request_id: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Append one event to the audit log."""
    session.add(
        AuditEvent(
            created_at=utcnow(), action=action[:64], outcome=outcome[:16],
            actor_id=actor_id, actor_type=actor_type[:16],
            target_type=target_type, target_id=None if target_id is None else target_id[:255],
            client_ip=client_ip, request_id=None if request_id is None else request_id[:128],
            details=dict(details) if details else None,
        )
    )
    session.flush()


def list_audit(
    session: Session,
    *,
    limit: int = 50,
    offset: int = 0,
    action: str | None = None,
    actor_id: str | None = None,
) -> list[AuditEvent]:
    """Audit events, newest first, optionally of one action or actor."""
    limit, offset = _page(limit, offset)
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def count_audit(
    session: Session, *, action: str | None = None, actor_id: str | None = None
) -> int:
    stmt = select(func.count()).select_from(AuditEvent)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    return session.scalar(stmt) or 0


# --- secrets -----------------------------------------------------------------------------------


def create_secret(session: Session, **values: Any) -> SecretRecord:
    """Insert a secret row (values as prepared by quantumlayer.security.secret_store);
    UserError if the owner already has a secret of that name."""
    exists = session.scalar(
        select(func.count()).select_from(SecretRecord).where(
            SecretRecord.owner_id.is_(None) if values.get("owner_id") is None
            else SecretRecord.owner_id == values["owner_id"],
            SecretRecord.name == values["name"],
        )
    )
    if exists:
        raise UserError(f"a secret named {values['name']!r} already exists")
    now = utcnow()
    row = SecretRecord(created_at=now, updated_at=now, **values)
    session.add(row)
    session.flush()
    return row


def get_secret(session: Session, *, secret_id: str) -> SecretRecord | None:
    return session.get(SecretRecord, secret_id)


def list_secrets(
    session: Session, *, owner_id: str | None = None, limit: int = 50, offset: int = 0
) -> list[SecretRecord]:
    limit, offset = _page(limit, offset)
    stmt = select(SecretRecord).order_by(SecretRecord.name, SecretRecord.id)
    if owner_id is not None:
        stmt = stmt.where(SecretRecord.owner_id == owner_id)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def count_secrets(session: Session, *, owner_id: str | None = None) -> int:
    stmt = select(func.count()).select_from(SecretRecord)
    if owner_id is not None:
        stmt = stmt.where(SecretRecord.owner_id == owner_id)
    return session.scalar(stmt) or 0


def secrets_not_under_key(session: Session, *, key_id: str, limit: int = 500) -> list[SecretRecord]:
    """Database-backed secrets sealed with another key than `key_id` (to re-encrypt)."""
    stmt = (
        select(SecretRecord)
        .where(SecretRecord.backend == "database", SecretRecord.key_id != key_id)
        .order_by(SecretRecord.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def update_secret_ciphertext(
    session: Session, *, secret_id: str, key_id: str, nonce: bytes, ciphertext: bytes
) -> None:
    stmt = (
        update(SecretRecord)
        .where(SecretRecord.id == secret_id)
        .values(key_id=key_id, nonce=nonce, ciphertext=ciphertext, updated_at=utcnow())
    )
    if _write(session, stmt) == 0:
        raise NotFound(f"secret {secret_id!r} not found")


def delete_secret(session: Session, *, secret_id: str) -> None:
    row = session.get(SecretRecord, secret_id)
    if row is None:
        raise NotFound(f"secret {secret_id!r} not found")
    session.delete(row)
    session.flush()


# --- project usage -----------------------------------------------------------------------------


class Usage(NamedTuple):
    cost_usd: float
    tokens_in: int
    tokens_out: int


def project_usage(session: Session, *, project_id: str) -> Usage:
    """What a project's agents have cost so far (LLM tokens and dollars)."""
    stmt = select(
        func.coalesce(func.sum(AgentInteraction.cost_usd), 0.0),
        func.coalesce(func.sum(AgentInteraction.tokens_in), 0),
        func.coalesce(func.sum(AgentInteraction.tokens_out), 0),
    ).where(AgentInteraction.project_id == project_id)
    cost, tin, tout = session.execute(stmt).one()
    return Usage(round(float(cost), 6), int(tin), int(tout))
