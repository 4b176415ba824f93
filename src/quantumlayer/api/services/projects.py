"""Projects through the API: start one (the workflow), follow it, steer it, fetch its files.

Visibility: a caller sees their own projects; `projects:read_all` sees everyone's. A project the
caller may not see does not exist for them (404 on every `{id}` route, never 403), so ids of
other people's projects cannot be probed.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import uuid
import zipfile
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from temporalio.service import RPCError

from quantumlayer import intent as intent_service
from quantumlayer.api.deps import Page, Principal
from quantumlayer.api.schemas.projects import (
    Cost,
    ProjectCreate,
    ProjectDetail,
    TaskPublic,
    TestCounts,
)
from quantumlayer.api.services import audit
from quantumlayer.api.state import ApiState
from quantumlayer.errors import NotFound, QuantumLayerError, ServiceUnavailable
from quantumlayer.orchestrator.models import ProjectInput, ProjectOptions
from quantumlayer.security.errors import Conflict
from quantumlayer.security.pii import redact, summarize
from quantumlayer.security.rbac import Permission
from quantumlayer.store import auth_repositories as auth_repo
from quantumlayer.store import repositories as repo
from quantumlayer.store.models import Project, utcnow

log = logging.getLogger("quantumlayer.api.projects")
ACTIVE = ("pending", "running")
TERMINAL = ("succeeded", "failed", "cancelled")


def visible(session: Session, principal: Principal, project_id: str) -> Project:
    """The project, if the caller may see it; NotFound otherwise (whether or not it exists)."""
    project = repo.get_project(session, project_id=project_id)
    if project is None or (
        project.owner_id != principal.user_id and not principal.can(Permission.PROJECTS_READ_ALL)
    ):
        raise NotFound(f"project {project_id!r} not found")
    return project


def controllable(session: Session, principal: Principal, project_id: str) -> Project:
    """The project, if the caller may steer it; NotFound if they may not even see it."""
    project = visible(session, principal, project_id)
    if project.owner_id != principal.user_id and not principal.can(
        Permission.PROJECTS_CONTROL_ALL
    ):
        raise NotFound(f"project {project_id!r} not found")
    return project


def list_page(
    session: Session, principal: Principal, page: Page, status: str | None
) -> tuple[list[Project], int]:
    owner = None if principal.can(Permission.PROJECTS_READ_ALL) else principal.user_id
    rows = repo.list_projects(
        session, limit=page.limit, offset=page.offset, status=status, owner_id=owner
    )
    return rows, repo.count_projects(session, status=status, owner_id=owner)


def _record_new(state: ApiState, request: Request, principal: Principal, project_id: str,
                body: ProjectCreate, spec: Any, options: ProjectOptions) -> None:
    with state.sessions.begin() as session:
        repo.create_project(
            session, id=project_id, intent=body.intent, name=spec.name, title=spec.title,
            project_type=spec.project_type.value, options=options.model_dump(mode="json"),
            owner_id=principal.user_id,
        )
        audit.record(session, request, principal, "project.create", target_type="project",
                     target_id=project_id, details={"pii_found": summarize(body.intent)})


def _mark_failed(state: ApiState, project_id: str, error: str) -> None:
    with state.sessions.begin() as session:
        repo.update_project(session, project_id=project_id, status="failed", error=error,
                            finished_at=utcnow())


async def create(state: ApiState, request: Request, principal: Principal,
                 body: ProjectCreate) -> str:
    """Check the intent, record the project, start its workflow; the project id."""
    settings = state.settings
    spec = await run_in_threadpool(
        intent_service.analyze, body.intent, max_chars=settings.max_intent_chars
    )
    # Only what the caller set beyond the defaults goes to the workflow's own options model.
    options = ProjectOptions(**body.options.model_dump(exclude_none=True))
    project_id = uuid.uuid4().hex[:12]
    await run_in_threadpool(_record_new, state, request, principal, project_id, body, spec,
                            options)
    log.info("project %s created by %s: %s", project_id, principal.user_id,
             redact(body.intent[:200]))
    from quantumlayer.orchestrator import client as wf

    try:
        client = await state.temporal.client()
        handle = await wf.start_project(
            client,
            ProjectInput(project_id=project_id, intent=body.intent, options=options,
                         queues=state.queues),
        )
    except (TimeoutError, QuantumLayerError, OSError, RuntimeError, RPCError) as exc:
        await run_in_threadpool(_mark_failed, state, project_id, "the workflow could not start")
        raise ServiceUnavailable(f"cannot start the project's workflow: {exc}") from None

    def record() -> None:
        with state.sessions.begin() as session:
            repo.record_workflow(session, workflow_id=handle.id, project_id=project_id,
                                 run_id=handle.result_run_id or None,
                                 task_queue=state.queues.workflows)

    await run_in_threadpool(record)
    return project_id


async def _live_progress(state: ApiState, project_id: str) -> Any:
    from quantumlayer.orchestrator import client as wf

    try:
        client = await state.temporal.client()
        return await asyncio.wait_for(wf.get_progress(client, project_id), timeout=2)
    except Exception:  # noqa: BLE001 - the database record is the fallback
        return None


def _tasks_from(progress: Any, summary: dict[str, Any] | None,
                executions: list[Any]) -> list[TaskPublic]:
    if progress is not None:
        return [TaskPublic(id=t.id, title=t.title, role=t.role, state=t.state,
                           duration_s=t.duration_s, error=t.error) for t in progress.tasks]
    if summary and summary.get("tasks"):
        out = []
        for t in summary["tasks"]:
            started, finished = t.get("started_at"), t.get("finished_at")
            out.append(TaskPublic(
                id=t["id"], title=t.get("title"), role=t.get("role"),
                state=t.get("state", "pending"), error=t.get("error"),
                duration_s=round(finished - started, 3) if started and finished else None,
            ))
        return out
    return [TaskPublic(id=e.task_id, title=e.title, role=e.role, state=str(e.status),
                       duration_s=e.duration_s, error=e.error) for e in executions]


async def detail(state: ApiState, project: Project) -> ProjectDetail:
    """Everything about a project: status, Spec, tasks (live while it runs), tests, cost."""
    progress = await _live_progress(state, project.id) if project.status in ACTIVE else None

    def load() -> tuple[Any, list[Any]]:
        with state.sessions() as session:
            return (auth_repo.project_usage(session, project_id=project.id),
                    repo.list_task_executions(session, project_id=project.id))

    usage, executions = await run_in_threadpool(load)
    summary = project.summary or {}
    tests = summary.get("tests") or {}
    if progress is not None:
        tests = progress.tests.model_dump()
    return ProjectDetail(
        id=project.id, name=project.name, title=project.title,
        project_type=project.project_type, status=str(project.status),
        owner_id=project.owner_id, created_at=project.created_at,
        finished_at=project.finished_at, error=project.error, intent=project.intent,
        options=project.options, spec=project.spec,
        phase=progress.phase if progress else summary.get("phase"),
        awaiting_approval=bool(progress and progress.awaiting_approval),
        tasks=_tasks_from(progress, summary, executions),
        tests=TestCounts(**{k: int(tests.get(k, 0) or 0) for k in ("passed", "failed", "errors")}),
        cost=Cost(usd=usage.cost_usd, tokens_in=usage.tokens_in, tokens_out=usage.tokens_out),
        pii_found=summarize(project.intent),
    )


async def signal(state: ApiState, request: Request, principal: Principal, project: Project,
                 action: str) -> None:
    """Approve or cancel a running project; Conflict if it is not running."""
    if project.status not in ACTIVE:
        raise Conflict(f"project {project.id} is {project.status}; only a running project can "
                       f"be {action}d")
    from quantumlayer.orchestrator import client as wf

    client = await state.temporal.client()
    try:
        if action == "cancel":
            await wf.cancel_project(client, project.id)
        else:
            await wf.approve_project(client, project.id)
    except Exception as exc:  # noqa: BLE001 - an RPC error: the workflow is not running
        raise Conflict(f"project {project.id} has no running workflow") from exc
    await run_in_threadpool(audit.record_now, state, request, principal, f"project.{action}",
                            target_type="project", target_id=project.id)


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def artifacts_zip(session: Session, project: Project) -> tuple[str, bytes]:
    """The project's files as a zip archive (file name, bytes)."""
    files = repo.artifact_files(session, project_id=project.id)
    if not files:
        raise NotFound(f"project {project.id!r} has no files yet")
    name = _UNSAFE_NAME.sub("-", project.name or project.id).strip("-") or project.id
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(f"{name}/{path}", content)
    return f"{name}.zip", buffer.getvalue()


def _sse(event: str, data: dict[str, Any], event_id: int) -> str:
    return f"id: {event_id}\nevent: {event}\ndata: {json.dumps(data, default=str)}\n\n"


async def events(state: ApiState, request: Request, project_id: str,
                 max_seconds: float = 3600.0) -> AsyncIterator[str]:
    """Server-sent events: a `progress` event whenever the project's progress changes, and an
    `end` event (then the stream closes) once it has finished."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_seconds
    last: dict[str, Any] | None = None
    last_sent = loop.time()
    n = 0

    def load() -> Project | None:
        with state.sessions() as session:
            return repo.get_project(session, project_id=project_id)

    yield "retry: 2000\n\n"
    while loop.time() < deadline:
        if await request.is_disconnected():
            return
        project = await run_in_threadpool(load)
        if project is None:
            return
        status = str(project.status)
        progress = await _live_progress(state, project_id) if status in ACTIVE else None
        payload: dict[str, Any] = {"id": project_id, "status": status}
        if progress is not None:
            payload.update(
                phase=progress.phase, awaiting_approval=progress.awaiting_approval,
                tests=progress.tests.model_dump(),
                tasks=[{"id": t.id, "role": t.role, "state": t.state} for t in progress.tasks],
            )
        if payload != last:
            n += 1
            yield _sse("progress", payload, n)
            last, last_sent = payload, loop.time()
        if status in TERMINAL:
            n += 1
            summary = project.summary or {}
            yield _sse("end", {"id": project_id, "status": status, "error": project.error,
                               "tests": summary.get("tests")}, n)
            return
        if loop.time() - last_sent > 15:
            yield ": keep-alive\n\n"
            last_sent = loop.time()
        await asyncio.sleep(state.settings.sse_interval_s)
