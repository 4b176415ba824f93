"""Archetype scaffolds for the built-in engine: a Spec and a task become files.

One archetype per project type of the Spec contract (see `ARCHETYPES`), each a working, tested
project with a README, a pyproject, lint configuration and the Deployment Engine's artefacts.
Output is deterministic: the same Spec and task always give the same files.
"""

from __future__ import annotations

from quantumlayer.deploy.runtime import Runtime
from quantumlayer.domain import Artifact, ProjectType, Spec, Task

from .archetype import TASK_KINDS, Archetype
from .chatbot import Chatbot
from .cli import Cli
from .data_pipeline import DataPipeline
from .desktop_app import DesktopApp
from .game import Game
from .library import Library
from .ml_service import MlService
from .rest_api import MobileApp, RestApi, WebApp
from .static_site import StaticSite
from .worker import Worker

ARCHETYPES: dict[ProjectType, Archetype] = {
    archetype.project_type: archetype
    for archetype in (
        RestApi(),
        Cli(),
        Library(),
        Worker(),
        DataPipeline(),
        WebApp(),
        MobileApp(),
        StaticSite(),
        MlService(),
        Chatbot(),
        Game(),
        DesktopApp(),
    )
}
SUPPORTED_PROJECT_TYPES = frozenset(ARCHETYPES)
# One short idea per project type, each classified as that type: for the end-to-end tests and
# the per-type benchmark, which build the same projects.
EXAMPLE_IDEAS: dict[ProjectType, str] = {
    ProjectType.REST_API: "A REST API for a library: books, authors, members and loans",
    ProjectType.WEB_APP: "A web app for a recipe site with recipes and ingredients",
    ProjectType.STATIC_SITE: "A static site for a bakery",
    ProjectType.CLI: "A command-line tool to manage todo tasks",
    ProjectType.LIBRARY: "A Python library for parsing invoices",
    ProjectType.WORKER: "A background worker that processes orders from a queue",
    ProjectType.DATA_PIPELINE: (
        "A data pipeline that loads sales from CSV into a warehouse every night"
    ),
    ProjectType.ML_SERVICE: "An ML service that predicts house prices",
    ProjectType.CHATBOT: "A chatbot for customer support",
    ProjectType.GAME: "A 2D space shooter game",
    ProjectType.DESKTOP_APP: "A desktop app for note taking",
    ProjectType.MOBILE_APP: "A mobile app for tracking workouts",
}

__all__ = [
    "EXAMPLE_IDEAS",
    "ARCHETYPES", "SUPPORTED_PROJECT_TYPES", "TASK_KINDS", "archetype", "generate",
    "generate_project", "resource_names", "runtime",
]


def archetype(spec: Spec) -> Archetype:
    """The archetype that generates `spec`'s project type (ValueError if there is none)."""
    try:
        return ARCHETYPES[ProjectType(spec.project_type)]
    except (KeyError, ValueError):
        raise ValueError(
            f"no built-in archetype for project type {spec.project_type!s}; "
            f"supported: {', '.join(sorted(SUPPORTED_PROJECT_TYPES))}"
        ) from None


def generate(spec: Spec, task: Task) -> list[Artifact]:
    """The files `task` produces for `spec`; `task.kind` decides which (ValueError if unknown).

    Per-entity kinds ("model", "api", "tests") use `task.entity` to find the entity.
    """
    return archetype(spec).generate_kind(spec, task.kind, task.entity, task.id)


def generate_project(spec: Spec) -> list[Artifact]:
    """Every file of the project: each kind in order, per-entity kinds once per resource."""
    return archetype(spec).generate_all(spec)


def resource_names(spec: Spec) -> list[str]:
    """The entities that get per-entity tasks: de-duplicated, or ["Item"] if the Spec has none."""
    return archetype(spec).resource_names(spec)


def runtime(spec: Spec) -> Runtime:
    """How `spec`'s generated project runs (what the Deployment Engine deploys)."""
    arch = archetype(spec)
    return arch.runtime(arch.blueprint(spec))
