"""Dependencies of the routes: the database session, the caller (`CurrentPrincipal`), and
permissions as composable dependencies (`dependencies=[Depends(require("projects:create"))]`).

Every authenticated request: the credential is checked (a Bearer access token, or an
`X-API-Key`), its user loaded (inactive users and ended logins are refused at once), then the
caller's rate limit counted. `require(permission)` then checks the permission, and for admin
permissions that the client's address is in QL_ADMIN_ALLOWED_CIDRS.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session

from quantumlayer.api.state import ApiState
from quantumlayer.security import api_keys
from quantumlayer.security.errors import AuthenticationFailed, PermissionDenied
from quantumlayer.security.network import address_allowed
from quantumlayer.security.rbac import (
    ADMIN_PERMISSIONS,
    Permission,
    api_key_permissions,
    permissions_for,
)
from quantumlayer.security.tokens import TokenUse
from quantumlayer.store import auth_repositories as auth_repo
from quantumlayer.store.models import utcnow

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/v1/auth/token", auto_error=False,
    description="Access token from POST /v1/auth/token (first-party clients: CLI, dashboard)",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="API key for service-to-service calls"
)
_TOUCH_EVERY = timedelta(minutes=1)


def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.ql
    return state


StateDep = Annotated[ApiState, Depends(get_state)]


def get_session(request: Request) -> Iterator[Session]:
    """A session in one transaction: committed before the response is sent (scope
    "function"), rolled back if the route raises."""
    with get_state(request).sessions.begin() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def client_ip(request: Request) -> str | None:
    """The client's address (uvicorn resolves X-Forwarded-For from trusted proxies only)."""
    return request.client.host if request.client else None


def request_id(request: Request) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user (access token) or a service (API key, acting for its owner)."""

    user_id: str
    username: str
    role: str
    kind: Literal["user", "api_key"]
    permissions: frozenset[Permission]
    session_id: str | None = None
    api_key_id: str | None = None

    def can(self, permission: str | Permission) -> bool:
        return permission in self.permissions

    @property
    def effective_role(self) -> str:
        return "service" if self.kind == "api_key" else self.role


def _from_token(state: ApiState, session: Session, token: str) -> Principal:
    claims = state.codec.decode(token, use=TokenUse.ACCESS)
    found = auth_repo.get_user_with_session(
        session, user_id=claims.subject, session_id=claims.session_id
    )
    if found is None:
        raise AuthenticationFailed("invalid token")
    user, login = found
    if not user.is_active or login.revoked_at is not None or login.expires_at <= utcnow():
        raise AuthenticationFailed("the session has ended; log in again")
    return Principal(
        user_id=user.id, username=user.username, role=user.role, kind="user",
        permissions=permissions_for(user.role), session_id=login.id,
    )


def _from_api_key(session: Session, key: str) -> Principal:
    prefix = api_keys.parse_prefix(key)
    found = auth_repo.get_api_key_by_prefix(session, prefix=prefix) if prefix else None
    if found is None or not api_keys.matches(key, found.key.key_digest):
        raise AuthenticationFailed("invalid API key")
    row, owner = found
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        raise AuthenticationFailed("the API key is revoked or expired")
    if not owner.is_active:
        raise AuthenticationFailed("the API key's owner is deactivated")
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        auth_repo.touch_api_key(session, key_id=row.id, now=now)
    return Principal(
        user_id=owner.id, username=owner.username, role=owner.role, kind="api_key",
        permissions=api_key_permissions(row.permissions or [], owner.role), api_key_id=row.id,
    )


def _identify(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    if token and key:
        raise AuthenticationFailed("send one credential: a Bearer token or an X-API-Key")
    if token:
        return _from_token(get_state(request), session, token)
    if key:
        return _from_api_key(session, key)
    raise AuthenticationFailed("authentication required: a Bearer token or an X-API-Key")


async def _authenticated(
    request: Request, principal: Annotated[Principal, Depends(_identify)]
) -> Principal:
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    verdict = await get_state(request).limiter.check_request(
        caller=f"user:{principal.user_id}", method=request.method, path=path
    )
    request.state.rate_limit_headers = verdict.headers
    return principal


CurrentPrincipal = Annotated[Principal, Depends(_authenticated)]


async def limit_by_address(request: Request) -> None:
    """Rate limit for unauthenticated endpoints: per client address."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    verdict = await get_state(request).limiter.check_request(
        caller=f"ip:{client_ip(request)}", method=request.method, path=path
    )
    request.state.rate_limit_headers = verdict.headers


def audit_denied(state: ApiState, request: Request, principal: Principal, why: str) -> None:
    """Record a refused request in its own transaction (the request's own rolls back)."""
    with state.sessions.begin() as session:
        auth_repo.record_audit(
            session, action="authz.denied", outcome="denied", actor_id=principal.user_id,
            actor_type=principal.kind, target_type="endpoint",
            target_id=f"{request.method} {getattr(request.scope.get('route'), 'path', '')}",
            client_ip=client_ip(request), request_id=request_id(request),
            details={"reason": why},
        )


def require(permission: str | Permission) -> Callable[..., Coroutine[Any, Any, None]]:
    """A dependency that lets the request through only with `permission` (and, for admin
    permissions, only from an allow-listed network)."""
    perm = Permission(permission)

    async def check(request: Request, principal: CurrentPrincipal) -> None:
        state = get_state(request)
        if not principal.can(perm):
            await run_in_threadpool(audit_denied, state, request, principal, f"lacks {perm}")
            raise PermissionDenied(f"this needs the permission {perm.value}")
        if perm in ADMIN_PERMISSIONS and not address_allowed(
            client_ip(request), state.settings.admin_allowed_cidrs
        ):
            await run_in_threadpool(
                audit_denied, state, request, principal, "client network not allowed"
            )
            raise PermissionDenied("admin endpoints are not reachable from this network")

    check.permission = perm  # type: ignore[attr-defined]  # read to document the route
    return check


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="items per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


PageDep = Annotated[Page, Depends(page_params)]
