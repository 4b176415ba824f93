from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from quantumlayer.api.schemas.common import PublicModel, RequestBody

Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@-]{2,149}$")]
Email = Annotated[
    str,
    StringConstraints(
        max_length=320, pattern=r"^[^@\s\x00-\x1f]{1,64}@[^@\s\x00-\x1f]{1,255}$"
    ),
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=1024)]
UserRole = Literal["admin", "developer", "viewer"]


class UserCreate(RequestBody):
    username: Username
    password: Password
    email: Email | None = None
    role: UserRole = "viewer"


class UserUpdate(RequestBody):
    """What an admin may change about a user."""

    email: Email | None = None
    role: UserRole | None = None
    is_active: bool | None = Field(default=None, strict=True)
    password: Password | None = None


class UserUpdateMe(RequestBody):
    """What users may change about themselves: not their role, not their status."""

    email: Email | None = None
    password: Password | None = None
    current_password: Annotated[str, StringConstraints(max_length=1024)] | None = Field(
        default=None, description="required to set a new password"
    )


class UserPublic(PublicModel):
    id: str
    username: str
    email: str | None
    role: str
    is_active: bool
    created_at: datetime


class UserMe(UserPublic):
    permissions: list[str]
    authenticated_by: Literal["user", "api_key"]


class UsersPublic(PublicModel):
    data: list[UserPublic]
    count: int
