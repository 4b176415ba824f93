"""Logins, refresh-token rotation with reuse detection, logout.

A login opens a session (a refresh-token family) that lives `refresh_token_ttl_s` from the login,
however often it rotates. Each refresh spends the presented token (one conditional UPDATE: of
concurrent refreshes exactly one wins) and issues a new pair. Presenting a spent token again is
taken as theft (RFC 9700 4.14.2): the whole family is revoked, access tokens included.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from quantumlayer.api.deps import Principal, client_ip
from quantumlayer.api.schemas.auth import TokenPair
from quantumlayer.api.services import audit
from quantumlayer.api.state import ApiState
from quantumlayer.errors import UserError
from quantumlayer.security.errors import AuthenticationFailed, RateLimited
from quantumlayer.security.passwords import hash_password, needs_rehash, verify_password
from quantumlayer.security.tokens import TokenUse
from quantumlayer.store import auth_repositories as auth_repo
from quantumlayer.store import repositories as repo

INVALID_LOGIN = "invalid username or password"


def _dt(ts: int | float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def issue_pair(
    state: ApiState, session: Session, *, user_id: str, session_id: str, session_expires: int,
    now: int,
) -> TokenPair:
    """A new access token and a new refresh token (recorded) of a login."""
    settings = state.settings
    access = state.codec.encode(
        subject=user_id, use=TokenUse.ACCESS, session_id=session_id,
        ttl_s=settings.access_token_ttl_s, now=now,
    )
    refresh = state.codec.encode(
        subject=user_id, use=TokenUse.REFRESH, session_id=session_id,
        ttl_s=settings.refresh_token_ttl_s, now=now, expires_at=session_expires,
    )
    auth_repo.create_refresh_token(
        session, id=refresh.token_id, session_id=session_id, issued_at=_dt(now),
        expires_at=_dt(refresh.expires_at),
    )
    return TokenPair(
        access_token=access.token, refresh_token=refresh.token,
        expires_in=settings.access_token_ttl_s, refresh_expires_in=refresh.expires_at - now,
    )


def _check_and_open_session(
    state: ApiState, request: Request, username: str, password: str
) -> TokenPair | None:
    with state.sessions.begin() as session:
        user = repo.get_user_by_username(session, username=username)
        usable = user is not None and user.is_active
        # Unknown, inactive and wrong password all take one Argon2 verification.
        ok = verify_password(user.password_hash if usable and user else None, password)
        if not ok or user is None:
            audit.record(
                session, request, None, "auth.login", outcome="failure",
                actor_id=user.id if user else None, target_type="user",
                details={"username": username[:150]},
            )
            return None
        if user.password_hash and needs_rehash(user.password_hash):
            auth_repo.update_user(session, user_id=user.id, password_hash=hash_password(password))
        now = int(time.time())
        session_id = uuid.uuid4().hex
        expires = now + state.settings.refresh_token_ttl_s
        auth_repo.create_auth_session(
            session, id=session_id, user_id=user.id, expires_at=_dt(expires),
            client_ip=client_ip(request),
        )
        pair = issue_pair(
            state, session, user_id=user.id, session_id=session_id, session_expires=expires,
            now=now,
        )
        audit.record(
            session, request, None, "auth.login", actor_id=user.id, actor_type="user",
            target_type="session", target_id=session_id,
        )
        return pair


async def login(state: ApiState, request: Request, *, username: str, password: str) -> TokenPair:
    """Check a username and password; a token pair, or AuthenticationFailed (the same answer
    for an unknown user and a wrong password). Repeated failures for a username are throttled
    (429), and so are token requests per client address."""
    await state.limiter.check_auth(client_ip=client_ip(request) or "-", endpoint="token")
    wait = await state.limiter.login_blocked(username=username)
    if wait:
        await run_in_threadpool(
            audit.record_now, state, request, None, "auth.login", outcome="throttled",
            target_type="user", details={"username": username[:150]},
        )
        raise RateLimited("too many failed logins; try again later", retry_after=wait)
    pair = await run_in_threadpool(_check_and_open_session, state, request, username, password)
    if pair is None:
        await state.limiter.record_login_failure(username=username)
        raise AuthenticationFailed(INVALID_LOGIN)
    return pair


def _rotate(state: ApiState, request: Request, token: str, now: int) -> TokenPair:
    claims = state.codec.decode(token, use=TokenUse.REFRESH)
    failure = "invalid refresh token"
    with state.sessions.begin() as session:
        row = auth_repo.get_refresh_token(session, token_id=claims.token_id)
        login_row = (
            auth_repo.get_auth_session(session, session_id=row.session_id) if row else None
        )
        if row is None or login_row is None or row.session_id != claims.session_id:
            pass
        elif login_row.revoked_at is not None:
            failure = "the session has ended; log in again"
        elif login_row.expires_at <= _dt(now):
            failure = "the session has expired; log in again"
        elif not auth_repo.spend_refresh_token(session, token_id=row.id, now=_dt(now)):
            # A spent token presented again: someone else holds a copy. End the family.
            auth_repo.revoke_auth_session(
                session, session_id=login_row.id, reason="refresh_token_reuse", now=_dt(now)
            )
            audit.record(
                session, request, None, "auth.refresh_reuse", outcome="denied",
                actor_id=login_row.user_id, actor_type="user", target_type="session",
                target_id=login_row.id,
            )
            failure = "refresh token already used; the session has been revoked"
        else:
            user = repo.get_user(session, user_id=login_row.user_id)
            if user is not None and user.is_active:
                pair = issue_pair(
                    state, session, user_id=user.id, session_id=login_row.id,
                    session_expires=int(login_row.expires_at.timestamp()), now=now,
                )
                audit.record(
                    session, request, None, "auth.refresh", actor_id=user.id,
                    actor_type="user", target_type="session", target_id=login_row.id,
                )
                return pair
            failure = "the user is deactivated"
    raise AuthenticationFailed(failure)


async def refresh(state: ApiState, request: Request, *, token: str) -> TokenPair:
    """Rotate a refresh token: the presented one is spent, a new pair returned."""
    await state.limiter.check_auth(client_ip=client_ip(request) or "-", endpoint="refresh")
    return await run_in_threadpool(_rotate, state, request, token, int(time.time()))


def logout(session: Session, request: Request, principal: Principal) -> None:
    """End the caller's login: its refresh tokens and access tokens stop working at once."""
    if principal.session_id is None:
        raise UserError("API keys have no login to end; revoke the key instead")
    auth_repo.revoke_auth_session(session, session_id=principal.session_id, reason="logout")
    audit.record(session, request, principal, "auth.logout", target_type="session",
                 target_id=principal.session_id)
