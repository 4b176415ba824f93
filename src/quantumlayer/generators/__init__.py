"""Archetype scaffolds for the built-in engine: a Spec and a task become files.

Only the REST API archetype exists so far (FastAPI, SQLAlchemy 2, pydantic v2, pytest). Output
is deterministic: the same Spec and task always give the same files.
"""

from __future__ import annotations

from quantumlayer.domain import Artifact, ProjectType, Spec, Task

from . import rest_api

TASK_KINDS: tuple[str, ...] = rest_api.TASK_KINDS
SUPPORTED_PROJECT_TYPES = frozenset({ProjectType.REST_API})

__all__ = [
    "SUPPORTED_PROJECT_TYPES", "TASK_KINDS", "generate", "generate_project", "resource_names",
]


def _check_type(spec: Spec) -> None:
    if spec.project_type not in SUPPORTED_PROJECT_TYPES:
        raise ValueError(
            f"no built-in archetype for project type {spec.project_type!s}; "
            f"supported: {', '.join(sorted(SUPPORTED_PROJECT_TYPES))}"
        )


def generate(spec: Spec, task: Task) -> list[Artifact]:
    """The files `task` produces for `spec`; `task.kind` decides which (ValueError if unknown).

    Per-entity kinds ("model", "api", "tests") use `task.entity` to find the entity.
    """
    _check_type(spec)
    return rest_api.generate_kind(spec, task.kind, task.entity, task.id)


def generate_project(spec: Spec) -> list[Artifact]:
    """Every file of the project: each kind in order, per-entity kinds once per resource."""
    _check_type(spec)
    return rest_api.generate_all(spec)


def resource_names(spec: Spec) -> list[str]:
    """The entities that get per-entity tasks: de-duplicated, or ["Item"] if the Spec has none."""
    _check_type(spec)
    return rest_api.resource_names(spec)
