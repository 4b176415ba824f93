"""SQLAlchemy 2 models: every table of the seed's data architecture, plus content-addressed files.

The same models run on SQLite (the embedded default) and PostgreSQL. Portability rules kept here:
JSON columns use `sqlalchemy.JSON`; datetimes are stored as UTC and always come back timezone-aware
(`UTCDateTime`); surrogate keys are BIGINT on PostgreSQL but INTEGER on SQLite, where only
`INTEGER PRIMARY KEY` autoincrements. Constraint names follow one naming convention so that
migrations (including SQLite batch migrations) can refer to them.

The Alembic migrations under `migrations/versions/` must match these models; the integration tests
compare them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL; on SQLite only "INTEGER PRIMARY KEY" aliases the rowid and autoincrements.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")
# JSON that stores Python None as SQL NULL (not the JSON literal `null`).
JSONValue = JSON(none_as_null=True)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL stores `timestamptz`; SQLite has no time zones, so the value is converted to UTC
    and stored naive, then marked UTC again when read. Naive datetimes are refused rather than
    guessed at: they are almost always a `datetime.now()` without `tz=UTC` somewhere.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, _dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ProjectStatus(StrEnum):
    """Where a project run stands."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ExecutionStatus(StrEnum):
    """Where one task of a workflow stands."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class InteractionKind(StrEnum):
    """What an agent interaction records."""

    PROMPT = "prompt"
    RESPONSE = "response"
    REVIEW = "review"
    ANSWER = "answer"
    NOTE = "note"


class DeploymentTargetKind(StrEnum):
    """Where a deployment can go."""

    LOCAL = "local"
    KUBERNETES = "kubernetes"
    TERRAFORM = "terraform"


class Base(DeclarativeBase):
    """Declarative base of every QuantumLayer table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONValue,
        list[Any]: JSONValue,
    }


# --- core entities -----------------------------------------------------------------------------


class User(Base):
    """A person (or service account) who uses the platform."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32), default="viewer")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Project(Base):
    """One idea turned into a project: its intent, spec, options, outcome."""

    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_created_at", "created_at"),
        Index("ix_projects_status", "status"),
        Index("ix_projects_owner_id", "owner_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Name and title come from the Spec, so they are unknown until the intent has been analysed.
    name: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(500))
    intent: Mapped[str] = mapped_column(Text)
    project_type: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=ProjectStatus.PENDING.value)
    spec: Mapped[dict[str, Any] | None]
    options: Mapped[dict[str, Any] | None]
    output_dir: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    summary: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None]


class Workflow(Base):
    """A Temporal workflow that builds a project; the id is Temporal's workflow id."""

    __tablename__ = "workflows"
    __table_args__ = (Index("ix_workflows_project_id", "project_id"),)

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    run_id: Mapped[str | None] = mapped_column(String(255))
    task_queue: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default=ExecutionStatus.RUNNING.value)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class Agent(Base):
    """An agent spawned for one task of a project (one row per task, updated on retry)."""

    __tablename__ = "agents"
    __table_args__ = (UniqueConstraint("project_id", "task_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="active")
    spawned_at: Mapped[datetime] = mapped_column(default=utcnow)
    destroyed_at: Mapped[datetime | None]
    spawn_time_s: Mapped[float | None] = mapped_column(Float)


class Deployment(Base):
    """A deployment of a project to a target."""

    __tablename__ = "deployments"
    __table_args__ = (Index("ix_deployments_project_id", "project_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    url: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


# --- audit and metrics -------------------------------------------------------------------------


class WorkflowExecution(Base):
    """One task of a workflow: one row per (workflow_id, task_id), updated on every attempt."""

    __tablename__ = "workflow_executions"
    __table_args__ = (
        UniqueConstraint("workflow_id", "task_id"),
        Index("ix_workflow_executions_project_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    workflow_id: Mapped[str] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ExecutionStatus.PENDING.value)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    duration_s: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AgentInteraction(Base):
    """A prompt, response, review, answer or note of an agent, numbered within its task."""

    __tablename__ = "agent_interactions"
    __table_args__ = (UniqueConstraint("project_id", "task_id", "kind", "sequence"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_id: Mapped[str] = mapped_column(String(64))
    agent_role: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    prompt_version: Mapped[str | None] = mapped_column(String(64))
    provider: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PerformanceMetric(Base):
    """One measured value; `key`, when given, makes recording it idempotent."""

    __tablename__ = "performance_metrics"
    __table_args__ = (
        Index("ix_performance_metrics_name_recorded_at", "name", "recorded_at"),
        Index("ix_performance_metrics_project_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    project_id: Mapped[str | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32), default="")
    labels: Mapped[dict[str, Any] | None]
    key: Mapped[str | None] = mapped_column(String(255), unique=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- generated files ---------------------------------------------------------------------------


class ArtifactBlob(Base):
    """File content, stored once per SHA-256 (UTF-8 bytes, so NUL and any text survive)."""

    __tablename__ = "artifact_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArtifactRecord(Base):
    """A generated file of a project: its path and the blob holding its current content."""

    __tablename__ = "artifacts"
    __table_args__ = (
        UniqueConstraint("project_id", "path"),
        Index("ix_artifacts_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(ForeignKey("artifact_blobs.sha256"))
    size: Mapped[int] = mapped_column(BigInteger)
    task_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- configuration -----------------------------------------------------------------------------


class ProjectTemplate(Base):
    """A reusable starting point for a project type."""

    __tablename__ = "project_templates"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    project_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[dict[str, Any] | None]
    version: Mapped[str] = mapped_column(String(32), default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AgentConfiguration(Base):
    """Which provider and model an agent role uses, and how."""

    __tablename__ = "agent_configurations"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    role: Mapped[str] = mapped_column(String(32), unique=True)
    provider: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(128))
    temperature: Mapped[float] = mapped_column(Float, default=0.2)
    prompt_version: Mapped[str] = mapped_column(String(64), default="v1")
    max_tokens: Mapped[int] = mapped_column(Integer, default=4096)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DeploymentTarget(Base):
    """A named place to deploy to (this machine, a Kubernetes cluster, a Terraform workspace)."""

    __tablename__ = "deployment_targets"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    config: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The gateway's tables (sessions, API keys, audit log, secrets) live in their own module.
from quantumlayer.store import auth_models  # noqa: E402, F401

TABLE_NAMES: tuple[str, ...] = tuple(sorted(Base.metadata.tables))
