"""Inputs and results of the project workflow and its activities (one model in, one model out).

Fields may be added with defaults; never removed or renamed while workflows could be running.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from quantumlayer.domain import Spec, Task, TaskGraph, TestReport

ProjectStatus = Literal["pending", "running", "succeeded", "failed", "cancelled"]
TaskState = Literal["pending", "running", "succeeded", "failed", "skipped", "cancelled"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskQueues(_Model):
    workflows: str = "ql-projects"
    intent: str = "ql-intent"
    agents: str = "ql-agents"
    deploy: str = "ql-deploy"

    @classmethod
    def with_prefix(cls, prefix: str) -> TaskQueues:
        return cls(
            workflows=f"{prefix}-projects",
            intent=f"{prefix}-intent",
            agents=f"{prefix}-agents",
            deploy=f"{prefix}-deploy",
        )


class ProjectOptions(_Model):
    max_parallel: int = Field(default=4, ge=1, le=64)
    require_approval: bool = False
    max_repairs: int = Field(default=3, ge=0, le=10)
    run_quality_gate: bool = True
    output_dir: str | None = None
    force: bool = False
    min_task_seconds: float = Field(
        default=0.0,
        ge=0,
        le=600,
        description="pad every agent task to at least this long (demos; durability tests)",
    )
    activity_timeout_s: float = Field(default=600.0, gt=0)
    heartbeat_timeout_s: float = Field(default=10.0, gt=0)
    deploy_target: Literal["local", "kubernetes", "terraform"] | None = Field(
        default=None, description="deploy after a green quality gate (the deploy phase)"
    )
    budget_usd: float | None = Field(
        default=None, ge=0, description="stop cleanly before an LLM call would spend more"
    )
    use_cache: bool = Field(default=True, description="false: bypass the LLM response cache")


class ProjectInput(_Model):
    project_id: str
    intent: str
    options: ProjectOptions = Field(default_factory=ProjectOptions)
    queues: TaskQueues = Field(default_factory=TaskQueues)


class AnalyzeIntentInput(_Model):
    project_id: str
    intent: str


class PlanTasksInput(_Model):
    project_id: str
    spec: Spec


class AgentTaskInput(_Model):
    project_id: str
    workflow_id: str
    spec: Spec
    task: Task
    min_seconds: float = 0.0
    repair_round: int = 0
    failure_output: str | None = None
    budget_usd: float | None = None
    use_cache: bool = True


class LLMUsage(_Model):
    """Provider calls and what they cost (zero with the built-in engine)."""

    calls: int = 0
    cache_hits: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0

    def add(self, other: LLMUsage) -> None:
        self.calls += other.calls
        self.cache_hits += other.cache_hits
        self.tokens_in += other.tokens_in
        self.tokens_out += other.tokens_out
        self.cost_usd = round(self.cost_usd + other.cost_usd, 8)


class AgentTaskResult(_Model):
    task_id: str
    files: list[str] = Field(default_factory=list)
    provider: str = "builtin"
    changed: bool = True
    note: str | None = None
    model: str | None = None
    usage: LLMUsage = Field(default_factory=LLMUsage)


class QualityGateInput(_Model):
    project_id: str
    workflow_id: str
    round: int = 0


class RenderDeploymentInput(_Model):
    project_id: str
    spec: Spec


class DeployInput(_Model):
    project_id: str
    target: Literal["local", "kubernetes", "terraform"]
    deployment_id: str
    dry_run: bool = False


class DeployResult(_Model):
    deployment_id: str | None
    status: str
    url: str | None = None
    error: str | None = None


class ExportInput(_Model):
    project_id: str
    output_dir: str
    force: bool = False


class ExportResult(_Model):
    output_dir: str
    files: int


class TaskProgress(_Model):
    id: str
    title: str
    role: str
    state: TaskState = "pending"
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    usage: LLMUsage = Field(default_factory=LLMUsage)

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return round(self.finished_at - self.started_at, 3)


class TestCounts(_Model):
    __test__ = False  # not a pytest test class

    passed: int = 0
    failed: int = 0
    errors: int = 0


class Progress(_Model):
    """Live state of a project workflow (the `progress` query)."""

    project_id: str
    status: ProjectStatus = "running"
    phase: str = "starting"
    awaiting_approval: bool = False
    tasks: list[TaskProgress] = Field(default_factory=list)
    tests: TestCounts = Field(default_factory=TestCounts)
    repairs: int = 0
    phases: dict[str, float] = Field(default_factory=dict)
    error: str | None = None
    llm: LLMUsage = Field(default_factory=LLMUsage)
    notes: list[str] = Field(default_factory=list)


class ProjectResult(_Model):
    """The workflow's result and the CLI's `--json` summary."""

    project_id: str
    status: ProjectStatus
    output_dir: str | None = None
    tests: TestCounts = Field(default_factory=TestCounts)
    tasks: list[TaskProgress] = Field(default_factory=list)
    files: int = 0
    phases: dict[str, float] = Field(default_factory=dict)
    duration_s: float = 0.0
    repairs: int = 0
    error: str | None = None
    spec_name: str | None = None
    project_type: str | None = None
    deployment: DeployResult | None = None
    llm: LLMUsage = Field(default_factory=LLMUsage)
    notes: list[str] = Field(default_factory=list)


class FinalizeInput(_Model):
    result: ProjectResult
    spec: Spec | None = None
    test_report: TestReport | None = None
    graph: TaskGraph | None = None
