"""The REST API archetype: which files each kind of task produces, and what they are rendered from.

A generated project is a FastAPI service with SQLAlchemy 2 models, pydantic v2 schemas, one
router per resource, pytest tests that exercise every endpoint, docs, a Dockerfile and CI. The
templates live in templates/rest_api/; this module only chooses templates and prepares the
pieces of code that depend on names (declarations, import lists).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from quantumlayer.domain import Artifact, Spec

from .blueprint import Blueprint, FieldPlan, ParentLink, Resource, build
from .rendering import LINE_LENGTH, call, from_import, from_imports, md, pyrepr, pystr, render

TEMPLATES = "rest_api"

# Every kind, in the order a whole project is produced.
TASK_KINDS: tuple[str, ...] = (
    "design", "scaffold", "model", "api", "tests", "docs", "devops", "security",
)
PER_RESOURCE_KINDS = frozenset({"model", "api", "tests"})


# --- declarations that depend on names ----------------------------------------------------------


def _model_column(f: FieldPlan) -> str:
    return call(f"{f.name}: Mapped[{f.mapped_type}] = mapped_column", f.column_args, 4)


def _parent_column(p: ParentLink) -> str:
    kind = "int" if p.required else "int | None"
    fk = f'sa.ForeignKey("{p.target_plural}.id", ondelete="{p.ondelete}")'
    return call(f"{p.column}: Mapped[{kind}] = mapped_column", [fk, "index=True"], 4)


def _parent_relationship(res: Resource, p: ParentLink) -> str:
    kind = p.target if p.required else f"{p.target} | None"
    args = [f'foreign_keys="{res.name}.{p.column}"']
    if p.self_ref:
        args.append(f'remote_side="{res.name}.id"')
    return call(f"{p.attr}: Mapped[{kind}] = relationship", args, 4)


def _schema_field(f: FieldPlan, variant: str) -> str:
    """The declaration of `f` in the Create, Update or Read model."""
    py = f.py_type
    if variant == "read":
        return f"{f.name}: {py if f.required else py + ' | None'}"
    constraints = f.constraints
    if variant == "create" and f.required:
        if f.has_default:
            return f"{f.name}: {py} = False"
        return call(f"{f.name}: {py} = Field", constraints, 4) if constraints else f"{f.name}: {py}"
    if constraints:
        return call(f"{f.name}: {py} | None = Field", ["default=None", *constraints], 4)
    return f"{f.name}: {py} | None = None"


def _literal(f: FieldPlan) -> str:
    """The `Literal[...]` type of an enum field, one value per line if it is long."""
    single = "Literal[" + ", ".join(pyrepr(v) for v in f.values) + "]"
    if len(f.alias) + 3 + len(single) <= LINE_LENGTH:
        return single
    return "Literal[\n" + "".join(f"    {pystr(v, 4, 5)},\n" for v in f.values) + "]"


def _schema_config(res: Resource, *, read: bool) -> str:
    """The arguments of a schema's ConfigDict ("" if it needs none)."""
    args = ["from_attributes=True"] if read else []
    if any(f.name.startswith("model_") for f in res.fields):
        # Field names like model_number are fine here; pydantic would warn about its namespace.
        args.append("protected_namespaces=()")
    return ", ".join(args)


def _validation(f: FieldPlan) -> str:
    """The input rules of `f`, in words, as Markdown."""
    rules = []
    if f.type == "enum":
        rules.append("one of " + ", ".join(md(v) if v.strip() else "(empty)" for v in f.values))
    elif f.type == "email":
        rules.append("an e-mail address")
    elif f.type == "url":
        rules.append("an http(s) URL")
    elif f.type == "decimal":
        rules.append("up to 12 digits, 2 after the point")
    if f.max_length and f.type != "enum":
        rules.append(f"at most {f.max_length} characters")
    if "ge=0" in f.constraints:
        rules.append("not negative")
    if "min_length=1" in f.constraints:
        rules.append("not empty")
    return "; ".join(rules) or "-"


def _sections(*sections: Iterable[str]) -> str:
    """Import sections separated by blank lines; empty sections vanish."""
    return "\n\n".join("\n".join(lines) for lines in (list(s) for s in sections) if lines)


def _std(res: Resource) -> list[str]:
    types = {f.type for f in res.fields}
    return [
        f"import {module}"
        for module, needed in (
            ("datetime", types & {"date", "datetime"}),
            ("decimal", "decimal" in types),
            ("uuid", "uuid" in types),
        )
        if needed
    ]


def model_imports(res: Resource) -> str:
    targets = {p.target_ident: p.target for p in res.parents if not p.self_ref}
    targets |= {a.target_ident: a.target for a in res.links}
    typing = ["from typing import TYPE_CHECKING"] if targets else []
    orm = ["Mapped", "mapped_column"] + (["relationship"] if res.parents or res.links else [])
    checking = ""
    if targets:
        lines = from_imports(
            {f"app.models.{ident}": [name] for ident, name in targets.items()}, indent=4
        )
        checking = f"\n\nif TYPE_CHECKING:\n{lines}"
    return _sections(
        ["from __future__ import annotations"],
        _std(res) + typing,
        ["import sqlalchemy as sa", from_import("sqlalchemy.orm", orm)],
        ["from app.database import Base"],
    ) + checking


def schema_imports(res: Resource) -> str:
    typing = (["Literal"] if res.enum_fields else []) + (["Self"] if res.not_null_fields else [])
    pydantic = ["BaseModel", "ConfigDict"]
    if res.links or any(f.constraints for f in res.fields):
        pydantic.append("Field")
    if res.not_null_fields:
        pydantic.append("model_validator")
    return _sections(
        _std(res) + ([from_import("typing", typing)] if typing else []),
        [from_import("pydantic", pydantic)],
    )


def router_imports(res: Resource) -> str:
    crud = ["commit_or_conflict", "get_or_404", "paginate"]
    if res.filters:
        crud.append("apply_filters")
    if res.unique_fields:
        crud.append("ensure_unique")
    if res.parents:
        crud.append("require_existing")
    if res.links:
        crud.append("require_all")
    first_party: dict[str, list[str]] = {
        "app.crud": crud,
        "app.database": ["SessionDep"],
        "app.pagination": ["DEFAULT_LIMIT", "LimitParam", "OffsetParam", "Page"],
        f"app.schemas.{res.ident}": [res.create, res.read, res.update]
        + [f.alias for f in res.enum_fields if f.filterable],
    }
    for ident, name in [(res.ident, res.name)] + [
        (p.target_ident, p.target) for p in res.parents
    ] + [(a.target_ident, a.target) for a in res.links]:
        first_party.setdefault(f"app.models.{ident}", [name])
    return _sections(
        [from_import("fastapi", ["APIRouter"]), from_import("sqlalchemy", ["select"])],
        [from_imports(first_party)],
    )


def test_imports(res: Resource) -> str:
    names = [f"{res.ident}_payload", f"create_{res.ident}"]
    names += [f"create_{a.target_ident}" for a in res.links]
    return _sections(
        ["from fastapi.testclient import TestClient"],
        [from_import("tests.factories", names)],
    )


def factories_imports(bp: Blueprint) -> str:
    types = {f.type for r in bp.resources for f in r.fields}
    std = [
        f"import {module}"
        for module, needed in (
            ("datetime", types & {"date", "datetime"}),
            ("itertools", any(p.required for r in bp.resources for p in r.parents)),
            ("uuid", "uuid" in types),
        )
        if needed
    ]
    std.append("from collections.abc import Callable" if _needs_reference(bp) else "")
    std = [line for line in std if line]
    std.append("from typing import Any")
    return _sections(std, ["from fastapi.testclient import TestClient"])


def _needs_reference(bp: Blueprint) -> bool:
    return any(p.required for r in bp.resources for p in r.parents)


def package_imports(bp: Blueprint, package: str, names: Callable[[Resource], list[str]]) -> str:
    return from_imports({f"app.{package}.{r.ident}": names(r) for r in bp.resources})


# --- what each kind produces --------------------------------------------------------------------


@dataclass(frozen=True)
class FileSpec:
    path: str
    template: str


def _project_files(kind: str) -> list[FileSpec]:
    files = {
        "design": [FileSpec("docs/ARCHITECTURE.md", "ARCHITECTURE.md.j2")],
        "scaffold": [
            FileSpec("pyproject.toml", "pyproject.toml.j2"),
            FileSpec("app/__init__.py", "app/__init__.py.j2"),
            FileSpec("app/database.py", "app/database.py.j2"),
            FileSpec("app/pagination.py", "app/pagination.py.j2"),
            FileSpec("app/crud.py", "app/crud.py.j2"),
            FileSpec("app/main.py", "app/main.py.j2"),
            FileSpec("app/models/__init__.py", "app/models/__init__.py.j2"),
            FileSpec("app/schemas/__init__.py", "app/schemas/__init__.py.j2"),
            FileSpec("app/routers/__init__.py", "app/routers/__init__.py.j2"),
            FileSpec("tests/__init__.py", "tests/__init__.py.j2"),
            FileSpec("tests/conftest.py", "tests/conftest.py.j2"),
            FileSpec("tests/factories.py", "tests/factories.py.j2"),
            FileSpec("tests/test_app.py", "tests/test_app.py.j2"),
        ],
        "docs": [FileSpec("README.md", "README.md.j2")],
        "devops": [
            FileSpec("Dockerfile", "Dockerfile.j2"),
            FileSpec(".dockerignore", "dockerignore.j2"),
            FileSpec(".github/workflows/ci.yml", "ci.yml.j2"),
        ],
        "security": [FileSpec("SECURITY.md", "SECURITY.md.j2")],
    }
    return files[kind]


def _resource_files(kind: str, res: Resource) -> list[FileSpec]:
    files = {
        "model": [
            FileSpec(f"app/models/{res.ident}.py", "app/models/resource.py.j2"),
            FileSpec(f"app/schemas/{res.ident}.py", "app/schemas/resource.py.j2"),
        ],
        "api": [FileSpec(f"app/routers/{res.ident}.py", "app/routers/resource.py.j2")],
        "tests": [FileSpec(f"tests/test_{res.ident}.py", "tests/test_resource.py.j2")],
    }
    return files[kind]


def _context(bp: Blueprint) -> dict[str, object]:
    return {
        "bp": bp,
        "field_types": sorted({f.type for r in bp.resources for f in r.fields}),
        "needs_reference": _needs_reference(bp),
        "model_names": lambda res: [res.name],
        "schema_names": lambda res: [res.create, res.read, res.update],
        "schema_all": [name for r in bp.resources for name in (r.create, r.read, r.update)],
        "literal": _literal,
        "validation": _validation,
        "schema_config": _schema_config,
        "model_imports": model_imports,
        "schema_imports": schema_imports,
        "router_imports": router_imports,
        "test_imports": test_imports,
        "factories_imports": factories_imports,
        "package_imports": package_imports,
        "model_column": _model_column,
        "parent_column": _parent_column,
        "parent_relationship": _parent_relationship,
        "schema_field": _schema_field,
        "pystr": pystr,
    }


def _render(
    bp: Blueprint, files: list[FileSpec], task_id: str | None, **extra: object
) -> list[Artifact]:
    context = _context(bp) | extra
    return [
        Artifact(
            path=f.path, content=render(f"{TEMPLATES}/{f.template}", **context), task_id=task_id
        )
        for f in files
    ]


def generate_kind(spec: Spec, kind: str, entity: str | None, task_id: str | None) -> list[Artifact]:
    """The files of one task of `kind` (about `entity` for per-resource kinds)."""
    if kind not in TASK_KINDS:
        raise ValueError(f"unknown task kind {kind!r}; expected one of {', '.join(TASK_KINDS)}")
    bp = build(spec)
    if kind in PER_RESOURCE_KINDS:
        if not entity:
            raise ValueError(f"a {kind!r} task needs the entity it is about")
        res = bp.resource(entity)
        return _render(bp, _resource_files(kind, res), task_id, res=res)
    artifacts = _render(bp, _project_files(kind), task_id)
    if kind == "scaffold" and bp.default_resource:
        # Planners emit no per-entity tasks when the idea names no entities; the scaffold then
        # brings the generic resource itself, so the project it wires up is complete.
        res = bp.resources[0]
        for per_resource in ("model", "api", "tests"):
            artifacts += _render(bp, _resource_files(per_resource, res), task_id, res=res)
    return artifacts


def generate_all(spec: Spec) -> list[Artifact]:
    """Every file of the project, kind by kind, resource by resource."""
    bp = build(spec)
    artifacts: dict[str, Artifact] = {}
    for kind in TASK_KINDS:
        entities: list[str | None] = (
            [r.name for r in bp.resources] if kind in PER_RESOURCE_KINDS else [None]
        )
        for entity in entities:
            for artifact in generate_kind(spec, kind, entity, None):
                artifacts.setdefault(artifact.path, artifact)
    return list(artifacts.values())


def resource_names(spec: Spec) -> list[str]:
    """The class names of the resources the project will have (one per-resource task each)."""
    return [r.name for r in build(spec).resources]
