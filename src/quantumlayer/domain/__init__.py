"""Pure data types shared by every service. No I/O here, and nothing of ours is imported."""

from quantumlayer.domain.artifacts import Artifact, DeploymentPlan, TestReport, safe_relative_path
from quantumlayer.domain.spec import (
    FEATURES,
    NFR_CATEGORIES,
    Complexity,
    Entity,
    EntityField,
    FunctionalRequirement,
    NonFunctionalRequirement,
    ProjectType,
    Relation,
    Spec,
)
from quantumlayer.domain.tasks import AgentRole, Task, TaskGraph, TaskGraphError

__all__ = [
    "FEATURES",
    "NFR_CATEGORIES",
    "AgentRole",
    "Artifact",
    "Complexity",
    "DeploymentPlan",
    "Entity",
    "EntityField",
    "FunctionalRequirement",
    "NonFunctionalRequirement",
    "ProjectType",
    "Relation",
    "Spec",
    "Task",
    "TaskGraph",
    "TaskGraphError",
    "TestReport",
    "safe_relative_path",
]
