"""API keys for service-to-service calls (sent as `X-API-Key`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from quantumlayer.api.deps import CurrentPrincipal, PageDep, SessionDep, require
from quantumlayer.api.schemas.api_keys import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    ApiKeysPublic,
)
from quantumlayer.api.services import api_keys as service

router = APIRouter(prefix="/v1/api-keys", tags=["api-keys"],
                   dependencies=[Depends(require("api_keys:manage"))])
KeyId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


@router.post("", response_model=ApiKeyCreated, status_code=201)
def create_api_key(request: Request, session: SessionDep, principal: CurrentPrincipal,
                   body: ApiKeyCreate) -> ApiKeyCreated:
    """A new key: the response shows it once; only a digest is stored."""
    return service.create(session, request, principal, body)


@router.get("", response_model=ApiKeysPublic)
def list_api_keys(session: SessionDep, principal: CurrentPrincipal,
                  page: PageDep) -> ApiKeysPublic:
    rows, count = service.list_page(session, principal, page)
    return ApiKeysPublic(data=[ApiKeyPublic.model_validate(r) for r in rows], count=count)


@router.delete("/{key_id}", status_code=204)
def revoke_api_key(request: Request, session: SessionDep, principal: CurrentPrincipal,
                   key_id: KeyId) -> Response:
    service.revoke(session, request, principal, key_id=key_id)
    return Response(status_code=204)
