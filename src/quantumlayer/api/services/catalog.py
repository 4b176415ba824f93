"""The platform's catalogue: templates, deployment targets, agent configurations, secrets."""

from __future__ import annotations

import json

from fastapi import Request
from sqlalchemy.orm import Session

from quantumlayer.api.deps import Principal
from quantumlayer.api.schemas.catalog import (
    AgentConfigPublic,
    DeploymentTargetCreate,
    DeploymentTargetPublic,
    SecretCreate,
    TemplatePublic,
)
from quantumlayer.api.services import audit
from quantumlayer.api.state import ApiState
from quantumlayer.domain import AgentRole
from quantumlayer.errors import UserError
from quantumlayer.security.errors import Conflict
from quantumlayer.security.pii import PiiKind, find_pii
from quantumlayer.security.secret_store import SecretInfo
from quantumlayer.store import repositories as repo
from quantumlayer.store.models import DeploymentTarget

MAX_CONFIG_BYTES = 16 * 1024


def templates(session: Session) -> list[TemplatePublic]:
    """The built-in archetypes, then the stored templates."""
    from quantumlayer.generators import SUPPORTED_PROJECT_TYPES

    builtin = [
        TemplatePublic(name=f"builtin-{t.value}", project_type=t.value,
                       description=f"built-in {t.value.replace('_', ' ')} archetype",
                       version="1", builtin=True)
        for t in sorted(SUPPORTED_PROJECT_TYPES, key=str)
    ]
    stored = [
        TemplatePublic(name=t.name, project_type=t.project_type, description=t.description,
                       version=t.version, builtin=False)
        for t in repo.list_project_templates(session)
    ]
    return builtin + stored


def agents(session: Session) -> list[AgentConfigPublic]:
    """Every agent role's configuration; roles with none use the built-in engine."""
    configured = {c.role: c for c in repo.list_agent_configurations(session)}
    out = []
    for role in AgentRole:
        c = configured.get(role.value)
        if c is not None:
            out.append(AgentConfigPublic(
                role=c.role, provider=c.provider, model=c.model, temperature=c.temperature,
                prompt_version=c.prompt_version, max_tokens=c.max_tokens, enabled=c.enabled,
                configured=True,
            ))
        else:
            out.append(AgentConfigPublic(
                role=role.value, provider="builtin", model="templates", temperature=0.0,
                prompt_version="v1", max_tokens=0, enabled=True, configured=False,
            ))
    return out


def target_public(target: DeploymentTarget) -> DeploymentTargetPublic:
    config = dict(target.config or {})
    secret_id = config.pop("credentials_secret_id", None)
    return DeploymentTargetPublic(name=target.name, kind=target.kind, config=config,
                                  has_credentials=secret_id is not None,
                                  created_at=target.created_at)


def create_target(state: ApiState, session: Session, request: Request, principal: Principal,
                  body: DeploymentTargetCreate) -> DeploymentTarget:
    """A deployment target; its credentials go to the secret store, never into `config`."""
    for key, value in body.config.items():
        if isinstance(value, str) and any(
            m.kind == PiiKind.CREDENTIAL for m in find_pii(value)
        ):
            raise UserError(f"config.{key} looks like a credential: put it in `credentials`")
    if len(json.dumps(body.config)) > MAX_CONFIG_BYTES:
        raise UserError(f"config is larger than {MAX_CONFIG_BYTES} bytes")
    if repo.get_deployment_target(session, name=body.name) is not None:
        raise Conflict(f"deployment target {body.name!r} already exists")
    config = dict(body.config)
    if body.credentials:
        info = state.secrets.create(
            session, name=f"deployment-target:{body.name}", kind="deployment_credential",
            value=json.dumps(body.credentials), owner_id=None,
        )
        config["credentials_secret_id"] = info.id
    target = repo.create_deployment_target(session, name=body.name, kind=body.kind,
                                           config=config)
    audit.record(session, request, principal, "deployment_target.create",
                 target_type="deployment_target", target_id=body.name,
                 details={"kind": body.kind, "credentials": bool(body.credentials)})
    return target


def create_secret(state: ApiState, session: Session, request: Request, principal: Principal,
                  body: SecretCreate) -> SecretInfo:
    try:
        info = state.secrets.create(session, name=body.name, value=body.value, kind=body.kind,
                                    owner_id=None)
    except UserError as exc:
        if "already exists" in str(exc):
            raise Conflict(str(exc)) from None
        raise
    audit.record(session, request, principal, "secret.create", target_type="secret",
                 target_id=info.id, details={"name": body.name, "kind": body.kind,
                                             "backend": info.backend})
    return info


def delete_secret(state: ApiState, session: Session, request: Request, principal: Principal,
                  secret_id: str) -> None:
    state.secrets.delete(session, secret_id=secret_id)
    audit.record(session, request, principal, "secret.delete", target_type="secret",
                 target_id=secret_id)
