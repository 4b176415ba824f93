"""The REST API archetype: files per task kind, determinism, safety, and generated projects that
pass their own tests and lint (the slow tests run each generated project's pytest and ruff)."""

from __future__ import annotations

import ast
import io
import os
import posixpath
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quantumlayer.domain import (
    AgentRole,
    Artifact,
    Complexity,
    Entity,
    EntityField,
    Relation,
    Spec,
    Task,
)
from quantumlayer.generators import TASK_KINDS, generate, generate_project, resource_names

ROLES = {
    "design": AgentRole.ARCHITECT, "scaffold": AgentRole.BACKEND, "model": AgentRole.BACKEND,
    "api": AgentRole.BACKEND, "tests": AgentRole.QA, "docs": AgentRole.WRITER,
    "devops": AgentRole.DEVOPS, "security": AgentRole.SECURITY,
}
PER_ENTITY = ("model", "api", "tests")
HOSTILE_ENUM = '"); import os #'
# Modules generated code may import; anything else would be a sign of injected code.
ALLOWED_IMPORTS = {
    "__future__", "collections", "contextlib", "datetime", "decimal", "itertools", "os",
    "pathlib", "sqlite3", "threading", "time", "typing", "uuid", "fastapi", "pydantic", "pytest",
    "sqlalchemy", "app", "tests",
    # the features' code (auth, CSV, files, rate limits, webhooks)
    "base64", "hashlib", "hmac", "secrets", "csv", "io", "re", "math", "json", "logging",
    "asyncio", "ipaddress", "urllib", "jwt", "httpx",
}


def make_spec(entities: list[Entity], **overrides: object) -> Spec:
    fields: dict[str, object] = {
        "name": "library-api",
        "title": "Library API",
        "summary": "A REST API for a library: books, authors, members and loans",
        "project_type": "rest_api",
        "complexity": Complexity(score=3, size="S", effort_hours=20),
        "entities": entities,
    }
    return Spec(**(fields | overrides))


def library_spec() -> Spec:
    f = EntityField
    return make_spec([
        Entity(name="Book", fields=[f(name="title"), f(name="isbn", unique=True),
                                    f(name="published", type="date"),
                                    f(name="price", type="decimal")],
               relations=[Relation(kind="many_to_one", target="Author")]),
        Entity(name="Author", fields=[f(name="name"), f(name="email", type="email")]),
        Entity(name="Member", fields=[f(name="name"), f(name="email", type="email", unique=True),
                                      f(name="status", type="enum",
                                        values=["active", "suspended"])]),
        Entity(name="Loan", fields=[f(name="due_date", type="date"),
                                    f(name="returned", type="boolean")],
               relations=[Relation(kind="many_to_one", target="Member"),
                          Relation(kind="many_to_one", target="Book")]),
    ])


def hostile_spec() -> Spec:
    """Names and text meant to break out of the generated code, plus awkward structure."""
    f = EntityField
    long_name = "an extremely long entity name that goes on well beyond any sensible limit"
    spec = make_spec(
        [
            Entity(name="__import__('os').system('x')",
                   fields=[f(name="id"), f(name="import"),
                           f(name="status", type="enum",
                             values=[HOSTILE_ENUM, "'''", "line\nbreak", "y" * 150, "{{ 7*7 }}",
                                     "a|b<script>"])],
                   relations=[Relation(kind="many_to_one", target="../../etc"),
                              Relation(kind="many_to_one", target="Nowhere")]),
            Entity(name="../../etc",
                   fields=[f(name="model_number", type="integer"),
                           f(name="datetime", type="datetime"), f(name="json"),
                           f(name="registry", type="text", required=False)],
                   relations=[Relation(kind="many_to_many", target="class")]),
            Entity(name="class", relations=[Relation(kind="one_to_many", target="Employee")]),
            Entity(name="Book", fields=[f(name="title")]),
            Entity(name="books", fields=[f(name="isbn", unique=True), f(name="Title")]),
            Entity(name=long_name, fields=[
                f(name=f"{kind} field with a very very long name indeed", type=kind,
                  unique=kind not in {"boolean", "enum", "text"},
                  values=["one", "two"] if kind == "enum" else [])
                for kind in ("string", "text", "integer", "decimal", "float", "boolean", "date",
                             "datetime", "email", "url", "file", "enum", "uuid")
            ], relations=[Relation(kind="many_to_one", target="Book"),
                          Relation(kind="many_to_many", target="Book")]),
            Entity(name="Employee", fields=[f(name="name"),
                                            f(name="salary", type="decimal", required=False)],
                   relations=[Relation(kind="many_to_one", target="Employee")]),
            Entity(name="Alpha", relations=[Relation(kind="many_to_one", target="Beta")]),
            Entity(name="Beta", relations=[Relation(kind="many_to_one", target="Alpha")]),
            Entity(name="Mapped", fields=[f(name="session"), f(name="limit", type="integer")]),
        ],
        name="../../evil\nname",
        title='Evil """ title __import__("os") {{ 7*7 }}\u202e',
        summary='Summary with """ and \\ and {% raw %} and \x00 and\nnewlines ' + "x" * 300,
        features=["auth", "payments"],
    )
    # A Spec built without validation: the generator must not trust the domain's sanitising.
    spec.entities.append(Entity.model_construct(
        name="Evil'); import os; ('",
        fields=[EntityField.model_construct(name="__import__('os')", type="string",
                                            required=True, unique=False, values=[])],
        relations=[],
    ))
    return spec


def tasks_for(spec: Spec) -> list[Task]:
    """One task per kind, per entity where the kind is per entity (what the planner emits)."""
    tasks = []
    for kind in TASK_KINDS:
        for entity in resource_names(spec) if kind in PER_ENTITY else [None]:
            tasks.append(Task(id=f"T{len(tasks) + 1}", title=kind, role=ROLES[kind], kind=kind,
                              entity=entity))
    return tasks


def write(artifacts: list[Artifact], root: Path) -> Path:
    for artifact in artifacts:
        path = root / artifact.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(artifact.content, encoding="utf-8")
    return root


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k != "PYTHONPATH" and not k.startswith(("PYTEST_", "COV_"))}


def run_generated_tests(root: Path) -> tuple[int, str]:
    """Run the project's own tests; (passed count, output). Asserts nothing failed."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=root, env=clean_env(), capture_output=True, text=True, timeout=240,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    summary = re.search(r"(\d+) passed", output)
    assert summary, output[-2000:]
    assert not re.search(r"\d+ (failed|error)", output), output[-2000:]
    return int(summary.group(1)), output


def run_ruff(root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=root, env=clean_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def count_test_functions(root: Path) -> int:
    """How many test functions the generated test modules define."""
    return sum(
        isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        for path in (root / "tests").glob("test_*.py")
        for node in ast.parse(path.read_text()).body
    )


def assert_safe(artifacts: list[Artifact]) -> None:
    """Paths stay inside the project; code imports only what it should; `__import__` and
    other free text appear only inside string literals."""
    for artifact in artifacts:
        path = artifact.path
        assert not path.startswith("/") and ".." not in path.split("/"), path
        assert posixpath.normpath(path) == path, path
        assert re.fullmatch(r"[A-Za-z0-9_./-]+", path), path
        if not path.endswith(".py"):
            continue
        compile(artifact.content, path, "exec")
        tokens = list(tokenize.generate_tokens(io.StringIO(artifact.content).readline))
        names = {t.string for t in tokens if t.type == tokenize.NAME}
        assert "__import__" not in names, path
        assert not {"eval", "exec", "system", "subprocess"} & names, path
        for node in ast.walk(ast.parse(artifact.content)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert {m.split(".")[0] for m in modules} <= ALLOWED_IMPORTS, (path, modules)


# --- the public surface -----------------------------------------------------------------------


def test_task_kinds() -> None:
    assert TASK_KINDS == ("design", "scaffold", "model", "api", "tests", "docs", "devops",
                          "security")


def test_each_kind_produces_its_files() -> None:
    spec = library_spec()
    by_kind = {}
    for task in tasks_for(spec):
        artifacts = generate(spec, task)
        assert artifacts and all(a.task_id == task.id for a in artifacts)
        by_kind.setdefault(task.kind, set()).update(a.path for a in artifacts)
    assert by_kind["design"] == {"docs/ARCHITECTURE.md"}
    assert by_kind["scaffold"] == {
        "pyproject.toml", "app/__init__.py", "app/database.py", "app/pagination.py",
        "app/crud.py", "app/metrics.py", "app/main.py", "app/models/__init__.py",
        "app/schemas/__init__.py", "app/routers/__init__.py", "tests/__init__.py",
        "tests/conftest.py", "tests/factories.py", "tests/test_app.py",
    }
    idents = ["book", "author", "member", "loan"]
    assert by_kind["model"] == {f"app/{p}/{i}.py" for i in idents for p in ("models", "schemas")}
    assert by_kind["api"] == {f"app/routers/{i}.py" for i in idents}
    assert by_kind["tests"] == {f"tests/test_{i}.py" for i in idents}
    assert by_kind["docs"] == {"README.md"}
    # The devops task renders the Deployment Engine's artefacts (see test_deploy_iac.py).
    assert by_kind["devops"] == {
        "Dockerfile", ".dockerignore", "docker-compose.yml", ".github/workflows/ci.yml",
        ".gitlab-ci.yml", "DEPLOY.md", "monitoring/prometheus-rules.yaml",
        "monitoring/grafana-dashboard.json",
        *(f"k8s/{n}.yaml" for n in ("configmap", "deployment", "service", "hpa", "pdb",
                                    "networkpolicy", "kustomization")),
        *(f"terraform/{n}.tf" for n in ("versions", "variables", "main", "outputs")),
    }
    assert by_kind["security"] == {"SECURITY.md"}


def test_project_is_the_union_of_its_tasks() -> None:
    spec = library_spec()
    by_tasks = {a.path: a.content for t in tasks_for(spec) for a in generate(spec, t)}
    assert by_tasks == {a.path: a.content for a in generate_project(spec)}


def test_generation_is_deterministic() -> None:
    for spec in (library_spec(), hostile_spec()):
        first = [(a.path, a.content) for a in generate_project(spec)]
        assert first == [(a.path, a.content) for a in generate_project(spec)]


def test_entity_is_found_by_any_spelling() -> None:
    spec = library_spec()
    task = Task(id="T1", title="t", role=AgentRole.BACKEND, kind="model", entity="books")
    assert {a.path for a in generate(spec, task)} == {"app/models/book.py", "app/schemas/book.py"}


@pytest.mark.parametrize(
    ("kind", "entity", "message"),
    [
        ("frontend", None, "unknown task kind"),
        ("generic", None, "unknown task kind"),
        ("model", None, "needs the entity"),
        ("api", "Spaceship", "no entity"),
    ],
)
def test_bad_tasks_raise_value_error(kind: str, entity: str | None, message: str) -> None:
    task = Task(id="T1", title="t", role=AgentRole.BACKEND, kind=kind, entity=entity)
    with pytest.raises(ValueError, match=message):
        generate(library_spec(), task)


def test_unknown_project_types_are_refused() -> None:
    spec = library_spec().model_copy(update={"project_type": "spaceship"})
    with pytest.raises(ValueError, match="no built-in archetype"):
        generate_project(spec)


# --- names and text from users ------------------------------------------------------------------


def test_resource_names_are_sanitised_and_deduplicated() -> None:
    assert resource_names(hostile_spec()) == [
        "ImportOsSystemX", "Etc", "ClassItem", "Book", "AnExtremelyLongEntityName", "Employee",
        "Alpha", "Beta", "MappedResource", "EvilImportOs",
    ]
    assert resource_names(make_spec([])) == ["Item"]


def test_hostile_spec_yields_safe_code() -> None:
    artifacts = generate_project(hostile_spec())
    assert_safe(artifacts)
    files = {a.path: a.content for a in artifacts}
    schema = ast.parse(files["app/schemas/import_os_system_x.py"])
    strings = {n.value for n in ast.walk(schema) if isinstance(n, ast.Constant)}
    assert {HOSTILE_ENUM, "'''", "line\nbreak", "{{ 7*7 }}"} <= strings
    # Free text is data: the title is a string constant, never evaluated or templated.
    main = ast.parse(files["app/main.py"])
    titles = [k.value for n in ast.walk(main) if isinstance(n, ast.Call)
              for k in n.keywords if k.arg == "title"]
    assert isinstance(titles[0], ast.Constant)
    assert titles[0].value == 'Evil """ title __import__("os") {{ 7*7 }}'
    assert 'name = "evil-name"' in files["pyproject.toml"]
    assert "&lt;script&gt;" in files["docs/ARCHITECTURE.md"]
    assert "<script>" not in files["docs/ARCHITECTURE.md"]


def test_reserved_and_clashing_names_are_renamed() -> None:
    files = {a.path: a.content for a in generate_project(hostile_spec())}
    assert "    id_item: Mapped[str]" in files["app/models/import_os_system_x.py"]
    assert "    import_item: Mapped[str]" in files["app/models/import_os_system_x.py"]
    etc = files["app/models/etc.py"]
    for name in ("datetime_field", "json_field", "registry_field", "model_number"):
        assert f"    {name}: Mapped[" in etc
    assert "class MappedResource(Base):" in files["app/models/mapped_resource.py"]
    # Required references that would form a cycle: one of them becomes optional.
    assert "alpha_id: Mapped[int | None]" in files["app/models/beta.py"]
    assert "beta_id: Mapped[int] = " in files["app/models/alpha.py"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.text(max_size=40), min_size=1, max_size=4),
    field_names=st.lists(st.text(max_size=40), max_size=4),
    values=st.lists(st.text(max_size=30), min_size=1, max_size=4),
    text=st.text(max_size=200),
)
def test_any_names_and_text_give_code_that_compiles(
    names: list[str], field_names: list[str], values: list[str], text: str
) -> None:
    fields = [EntityField(name=n) for n in field_names]
    fields.append(EntityField(name="kind", type="enum", values=values))
    entities = [
        Entity(name=name, fields=fields, relations=[Relation(kind="many_to_one", target=names[0])])
        for name in names
    ]
    assert_safe(generate_project(make_spec(entities, title=text, summary=text, name=text)))


# --- generated projects, run for real -----------------------------------------------------------


@pytest.mark.slow
def test_library_project_passes_its_tests_and_lint(tmp_path: Path) -> None:
    root = write(generate_project(library_spec()), tmp_path)
    run_ruff(root)
    passed, _ = run_generated_tests(root)
    # Per resource: create+read, paginated list, list bounds, read 404, update, update 404,
    # delete; then one each for null on a required field, a missing required field, and a
    # filter, plus: Book unique isbn, unknown author, author in use (13); Author bad email (11);
    # Member bad email, bad enum, unique email (13); Loan 2 x (unknown ref, ref in use) but no
    # string field to filter (13). And /health, the OpenAPI paths and /metrics (3).
    assert passed == 13 + 11 + 13 + 13 + 3 == count_test_functions(root)


@pytest.mark.slow
def test_hostile_project_passes_its_tests_and_lint(tmp_path: Path) -> None:
    root = write(generate_project(hostile_spec()), tmp_path)
    run_ruff(root)
    passed, _ = run_generated_tests(root)
    assert passed == count_test_functions(root) > 100


@pytest.mark.slow
def test_spec_without_entities_gets_a_working_item_resource(tmp_path: Path) -> None:
    spec = make_spec([])
    scaffold = Task(id="T2", title="scaffold", role=AgentRole.BACKEND, kind="scaffold")
    # The planner emits no per-entity tasks here, so the scaffold brings the Item resource.
    scaffold_paths = {a.path for a in generate(spec, scaffold)}
    assert {"app/models/item.py", "app/routers/item.py", "tests/test_item.py"} <= scaffold_paths
    artifacts = generate_project(spec)
    assert_safe(artifacts)
    root = write(artifacts, tmp_path)
    run_ruff(root)
    passed, _ = run_generated_tests(root)
    # Item(name, description): the 7 basic tests, null name, missing name, filter by name; + 3.
    assert passed == 10 + 3 == count_test_functions(root)


# --- features change the code ---------------------------------------------------------------------

CODED = ["auth", "rbac", "search", "file_upload", "export_csv", "import_csv", "audit_log",
         "rate_limiting", "webhooks"]


def test_features_add_code_only_when_asked() -> None:
    plain = {a.path: a.content for a in generate_project(library_spec())}
    assert not any(p.startswith("app/features/") for p in plain)
    assert "dependencies=" not in plain["app/main.py"] and "q:" not in plain["app/routers/book.py"]
    full = {a.path: a.content for a in generate_project(
        library_spec().model_copy(update={"features": [*CODED, "payments"]}))}
    for module in ("auth", "audit", "csv_io", "files", "rate_limit", "webhooks"):
        assert f"app/features/{module}.py" in full and f"tests/test_{module}.py" in full
    assert "app.include_router(router, dependencies=auth.PROTECTED)" in full["app/main.py"]
    assert "apply_search" in full["app/routers/book.py"]
    assert "payments" in full["SECURITY.md"].split("not in this scaffold")[1]
    assert "**webhooks**: subscriptions" in full["docs/ARCHITECTURE.md"]
    only_search = {a.path for a in generate_project(
        library_spec().model_copy(update={"features": ["search"]}))}
    assert not any(p.startswith("app/features/") for p in only_search)


def test_rbac_brings_auth() -> None:
    files = {a.path for a in generate_project(
        library_spec().model_copy(update={"features": ["rbac"]}))}
    assert "app/features/auth.py" in files and "tests/test_auth.py" in files


@pytest.mark.slow
def test_project_with_every_feature_passes_its_tests_and_lint(tmp_path: Path) -> None:
    spec = library_spec().model_copy(update={"features": CODED})
    root = write(generate_project(spec), tmp_path)
    run_ruff(root)
    passed, _ = run_generated_tests(root)
    assert passed == count_test_functions(root) > 60
    for module in ("auth", "audit", "csv_io", "files", "rate_limit", "webhooks"):
        tree = ast.parse((root / "tests" / f"test_{module}.py").read_text())
        assert any(isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
                   for n in tree.body), module
