"""What every archetype shares: task kinds, rendering a kind's files, and the deployment files.

An archetype says which templates each kind of task renders (`project_files`, `resource_files`),
what the templates need (`context`) and how the project runs (`runtime`); the rest is here. The
planner emits the same kinds for every project type, so each archetype maps the per-entity kinds
(model, api, tests) to its natural files, and its scaffold makes a complete project on its own
when the Spec names no entities. The devops kind renders the Deployment Engine's artefacts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quantumlayer.deploy import render as render_deployment
from quantumlayer.deploy.runtime import Runtime
from quantumlayer.domain import Artifact, ProjectType, Spec

from .blueprint import Blueprint, Resource, build
from .rendering import render

# Every kind, in the order a whole project is produced.
TASK_KINDS: tuple[str, ...] = (
    "design", "scaffold", "model", "api", "tests", "docs", "devops", "security",
)
PER_RESOURCE_KINDS = frozenset({"model", "api", "tests"})


@dataclass(frozen=True)
class FileSpec:
    """A generated file: its path in the project and its template (relative to templates/)."""

    path: str
    template: str


class Archetype:
    """Base of the archetypes; subclasses override the four hooks below."""

    project_type: ProjectType = ProjectType.REST_API

    # -- hooks ----------------------------------------------------------------------------------
    def project_files(self, kind: str, bp: Blueprint) -> list[FileSpec]:
        """The files of a project-wide kind (design, scaffold, docs, devops, security)."""
        raise NotImplementedError

    def resource_files(self, kind: str, res: Resource, bp: Blueprint) -> list[FileSpec]:
        """The files of a per-entity kind (model, api, tests) for one resource."""
        del kind, res, bp
        return []

    def context(self, bp: Blueprint) -> dict[str, Any]:
        """What the templates are rendered with (besides `bp` and, per resource, `res`)."""
        del bp
        return {}

    def runtime(self, bp: Blueprint) -> Runtime:
        """How the generated project runs (what the Deployment Engine deploys)."""
        raise NotImplementedError

    def resource_context(self, bp: Blueprint, res: Resource) -> dict[str, Any]:
        """What a per-resource template needs besides `res` (e.g. a model plan)."""
        del bp, res
        return {}

    # -- generation -----------------------------------------------------------------------------
    def blueprint(self, spec: Spec) -> Blueprint:
        return build(spec)

    def _render(
        self, bp: Blueprint, files: list[FileSpec], task_id: str | None, **extra: object
    ) -> list[Artifact]:
        context = {"bp": bp, **self.context(bp), **extra}
        res = extra.get("res")
        if isinstance(res, Resource):
            context |= self.resource_context(bp, res)
        return [
            Artifact(path=f.path, content=render(f.template, **context), task_id=task_id)
            for f in files
        ]

    def deployment(self, spec: Spec, bp: Blueprint, task_id: str | None) -> list[Artifact]:
        """The Deployment Engine's artefacts for this project (Dockerfile, k8s/, terraform/...)."""
        files = render_deployment(spec, self.runtime(bp))
        return [Artifact(path=path, content=text, task_id=task_id) for path, text in files.items()]

    def generate_kind(
        self, spec: Spec, kind: str, entity: str | None, task_id: str | None
    ) -> list[Artifact]:
        """The files of one task of `kind` (about `entity` for per-resource kinds)."""
        if kind not in TASK_KINDS:
            raise ValueError(
                f"unknown task kind {kind!r}; expected one of {', '.join(TASK_KINDS)}"
            )
        bp = self.blueprint(spec)
        if kind in PER_RESOURCE_KINDS:
            if not entity:
                raise ValueError(f"a {kind!r} task needs the entity it is about")
            res = bp.resource(entity)
            return self._render(bp, self.resource_files(kind, res, bp), task_id, res=res)
        artifacts = self._render(bp, self.project_files(kind, bp), task_id)
        if kind == "devops":
            artifacts += self.deployment(spec, bp, task_id)
        if kind == "scaffold" and bp.default_resource:
            # Planners emit no per-entity tasks when the idea names no entities; the scaffold then
            # brings the generic resource itself, so the project it wires up is complete.
            res = bp.resources[0]
            for per_resource in ("model", "api", "tests"):
                artifacts += self._render(
                    bp, self.resource_files(per_resource, res, bp), task_id, res=res
                )
        return artifacts

    def generate_all(self, spec: Spec) -> list[Artifact]:
        """Every file of the project, kind by kind, resource by resource."""
        bp = self.blueprint(spec)
        artifacts: dict[str, Artifact] = {}
        for kind in TASK_KINDS:
            entities: list[str | None] = (
                [r.name for r in bp.resources] if kind in PER_RESOURCE_KINDS else [None]
            )
            for entity in entities:
                for artifact in self.generate_kind(spec, kind, entity, None):
                    artifacts.setdefault(artifact.path, artifact)
        return list(artifacts.values())

    def resource_names(self, spec: Spec) -> list[str]:
        """The class names of the resources the project will have (one per-resource task each)."""
        return [r.name for r in self.blueprint(spec).resources]


def files(*pairs: tuple[str, str], prefix: str) -> list[FileSpec]:
    """FileSpecs from (path, template) pairs, templates under `prefix`."""
    return [FileSpec(path, f"{prefix}/{template}") for path, template in pairs]


ContextFn = Callable[[Blueprint], dict[str, Any]]
