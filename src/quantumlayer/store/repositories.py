"""Repositories: keyword-only service functions over the store, each taking its Session explicitly.

Verbs: `get` (None when missing), `get_or_raise` (NotFound), `list`, `count`, `create`, `update`,
`delete`, and `record` / `save` for idempotent writes. No function commits: the caller owns the
transaction (`with factory.begin() as session: ...`) and should keep it short on SQLite.

Idempotency. Temporal retries activities, and a retried task must not duplicate rows. Every
`record_*` and `save_artifacts` is one INSERT ... ON CONFLICT on a natural key (for task
executions the key is workflow id + task id, never the run id), so it holds under concurrency too:
two workers recording the same thing at once produce one row and no IntegrityError. The dialect's
own insert construct (SQLite or PostgreSQL) is chosen from the session's bind.

Inputs are checked here, at the edge: artifact paths go through `safe_relative_path`, enumerated
values (statuses, kinds, roles) and key lengths are checked, and bad input raises `UserError`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy import (
    CursorResult,
    Executable,
    Table,
    delete,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quantumlayer.domain import AgentRole, safe_relative_path
from quantumlayer.errors import NotFound, UserError
from quantumlayer.security.pii import redact
from quantumlayer.store.models import (
    Agent,
    AgentConfiguration,
    AgentInteraction,
    ArtifactBlob,
    ArtifactRecord,
    Base,
    Deployment,
    DeploymentTarget,
    DeploymentTargetKind,
    ExecutionStatus,
    InteractionKind,
    PerformanceMetric,
    Project,
    ProjectStatus,
    ProjectTemplate,
    User,
    UTCDateTime,
    Workflow,
    WorkflowExecution,
    utcnow,
)

ModelT = TypeVar("ModelT", bound=Base)

MAX_ARTIFACT_PATH = 1024
MAX_PAGE = 1000
# Rows per statement when a list of keys goes into IN (...); far below SQLite's variable limit.
_CHUNK = 500


# --- helpers -----------------------------------------------------------------------------------


def _insert(session: Session, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT (with ON CONFLICT support) for `model`'s table."""
    table: Table = model.__table__  # type: ignore[assignment]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise UserError(f"unsupported database {dialect!r}: use SQLite or PostgreSQL")


def _key(value: str, what: str, *, max_len: int = 64) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"{what} must be a non-empty string, got {value!r}")
    if len(value) > max_len:
        raise UserError(f"{what} is longer than {max_len} characters: {value[:40]!r}...")
    return value


def _choice(value: str | StrEnum, allowed: type[StrEnum], what: str) -> str:
    try:
        return allowed(value).value
    except ValueError:
        choices = ", ".join(m.value for m in allowed)
        raise UserError(f"invalid {what} {value!r}: expected one of {choices}") from None


def _json(value: Mapping[str, Any] | BaseModel | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return dict(value)


def _write(session: Session, stmt: Executable) -> int:
    """Execute an UPDATE or DELETE, bypassing the ORM's identity-map sync; rows matched."""
    result = session.execute(stmt, execution_options={"synchronize_session": False})
    return int(cast(CursorResult[Any], result).rowcount)


def _aware(value: datetime | None, what: str) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise UserError(f"{what} must be timezone-aware (e.g. datetime.now(UTC)), got {value!r}")
    return value


def _page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_PAGE:
        raise UserError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise UserError(f"offset must not be negative, got {offset}")
    return limit, offset


def _fields(
    fields: Mapping[str, Any], allowed: frozenset[str], what: str
) -> dict[str, Any]:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(f"cannot update {what} field(s): {', '.join(unknown)}")
    return dict(fields)


def _refresh(session: Session, model: type[ModelT], key: Any) -> ModelT:
    obj = session.get(model, key, populate_existing=True)
    if obj is None:  # only possible if someone deleted it in between
        raise NotFound(f"{model.__tablename__} {key!r} not found")
    return obj


def _create_unique(
    session: Session, model: type[ModelT], values: dict[str, Any], what: str
) -> ModelT:
    """INSERT a row whose natural key is unique; UserError (not IntegrityError) if taken."""
    table: Table = model.__table__  # type: ignore[assignment]
    stmt = _insert(session, model).values(**values).on_conflict_do_nothing()
    new_id = session.execute(stmt.returning(table.c.id)).scalar_one_or_none()
    if new_id is None:
        raise UserError(f"{what} already exists")
    return _refresh(session, model, new_id)


# --- projects ----------------------------------------------------------------------------------

_PROJECT_UPDATABLE = frozenset(
    {
        "name", "title", "project_type", "status", "spec", "options", "output_dir", "owner_id",
        "summary", "error", "finished_at",
    }
)


def create_project(
    session: Session,
    *,
    id: str,
    intent: str,
    name: str | None = None,
    title: str | None = None,
    project_type: str | None = None,
    spec: Mapping[str, Any] | BaseModel | None = None,
    options: Mapping[str, Any] | BaseModel | None = None,
    output_dir: str | None = None,
    owner_id: str | None = None,
    status: str = ProjectStatus.PENDING,
) -> Project:
    """Create a project (status `pending` unless given). Name, title, type and spec may come
    later, once the intent is analysed (`update_project`). Idempotent for a retried creation:
    the same id with the same intent returns the existing project; a different intent is a
    UserError."""
    _key(id, "project id")
    if name is not None:
        _key(name, "project name", max_len=200)
    now = utcnow()
    values = {
        "id": id, "intent": intent, "name": name,
        "title": title, "project_type": project_type, "spec": _json(spec),
        "options": _json(options), "output_dir": output_dir, "owner_id": owner_id,
        "status": _choice(status, ProjectStatus, "project status"), "summary": None,
        "error": None, "created_at": now, "updated_at": now, "finished_at": None,
    }
    session.execute(_insert(session, Project).values(**values).on_conflict_do_nothing())
    project = _refresh(session, Project, id)
    if project.intent != intent:
        raise UserError(f"project {id!r} already exists")
    return project


def get_project(session: Session, *, project_id: str) -> Project | None:
    """The project with this id, or None."""
    return session.get(Project, project_id)


def get_project_or_raise(session: Session, *, project_id: str) -> Project:
    """The project with this id; NotFound if there is none."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"project {project_id!r} not found")
    return project


def list_projects(
    session: Session,
    *,
    limit: int = 50,
    offset: int = 0,
    status: str | None = None,
    owner_id: str | None = None,
) -> list[Project]:
    """Projects, newest first, optionally only those with `status` or owned by `owner_id`."""
    limit, offset = _page(limit, offset)
    stmt = select(Project).order_by(Project.created_at.desc(), Project.id.desc())
    if status is not None:
        stmt = stmt.where(Project.status == _choice(status, ProjectStatus, "project status"))
    if owner_id is not None:
        stmt = stmt.where(Project.owner_id == owner_id)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def count_projects(
    session: Session, *, status: str | None = None, owner_id: str | None = None
) -> int:
    """How many projects `list_projects` would page through with the same filters."""
    stmt = select(func.count()).select_from(Project)
    if status is not None:
        stmt = stmt.where(Project.status == _choice(status, ProjectStatus, "project status"))
    if owner_id is not None:
        stmt = stmt.where(Project.owner_id == owner_id)
    return session.scalar(stmt) or 0


def update_project(session: Session, *, project_id: str, **fields: Any) -> Project:
    """Set some of: name, title, project_type, status, spec, options, output_dir, owner_id,
    summary, error, finished_at. NotFound if the project does not exist."""
    values = _fields(fields, _PROJECT_UPDATABLE, "project")
    if "status" in values:
        values["status"] = _choice(values["status"], ProjectStatus, "project status")
    for name in ("spec", "options", "summary"):
        if name in values:
            values[name] = _json(values[name])
    if "finished_at" in values:
        _aware(values["finished_at"], "finished_at")
    values["updated_at"] = utcnow()
    matched = _write(
        session,
        update(Project).where(Project.id == project_id).values(**values),
    )
    if matched == 0:
        raise NotFound(f"project {project_id!r} not found")
    return _refresh(session, Project, project_id)


def delete_project(session: Session, *, project_id: str) -> None:
    """Delete a project and everything recorded about it (workflows, tasks, agents,
    interactions, artifacts, deployments, metrics). Blobs stay until `prune_artifact_blobs`."""
    if _write(session, delete(Project).where(Project.id == project_id)) == 0:
        raise NotFound(f"project {project_id!r} not found")


# --- workflows and task executions --------------------------------------------------------------


def record_workflow(
    session: Session,
    *,
    workflow_id: str,
    project_id: str,
    run_id: str | None = None,
    task_queue: str | None = None,
) -> Workflow:
    """Record that a Temporal workflow builds a project (idempotent; a new run id replaces the
    old one, e.g. after continue-as-new or a reset)."""
    _key(workflow_id, "workflow id", max_len=255)
    ins = _insert(session, Workflow)
    table = Workflow.__table__
    stmt = ins.values(
        id=workflow_id, project_id=project_id, run_id=run_id, task_queue=task_queue,
        status=ExecutionStatus.RUNNING.value, started_at=utcnow(), closed_at=None,
    ).on_conflict_do_update(
        index_elements=["id"],
        set_={
            "run_id": func.coalesce(ins.excluded.run_id, table.c.run_id),
            "task_queue": func.coalesce(ins.excluded.task_queue, table.c.task_queue),
        },
    )
    session.execute(stmt)
    return _refresh(session, Workflow, workflow_id)


def get_workflow(session: Session, *, workflow_id: str) -> Workflow | None:
    """The workflow with this Temporal workflow id, or None."""
    return session.get(Workflow, workflow_id)


def list_workflows(session: Session, *, project_id: str) -> list[Workflow]:
    """The workflows of a project, oldest first."""
    stmt = (
        select(Workflow).where(Workflow.project_id == project_id)
        .order_by(Workflow.started_at, Workflow.id)
    )
    return list(session.scalars(stmt))


def update_workflow(
    session: Session, *, workflow_id: str, status: str, closed_at: datetime | None = None
) -> Workflow:
    """Set a workflow's status (and when it closed). NotFound if it was never recorded."""
    matched = _write(
        session,
        update(Workflow).where(Workflow.id == workflow_id)
        .values(status=_choice(status, ExecutionStatus, "workflow status"),
                closed_at=_aware(closed_at, "closed_at")),
    )
    if matched == 0:
        raise NotFound(f"workflow {workflow_id!r} not found")
    return _refresh(session, Workflow, workflow_id)


def _ensure_workflow(session: Session, *, workflow_id: str, project_id: str) -> None:
    # Task rows reference their workflow; an activity may record its task before (or without)
    # anyone recording the workflow, so make sure the parent row exists.
    session.execute(
        _insert(session, Workflow).values(
            id=_key(workflow_id, "workflow id", max_len=255), project_id=project_id,
            status=ExecutionStatus.RUNNING.value, started_at=utcnow(),
        ).on_conflict_do_nothing(index_elements=["id"])
    )


def record_task_started(
    session: Session,
    *,
    workflow_id: str,
    project_id: str,
    task_id: str,
    role: str | None = None,
    title: str | None = None,
    attempt: int = 1,
) -> None:
    """Record that an attempt of a task started: one row per (workflow_id, task_id), whose
    status becomes `running` and whose attempt becomes `attempt` (Temporal's attempt number)."""
    _key(task_id, "task id")
    _ensure_workflow(session, workflow_id=workflow_id, project_id=project_id)
    now = utcnow()
    ins = _insert(session, WorkflowExecution)
    table = WorkflowExecution.__table__
    stmt = ins.values(
        workflow_id=workflow_id, project_id=project_id, task_id=task_id, role=role, title=title,
        status=ExecutionStatus.RUNNING.value, attempt=attempt, started_at=now, finished_at=None,
        duration_s=None, error=None, updated_at=now,
    ).on_conflict_do_update(
        index_elements=["workflow_id", "task_id"],
        set_={
            "role": func.coalesce(ins.excluded.role, table.c.role),
            "title": func.coalesce(ins.excluded.title, table.c.title),
            "status": ins.excluded.status, "attempt": ins.excluded.attempt,
            "started_at": ins.excluded.started_at, "finished_at": None, "duration_s": None,
            "error": None, "updated_at": ins.excluded.updated_at,
        },
    )
    session.execute(stmt)


def record_task_finished(
    session: Session,
    *,
    workflow_id: str,
    task_id: str,
    status: str,
    duration_s: float | None = None,
    error: str | None = None,
    project_id: str | None = None,
    role: str | None = None,
    title: str | None = None,
    attempt: int | None = None,
) -> None:
    """Record how a task ended, on its one row per (workflow_id, task_id).

    With `project_id` the row is created if `record_task_started` never ran; without, it must
    exist (NotFound otherwise). With `attempt`, a report from an older attempt than the row's
    (a worker that timed out but kept running) is ignored, so it cannot overwrite the outcome
    of the attempt that replaced it.
    """
    _key(task_id, "task id")
    status = _choice(status, ExecutionStatus, "task status")
    now = utcnow()
    table = WorkflowExecution.__table__
    if project_id is None:
        row = WorkflowExecution
        where = (row.workflow_id == workflow_id, row.task_id == task_id)
        change = update(row).where(*where).values(
            status=status, finished_at=now, duration_s=duration_s, error=error, updated_at=now,
            role=func.coalesce(role, row.role), title=func.coalesce(title, row.title),
        )
        if attempt is not None:
            change = change.where(row.attempt <= attempt).values(attempt=attempt)
        if _write(session, change) == 0 and not session.scalar(select(exists().where(*where))):
            raise NotFound(f"task {task_id!r} of workflow {workflow_id!r} was never started")
        return
    _ensure_workflow(session, workflow_id=workflow_id, project_id=project_id)
    ins = _insert(session, WorkflowExecution)
    set_: dict[str, Any] = {
        "role": func.coalesce(ins.excluded.role, table.c.role),
        "title": func.coalesce(ins.excluded.title, table.c.title),
        "status": ins.excluded.status, "finished_at": ins.excluded.finished_at,
        "duration_s": ins.excluded.duration_s, "error": ins.excluded.error,
        "updated_at": ins.excluded.updated_at,
    }
    if attempt is not None:
        set_["attempt"] = ins.excluded.attempt
    stmt = ins.values(
        workflow_id=workflow_id, project_id=project_id, task_id=task_id, role=role, title=title,
        status=status, attempt=attempt or 1, started_at=None, finished_at=now,
        duration_s=duration_s, error=error, updated_at=now,
    ).on_conflict_do_update(
        index_elements=["workflow_id", "task_id"], set_=set_,
        where=None if attempt is None else table.c.attempt <= ins.excluded.attempt,
    )
    session.execute(stmt)


def list_task_executions(
    session: Session, *, project_id: str, workflow_id: str | None = None
) -> list[WorkflowExecution]:
    """The task rows of a project (optionally of one workflow), in the order tasks first ran."""
    stmt = select(WorkflowExecution).where(WorkflowExecution.project_id == project_id)
    if workflow_id is not None:
        stmt = stmt.where(WorkflowExecution.workflow_id == workflow_id)
    return list(session.scalars(stmt.order_by(WorkflowExecution.id)))


# --- artifacts ---------------------------------------------------------------------------------


class StoredArtifact(NamedTuple):
    """A generated file as stored: where it is, what its content hashes to, who wrote it."""

    path: str
    sha256: str
    size: int
    task_id: str | None


def _artifact_path(path: str) -> str:
    try:
        norm = safe_relative_path(path)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if len(norm) > MAX_ARTIFACT_PATH:
        raise UserError(f"artifact path longer than {MAX_ARTIFACT_PATH} characters: {norm[:60]!r}")
    return norm


def save_artifacts(
    session: Session,
    *,
    project_id: str,
    task_id: str | None = None,
    files: Iterable[tuple[str, str]] | Mapping[str, str],
) -> list[StoredArtifact]:
    """Store generated files of a project, content-addressed and idempotent.

    Saving the same path with the same content again changes nothing; new content for a path
    replaces the old (last writer wins); each distinct content is stored once. Every path is
    checked before anything is written: one path escaping the project (`../x`, `/etc/x`) is a
    UserError and no file of the batch is saved.
    """
    if task_id is not None:
        _key(task_id, "task id")
    items = files.items() if isinstance(files, Mapping) else files
    prepared: dict[str, tuple[str, bytes]] = {}
    for path, content in items:
        if not isinstance(content, str):
            raise UserError(f"content of {path!r} must be text, got {type(content).__name__}")
        data = content.encode("utf-8")
        # A path given twice (perhaps spelled differently) keeps its last content.
        prepared[_artifact_path(path)] = (hashlib.sha256(data).hexdigest(), data)
    if not prepared:
        return []

    now = utcnow()
    blobs = dict(prepared.values())
    shas = sorted(blobs)
    present: set[str] = set()
    for start in range(0, len(shas), _CHUNK):
        chunk = shas[start:start + _CHUNK]
        present.update(
            session.scalars(select(ArtifactBlob.sha256).where(ArtifactBlob.sha256.in_(chunk)))
        )
    # Skip the content of blobs already stored (a retry sends only hashes), and rely on
    # ON CONFLICT for one stored by a concurrent writer in the meantime. Sorted keys keep the
    # lock order the same in every transaction, so concurrent batches cannot deadlock.
    missing = [sha for sha in shas if sha not in present]
    if missing:
        session.execute(
            _insert(session, ArtifactBlob).on_conflict_do_nothing(index_elements=["sha256"]),
            [
                {"sha256": sha, "content": blobs[sha], "size": len(blobs[sha]), "created_at": now}
                for sha in missing
            ],
        )

    ins = _insert(session, ArtifactRecord)
    table = ArtifactRecord.__table__
    stmt = ins.on_conflict_do_update(
        index_elements=["project_id", "path"],
        set_={
            "sha256": ins.excluded.sha256, "size": ins.excluded.size,
            "task_id": ins.excluded.task_id, "updated_at": ins.excluded.updated_at,
        },
        # Same content again: leave the row (and its writer) alone.
        where=table.c.sha256 != ins.excluded.sha256,
    )
    rows = [
        StoredArtifact(path, sha, len(data), task_id)
        for path, (sha, data) in sorted(prepared.items())
    ]
    session.execute(
        stmt,
        [
            {
                "project_id": project_id, "path": row.path, "sha256": row.sha256,
                "size": row.size, "task_id": task_id, "created_at": now, "updated_at": now,
            }
            for row in rows
        ],
    )
    return rows


def list_artifacts(session: Session, *, project_id: str) -> list[StoredArtifact]:
    """The files of a project, by path."""
    stmt = (
        select(ArtifactRecord.path, ArtifactRecord.sha256, ArtifactRecord.size,
               ArtifactRecord.task_id)
        .where(ArtifactRecord.project_id == project_id)
        .order_by(ArtifactRecord.path)
    )
    return [StoredArtifact(*row) for row in session.execute(stmt)]


def read_artifact(session: Session, *, project_id: str, path: str) -> str:
    """The content of one file of a project; NotFound if the project has no such file."""
    norm = _artifact_path(path)
    stmt = (
        select(ArtifactBlob.content)
        .join(ArtifactRecord, ArtifactRecord.sha256 == ArtifactBlob.sha256)
        .where(ArtifactRecord.project_id == project_id, ArtifactRecord.path == norm)
    )
    content = session.scalar(stmt)
    if content is None:
        raise NotFound(f"project {project_id!r} has no file {norm!r}")
    return bytes(content).decode("utf-8")


def artifact_files(session: Session, *, project_id: str) -> dict[str, str]:
    """Every file of a project, path -> content, by path."""
    stmt = (
        select(ArtifactRecord.path, ArtifactBlob.content)
        .join(ArtifactBlob, ArtifactRecord.sha256 == ArtifactBlob.sha256)
        .where(ArtifactRecord.project_id == project_id)
        .order_by(ArtifactRecord.path)
    )
    return {path: bytes(content).decode("utf-8") for path, content in session.execute(stmt)}


def prune_artifact_blobs(session: Session) -> int:
    """Delete stored contents no artifact refers to any more (after projects were deleted);
    return how many. Run it from maintenance (retention), not alongside project runs."""
    referenced = exists().where(ArtifactRecord.sha256 == ArtifactBlob.sha256)
    return _write(session, delete(ArtifactBlob).where(~referenced))


# --- agents and their interactions ---------------------------------------------------------------


def record_agent_spawned(
    session: Session,
    *,
    project_id: str,
    task_id: str,
    role: str,
    provider: str | None = None,
    model: str | None = None,
    spawn_time_s: float | None = None,
) -> None:
    """Record the agent working on a task (one row per project + task; a retry respawns it)."""
    _key(task_id, "task id")
    ins = _insert(session, Agent)
    stmt = ins.values(
        project_id=project_id, task_id=task_id, role=_choice(role, AgentRole, "agent role"),
        provider=provider, model=model, status="active", spawned_at=utcnow(),
        destroyed_at=None, spawn_time_s=spawn_time_s,
    ).on_conflict_do_update(
        index_elements=["project_id", "task_id"],
        set_={
            "role": ins.excluded.role, "provider": ins.excluded.provider,
            "model": ins.excluded.model, "status": ins.excluded.status,
            "spawned_at": ins.excluded.spawned_at, "destroyed_at": None,
            "spawn_time_s": ins.excluded.spawn_time_s,
        },
    )
    session.execute(stmt)


def record_agent_destroyed(
    session: Session,
    *,
    project_id: str,
    task_id: str,
    status: str = "destroyed",
    spawn_time_s: float | None = None,
) -> None:
    """Record that a task's agent is gone (idempotent: the first destruction time is kept),
    and how long it took to spawn if that was measured only now. NotFound if no agent was
    spawned for the task."""
    values: dict[str, Any] = {
        "status": _key(status, "agent status", max_len=16),
        "destroyed_at": func.coalesce(Agent.destroyed_at, literal(utcnow(), UTCDateTime())),
    }
    if spawn_time_s is not None:
        values["spawn_time_s"] = spawn_time_s
    matched = _write(
        session,
        update(Agent)
        .where(Agent.project_id == project_id, Agent.task_id == task_id)
        .values(**values),
    )
    if matched == 0:
        raise NotFound(f"no agent for task {task_id!r} of project {project_id!r}")


def list_agents(session: Session, *, project_id: str) -> list[Agent]:
    """The agents of a project, in the order they were first spawned."""
    return list(session.scalars(select(Agent).where(Agent.project_id == project_id)
                                .order_by(Agent.id)))


def record_interaction(
    session: Session,
    *,
    project_id: str,
    task_id: str,
    agent_role: str,
    kind: str,
    sequence: int,
    content: str,
    prompt_version: str | None = None,
    provider: str | None = None,
    model: str | None = None,
    tokens_in: int = 0,
    tokens_out: int = 0,
    cost_usd: float = 0.0,
) -> None:
    """Record a prompt, response, review, answer or note of a task's agent, numbered by
    `sequence` within (task, kind). Idempotent on (project, task, kind, sequence): a retried task
    overwrites its earlier record (last writer wins) rather than adding one.

    The record is a record only: `content` is stored with personal data and credentials
    redacted (`security.pii.redact`), so a prompt quoting an intent's e-mail address or an
    answer holding an API key never reaches the table. The files an agent produced are stored,
    unredacted, by `save_artifacts`; nothing builds a project from these records (the repair
    loop only compares earlier answers with new ones, in the same redacted form)."""
    _key(task_id, "task id")
    if sequence < 0:
        raise UserError(f"sequence must not be negative, got {sequence}")
    ins = _insert(session, AgentInteraction)
    stmt = ins.values(
        project_id=project_id, task_id=task_id,
        agent_role=_key(agent_role, "agent role", max_len=32),
        kind=_choice(kind, InteractionKind, "interaction kind"), sequence=sequence,
        content=redact(content), prompt_version=prompt_version, provider=provider,
        model=model, tokens_in=tokens_in, tokens_out=tokens_out, cost_usd=cost_usd,
        created_at=utcnow(),
    ).on_conflict_do_update(
        index_elements=["project_id", "task_id", "kind", "sequence"],
        set_={
            name: ins.excluded[name]
            for name in ("agent_role", "content", "prompt_version", "provider", "model",
                         "tokens_in", "tokens_out", "cost_usd")
        },
    )
    session.execute(stmt)


def list_interactions(
    session: Session, *, project_id: str, task_id: str | None = None
) -> list[AgentInteraction]:
    """The interactions of a project (optionally of one task), in the order first recorded."""
    stmt = select(AgentInteraction).where(AgentInteraction.project_id == project_id)
    if task_id is not None:
        stmt = stmt.where(AgentInteraction.task_id == task_id)
    return list(session.scalars(stmt.order_by(AgentInteraction.id)))


# --- metrics -----------------------------------------------------------------------------------


def record_metric(
    session: Session,
    *,
    name: str,
    value: float,
    unit: str = "",
    project_id: str | None = None,
    labels: Mapping[str, Any] | None = None,
    key: str | None = None,
    recorded_at: datetime | None = None,
) -> None:
    """Record a measured value. With `key` it is recorded once whatever the retries (the
    first value stays); without, every call adds a row."""
    ins = _insert(session, PerformanceMetric).values(
        project_id=project_id, name=_key(name, "metric name", max_len=200), value=float(value),
        unit=unit, labels=_json(labels),
        key=None if key is None else _key(key, "metric key", max_len=255),
        recorded_at=_aware(recorded_at, "recorded_at") or utcnow(),
    )
    stmt = ins if key is None else ins.on_conflict_do_nothing(index_elements=["key"])
    session.execute(stmt)


def list_metrics(
    session: Session,
    *,
    name: str | None = None,
    project_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[PerformanceMetric]:
    """Recorded values, newest first, optionally of one metric and/or one project."""
    limit, offset = _page(limit, offset)
    stmt = select(PerformanceMetric)
    if name is not None:
        stmt = stmt.where(PerformanceMetric.name == name)
    if project_id is not None:
        stmt = stmt.where(PerformanceMetric.project_id == project_id)
    stmt = stmt.order_by(PerformanceMetric.recorded_at.desc(), PerformanceMetric.id.desc())
    return list(session.scalars(stmt.limit(limit).offset(offset)))


# --- deployments -------------------------------------------------------------------------------

_DEPLOYMENT_UPDATABLE = frozenset({"status", "url", "details", "finished_at"})


def create_deployment(
    session: Session,
    *,
    project_id: str,
    target: str,
    status: str = "pending",
    url: str | None = None,
    details: Mapping[str, Any] | None = None,
    id: str | None = None,
) -> Deployment:
    """Create a deployment of a project (a new random id unless given); NotFound if the project
    does not exist."""
    get_project_or_raise(session, project_id=project_id)
    deployment = Deployment(
        id=_key(id, "deployment id") if id is not None else uuid.uuid4().hex,
        project_id=project_id, target=_key(target, "deployment target"),
        status=_key(status, "deployment status", max_len=16), url=url, details=_json(details),
        created_at=utcnow(),
    )
    session.add(deployment)
    session.flush()
    return deployment


def get_deployment(session: Session, *, deployment_id: str) -> Deployment | None:
    """The deployment with this id, or None."""
    return session.get(Deployment, deployment_id)


def get_deployment_or_raise(session: Session, *, deployment_id: str) -> Deployment:
    """The deployment with this id; NotFound if there is none."""
    deployment = session.get(Deployment, deployment_id)
    if deployment is None:
        raise NotFound(f"deployment {deployment_id!r} not found")
    return deployment


def list_deployments(
    session: Session, *, project_id: str | None = None, limit: int = 50, offset: int = 0
) -> list[Deployment]:
    """Deployments, newest first, optionally of one project."""
    limit, offset = _page(limit, offset)
    stmt = select(Deployment)
    if project_id is not None:
        stmt = stmt.where(Deployment.project_id == project_id)
    stmt = stmt.order_by(Deployment.created_at.desc(), Deployment.id.desc())
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def count_deployments(session: Session, *, project_id: str | None = None) -> int:
    """How many deployments `list_deployments` would page through for the same project."""
    stmt = select(func.count()).select_from(Deployment)
    if project_id is not None:
        stmt = stmt.where(Deployment.project_id == project_id)
    return session.scalar(stmt) or 0


def update_deployment(session: Session, *, deployment_id: str, **fields: Any) -> Deployment:
    """Set some of: status, url, details, finished_at. NotFound if there is no such deployment."""
    values = _fields(fields, _DEPLOYMENT_UPDATABLE, "deployment")
    if "status" in values:
        values["status"] = _key(values["status"], "deployment status", max_len=16)
    if "details" in values:
        values["details"] = _json(values["details"])
    if "finished_at" in values:
        _aware(values["finished_at"], "finished_at")
    matched = _write(
        session,
        update(Deployment).where(Deployment.id == deployment_id).values(**values),
    )
    if matched == 0:
        raise NotFound(f"deployment {deployment_id!r} not found")
    return _refresh(session, Deployment, deployment_id)


def create_deployment_target(
    session: Session, *, name: str, kind: str, config: Mapping[str, Any] | None = None
) -> DeploymentTarget:
    """Create a named deployment target; UserError if the name is taken."""
    values = {
        "name": _key(name, "deployment target name", max_len=200),
        "kind": _choice(kind, DeploymentTargetKind, "deployment target kind"),
        "config": _json(config), "created_at": utcnow(),
    }
    return _create_unique(session, DeploymentTarget, values, f"deployment target {name!r}")


def get_deployment_target(session: Session, *, name: str) -> DeploymentTarget | None:
    """The deployment target with this name, or None."""
    return session.scalar(select(DeploymentTarget).where(DeploymentTarget.name == name))


def get_deployment_target_or_raise(session: Session, *, name: str) -> DeploymentTarget:
    """The deployment target with this name; NotFound if there is none."""
    target = get_deployment_target(session, name=name)
    if target is None:
        raise NotFound(f"deployment target {name!r} not found")
    return target


def list_deployment_targets(session: Session) -> list[DeploymentTarget]:
    """Every deployment target, by name."""
    return list(session.scalars(select(DeploymentTarget).order_by(DeploymentTarget.name)))


# --- agent configurations ----------------------------------------------------------------------

_AGENT_CONFIGURATION_UPDATABLE = frozenset(
    {"provider", "model", "temperature", "prompt_version", "max_tokens", "enabled"}
)


def create_agent_configuration(
    session: Session,
    *,
    role: str,
    provider: str,
    model: str,
    temperature: float = 0.2,
    prompt_version: str = "v1",
    max_tokens: int = 4096,
    enabled: bool = True,
) -> AgentConfiguration:
    """Configure which provider and model an agent role uses; UserError if the role already
    has a configuration (update it instead)."""
    role = _choice(role, AgentRole, "agent role")
    now = utcnow()
    values = {
        "role": role, "provider": _key(provider, "provider"),
        "model": _key(model, "model", max_len=128),
        "temperature": temperature, "prompt_version": prompt_version, "max_tokens": max_tokens,
        "enabled": enabled, "created_at": now, "updated_at": now,
    }
    return _create_unique(session, AgentConfiguration, values, f"configuration of role {role!r}")


def get_agent_configuration(session: Session, *, role: str) -> AgentConfiguration | None:
    """The configuration of an agent role, or None."""
    return session.scalar(select(AgentConfiguration).where(AgentConfiguration.role == role))


def list_agent_configurations(session: Session) -> list[AgentConfiguration]:
    """Every agent configuration, by role."""
    return list(session.scalars(select(AgentConfiguration).order_by(AgentConfiguration.role)))


def update_agent_configuration(
    session: Session, *, role: str, **fields: Any
) -> AgentConfiguration:
    """Set some of: provider, model, temperature, prompt_version, max_tokens, enabled.
    NotFound if the role has no configuration."""
    values = _fields(fields, _AGENT_CONFIGURATION_UPDATABLE, "agent configuration")
    values["updated_at"] = utcnow()
    matched = _write(
        session,
        update(AgentConfiguration).where(AgentConfiguration.role == role).values(**values),
    )
    if matched == 0:
        raise NotFound(f"no configuration for agent role {role!r}")
    stmt = select(AgentConfiguration).where(AgentConfiguration.role == role)
    return session.scalars(stmt.execution_options(populate_existing=True)).one()


# --- project templates -------------------------------------------------------------------------


def create_project_template(
    session: Session,
    *,
    name: str,
    project_type: str,
    description: str = "",
    files: Mapping[str, Any] | None = None,
    version: str = "1",
) -> ProjectTemplate:
    """Create a named project template; UserError if the name is taken."""
    now = utcnow()
    values = {
        "name": _key(name, "template name", max_len=200),
        "project_type": _key(project_type, "project type", max_len=32),
        "description": description, "files": _json(files), "version": version,
        "created_at": now, "updated_at": now,
    }
    return _create_unique(session, ProjectTemplate, values, f"project template {name!r}")


def get_project_template(session: Session, *, name: str) -> ProjectTemplate | None:
    """The project template with this name, or None."""
    return session.scalar(select(ProjectTemplate).where(ProjectTemplate.name == name))


def list_project_templates(
    session: Session, *, project_type: str | None = None
) -> list[ProjectTemplate]:
    """Project templates, by name, optionally of one project type."""
    stmt = select(ProjectTemplate)
    if project_type is not None:
        stmt = stmt.where(ProjectTemplate.project_type == project_type)
    return list(session.scalars(stmt.order_by(ProjectTemplate.name)))


# --- users -------------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    username: str,
    email: str | None = None,
    password_hash: str | None = None,
    role: str = "viewer",
    is_active: bool = True,
    id: str | None = None,
) -> User:
    """Create a user (a new random id unless given); UserError if the username is taken.
    `password_hash` is stored as given: hash it (quantumlayer.security) before calling."""
    now = utcnow()
    values = {
        "id": _key(id, "user id") if id is not None else uuid.uuid4().hex,
        "username": _key(username, "username", max_len=150), "email": email,
        "password_hash": password_hash, "role": _key(role, "user role", max_len=32),
        "is_active": is_active, "created_at": now, "updated_at": now,
    }
    return _create_unique(session, User, values, f"user {username!r}")


def get_user(session: Session, *, user_id: str) -> User | None:
    """The user with this id, or None."""
    return session.get(User, user_id)


def get_user_or_raise(session: Session, *, user_id: str) -> User:
    """The user with this id; NotFound if there is none."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id!r} not found")
    return user


def get_user_by_username(session: Session, *, username: str) -> User | None:
    """The user with this username, or None."""
    return session.scalar(select(User).where(User.username == username))


def list_users(session: Session, *, limit: int = 50, offset: int = 0) -> list[User]:
    """Users, by username."""
    limit, offset = _page(limit, offset)
    stmt = select(User).order_by(User.username).limit(limit).offset(offset)
    return list(session.scalars(stmt))
