"""The desktop_app archetype, in its nearest working form without a GUI toolkit to install: a
Tkinter application (standard library) with a tab per entity over a local SQLite file. The rules
live in a controller tested without a window; the window is tested where a display exists."""

from __future__ import annotations

from quantumlayer.deploy.runtime import Runtime
from quantumlayer.domain import ProjectType

from .archetype import Archetype, FileSpec, files
from .blueprint import Blueprint, Resource
from .cli import referenced_by
from .ml_service import name_list
from .records import base_context, feature_status
from .rendering import from_import, from_imports, member_key, module_key

T = "desktop_app"
C = "common"


class DesktopApp(Archetype):
    project_type = ProjectType.DESKTOP_APP

    def project_files(self, kind: str, bp: Blueprint) -> list[FileSpec]:
        pkg = bp.package
        table = {
            "design": files(("docs/ARCHITECTURE.md", "ARCHITECTURE.md.j2"), prefix=C),
            "scaffold": files(("pyproject.toml", "pyproject.toml.j2"),
                              (f"{pkg}/__init__.py", "init.py.j2"),
                              (f"{pkg}/fields.py", "fields.py.j2"), prefix=C)
            + files(
                (f"{pkg}/__main__.py", "pkg/dunder_main.py.j2"),
                (f"{pkg}/store.py", "pkg/store.py.j2"),
                (f"{pkg}/controller.py", "pkg/controller.py.j2"),
                (f"{pkg}/app.py", "pkg/app.py.j2"),
                (f"{pkg}/views/__init__.py", "package.py.j2"),
                ("tests/__init__.py", "package.py.j2"),
                ("tests/conftest.py", "tests/conftest.py.j2"),
                ("tests/factories.py", "tests/factories.py.j2"),
                ("tests/test_window.py", "tests/test_window.py.j2"),
                ("tests/test_app.py", "tests/test_app.py.j2"),
                prefix=T,
            ) + files((f"{pkg}/models/__init__.py", "pkg/models/__init__.py.j2"), prefix="cli"),
            "docs": files(("README.md", "README.md.j2"), prefix=C),
            "devops": [],
            "security": files(("SECURITY.md", "SECURITY.md.j2"), prefix=C),
        }
        return table[kind]

    def resource_files(self, kind: str, res: Resource, bp: Blueprint) -> list[FileSpec]:
        pkg = bp.package
        table = {
            "model": files((f"{pkg}/models/{res.ident}.py", "record.py.j2"), prefix=C),
            "api": files((f"{pkg}/views/{res.ident}.py", "pkg/views/resource.py.j2"), prefix=T),
            "tests": files((f"tests/test_{res.ident}.py", "tests/test_resource.py.j2"),
                           prefix=T),
        }
        return table[kind]

    def context(self, bp: Blueprint) -> dict[str, object]:
        pkg = bp.package
        types = {f.type for r in bp.resources for f in r.fields}
        needs_parents = any(p.required for r in bp.resources for p in r.parents)
        std = [line for line, needed in (("import datetime", types & {"date", "datetime"}),
                                         ("import itertools", needs_parents),
                                         ("import uuid", "uuid" in types)) if needed]
        factory_imports = "\n".join([*std, "from typing import Any"]) + "\n\n" + from_imports(
            {f"{pkg}.controller": ["Controller"]}
        ) + "\n" + "\n".join(
            f"from {pkg}.models import {i} as {i}_record"
            for i in sorted((r.ident for r in bp.resources), key=member_key)
        )

        def test_imports(res: Resource) -> str:
            aliases = {res.ident: "record"} | {
                p.target_ident: f"{p.target_ident}_record"
                for p in res.parents
                if p.required and not p.self_ref and p.target_ident != res.ident
            }
            blocks = [(f"{pkg}.controller", "Controller", from_import(f"{pkg}.controller",
                                                                      ["Controller"]))]
            blocks += [(f"{pkg}.models", ident, f"from {pkg}.models import {ident} as {alias}")
                       for ident, alias in aliases.items()]
            blocks.append(("tests.factories", "", from_import(
                "tests.factories", [f"add_{res.ident}", f"{res.ident}_form"])))
            blocks.sort(key=lambda b: (module_key(b[0]), member_key(b[1])))
            return "\n".join(text for _, _, text in blocks)

        return base_context(
            bp,
            pkg=pkg,
            env_var=f"{pkg.upper()}_DATA",
            referenced_by=referenced_by(bp),
            needs_parents=needs_parents,
            factory_imports=factory_imports,
            test_imports=test_imports,
            app_imports=from_imports({
                f"{pkg}.controller": ["Controller"], f"{pkg}.store": ["Store", "data_path"],
                f"{pkg}.views": [r.ident for r in bp.resources],
            }),
            tabs_list=name_list([r.ident for r in bp.resources], 7),
            tab_titles=[r.plural_words[:1].upper() + r.plural_words[1:] for r in bp.resources],
            package_doc="A desktop application generated by QuantumLayer.",
            project={
                "dependencies": [], "scripts": {bp.slug: f"{pkg}.app:main"}, "extras": {},
                "dev": [], "packages": [pkg], "package_data": {},
            },
            overview=(
                "A desktop application (Tkinter, from Python's standard library): a window with a "
                "tab per record type, each a table of records and a form to add one; records are "
                f"kept in a local SQLite file (`${pkg.upper()}_DATA`, by default "
                f"`~/.{bp.slug}.db`). The rules (field checks, unique values, references) live "
                "in a controller, tested without a window."
            ),
            usage=[f"python -m {pkg}      # or: {bp.slug}"],
            test_commands=["pytest                  # the window's tests need a display "
                           "(e.g. xvfb-run pytest)"],
            layout=[
                (f"{pkg}/app.py", "the main window: a tab per record type"),
                (f"{pkg}/views/", "one tab per record type"),
                (f"{pkg}/controller.py", "the rules, without any window"),
                (f"{pkg}/models/", "field rules per record type"),
                (f"{pkg}/store.py", "the SQLite file"),
                ("tests/", "controller tests; window tests under a display"),
            ],
            decisions=["Tkinter because it ships with Python: nothing to install."],
            not_generated=[
                "Generated: a working Tkinter application with a tab per record type "
                "(list, add, delete), its rules and storage.",
                "Not generated: native installers (MSI, DMG, AppImage), a Qt or Electron "
                "front end, editing records in place, and the window's tests without a display "
                "(they are skipped there).",
            ],
            feature_status=feature_status({}),
            security_present=["**Input validation.** Every value is checked against its "
                              "field's rules before it is stored.",
                              "**Parameterised SQL.** The store never builds SQL from input."],
            security_todo=["**Encryption at rest** of the SQLite file if it holds personal "
                           "data."],
            deploy_note="the CI pipelines lint, test and build the package",
        )

    def runtime(self, bp: Blueprint) -> Runtime:
        return Runtime(kind="none", packages=(bp.package,),
                       description="a desktop application: installed and run on the user's "
                                   "machine.")
