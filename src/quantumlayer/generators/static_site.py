"""The static_site archetype: plain HTML pages (home, about, a page per entity whose list comes
from a JSON data file), one stylesheet, no build step; tests check every page's basics and every
link. Served by nginx (unprivileged) in the container, by Python's http.server locally."""

from __future__ import annotations

import datetime
import json
import uuid

from quantumlayer.deploy.runtime import Runtime
from quantumlayer.domain import ProjectType

from .archetype import Archetype, FileSpec, files
from .blueprint import Blueprint, FieldPlan, Resource
from .records import base_context, feature_status

T = "static_site"

STATIC_RUNTIME = Runtime(
    kind="static",
    local_command=("-m", "http.server", "{port}", "--bind", "127.0.0.1", "--directory", "site"),
    port=8080,
    health_path="/health",
    packages=(),
    static_dir="site",
    description="the pages of site/, served by nginx (unprivileged, port 8080).",
)


def sample_value(f: FieldPlan, n: int) -> object:
    """A concrete sample value (the site ships data, not code that makes it)."""
    base = datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
    return {
        "integer": n, "decimal": f"{n}.50", "float": n + 0.5, "boolean": n % 2 == 1,
        "date": base.isoformat(), "datetime": f"{base.isoformat()}T09:00:00",
        "email": f"{f.name}{n}@example.com", "url": f"https://example.com/{f.name}/{n}",
        "file": f"files/{f.name}{n}.pdf", "uuid": str(uuid.UUID(int=n)),
        "enum": f.values[(n - 1) % len(f.values)] if f.values else "",
    }.get(f.type, f"{f.name.replace('_', ' ').capitalize()} {n}")


def sample_json(res: Resource) -> str:
    entries = [{f.name: sample_value(f, n) for f in res.fields} for n in (1, 2, 3)]
    return json.dumps(entries, ensure_ascii=True, indent=2)


class StaticSite(Archetype):
    project_type = ProjectType.STATIC_SITE

    def scaffold_files(self, bp: Blueprint) -> list[FileSpec]:
        del bp  # the same for every project of this type
        site = ["index.html", "about.html", "404.html", "style.css", "list.js", "health",
                "robots.txt"]
        return files(("pyproject.toml", "pyproject.toml.j2"),
                     ("tests/__init__.py", "tests/init.py.j2"),
                     ("tests/sitecheck.py", "tests/sitecheck.py.j2"),
                     ("tests/test_site.py", "tests/test_site.py.j2"), prefix=T) + [
            FileSpec(f"site/{name}", f"{T}/site/{name}.j2") for name in site
        ]

    def resource_files(self, kind: str, res: Resource, bp: Blueprint) -> list[FileSpec]:
        if bp.default_resource:
            return []  # an idea without entities gets no list page
        table = {
            "model": files((f"site/data/{res.plural}.json", "site/data.json.j2"), prefix=T),
            "api": files((f"site/{res.plural}.html", "site/page.html.j2"), prefix=T),
            "tests": files((f"tests/test_{res.ident}_page.py", "tests/test_page.py.j2"),
                           prefix=T),
        }
        return table[kind]

    def context(self, bp: Blueprint) -> dict[str, object]:
        return base_context(
            bp,
            pages=[] if bp.default_resource else bp.resources,
            sample_json=sample_json,
            show_resources=not bp.default_resource,
            overview=(
                "A static site: plain HTML pages in `site/` with one stylesheet and no build "
                "step. Each list page fills its table from a JSON file in `site/data/` (edit it "
                "to change the content); values are inserted as text, never as HTML."
            ),
            usage=["python -m http.server 8080 --directory site   # then open "
                   "http://127.0.0.1:8080/"],
            layout=[
                ("site/", "the pages, stylesheet and script"),
                ("site/data/", "the content of the list pages (JSON)"),
                ("nginx.conf", "the server configuration of the container"),
                ("tests/", "checks of every page and link"),
            ],
            decisions=[
                "No inline scripts or styles, so the Content-Security-Policy can be "
                "`default-src 'self'` (see nginx.conf).",
                "Pages are written out, not built: what is in `site/` is what is served.",
            ],
            feature_status=feature_status({
                "i18n": "pages declare their language (`lang`); translations are not generated",
            }),
            security_present=[
                "**Content-Security-Policy** `default-src 'self'`, `X-Frame-Options: DENY`, "
                "`nosniff` (nginx.conf).",
                "**No HTML from data.** The list script inserts values with `textContent`.",
            ],
            security_todo=["**TLS** at the load balancer or CDN in front of nginx."],
            test_commands=["pytest   # page basics, links, data files"],
            deploy_note="nginx serves `site/` in the container",
        )

    def runtime(self, bp: Blueprint) -> Runtime:
        del bp
        return STATIC_RUNTIME
