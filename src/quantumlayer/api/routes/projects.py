"""Projects: start one from an idea, follow it live, steer it, fetch what it made."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from quantumlayer.api.deps import (
    CurrentPrincipal,
    PageDep,
    Principal,
    SessionDep,
    StateDep,
    require,
)
from quantumlayer.api.schemas.projects import (
    ArtifactPublic,
    ArtifactsPublic,
    DeploymentCreate,
    DeploymentPublic,
    DeploymentsPublic,
    ProjectAction,
    ProjectCreate,
    ProjectDetail,
    ProjectPublic,
    ProjectsPublic,
)
from quantumlayer.api.services import deployments
from quantumlayer.api.services import projects as service
from quantumlayer.api.state import ApiState
from quantumlayer.store import repositories as repo
from quantumlayer.store.models import Project

router = APIRouter(prefix="/v1/projects", tags=["projects"])
ProjectId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
READ = [Depends(require("projects:read"))]
CONTROL = [Depends(require("projects:control"))]


@router.post("", response_model=ProjectPublic, status_code=202,
             dependencies=[Depends(require("projects:create"))])
async def create_project(request: Request, response: Response, state: StateDep,
                         principal: CurrentPrincipal, body: ProjectCreate) -> ProjectPublic:
    """Start building a project: 202 with its id; follow it at `/v1/projects/{id}/events`."""
    project_id = await service.create(state, request, principal, body)

    def load() -> ProjectPublic:
        with state.sessions() as session:
            return ProjectPublic.model_validate(repo.get_project_or_raise(
                session, project_id=project_id))

    response.headers["Location"] = f"/v1/projects/{project_id}"
    return await run_in_threadpool(load)


@router.get("", response_model=ProjectsPublic, dependencies=READ)
def list_projects(
    session: SessionDep, principal: CurrentPrincipal, page: PageDep,
    status: Annotated[
        Literal["pending", "running", "succeeded", "failed", "cancelled"] | None, Query()
    ] = None,
) -> ProjectsPublic:
    """The caller's projects (everyone's with `projects:read_all`), newest first."""
    rows, count = service.list_page(session, principal, page, status)
    return ProjectsPublic(data=[ProjectPublic.model_validate(p) for p in rows], count=count)


@router.get("/{project_id}", response_model=ProjectDetail, dependencies=READ)
async def read_project(state: StateDep, principal: CurrentPrincipal,
                       project_id: ProjectId) -> ProjectDetail:
    """Status, Spec, tasks (live while running), tests and cost of a project."""
    def load() -> Project:
        with state.sessions() as session:
            return service.visible(session, principal, project_id)

    return await service.detail(state, await run_in_threadpool(load))


@router.get("/{project_id}/events", dependencies=READ,
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
                             "description": "server-sent events: `progress`, then `end`"}})
async def project_events(request: Request, state: StateDep, principal: CurrentPrincipal,
                         project_id: ProjectId) -> StreamingResponse:
    """Live progress as server-sent events until the project finishes."""
    def check() -> None:
        with state.sessions() as session:
            service.visible(session, principal, project_id)

    await run_in_threadpool(check)
    return StreamingResponse(
        service.events(state, request, project_id), media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _steer(state: ApiState, request: Request, principal: Principal, project_id: str,
                 action: str) -> ProjectAction:
    def load() -> Project:
        with state.sessions() as session:
            return service.controllable(session, principal, project_id)

    project = await run_in_threadpool(load)
    await service.signal(state, request, principal, project, action)
    return ProjectAction(id=project.id, status=str(project.status), requested=action)


@router.post("/{project_id}/approve", response_model=ProjectAction, status_code=202,
             dependencies=CONTROL)
async def approve_project(request: Request, state: StateDep, principal: CurrentPrincipal,
                          project_id: ProjectId) -> ProjectAction:
    """Let a project started with `require_approval` go on after planning."""
    return await _steer(state, request, principal, project_id, "approve")


@router.post("/{project_id}/cancel", response_model=ProjectAction, status_code=202,
             dependencies=CONTROL)
async def cancel_project(request: Request, state: StateDep, principal: CurrentPrincipal,
                         project_id: ProjectId) -> ProjectAction:
    """Stop a running project: no new tasks start; its status becomes `cancelled`."""
    return await _steer(state, request, principal, project_id, "cancel")


@router.get("/{project_id}/artifacts", response_model=ArtifactsPublic, dependencies=READ)
def list_artifacts(session: SessionDep, principal: CurrentPrincipal,
                   project_id: ProjectId) -> ArtifactsPublic:
    """The files the project has so far."""
    project = service.visible(session, principal, project_id)
    rows = repo.list_artifacts(session, project_id=project.id)
    return ArtifactsPublic(
        data=[ArtifactPublic(path=a.path, size=a.size, sha256=a.sha256, task_id=a.task_id)
              for a in rows],
        count=len(rows),
    )


@router.get("/{project_id}/artifacts.zip", dependencies=READ, response_class=Response,
            responses={200: {"content": {"application/zip": {"schema": {
                "type": "string", "format": "binary"}}}, "description": "the files, zipped"}})
def download_artifacts(session: SessionDep, principal: CurrentPrincipal,
                       project_id: ProjectId) -> Response:
    """Every file of the project in one zip archive."""
    project = service.visible(session, principal, project_id)
    filename, data = service.artifacts_zip(session, project)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


DeploymentId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


@router.post("/{project_id}/deployments", response_model=DeploymentPublic, status_code=202,
             dependencies=[Depends(require("deployments:create"))])
def create_deployment(request: Request, response: Response, background: BackgroundTasks,
                      state: StateDep, session: SessionDep, principal: CurrentPrincipal,
                      project_id: ProjectId, body: DeploymentCreate) -> DeploymentPublic:
    """Deploy a succeeded project: 202 with the deployment (`pending`), carried out in the
    background; poll `Location` until its status is final (running, succeeded or failed)."""
    deployment = deployments.public(
        deployments.create(session, request, principal, project_id, body)
    )
    # Background tasks run after the response, so after the session has committed the
    # request: only then can the engine find the row.
    background.add_task(state.deployments.submit, deployment.id)
    response.headers["Location"] = f"/v1/projects/{project_id}/deployments/{deployment.id}"
    return deployment


@router.get("/{project_id}/deployments", response_model=DeploymentsPublic, dependencies=READ)
def list_deployments(session: SessionDep, principal: CurrentPrincipal, project_id: ProjectId,
                     page: PageDep) -> DeploymentsPublic:
    """The project's deployments, newest first."""
    rows, count = deployments.list_page(session, principal, project_id, page)
    return DeploymentsPublic(data=[deployments.public(d) for d in rows], count=count)


@router.get("/{project_id}/deployments/{deployment_id}", response_model=DeploymentPublic,
            dependencies=READ)
def read_deployment(session: SessionDep, principal: CurrentPrincipal, project_id: ProjectId,
                    deployment_id: DeploymentId) -> DeploymentPublic:
    """One deployment of the project: its status, URL and, if it failed, why."""
    return deployments.public(deployments.get(session, principal, project_id, deployment_id))
