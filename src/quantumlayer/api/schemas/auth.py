from __future__ import annotations

from typing import Literal

from pydantic import Field

from quantumlayer.api.schemas.common import PublicModel, RequestBody


class TokenPair(PublicModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds the access token lives")
    refresh_expires_in: int = Field(description="seconds the refresh token lives at most")


class RefreshRequest(RequestBody):
    refresh_token: str = Field(min_length=1, max_length=8192)
