"""API keys: created with a subset of the creator's permissions, shown once, revocable."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import Request
from sqlalchemy.orm import Session

from quantumlayer.api.deps import Page, Principal
from quantumlayer.api.schemas.api_keys import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from quantumlayer.api.services import audit
from quantumlayer.errors import NotFound
from quantumlayer.security import api_keys
from quantumlayer.security.errors import PermissionDenied
from quantumlayer.security.rbac import Permission, Role, permissions_for
from quantumlayer.store import auth_repositories as auth_repo
from quantumlayer.store.auth_models import ApiKey
from quantumlayer.store.models import utcnow


def create(session: Session, request: Request, principal: Principal,
           body: ApiKeyCreate) -> ApiKeyCreated:
    """A new key; PermissionDenied if it asks for more than the caller holds or than a
    service may have."""
    asked = {Permission(p) for p in body.permissions}
    allowed = principal.permissions & permissions_for(Role.SERVICE)
    beyond = sorted(p.value for p in asked - allowed)
    if beyond:
        raise PermissionDenied(f"an API key of yours cannot have: {', '.join(beyond)}")
    new = api_keys.generate()
    row = auth_repo.create_api_key(
        session, id=uuid.uuid4().hex, owner_id=principal.user_id, name=body.name,
        prefix=new.prefix, key_digest=new.digest, permissions=[p.value for p in asked],
        expires_at=utcnow() + timedelta(days=body.expires_in_days)
        if body.expires_in_days else None,
    )
    audit.record(session, request, principal, "api_key.create", target_type="api_key",
                 target_id=row.id, details={"permissions": sorted(p.value for p in asked)})
    return ApiKeyCreated(**ApiKeyPublic.model_validate(row).model_dump(), key=new.key)


def list_page(session: Session, principal: Principal, page: Page) -> tuple[list[ApiKey], int]:
    """The caller's own keys."""
    rows = auth_repo.list_api_keys(
        session, owner_id=principal.user_id, limit=page.limit, offset=page.offset
    )
    return rows, auth_repo.count_api_keys(session, owner_id=principal.user_id)


def revoke(session: Session, request: Request, principal: Principal, *, key_id: str) -> None:
    """Revoke one of the caller's keys (an admin may revoke anyone's); NotFound otherwise."""
    row = auth_repo.get_api_key(session, key_id=key_id)
    if row is None or (
        row.owner_id != principal.user_id and not principal.can(Permission.USERS_MANAGE)
    ):
        raise NotFound(f"API key {key_id!r} not found")
    auth_repo.revoke_api_key(session, key_id=key_id)
    audit.record(session, request, principal, "api_key.revoke", target_type="api_key",
                 target_id=key_id)
