from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from quantumlayer.api.schemas.common import Name, PublicModel, RequestBody, SafeText
from quantumlayer.api.schemas.projects import Intent


class IntentAnalyze(RequestBody):
    intent: Intent


class PiiFinding(PublicModel):
    kind: str
    start: int
    end: int


class IntentAnalysis(PublicModel):
    spec: dict[str, Any]
    pii: list[PiiFinding] = Field(description="personal data found in the intent (positions)")


class TemplatePublic(PublicModel):
    name: str
    project_type: str
    description: str
    version: str
    builtin: bool


class TemplatesPublic(PublicModel):
    data: list[TemplatePublic]
    count: int


class DeploymentTargetCreate(RequestBody):
    name: Name
    kind: Literal["local", "kubernetes", "terraform"]
    config: dict[str, SafeText | int | float | bool | None] = Field(
        default_factory=dict, max_length=50,
        description="non-secret settings (a cluster context, a region); no credentials here",
    )
    credentials: dict[str, SafeText] | None = Field(
        default=None, max_length=50,
        description="stored encrypted (AES-256-GCM, or in Vault); never returned",
    )


class DeploymentTargetPublic(PublicModel):
    name: str
    kind: str
    config: dict[str, Any]
    has_credentials: bool
    created_at: datetime


class DeploymentTargetsPublic(PublicModel):
    data: list[DeploymentTargetPublic]
    count: int


class AgentConfigPublic(PublicModel):
    role: str
    provider: str
    model: str
    temperature: float
    prompt_version: str
    max_tokens: int
    enabled: bool
    configured: bool


class AgentConfigsPublic(PublicModel):
    data: list[AgentConfigPublic]
    count: int


class SecretCreate(RequestBody):
    name: Name
    kind: Literal["llm_api_key", "deployment_credential", "generic"] = "generic"
    value: SafeText = Field(min_length=1, max_length=65536)


class SecretPublic(PublicModel):
    id: str
    name: str
    kind: str
    backend: str
    key_id: str | None
    created_at: datetime
    updated_at: datetime


class SecretsPublic(PublicModel):
    data: list[SecretPublic]
    count: int


class AuditEventPublic(PublicModel):
    id: int
    created_at: datetime
    action: str
    outcome: str
    actor_id: str | None
    actor_type: str
    target_type: str | None
    target_id: str | None
    client_ip: str | None
    request_id: str | None
    details: dict[str, Any] | None


class AuditEventsPublic(PublicModel):
    data: list[AuditEventPublic]
    count: int


class HealthPublic(PublicModel):
    status: str


class CheckPublic(PublicModel):
    ok: bool
    configured: bool = True
    latency_ms: float | None = None
    error: str | None = None


class ReadinessPublic(PublicModel):
    status: str
    checks: dict[str, CheckPublic]


__all__ = ["Name", "SafeText"]
