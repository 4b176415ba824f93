"""Intents (analysis without building), templates, deployment targets, agents, secrets, and the
audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from quantumlayer import intent as intent_service
from quantumlayer.api.deps import CurrentPrincipal, PageDep, SessionDep, StateDep, require
from quantumlayer.api.schemas.catalog import (
    AgentConfigsPublic,
    AuditEventPublic,
    AuditEventsPublic,
    DeploymentTargetCreate,
    DeploymentTargetPublic,
    DeploymentTargetsPublic,
    IntentAnalysis,
    IntentAnalyze,
    PiiFinding,
    SecretCreate,
    SecretPublic,
    SecretsPublic,
    TemplatesPublic,
)
from quantumlayer.api.services import catalog as service
from quantumlayer.security.pii import find_pii
from quantumlayer.store import auth_repositories as auth_repo
from quantumlayer.store import repositories as repo

router = APIRouter(tags=["catalog"])


@router.post("/v1/intents:analyze", response_model=IntentAnalysis,
             dependencies=[Depends(require("intents:analyze"))])
async def analyze_intent(state: StateDep, body: IntentAnalyze) -> IntentAnalysis:
    """The Spec and task plan of an idea, without building it, and the personal data found
    in it (positions only)."""
    spec = await run_in_threadpool(
        intent_service.analyze, body.intent, max_chars=state.settings.max_intent_chars
    )
    findings = [PiiFinding(kind=m.kind.value, start=m.start, end=m.end)
                for m in find_pii(body.intent)]
    return IntentAnalysis(spec=spec.model_dump(mode="json"), pii=findings)


@router.get("/v1/templates", response_model=TemplatesPublic,
            dependencies=[Depends(require("templates:read"))])
def list_templates(session: SessionDep, page: PageDep) -> TemplatesPublic:
    data = service.templates(session)
    return TemplatesPublic(data=data[page.offset:page.offset + page.limit], count=len(data))


@router.get("/v1/deployment-targets", response_model=DeploymentTargetsPublic,
            dependencies=[Depends(require("deployment_targets:read"))])
def list_deployment_targets(session: SessionDep, page: PageDep) -> DeploymentTargetsPublic:
    data = [service.target_public(t) for t in repo.list_deployment_targets(session)]
    return DeploymentTargetsPublic(data=data[page.offset:page.offset + page.limit],
                                   count=len(data))


@router.post("/v1/deployment-targets", response_model=DeploymentTargetPublic, status_code=201,
             dependencies=[Depends(require("deployment_targets:manage"))])
def create_deployment_target(request: Request, state: StateDep, session: SessionDep,
                             principal: CurrentPrincipal,
                             body: DeploymentTargetCreate) -> DeploymentTargetPublic:
    """A place to deploy to; credentials are stored encrypted and never returned."""
    return service.target_public(service.create_target(state, session, request, principal, body))


@router.get("/v1/agents", response_model=AgentConfigsPublic,
            dependencies=[Depends(require("agents:read"))])
def list_agents(session: SessionDep, page: PageDep) -> AgentConfigsPublic:
    """Each agent role's provider and model."""
    data = service.agents(session)
    return AgentConfigsPublic(data=data[page.offset:page.offset + page.limit], count=len(data))


@router.post("/v1/secrets", response_model=SecretPublic, status_code=201,
             dependencies=[Depends(require("secrets:manage"))])
def create_secret(request: Request, state: StateDep, session: SessionDep,
                  principal: CurrentPrincipal, body: SecretCreate) -> SecretPublic:
    """Store a secret (an LLM API key, a credential): encrypted, never shown again."""
    info = service.create_secret(state, session, request, principal, body)
    return SecretPublic.model_validate(info, from_attributes=True)


@router.get("/v1/secrets", response_model=SecretsPublic,
            dependencies=[Depends(require("secrets:manage"))])
def list_secrets(session: SessionDep, page: PageDep) -> SecretsPublic:
    rows = auth_repo.list_secrets(session, limit=page.limit, offset=page.offset)
    return SecretsPublic(data=[SecretPublic.model_validate(r) for r in rows],
                         count=auth_repo.count_secrets(session))


@router.delete("/v1/secrets/{secret_id}", status_code=204,
               dependencies=[Depends(require("secrets:manage"))])
def delete_secret(request: Request, state: StateDep, session: SessionDep,
                  principal: CurrentPrincipal,
                  secret_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]) -> Response:
    service.delete_secret(state, session, request, principal, secret_id)
    return Response(status_code=204)


@router.get("/v1/audit", response_model=AuditEventsPublic,
            dependencies=[Depends(require("audit:read"))])
def list_audit(
    session: SessionDep, page: PageDep,
    action: Annotated[str | None, Query(pattern=r"^[a-z_.]{1,64}$")] = None,
    actor_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = None,
) -> AuditEventsPublic:
    """The audit trail, newest first."""
    rows = auth_repo.list_audit(session, limit=page.limit, offset=page.offset, action=action,
                                actor_id=actor_id)
    return AuditEventsPublic(data=[AuditEventPublic.model_validate(r) for r in rows],
                             count=auth_repo.count_audit(session, action=action,
                                                         actor_id=actor_id))
