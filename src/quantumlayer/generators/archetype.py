"""What every archetype shares: task kinds, rendering a kind's files, the common documents and
the deployment files.

An archetype says which templates each kind of task renders (its scaffold, `scaffold_files`, and
its per-entity files, `resource_templates`; or the whole of `project_files`, `resource_files`),
what the templates need (`context`) and how the project runs (`runtime`); the rest is here. The
planner emits the same kinds for every project type, so each archetype maps the per-entity kinds
(model, api, tests) to its natural files, and its scaffold makes a complete project on its own
when the Spec names no entities. The devops kind renders the Deployment Engine's artefacts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

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
# The templates every project type shares (pyproject, architecture, README, security, records).
COMMON = "common"


@dataclass(frozen=True)
class FileSpec:
    """A generated file: its path in the project and its template (relative to templates/)."""

    path: str
    template: str


class Archetype:
    """Base of the archetypes; subclasses override the hooks below.

    Most archetypes only name their scaffold (`scaffold_files`) and their per-entity files
    (`resource_templates`); the documents come from common/. One whose files depend on more
    overrides `project_files` or `resource_files` instead.
    """

    project_type: ProjectType = ProjectType.REST_API
    # What each per-entity kind renders for one resource: a FileSpec whose path may name
    # `{ident}` (the resource's identifier) and `{pkg}` (the project's package); None, or a kind
    # left out, renders nothing.
    resource_templates: ClassVar[Mapping[str, FileSpec | None]] = {}

    # -- hooks ----------------------------------------------------------------------------------
    def project_files(self, kind: str, bp: Blueprint) -> list[FileSpec]:
        """The files of a project-wide kind (design, scaffold, docs, devops, security): the
        common documents and the archetype's scaffold (devops adds the deployment files)."""
        table = {
            "design": files(("docs/ARCHITECTURE.md", "ARCHITECTURE.md.j2"), prefix=COMMON),
            "scaffold": self.scaffold_files(bp),
            "docs": files(("README.md", "README.md.j2"), prefix=COMMON),
            "devops": [],
            "security": files(("SECURITY.md", "SECURITY.md.j2"), prefix=COMMON),
        }
        return table[kind]

    def scaffold_files(self, bp: Blueprint) -> list[FileSpec]:
        """The files of the scaffold: the project's skeleton, the same for every resource."""
        raise NotImplementedError

    def resource_files(self, kind: str, res: Resource, bp: Blueprint) -> list[FileSpec]:
        """The files of a per-entity kind (model, api, tests) for one resource."""
        entry = self.resource_templates.get(kind)
        if entry is None:
            return []
        return [FileSpec(entry.path.format(ident=res.ident, pkg=bp.package), entry.template)]

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


def record_package_files(package: str) -> list[FileSpec]:
    """The common/ start of a scaffold whose records are plain data (see records.py): the
    pyproject, the package's `__init__` and the field rules its records are checked with."""
    return files(
        ("pyproject.toml", "pyproject.toml.j2"),
        (f"{package}/__init__.py", "init.py.j2"),
        (f"{package}/fields.py", "fields.py.j2"),
        prefix=COMMON,
    )


ContextFn = Callable[[Blueprint], dict[str, Any]]
