from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from quantumlayer.api.schemas.common import Name, PublicModel, RequestBody, SafeText

Intent = Annotated[SafeText, StringConstraints(min_length=1, max_length=100_000)]


class ProjectOptionsIn(RequestBody):
    # strict: a JSON false is no budget and "yes" no boolean (the document says number, boolean)
    max_parallel: int = Field(default=4, ge=1, le=64, strict=True)
    require_approval: bool = Field(default=False, strict=True)
    max_repairs: int = Field(default=3, ge=0, le=10, strict=True)
    run_quality_gate: bool = Field(default=True, strict=True)
    deploy_target: Literal["local", "kubernetes", "terraform"] | None = Field(
        default=None, description="deploy once the project's tests pass"
    )
    budget_usd: float | None = Field(
        default=None, ge=0, le=100_000, strict=True,
        description="stop before LLM spending passes this",
    )


class ProjectCreate(RequestBody):
    intent: Intent = Field(description="the project, in plain language")
    options: ProjectOptionsIn = Field(default_factory=ProjectOptionsIn)


class TestCounts(PublicModel):
    __test__ = False
    passed: int = 0
    failed: int = 0
    errors: int = 0


class Cost(PublicModel):
    usd: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0


class TaskPublic(PublicModel):
    id: str
    title: str | None = None
    role: str | None = None
    state: str
    duration_s: float | None = None
    error: str | None = None


class ProjectPublic(PublicModel):
    id: str
    name: str | None
    title: str | None
    project_type: str | None
    status: str
    owner_id: str | None
    created_at: datetime
    finished_at: datetime | None
    error: str | None


class ProjectDetail(ProjectPublic):
    intent: str
    options: dict[str, Any] | None
    spec: dict[str, Any] | None
    phase: str | None = None
    awaiting_approval: bool = False
    tasks: list[TaskPublic] = Field(default_factory=list)
    tests: TestCounts = Field(default_factory=TestCounts)
    cost: Cost = Field(default_factory=Cost)
    pii_found: dict[str, int] = Field(
        default_factory=dict, description="kinds of personal data detected in the intent"
    )


class ProjectsPublic(PublicModel):
    data: list[ProjectPublic]
    count: int


class ArtifactPublic(PublicModel):
    path: str
    size: int
    sha256: str
    task_id: str | None


class ArtifactsPublic(PublicModel):
    data: list[ArtifactPublic]
    count: int


class DeploymentCreate(RequestBody):
    target: Name = Field(
        description="`local` (run on the API's machine), `kubernetes` (the kubeconfig's "
        "cluster) or `terraform`, or the name of a target registered at "
        "/v1/deployment-targets (its kind decides which)"
    )
    cloud: Literal["aws", "gcp", "azure"] | None = Field(
        default=None,
        description="terraform only: render the Terraform for this cloud (default: the "
        "registered target's `cloud`, else the Spec's)",
    )


class DeploymentPublic(PublicModel):
    id: str
    project_id: str
    target: str = Field(description="how it is deployed: local, kubernetes or terraform")
    target_name: str | None = Field(
        default=None, description="the registered deployment target used, if any"
    )
    status: str = Field(
        description="pending (accepted), deploying, then running (a local service is up), "
        "succeeded (applied), failed, stopped or replaced"
    )
    url: str | None
    error: str | None = None
    checks: list[str] = Field(
        default_factory=list, description="the validation checks the artefacts passed"
    )
    created_at: datetime
    finished_at: datetime | None


class DeploymentsPublic(PublicModel):
    data: list[DeploymentPublic]
    count: int


class ProjectAction(PublicModel):
    id: str
    status: str
    requested: str
