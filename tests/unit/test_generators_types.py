"""Every project type's archetype: files per task kind, determinism, safety with hostile names,
deployment artefacts that validate, and (slow) hostile projects that pass their own tests and
lint. The end-to-end run from an idea per type is tests/e2e/test_project_types.py."""

from __future__ import annotations

import ast
import io
import json
import re
import sys
import tokenize
from pathlib import Path

import pytest

from quantumlayer import deploy
from quantumlayer.domain import AgentRole, Artifact, ProjectType, Spec, Task
from quantumlayer.generators import (
    ARCHETYPES,
    TASK_KINDS,
    generate,
    generate_project,
    resource_names,
    runtime,
)

from .test_generators import (
    hostile_spec,
    library_spec,
    make_spec,
    run_generated_tests,
    run_ruff,
    write,
)

TYPES = [t for t in ProjectType if t is not ProjectType.REST_API]
PER_ENTITY = ("model", "api", "tests")
# What generated code may import besides the standard library and its own packages.
THIRD_PARTY = {"fastapi", "pydantic", "sqlalchemy", "typer", "click", "pygame", "pytest",
               "starlette", "jwt", "httpx"}
OWN = {"app", "tests", "worker", "pipeline", "game"}
RUNTIME_KIND = {
    "web_app": "http", "mobile_app": "http", "ml_service": "http", "chatbot": "http",
    "static_site": "static", "worker": "worker", "data_pipeline": "batch", "cli": "cli",
    "library": "none", "game": "none", "desktop_app": "none",
}


def typed(spec: Spec, project_type: ProjectType) -> Spec:
    return spec.model_copy(update={"project_type": project_type})


def planner_tasks(spec: Spec) -> list[Task]:
    """One task per kind, per entity for the per-entity kinds (what the planner emits)."""
    tasks = []
    for kind in TASK_KINDS:
        for entity in resource_names(spec) if kind in PER_ENTITY else [None]:
            tasks.append(Task(id=f"T{len(tasks) + 1}", title=kind, role=AgentRole.BACKEND,
                              kind=kind, entity=entity))
    return tasks


def assert_safe(artifacts: list[Artifact], package: str) -> None:
    """Paths inside the project; Python that compiles, imports only what it should, and never
    names eval/exec/system/__import__ (user text appears only in literals)."""
    allowed = set(sys.stdlib_module_names) | THIRD_PARTY | OWN | {package}
    for artifact in artifacts:
        path = artifact.path
        assert re.fullmatch(r"[A-Za-z0-9_./-]+", path) and ".." not in path.split("/"), path
        if not path.endswith(".py"):
            continue
        compile(artifact.content, path, "exec")
        tokens = tokenize.generate_tokens(io.StringIO(artifact.content).readline)
        names = {t.string for t in tokens if t.type == tokenize.NAME}
        assert not {"__import__", "eval", "exec", "system"} & names, path
        for node in ast.walk(ast.parse(artifact.content)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert {m.split(".")[0] for m in modules} <= allowed, (path, modules)


def test_every_project_type_has_an_archetype() -> None:
    assert set(ARCHETYPES) == set(ProjectType)


@pytest.mark.parametrize("project_type", TYPES, ids=str)
def test_tasks_make_the_whole_project_deterministically(project_type: ProjectType) -> None:
    spec = typed(library_spec(), project_type)
    by_tasks: dict[str, str] = {}
    for task in planner_tasks(spec):
        artifacts = generate(spec, task)
        assert all(a.task_id == task.id for a in artifacts)
        for a in artifacts:
            by_tasks.setdefault(a.path, a.content)
    whole = {a.path: a.content for a in generate_project(spec)}
    assert by_tasks == whole
    assert whole == {a.path: a.content for a in generate_project(spec)}
    assert {"README.md", "docs/ARCHITECTURE.md", "DEPLOY.md", ".github/workflows/ci.yml"} <= set(
        whole
    )
    assert "pyproject.toml" in whole and "[tool.ruff]" in whole["pyproject.toml"]
    assert any(p.startswith("tests/test_") for p in whole)


@pytest.mark.parametrize("project_type", TYPES, ids=str)
def test_the_scaffold_alone_is_complete_without_entities(project_type: ProjectType) -> None:
    """Planners emit no per-entity tasks for an idea without entities."""
    spec = typed(make_spec([]), project_type)
    kinds = ("design", "scaffold", "docs", "devops", "security")
    files = {a.path for k in kinds for a in generate(
        spec, Task(id="T1", title=k, role=AgentRole.BACKEND, kind=k))}
    assert files == {a.path for a in generate_project(spec)}


@pytest.mark.parametrize("project_type", TYPES, ids=str)
def test_hostile_names_give_safe_code(project_type: ProjectType) -> None:
    spec = typed(hostile_spec(), project_type)
    artifacts = generate_project(spec)
    assert_safe(artifacts, ARCHETYPES[project_type].blueprint(spec).package)
    for artifact in artifacts:
        if artifact.path.endswith((".html", ".md")):
            assert "a|b<script>" not in artifact.content, artifact.path  # an enum value


@pytest.mark.parametrize("project_type", TYPES, ids=str)
def test_deployment_artefacts_validate(project_type: ProjectType) -> None:
    spec = typed(library_spec(), project_type)
    files = {a.path: a.content for a in generate_project(spec)}
    added, checks = deploy.prepare_artifacts(spec, files)
    assert added == {}  # the devops task already rendered every artefact
    assert checks
    rt = runtime(spec)
    assert rt.kind == RUNTIME_KIND[project_type.value]
    assert ("k8s/kustomization.yaml" in files) == rt.is_service


def test_web_app_resources_cannot_close_the_script_element() -> None:
    spec = typed(hostile_spec(), ProjectType.WEB_APP)
    spec.entities[0].fields[2].values.append("</script><script>alert(1)</script>")
    page = {a.path: a.content for a in generate_project(spec)}["app/static/index.html"]
    block = re.search(r'id="resources">(.*?)</script>', page, re.S)
    assert block and "alert(1)" in json.dumps(json.loads(block.group(1)))
    assert page.count("</script>") == 2  # the data block's own end and app.js's


def test_static_site_escapes_text() -> None:
    spec = typed(hostile_spec(), ProjectType.STATIC_SITE).model_copy(
        update={"title": "<img src=x onerror=alert(1)> & co"}
    )
    page = {a.path: a.content for a in generate_project(spec)}["site/index.html"]
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in page
    assert "<img" not in page


def test_cli_and_library_packages_never_shadow_what_they_import() -> None:
    for name in ("json", "typer", "tests", "app", "os"):
        spec = typed(library_spec(), ProjectType.CLI).model_copy(update={"name": name})
        package = ARCHETYPES[ProjectType.CLI].blueprint(spec).package
        assert package.isidentifier() and package != name and package.startswith(name)


def test_ml_service_picks_its_target_from_the_fields() -> None:
    from quantumlayer.generators.ml_service import model_plan

    spec = typed(library_spec(), ProjectType.ML_SERVICE)
    book = ARCHETYPES[ProjectType.ML_SERVICE].blueprint(spec).resource("Book")
    plan = model_plan(book)
    assert plan.target == "price"  # a decimal named like a price
    assert plan.features == ["feature_1", "feature_2", "feature_3"]  # no other numbers


# --- generated projects with hostile names, run for real -------------------------------------
# (REST-based types share the REST API's code, run with these names in test_generators.py.)


@pytest.mark.slow
@pytest.mark.parametrize(
    "project_type",
    [t for t in TYPES if t not in (ProjectType.WEB_APP, ProjectType.MOBILE_APP)],
    ids=str,
)
def test_hostile_project_passes_its_tests_and_lint(
    project_type: ProjectType, tmp_path: Path
) -> None:
    root = write(generate_project(typed(hostile_spec(), project_type)), tmp_path)
    run_ruff(root)
    passed, _ = run_generated_tests(root)
    assert passed >= 5
