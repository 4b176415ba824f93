"""Users: one's own profile; the user administration (admin, allow-listed networks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from quantumlayer.api.deps import CurrentPrincipal, PageDep, SessionDep, require
from quantumlayer.api.schemas.users import (
    UserCreate,
    UserMe,
    UserPublic,
    UsersPublic,
    UserUpdate,
    UserUpdateMe,
)
from quantumlayer.api.services import users as service
from quantumlayer.store import repositories as repo

router = APIRouter(prefix="/v1/users", tags=["users"])
UserId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
MANAGE = [Depends(require("users:manage"))]


def _me(user: object, principal: CurrentPrincipal) -> UserMe:
    return UserMe(
        **UserPublic.model_validate(user).model_dump(),
        permissions=sorted(p.value for p in principal.permissions),
        authenticated_by=principal.kind,
    )


@router.get("/me", response_model=UserMe)
def read_me(session: SessionDep, principal: CurrentPrincipal) -> UserMe:
    """Who the caller is, and what they may do."""
    return _me(repo.get_user_or_raise(session, user_id=principal.user_id), principal)


@router.patch("/me", response_model=UserMe)
def update_me(request: Request, session: SessionDep, principal: CurrentPrincipal,
              body: UserUpdateMe) -> UserMe:
    """Change one's e-mail or password (not one's role). A new password ends every login."""
    return _me(service.update_me(session, request, principal, body), principal)


@router.post("", response_model=UserPublic, status_code=201, dependencies=MANAGE)
def create_user(request: Request, session: SessionDep, principal: CurrentPrincipal,
                body: UserCreate) -> UserPublic:
    return UserPublic.model_validate(service.create(session, request, principal, body))


@router.get("", response_model=UsersPublic, dependencies=MANAGE)
def list_users(session: SessionDep, page: PageDep) -> UsersPublic:
    rows, count = service.list_page(session, page)
    return UsersPublic(data=[UserPublic.model_validate(u) for u in rows], count=count)


@router.get("/{user_id}", response_model=UserPublic, dependencies=MANAGE)
def read_user(session: SessionDep, user_id: UserId) -> UserPublic:
    return UserPublic.model_validate(service.get(session, user_id=user_id))


@router.patch("/{user_id}", response_model=UserPublic, dependencies=MANAGE)
def update_user(request: Request, session: SessionDep, principal: CurrentPrincipal,
                user_id: UserId, body: UserUpdate) -> UserPublic:
    return UserPublic.model_validate(
        service.update(session, request, principal, user_id=user_id, body=body)
    )


@router.delete("/{user_id}", status_code=204, dependencies=MANAGE)
def delete_user(request: Request, session: SessionDep, principal: CurrentPrincipal,
                user_id: UserId) -> Response:
    service.delete(session, request, principal, user_id=user_id)
    return Response(status_code=204)
