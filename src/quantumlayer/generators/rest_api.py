"""The REST API archetype: which files each kind of task produces, and what they are rendered from.

A generated project is a FastAPI service with SQLAlchemy 2 models, pydantic v2 schemas, one
router per resource, pytest tests that exercise every endpoint, docs, a Dockerfile and CI. The
templates live in templates/rest_api/; this module only chooses templates and prepares the
pieces of code that depend on names (declarations, import lists).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace

from quantumlayer.deploy.runtime import Runtime
from quantumlayer.domain import ProjectType

from .archetype import Archetype, FileSpec, files
from .blueprint import CODED_FEATURES, Blueprint, FieldPlan, ParentLink, Resource
from .rendering import LINE_LENGTH, call, from_import, from_imports, md, pyrepr, pystr

TEMPLATES = "rest_api"


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


def router_imports(res: Resource, *, search: bool = False) -> str:
    crud = ["commit_or_conflict", "get_or_404", "paginate"]
    if search and res.search_fields:
        crud.append("apply_search")
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
    std = ["from typing import Annotated"] if search and res.search_fields else []
    fastapi = ["APIRouter"] + (["Query"] if search and res.search_fields else [])
    return _sections(
        std,
        [from_import("fastapi", fastapi), from_import("sqlalchemy", ["select"])],
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


def rest_context(bp: Blueprint) -> dict[str, object]:
    """What the REST API templates are rendered with (shared by the archetypes built on it)."""
    return {
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
        "router_imports": lambda res: router_imports(res, search=bp.has("search")),
        "test_imports": test_imports,
        "factories_imports": factories_imports,
        "package_imports": package_imports,
        "model_column": _model_column,
        "parent_column": _parent_column,
        "parent_relationship": _parent_relationship,
        "schema_field": _schema_field,
        "pystr": pystr,
        "frontend": False,
        "pwa": False,
        "kind_label": "REST API",
        **{flag: bp.has(flag) for flag in CODED_FEATURES},
        "main_imports": main_imports(bp),
        "feature_text": lambda feature: FEATURE_TEXT.get(
            feature, "not generated yet; left to the next iteration"
        ),
        "uncoded": [f for f in bp.features if f not in bp.enabled],
        "feature_routers": feature_routers(bp),
        "registry_imports": from_imports({
            **{f"app.models.{r.ident}": [r.name] for r in bp.resources},
            **{f"app.schemas.{r.ident}": [r.create, r.read] for r in bp.resources},
        }),
    }


FEATURE_TEXT = {
    "auth": "accounts with scrypt-hashed passwords and JWT bearer tokens; every resource endpoint "
            "needs one (`app/features/auth.py`).",
    "rbac": "roles viewer < editor < admin, checked per HTTP method; admins assign roles.",
    "search": "`q` on list endpoints, a case-insensitive substring match on text fields.",
    "file_upload": "a file per record, raw-body upload, size and type limits "
                   "(`app/features/files.py`).",
    "export_csv": "`GET /export/<resources>.csv`, formula cells neutralised.",
    "import_csv": "`POST /import/<resources>.csv`, validated like POST, errors per line.",
    "audit_log": "every change recorded by a flush hook, `GET /audit-log`.",
    "rate_limiting": "a token bucket per client address, 429 with Retry-After.",
    "webhooks": "subscriptions, a transactional outbox, signed deliveries with retries.",
}

FEATURE_MODULES = {  # feature -> module of app/features
    "auth": "auth", "audit_log": "audit", "export_csv": "csv_io", "import_csv": "csv_io",
    "file_upload": "files", "rate_limiting": "rate_limit", "webhooks": "webhooks",
}


def feature_modules(bp: Blueprint) -> list[str]:
    return sorted({FEATURE_MODULES[f] for f in bp.enabled if f in FEATURE_MODULES})


def feature_routers(bp: Blueprint) -> list[tuple[str, str]]:
    """(module, dependencies) of the feature routers main.py includes after the resources."""
    guard = "[Depends(auth.require_admin)]" if bp.has("rbac") else (
        "auth.PROTECTED" if bp.has("auth") else ""
    )
    open_guard = "auth.PROTECTED" if bp.has("auth") else ""
    out = []
    for module, deps in (("audit", guard), ("csv_io", open_guard), ("files", open_guard),
                         ("webhooks", guard)):
        if module in feature_modules(bp):
            out.append((module, deps))
    return out


def main_imports(bp: Blueprint) -> str:
    modules = [m for m in feature_modules(bp) if m != "rate_limit"]
    first_party: dict[str, list[str]] = {
        "app.database": ["Base", "engine"] + (["SessionLocal"] if bp.has("webhooks") else []),
        "app.metrics": ["metrics", "record_request"],
        "app.routers": ["ROUTERS"],
    }
    if modules:
        first_party["app.features"] = modules
    if bp.has("rate_limiting"):
        first_party["app.features.rate_limit"] = ["RateLimiter", "limit_rate"]
    return from_imports(first_party)


API_RUNTIME = Runtime(
    kind="http",
    command=("uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"),
    local_command=("-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", "{port}"),
    port=8000,
    health_path="/health",
    packages=("app",),
    uses_database=True,
    metrics=True,
    extras=("postgres",),
    description="a FastAPI service (uvicorn) with its database.",
)


class RestApi(Archetype):
    """FastAPI + SQLAlchemy 2 + pydantic v2, one router and one test module per resource."""

    project_type = ProjectType.REST_API
    prefix = TEMPLATES

    def project_files(self, kind: str, bp: Blueprint) -> list[FileSpec]:
        t = self.prefix
        table = {
            "design": files(("docs/ARCHITECTURE.md", "ARCHITECTURE.md.j2"), prefix=t),
            "scaffold": files(
                ("pyproject.toml", "pyproject.toml.j2"),
                ("app/__init__.py", "app/__init__.py.j2"),
                ("app/database.py", "app/database.py.j2"),
                ("app/pagination.py", "app/pagination.py.j2"),
                ("app/crud.py", "app/crud.py.j2"),
                ("app/metrics.py", "app/metrics.py.j2"),
                ("app/main.py", "app/main.py.j2"),
                ("app/models/__init__.py", "app/models/__init__.py.j2"),
                ("app/schemas/__init__.py", "app/schemas/__init__.py.j2"),
                ("app/routers/__init__.py", "app/routers/__init__.py.j2"),
                ("tests/__init__.py", "tests/__init__.py.j2"),
                ("tests/conftest.py", "tests/conftest.py.j2"),
                ("tests/factories.py", "tests/factories.py.j2"),
                ("tests/test_app.py", "tests/test_app.py.j2"),
                prefix=TEMPLATES,
            ),
            "docs": files(("README.md", "README.md.j2"), prefix=t),
            "devops": [],
            "security": files(("SECURITY.md", "SECURITY.md.j2"), prefix=TEMPLATES),
        }
        out = table[kind]
        if kind == "scaffold":
            out = out + self.feature_files(bp)
        return out

    def feature_files(self, bp: Blueprint) -> list[FileSpec]:
        """The code and tests of the features the Spec asks for."""
        modules = feature_modules(bp)
        out: list[FileSpec] = []
        if modules:
            out += files(("app/features/__init__.py", "app/features/init.py.j2"), prefix=TEMPLATES)
        if set(modules) & {"audit", "csv_io", "files", "webhooks"}:
            out += files(("app/registry.py", "app/registry.py.j2"), prefix=TEMPLATES)
        for module in modules:
            out += files((f"app/features/{module}.py", f"app/features/{module}.py.j2"),
                         (f"tests/test_{module}.py", f"tests/features/test_{module}.py.j2"),
                         prefix=TEMPLATES)
        return out

    def resource_files(self, kind: str, res: Resource, bp: Blueprint) -> list[FileSpec]:
        del bp  # the same files whatever the other resources
        table = {
            "model": files(
                (f"app/models/{res.ident}.py", "app/models/resource.py.j2"),
                (f"app/schemas/{res.ident}.py", "app/schemas/resource.py.j2"),
                prefix=TEMPLATES,
            ),
            "api": files((f"app/routers/{res.ident}.py", "app/routers/resource.py.j2"),
                         prefix=TEMPLATES),
            "tests": files((f"tests/test_{res.ident}.py", "tests/test_resource.py.j2"),
                           prefix=TEMPLATES),
        }
        return table[kind]

    def context(self, bp: Blueprint) -> dict[str, object]:
        return rest_context(bp)

    def runtime(self, bp: Blueprint) -> Runtime:
        return replace(API_RUNTIME, secrets=("SECRET_KEY",)) if bp.has("auth") else API_RUNTIME


# --- the API with a front end --------------------------------------------------------------------

WEB = "web_app"


def _script_json(value: object) -> str:
    """JSON safe inside an HTML <script> element: no `<`, `>` or `&` that could end it."""
    text = json.dumps(value, ensure_ascii=True, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def resources_json(bp: Blueprint) -> str:
    """What the front end needs to know of each resource (names and paths are checked names)."""
    return _script_json([
        {
            "name": res.name,
            "plural": res.plural_words,
            "path": res.path,
            "fields": [
                {"name": f.name, "type": f.type, "required": f.required, "values": list(f.values)}
                for f in res.fields
            ] + [
                {"name": p.column, "type": "reference", "required": p.required, "values": []}
                for p in res.parents
            ],
        }
        for res in bp.resources
    ])


class WebApp(RestApi):
    """The REST API plus a front end it serves: one page that lists, adds and deletes records of
    every resource through the API (no build step, no framework)."""

    project_type = ProjectType.WEB_APP
    pwa = False

    def project_files(self, kind: str, bp: Blueprint) -> list[FileSpec]:
        out = super().project_files(kind, bp)
        if kind == "scaffold":
            names = ["index.html", "app.js", "style.css"]
            if self.pwa:
                names += ["manifest.webmanifest", "icon.svg", "service-worker.js"]
            out += [FileSpec(f"app/static/{n}", f"{WEB}/static/{n}.j2") for n in names]
            out += files(("tests/test_frontend.py", "tests/test_frontend.py.j2"), prefix=WEB)
        return out

    def context(self, bp: Blueprint) -> dict[str, object]:
        manifest = {
            "name": bp.title, "short_name": bp.title[:12], "start_url": "/",
            "display": "standalone", "background_color": "#fafafa", "theme_color": "#1f4e79",
            "icons": [{"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
        }
        return super().context(bp) | {
            "frontend": True,
            "pwa": self.pwa,
            "resources_json": resources_json(bp),
            "manifest_json": json.dumps(manifest, ensure_ascii=True, indent=2),
            "kind_label": "web app" if not self.pwa else "mobile web app",
        }

    def runtime(self, bp: Blueprint) -> Runtime:
        return replace(super().runtime(bp), description="a FastAPI service (uvicorn) serving the "
                                                        "API and its front end, with its database.")


class MobileApp(WebApp):
    """The nearest working form of a mobile app without a native toolchain: an installable
    progressive web app (manifest, service worker, mobile-first layout) over the same API."""

    project_type = ProjectType.MOBILE_APP
    pwa = True
