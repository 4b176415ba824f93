from __future__ import annotations

from datetime import datetime

from pydantic import Field

from quantumlayer.api.schemas.common import Name, PublicModel, RequestBody
from quantumlayer.security.rbac import Permission


class ApiKeyCreate(RequestBody):
    name: Name
    permissions: list[Permission] = Field(
        min_length=1, max_length=len(Permission),
        description="what the key may do (within your own permissions and the service role)",
    )
    expires_in_days: int | None = Field(default=None, ge=1, le=3650, strict=True)


class ApiKeyPublic(PublicModel):
    id: str
    name: str
    prefix: str
    permissions: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="the key itself: shown this once, never again")


class ApiKeysPublic(PublicModel):
    data: list[ApiKeyPublic]
    count: int
