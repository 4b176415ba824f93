"""Authentication: the OAuth2 password grant, refresh rotation, logout.

The password grant is for QuantumLayer's own first-party clients (the CLI, the dashboard) only:
RFC 9700 (OAuth 2.0 Security Best Current Practice) says the resource-owner password grant must
not be offered to third-party clients. Third parties and services use API keys.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from quantumlayer.api.deps import CurrentPrincipal, SessionDep, StateDep
from quantumlayer.api.schemas.auth import RefreshRequest, TokenPair
from quantumlayer.api.services import auth as service

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/token", response_model=TokenPair, summary="Log in (first-party clients only)")
async def token(
    request: Request, state: StateDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenPair:
    """OAuth2 password grant: username and password for an access token (15 minutes) and a
    refresh token. Only for QuantumLayer's own clients (RFC 9700); services use API keys."""
    return await service.login(state, request, username=form.username, password=form.password)


@router.post("/refresh", response_model=TokenPair, summary="Rotate a refresh token")
async def refresh(request: Request, state: StateDep, body: RefreshRequest) -> TokenPair:
    """Spend a refresh token for a new pair. A refresh token works once: presenting it again
    revokes the whole login (reuse detection)."""
    return await service.refresh(state, request, token=body.refresh_token)


@router.post("/logout", status_code=204, summary="End this login")
def logout(request: Request, session: SessionDep, principal: CurrentPrincipal) -> Response:
    """Revoke the caller's login: its refresh token and access tokens stop working."""
    service.logout(session, request, principal)
    return Response(status_code=204)
