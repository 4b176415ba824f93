"""The Spec: what the Intent Processor understood of an idea (`quantumlayer plan --json`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from quantumlayer.domain.names import singularize, to_class_name, to_identifier
from quantumlayer.domain.tasks import Task


class ProjectType(StrEnum):
    REST_API = "rest_api"
    WEB_APP = "web_app"
    STATIC_SITE = "static_site"
    CLI = "cli"
    LIBRARY = "library"
    WORKER = "worker"
    DATA_PIPELINE = "data_pipeline"
    ML_SERVICE = "ml_service"
    CHATBOT = "chatbot"
    GAME = "game"
    DESKTOP_APP = "desktop_app"
    MOBILE_APP = "mobile_app"


FEATURES: tuple[str, ...] = (
    "auth",
    "rbac",
    "multi_tenancy",
    "payments",
    "search",
    "file_upload",
    "notifications_email",
    "notifications_push",
    "notifications_sms",
    "realtime",
    "chat",
    "admin_panel",
    "reporting",
    "analytics",
    "export_csv",
    "import_csv",
    "scheduling",
    "audit_log",
    "i18n",
    "maps",
    "ratings",
    "comments",
    "recommendations",
    "caching",
    "rate_limiting",
    "webhooks",
)

NFRCategory = Literal[
    "performance",
    "scalability",
    "availability",
    "security",
    "compliance",
    "usability",
    "maintainability",
    "portability",
    "observability",
    "cost",
]
NFR_CATEGORIES: tuple[str, ...] = get_args(NFRCategory)
RelationKind = Literal["many_to_one", "one_to_many", "many_to_many"]

FieldType = Literal[
    "string",
    "text",
    "integer",
    "decimal",
    "float",
    "boolean",
    "date",
    "datetime",
    "email",
    "url",
    "file",
    "enum",
    "uuid",
]
Cloud = Literal["aws", "gcp", "azure"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class EntityField(_Model):
    name: str
    type: FieldType = "string"
    required: bool = True
    unique: bool = False
    values: list[str] = Field(default_factory=list, description="allowed values of an enum field")

    @field_validator("name")
    @classmethod
    def _safe_name(cls, value: str) -> str:
        return to_identifier(value, fallback="field")


class Relation(_Model):
    kind: RelationKind
    target: str

    @field_validator("target")
    @classmethod
    def _safe_target(cls, value: str) -> str:
        return to_class_name(value)


class Entity(_Model):
    name: str
    fields: list[EntityField] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _safe_name(cls, value: str) -> str:
        return to_class_name(value)


class FunctionalRequirement(_Model):
    id: str
    text: str
    priority: Literal["must", "should", "could"] = "must"
    source: str | None = Field(default=None, description="the span of the prompt it comes from")


class NonFunctionalRequirement(_Model):
    id: str
    category: NFRCategory
    text: str
    target: str | None = None


class Complexity(_Model):
    score: int = Field(ge=1, le=10)
    size: Literal["XS", "S", "M", "L", "XL"]
    effort_hours: float = Field(ge=0)
    drivers: list[str] = Field(default_factory=list)


class Spec(_Model):
    """Everything the Intent Processor extracted from an idea; stable keys (see ARCHITECTURE.md)."""

    name: str
    title: str
    summary: str
    project_type: ProjectType
    entities: list[Entity] = Field(default_factory=list)
    features: list[str] = Field(default_factory=list)
    functional_requirements: list[FunctionalRequirement] = Field(default_factory=list)
    non_functional_requirements: list[NonFunctionalRequirement] = Field(default_factory=list)
    cloud: Cloud | None = None
    deployment_hints: list[str] = Field(default_factory=list)
    complexity: Complexity
    questions: list[str] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)

    @field_validator("features")
    @classmethod
    def _known_features(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(FEATURES))
        if unknown:
            raise ValueError(f"unknown feature ids: {', '.join(unknown)}")
        return list(dict.fromkeys(value))

    def entity(self, name: str) -> Entity | None:
        """The entity called `name` (class-name form), if any."""
        wanted = {to_class_name(name), to_class_name(singularize(to_identifier(name)))}
        return next((e for e in self.entities if e.name in wanted), None)
