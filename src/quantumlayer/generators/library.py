"""The library archetype: a typed Python package with a record class (a frozen dataclass,
checked on creation) and a store per entity, a Catalog that keeps references consistent, and
JSON import/export. No dependencies."""

from __future__ import annotations

from quantumlayer.deploy.runtime import Runtime
from quantumlayer.domain import ProjectType

from .archetype import Archetype, FileSpec, files
from .blueprint import Blueprint, FieldPlan, Resource
from .cli import referenced_by
from .records import base_context, feature_status
from .rendering import from_import, from_imports

T = "library"
C = "common"
CATALOG_RESERVED = frozenset({"exists", "remove"})


def catalog_attr(res: Resource) -> str:
    return res.plural if res.plural not in CATALOG_RESERVED else f"{res.plural}_store"


def annotation(f: FieldPlan) -> str:
    return {"integer": "int", "float": "float", "boolean": "bool"}.get(f.type, "str")


class Library(Archetype):
    project_type = ProjectType.LIBRARY
    resource_templates = {
        "model": FileSpec("{pkg}/records/{ident}.py", f"{T}/pkg/record.py.j2"),
        "api": FileSpec("{pkg}/stores/{ident}.py", f"{T}/pkg/store.py.j2"),
        "tests": FileSpec("tests/test_{ident}.py", f"{T}/tests/test_resource.py.j2"),
    }

    def scaffold_files(self, bp: Blueprint) -> list[FileSpec]:
        pkg = bp.package
        return files(
            ("pyproject.toml", "pyproject.toml.j2"),
            (f"{pkg}/fields.py", "fields.py.j2"),
            prefix=C,
        ) + files(
            (f"{pkg}/__init__.py", "pkg/init.py.j2"),
            (f"{pkg}/py.typed", "pkg/py.typed.j2"),
            (f"{pkg}/errors.py", "pkg/errors.py.j2"),
            (f"{pkg}/catalog.py", "pkg/catalog.py.j2"),
            (f"{pkg}/records/__init__.py", "pkg/package.py.j2"),
            (f"{pkg}/stores/__init__.py", "pkg/package.py.j2"),
            ("tests/__init__.py", "pkg/package.py.j2"),
            ("tests/conftest.py", "tests/conftest.py.j2"),
            ("tests/factories.py", "tests/factories.py.j2"),
            prefix=T,
        )

    def context(self, bp: Blueprint) -> dict[str, object]:
        pkg = bp.package
        records = {f"{pkg}.records.{r.ident}": [r.name] for r in bp.resources}
        stores = {f"{pkg}.stores.{r.ident}": [f"{r.name}Store"] for r in bp.resources}
        errors = ["DuplicateError", "InUseError", "MissingReferenceError", "NotFoundError"]
        first = bp.resources[0]
        return base_context(
            bp,
            pkg=pkg,
            annotation=annotation,
            catalog_attr=catalog_attr,
            referenced_by=referenced_by(bp),
            catalog_imports=from_imports({f"{pkg}.errors": ["InUseError"], **stores}),
            init_imports=from_imports({f"{pkg}.catalog": ["Catalog"], f"{pkg}.errors": errors,
                                       **records, **stores}),
            init_all=sorted(["Catalog", *errors, *(n for v in records.values() for n in v),
                             *(n for v in stores.values() for n in v)]),
            factory_imports=_factory_imports(bp),
            test_imports=lambda res: _test_imports(bp, res),
            needs_parents=any(p.required for r in bp.resources for p in r.parents),
            package_doc="",
            project={
                "dependencies": [], "scripts": {}, "extras": {}, "dev": [],
                "packages": [pkg], "package_data": {pkg: ["py.typed"]},
            },
            overview=(
                "A typed Python library without dependencies. Each record type is a frozen "
                "dataclass checked on creation (`Type.create`), with a store to add, find, "
                "change and remove records and to export or load them as JSON; a `Catalog` "
                "holds a store per type and refuses removals that would leave a reference "
                "dangling."
            ),
            usage=[
                f"python -c \"from {pkg} import Catalog; c = Catalog(); "
                f"print(len(c.{catalog_attr(first)}))\"",
            ],
            layout=[
                (f"{pkg}/records/", "one record type per module (fields and rules)"),
                (f"{pkg}/stores/", "one store per record type"),
                (f"{pkg}/catalog.py", "every store, references kept consistent"),
                (f"{pkg}/errors.py", "NotFoundError, DuplicateError, ..."),
                ("tests/", "pytest tests"),
            ],
            decisions=[
                "Records are immutable; a change returns a new version (`store.update`).",
                "Errors are standard types too: NotFoundError is a KeyError, the others "
                "ValueErrors.",
            ],
            feature_status=feature_status({
                "search": "`store.find(field=value)` selects by equality",
            }),
            security_present=["**Input validation.** Every value is checked against its "
                              "field's rules when a record is created or changed."],
            security_todo=["**Persistence.** Records live in memory; a user of the library "
                           "decides where the JSON export is kept and who may read it."],
            deploy_note="the CI pipelines lint, test, build a wheel and publish it after "
                        "approval",
        )

    def runtime(self, bp: Blueprint) -> Runtime:
        return Runtime(kind="none", packages=(bp.package,),
                       description="a library: installed with pip, not run as a service.")


def _factory_imports(bp: Blueprint) -> str:
    types = {f.type for r in bp.resources for f in r.fields}
    std = []
    if types & {"date", "datetime"}:
        std.append("import datetime")
    if any(p.required for r in bp.resources for p in r.parents):
        std.append("import itertools")
    if "uuid" in types:
        std.append("import uuid")
    std.append("from typing import Any")
    names = ["Catalog", *(r.name for r in bp.resources)]
    return "\n".join(std) + "\n\n" + from_import(bp.package, names)


def _test_imports(bp: Blueprint, res: Resource) -> str:
    pkg_names = ["Catalog", "NotFoundError", f"{res.name}Store"]
    if res.unique_fields:
        pkg_names.append("DuplicateError")
    if any(p.required for p in res.parents):
        pkg_names.append("MissingReferenceError")
    if any(p.required and not p.self_ref for p in res.parents):
        pkg_names.append("InUseError")
    return from_imports({
        bp.package: pkg_names,
        "tests.factories": [f"add_{res.ident}", f"{res.ident}_values"],
    })
