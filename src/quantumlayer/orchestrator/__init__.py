"""Orchestrator: the durable ProjectWorkflow on Temporal, its activities, workers and client."""

from quantumlayer.orchestrator.client import (
    approve_project,
    cancel_project,
    connect,
    get_progress,
    handle_for,
    start_project,
    workflow_id_for,
)
from quantumlayer.orchestrator.models import (
    Progress,
    ProjectInput,
    ProjectOptions,
    ProjectResult,
    TaskQueues,
)

__all__ = [
    "Progress",
    "ProjectInput",
    "ProjectOptions",
    "ProjectResult",
    "TaskQueues",
    "approve_project",
    "cancel_project",
    "connect",
    "get_progress",
    "handle_for",
    "start_project",
    "workflow_id_for",
]
