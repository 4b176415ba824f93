"""Deployments of a project through the API: request one, list them, follow one.

A request is checked and recorded at once (a `pending` row and a `deployment.create` audit
event, in one transaction) and answered 202; the Deployment Engine then carries it out in the
background (`ApiState.deployments`), and the client polls the deployment until its status is
final. Deployments belong to their project: a caller who may not see the project sees none of
its deployments (404), like every other `{id}` route.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from quantumlayer import deploy
from quantumlayer.api.deps import Page, Principal
from quantumlayer.api.schemas.projects import DeploymentCreate, DeploymentPublic
from quantumlayer.api.services import audit
from quantumlayer.api.services.projects import controllable, visible
from quantumlayer.domain import Spec
from quantumlayer.errors import NotFound, UserError
from quantumlayer.security.errors import Conflict
from quantumlayer.store import repositories as repo
from quantumlayer.store.models import Deployment


def public(row: Deployment) -> DeploymentPublic:
    """What a client may see of a deployment (no folders, pids or log paths of this host)."""
    details: dict[str, Any] = dict(row.details or {})
    return DeploymentPublic(
        id=row.id, project_id=row.project_id, target=row.target,
        target_name=details.get("target_name"), status=row.status, url=row.url,
        error=details.get("error"), checks=list(details.get("checks") or []),
        created_at=row.created_at, finished_at=row.finished_at,
    )


def _resolve_target(session: Session, body: DeploymentCreate) -> tuple[str, str | None, str | None]:
    """(engine target, registered target name or None, cloud or None) of a request."""
    if body.target in deploy.TARGETS:
        kind, name, config = body.target, None, {}
    else:
        registered = repo.get_deployment_target(session, name=body.target)
        if registered is None:
            raise NotFound(f"deployment target {body.target!r} not found")
        kind, name, config = registered.kind, registered.name, dict(registered.config or {})
    cloud = body.cloud or (config.get("cloud") if isinstance(config.get("cloud"), str) else None)
    if cloud is not None and kind != "terraform":
        raise UserError(f"`cloud` applies to terraform deployments only, not to {kind}")
    return kind, name, None if cloud is None else deploy.check_cloud(cloud)


def create(session: Session, request: Request, principal: Principal, project_id: str,
           body: DeploymentCreate) -> Deployment:
    """Record a deployment request of a succeeded project (status `pending`) and audit it.

    NotFound if the caller may not steer the project (or the named target does not exist);
    Conflict unless the project has succeeded; UserError if the project cannot go to that
    target (a library or a CLI is not a service). The caller commits, then hands the id to
    the runner.
    """
    project = controllable(session, principal, project_id)
    if project.status != "succeeded":
        raise Conflict(f"project {project.id} is {project.status}; only a succeeded project "
                       "can be deployed")
    kind, name, cloud = _resolve_target(session, body)
    if not project.spec:
        raise Conflict(f"project {project.id} has no Spec to deploy")
    deploy.check_target(Spec.model_validate(project.spec), kind)
    details: dict[str, Any] = {"requested_by": principal.user_id}
    if name is not None:
        details["target_name"] = name
    if cloud is not None:
        details["cloud"] = cloud
    deployment = repo.create_deployment(session, project_id=project.id, target=kind,
                                        status="pending", details=details)
    audit.record(session, request, principal, "deployment.create", target_type="deployment",
                 target_id=deployment.id,
                 details={"project": project.id, "target": kind, "target_name": name})
    return deployment


def list_page(session: Session, principal: Principal, project_id: str,
              page: Page) -> tuple[list[Deployment], int]:
    """A page of a project's deployments, newest first, and how many there are."""
    project = visible(session, principal, project_id)
    rows = repo.list_deployments(session, project_id=project.id, limit=page.limit,
                                 offset=page.offset)
    return rows, repo.count_deployments(session, project_id=project.id)


def get(session: Session, principal: Principal, project_id: str,
        deployment_id: str) -> Deployment:
    """One deployment of a project the caller may see; NotFound otherwise."""
    project = visible(session, principal, project_id)
    row = repo.get_deployment(session, deployment_id=deployment_id)
    if row is None or row.project_id != project.id:
        raise NotFound(f"deployment {deployment_id!r} not found")
    return row
