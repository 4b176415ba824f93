"""Users: create, read, update, delete; a user's own profile."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from quantumlayer.api.deps import Page, Principal
from quantumlayer.api.schemas.users import UserCreate, UserUpdate, UserUpdateMe
from quantumlayer.api.services import audit
from quantumlayer.errors import UserError
from quantumlayer.security.errors import AuthenticationFailed, Conflict
from quantumlayer.security.passwords import hash_password, verify_password
from quantumlayer.store import auth_repositories as auth_repo
from quantumlayer.store import repositories as repo
from quantumlayer.store.models import User


def create(session: Session, request: Request | None, principal: Principal | None,
           body: UserCreate) -> User:
    """Create a user; Conflict if the username is taken."""
    if repo.get_user_by_username(session, username=body.username) is not None:
        raise Conflict(f"user {body.username!r} already exists")
    try:
        user = repo.create_user(
            session, username=body.username, email=body.email,
            password_hash=hash_password(body.password), role=body.role,
        )
    except UserError as exc:
        if "already exists" in str(exc):
            raise Conflict(str(exc)) from None
        raise
    audit.record(session, request, principal, "user.create", target_type="user",
                 target_id=user.id, details={"role": user.role},
                 actor_type=None if principal else "cli")
    return user


def get(session: Session, *, user_id: str) -> User:
    return repo.get_user_or_raise(session, user_id=user_id)


def list_page(session: Session, page: Page) -> tuple[list[User], int]:
    users = repo.list_users(session, limit=page.limit, offset=page.offset)
    return users, auth_repo.count_users(session)


def _would_remove_last_admin(session: Session, user: User, *, role: str | None,
                             is_active: bool | None) -> bool:
    if user.role != "admin" or not user.is_active:
        return False
    demoted = role is not None and role != "admin"
    deactivated = is_active is False
    return (demoted or deactivated) and auth_repo.count_users(
        session, role="admin", active=True
    ) <= 1


def update(session: Session, request: Request, principal: Principal, *, user_id: str,
           body: UserUpdate) -> User:
    """Change a user (admin); the last active admin cannot be demoted or deactivated."""
    user = repo.get_user_or_raise(session, user_id=user_id)
    fields = body.model_dump(exclude_unset=True)
    if fields.get("role") is None:
        fields.pop("role", None)
    if fields.get("is_active") is None:
        fields.pop("is_active", None)
    if _would_remove_last_admin(
        session, user, role=fields.get("role"), is_active=fields.get("is_active")
    ):
        raise Conflict("this is the last active admin; make another admin first")
    password = fields.pop("password", None)
    if password is not None:
        fields["password_hash"] = hash_password(password)
    old_role = user.role
    updated = auth_repo.update_user(session, user_id=user_id, **fields) if fields else user
    if "role" in fields and fields["role"] != old_role:
        audit.record(session, request, principal, "user.role_change", target_type="user",
                     target_id=user_id, details={"from": old_role, "to": fields["role"]})
    if password is not None or fields.get("is_active") is False:
        auth_repo.revoke_user_sessions(session, user_id=user_id, reason="account_change")
    changed = sorted(k for k in fields if k != "password_hash") + (
        ["password"] if password is not None else []
    )
    audit.record(session, request, principal, "user.update", target_type="user",
                 target_id=user_id, details={"fields": changed})
    return updated


def update_me(session: Session, request: Request, principal: Principal,
              body: UserUpdateMe) -> User:
    """Change one's own e-mail or password (the current password is needed for that)."""
    user = repo.get_user_or_raise(session, user_id=principal.user_id)
    fields = body.model_dump(exclude_unset=True)
    current = fields.pop("current_password", None)
    password = fields.pop("password", None)
    if password is not None:
        if current is None or not verify_password(user.password_hash, current):
            raise AuthenticationFailed("the current password is wrong")
        fields["password_hash"] = hash_password(password)
    updated = auth_repo.update_user(session, user_id=user.id, **fields) if fields else user
    if password is not None:
        auth_repo.revoke_user_sessions(session, user_id=user.id, reason="password_change")
    audit.record(session, request, principal, "user.update_self", target_type="user",
                 target_id=user.id,
                 details={"fields": sorted(k for k in fields if k != "password_hash")
                          + (["password"] if password is not None else [])})
    return updated


def delete(session: Session, request: Request, principal: Principal, *, user_id: str) -> None:
    user = repo.get_user_or_raise(session, user_id=user_id)
    if user.id == principal.user_id:
        raise Conflict("you cannot delete yourself")
    if _would_remove_last_admin(session, user, role=None, is_active=False):
        raise Conflict("this is the last active admin; make another admin first")
    auth_repo.delete_user(session, user_id=user_id)
    audit.record(session, request, principal, "user.delete", target_type="user",
                 target_id=user_id, details={"username": user.username})
