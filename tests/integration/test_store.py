"""quantumlayer.store against real databases: a SQLite file and PostgreSQL (a fresh schema each).

PostgreSQL must be reachable (QL_TEST_POSTGRES_URL, default the CI server); set
QL_SKIP_POSTGRES=1 to skip its half of the tests on a machine without one.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from quantumlayer.errors import NotFound, UserError
from quantumlayer.store import db
from quantumlayer.store import repositories as repo
from quantumlayer.store.models import (
    TABLE_NAMES,
    AgentInteraction,
    ArtifactBlob,
    ArtifactRecord,
    Base,
    PerformanceMetric,
    Project,
    WorkflowExecution,
)

PG_URL = os.environ.get("QL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# The tables the seed document names, plus the content-addressed artifact store.
SEED_TABLES = {
    "users", "projects", "workflows", "agents", "deployments", "workflow_executions",
    "agent_interactions", "performance_metrics", "project_templates", "agent_configurations",
    "deployment_targets", "artifacts", "artifact_blobs",
}

pytestmark = pytest.mark.integration


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_admin() -> Iterator[sa.Engine]:
    """An engine on the PostgreSQL test database, used to create and drop per-test schemas."""
    engine = sa.create_engine(PG_URL, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        if os.environ.get("QL_SKIP_POSTGRES") == "1":
            pytest.skip("PostgreSQL is not reachable and QL_SKIP_POSTGRES=1")
        pytest.fail(
            f"PostgreSQL at {PG_URL} is not reachable ({exc.orig}). Start it "
            "(pg_ctlcluster --skip-systemctl-redirect <version> main start), point "
            "QL_TEST_POSTGRES_URL at one, or set QL_SKIP_POSTGRES=1 to skip these tests.",
            pytrace=False,
        )
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(url, create_engine_for kwargs) of an empty database: a SQLite file in a folder whose
    name has a space, or a fresh PostgreSQL schema dropped after the test."""
    if request.param == "sqlite":
        yield db.default_sqlite_url(tmp_path / "ql home"), {}
        return
    admin: sa.Engine = request.getfixturevalue("pg_admin")
    schema = f"ql_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield PG_URL, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


BACKENDS = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def engine(database_url: tuple[str, dict[str, Any]]) -> Iterator[sa.Engine]:
    """An engine on the empty database (not migrated)."""
    url, kwargs = database_url
    engine = db.create_engine_for(url, **kwargs)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: sa.Engine) -> sessionmaker[Session]:
    """A session factory on the migrated database."""
    db.migrate(engine)
    return db.session_factory(engine)


def new_project(sessions: sessionmaker[Session], **overrides: Any) -> str:
    """A factory: create a project (with sensible values unless overridden); return its id."""
    values: dict[str, Any] = {
        "id": uuid.uuid4().hex[:12], "intent": "A REST API for a library: books and loans",
        "name": "library-api", "title": "Library API", "project_type": "rest_api",
        "spec": None, "options": {"max_parallel": 4}, "output_dir": None,
    }
    values.update(overrides)
    with sessions.begin() as session:
        return repo.create_project(session, **values).id


def count(sessions: sessionmaker[Session], model: type[Base], *where: Any) -> int:
    with sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def run_threads(n: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run `work(i)` in `n` threads released at the same instant; return what they raised."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            work(i)
        except BaseException as exc:  # collected and asserted on by the test
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer thread hung"
    return errors


# --- schema and migrations ---------------------------------------------------------------------


@BACKENDS
def test_migrate_creates_every_table_and_a_second_run_is_a_no_op(engine: sa.Engine) -> None:
    assert db.current_revision(engine) is None
    db.migrate(engine)
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    assert db.current_revision(engine) == head == "0002"
    tables = db.table_names(engine)
    assert tables >= SEED_TABLES
    assert set(TABLE_NAMES) | {"alembic_version"} == tables

    db.migrate(engine)
    assert db.current_revision(engine) == head
    assert db.table_names(engine) == tables


@BACKENDS
def test_models_match_the_migration(engine: sa.Engine) -> None:
    db.migrate(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@BACKENDS
def test_migrations_from_two_processes_at_once(database_url: tuple[str, dict[str, Any]]) -> None:
    url, kwargs = database_url
    code = (
        "import sys, json; from quantumlayer.store import db; "
        "db.migrate(db.create_engine_for(sys.argv[1], **json.loads(sys.argv[2])))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, url, json.dumps(kwargs)],
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    for proc in procs:
        if proc.stderr:
            proc.stderr.close()
    assert [rc for rc, _ in outcomes] == [0, 0], outcomes
    engine = db.create_engine_for(url, **kwargs)
    try:
        assert db.current_revision(engine) == "0002"
        assert db.table_names(engine) >= SEED_TABLES
    finally:
        engine.dispose()


def test_migrate_accepts_a_url_with_spaces_and_sqlite_is_set_up_for_concurrency(
    tmp_path: Path,
) -> None:
    url = db.default_sqlite_url(tmp_path / "my home" / "with 100% #odd? chars")
    db.migrate(url)  # a URL string: migrate makes (and disposes of) its own engine
    assert (tmp_path / "my home" / "with 100% #odd? chars" / "quantumlayer.db").is_file()
    engine = db.create_engine_for(url)
    try:
        assert db.table_names(engine) >= SEED_TABLES
        with engine.connect() as conn:
            pragma = conn.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS
            assert pragma("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_database_urls_are_normalised() -> None:
    assert db.normalize_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    assert db.normalize_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    assert db.normalize_url("sqlite:///x.db").drivername == "sqlite+pysqlite"
    with pytest.raises(UserError, match="unsupported database"):
        db.normalize_url("mysql://u@h/d")


# --- projects ----------------------------------------------------------------------------------


@BACKENDS
def test_project_crud_and_not_found(sessions: sessionmaker[Session]) -> None:
    first = new_project(sessions, name=None, title=None, project_type=None)  # before analysis
    second = new_project(sessions, options={"max_parallel": 2, "ünïcode": "✓"})
    third = new_project(sessions)

    with sessions.begin() as session:
        project = repo.get_project_or_raise(session, project_id=second)
        assert project.status == "pending"
        assert project.options == {"max_parallel": 2, "ünïcode": "✓"}
        assert project.created_at.tzinfo is not None
        assert abs(project.created_at - datetime.now(UTC)) < timedelta(minutes=1)
        assert repo.get_project(session, project_id="missing") is None
        assert [p.id for p in repo.list_projects(session, limit=10)] == [third, second, first]
        assert [p.id for p in repo.list_projects(session, limit=1, offset=1)] == [second]
        assert repo.count_projects(session) == 3

        finished = datetime.now(UTC)
        updated = repo.update_project(
            session, project_id=first, status="succeeded", name="late-name",
            summary={"tests": {"passed": 12, "failed": 0}, "duration_s": 3.5},
            finished_at=finished,
        )
        assert updated.status == "succeeded" and updated.name == "late-name"
    with sessions() as session:
        project = repo.get_project_or_raise(session, project_id=first)
        assert project.summary == {"tests": {"passed": 12, "failed": 0}, "duration_s": 3.5}
        assert project.finished_at == finished and project.finished_at.tzinfo is not None
        assert project.updated_at >= project.created_at
        assert [p.id for p in repo.list_projects(session, limit=10, status="succeeded")] == [first]
        assert repo.count_projects(session, status="pending") == 2

        with pytest.raises(NotFound):
            repo.get_project_or_raise(session, project_id="missing")
        with pytest.raises(NotFound):
            repo.update_project(session, project_id="missing", status="failed")
        with pytest.raises(UserError, match="invalid project status"):
            repo.update_project(session, project_id=first, status="exploded")
        with pytest.raises(TypeError, match="intent"):
            repo.update_project(session, project_id=first, intent="rewritten history")
        with pytest.raises(UserError, match="limit"):
            repo.list_projects(session, limit=0)
        with pytest.raises(UserError, match="timezone-aware"):
            repo.update_project(session, project_id=first, finished_at=datetime.now())


@BACKENDS
def test_create_project_is_idempotent_for_the_same_intent(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    assert new_project(sessions, id=pid) == pid  # a retried creation
    assert count(sessions, Project) == 1
    with pytest.raises(UserError, match="already exists"):
        new_project(sessions, id=pid, intent="something else entirely")


@BACKENDS
def test_deleting_a_project_removes_its_records(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    keep = new_project(sessions)
    with sessions.begin() as session:
        repo.save_artifacts(session, project_id=pid, task_id="T1", files=[("a.txt", "only here")])
        repo.save_artifacts(session, project_id=keep, task_id="T1", files=[("b.txt", "shared")])
        repo.save_artifacts(session, project_id=pid, task_id="T1", files=[("b.txt", "shared")])
        repo.record_task_started(session, workflow_id="wf-del", project_id=pid, task_id="T1")
        repo.record_metric(session, name="m", value=1, project_id=pid, key="del:m")
    with sessions.begin() as session:
        repo.delete_project(session, project_id=pid)
        with pytest.raises(NotFound):
            repo.delete_project(session, project_id=pid)
    assert count(sessions, ArtifactRecord, ArtifactRecord.project_id == pid) == 0
    assert count(sessions, WorkflowExecution) == 0
    assert count(sessions, PerformanceMetric) == 0
    with sessions.begin() as session:
        assert repo.prune_artifact_blobs(session) == 1  # "only here"; "shared" is still used
        assert repo.artifact_files(session, project_id=keep) == {"b.txt": "shared"}


# --- artifacts ---------------------------------------------------------------------------------


@BACKENDS
def test_artifacts_are_content_addressed_and_idempotent(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    files = [("app/main.py", "print('hi')\n"), ("README.md", "# Library\n"),
             ("docs/copy.md", "# Library\n")]  # two paths, one content
    with sessions.begin() as session:
        saved = repo.save_artifacts(session, project_id=pid, task_id="T1", files=files)
    assert [a.path for a in saved] == ["README.md", "app/main.py", "docs/copy.md"]
    with sessions() as session:
        before = session.execute(
            sa.select(ArtifactRecord.id, ArtifactRecord.path, ArtifactRecord.sha256,
                      ArtifactRecord.updated_at).order_by(ArtifactRecord.path)
        ).all()
    assert count(sessions, ArtifactBlob) == 2

    with sessions.begin() as session:  # a retried task saves the same files again
        repo.save_artifacts(session, project_id=pid, task_id="T1", files=files)
    with sessions() as session:
        after = session.execute(
            sa.select(ArtifactRecord.id, ArtifactRecord.path, ArtifactRecord.sha256,
                      ArtifactRecord.updated_at).order_by(ArtifactRecord.path)
        ).all()
        assert after == before  # same rows, untouched
        listed = repo.list_artifacts(session, project_id=pid)
    assert count(sessions, ArtifactBlob) == 2
    readme_sha = hashlib.sha256(b"# Library\n").hexdigest()
    assert listed[0] == ("README.md", readme_sha, 10, "T1")
    assert listed[0].sha256 == listed[2].sha256

    with sessions.begin() as session:  # a later task rewrites one file: last writer wins
        repo.save_artifacts(session, project_id=pid, task_id="T2",
                            files={"README.md": "# Library API\n"})
    with sessions() as session:
        listed = {a.path: a for a in repo.list_artifacts(session, project_id=pid)}
        assert len(listed) == 3
        assert listed["README.md"].sha256 == hashlib.sha256(b"# Library API\n").hexdigest()
        assert listed["README.md"].task_id == "T2"
        assert listed["docs/copy.md"].sha256 == readme_sha
        assert repo.read_artifact(session, project_id=pid, path="README.md") == "# Library API\n"
        assert repo.read_artifact(session, project_id=pid, path="./app//main.py") == "print('hi')\n"
        assert repo.artifact_files(session, project_id=pid) == {
            "README.md": "# Library API\n", "app/main.py": "print('hi')\n",
            "docs/copy.md": "# Library\n",
        }
        with pytest.raises(NotFound):
            repo.read_artifact(session, project_id=pid, path="nope.txt")
    assert count(sessions, ArtifactBlob) == 3


@BACKENDS
def test_unicode_and_a_one_megabyte_artifact_round_trip(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    unicode_text = "héllo wörld — 日本語 — emoji 🚀 — NUL \x00 — CRLF\r\n— tab\t\n"
    big = "".join(chr(ord("a") + (i * 7919) % 26) for i in range(1 << 20))  # 1 MiB of text
    with sessions.begin() as session:
        saved = repo.save_artifacts(
            session, project_id=pid, task_id="T1",
            files=[("i18n/ünï cödé.txt", unicode_text), ("data/big.txt", big)],
        )
    sizes = {a.path: a.size for a in saved}
    assert sizes["data/big.txt"] == 1 << 20
    assert sizes["i18n/ünï cödé.txt"] == len(unicode_text.encode("utf-8"))
    with sessions() as session:
        assert repo.read_artifact(session, project_id=pid, path="i18n/ünï cödé.txt") == unicode_text
        assert repo.read_artifact(session, project_id=pid, path="data/big.txt") == big
        stored = {a.path: a.sha256 for a in repo.list_artifacts(session, project_id=pid)}
    assert stored["data/big.txt"] == hashlib.sha256(big.encode()).hexdigest()


@BACKENDS
@pytest.mark.parametrize(
    "bad_path", ["../../etc/passwd", "/etc/passwd", "a/../../x", "..", "a\\b", "", "x\x00y"]
)
def test_a_path_escaping_the_project_is_rejected_and_nothing_is_written(
    sessions: sessionmaker[Session], bad_path: str
) -> None:
    pid = new_project(sessions)
    with sessions.begin() as session, pytest.raises((UserError, ValueError)):
        repo.save_artifacts(session, project_id=pid, task_id="T1",
                            files=[("ok.txt", "fine"), (bad_path, "root:x:0:0")])
    assert count(sessions, ArtifactRecord) == 0
    assert count(sessions, ArtifactBlob) == 0
    with sessions() as session, pytest.raises(UserError):
        repo.read_artifact(session, project_id=pid, path="../../etc/passwd")


# --- workflows, tasks, agents, interactions ----------------------------------------------------


@BACKENDS
def test_task_executions_keep_one_row_per_workflow_and_task(
    sessions: sessionmaker[Session],
) -> None:
    pid = new_project(sessions)
    wf = f"project-{pid}"
    common = {"workflow_id": wf, "project_id": pid, "task_id": "T1"}
    with sessions.begin() as session:
        repo.record_workflow(session, workflow_id=wf, project_id=pid, run_id="run-1",
                             task_queue="agents")
        repo.record_task_started(session, **common, role="backend", title="Models", attempt=1)
        repo.record_task_finished(session, **common, status="failed", duration_s=0.5,
                                  error="boom", attempt=1)
    with sessions.begin() as session:  # Temporal retries the activity: attempt 2
        repo.record_task_started(session, **common, role="backend", title="Models", attempt=2)
        running = repo.list_task_executions(session, project_id=pid)
        assert [(r.status, r.attempt, r.error, r.finished_at) for r in running] == [
            ("running", 2, None, None)
        ]
        repo.record_task_finished(session, workflow_id=wf, task_id="T1", status="succeeded",
                                  duration_s=1.25)
        # The attempt-1 worker that timed out reports late: ignored.
        repo.record_task_finished(session, **common, status="failed", error="late", attempt=1)
        # A new run of the same workflow (continue-as-new, reset) is the same workflow.
        repo.record_workflow(session, workflow_id=wf, project_id=pid, run_id="run-2")
        repo.record_task_started(session, **common, attempt=1)
        repo.record_task_finished(session, **common, status="succeeded", duration_s=2.0,
                                  attempt=1)
    with sessions() as session:
        rows = repo.list_task_executions(session, project_id=pid)
        assert len(rows) == 1
        row = rows[0]
        assert (row.task_id, row.status, row.attempt, row.error) == ("T1", "succeeded", 1, None)
        assert (row.role, row.title, row.duration_s) == ("backend", "Models", 2.0)
        assert row.started_at is not None and row.finished_at is not None
        assert row.finished_at >= row.started_at
        workflow = repo.get_workflow(session, workflow_id=wf)
        assert workflow is not None
        assert (workflow.run_id, workflow.task_queue) == ("run-2", "agents")
        assert [w.id for w in repo.list_workflows(session, project_id=pid)] == [wf]
    with sessions.begin() as session:
        closed = repo.update_workflow(session, workflow_id=wf, status="succeeded",
                                      closed_at=datetime.now(UTC))
        assert closed.status == "succeeded" and closed.closed_at is not None
        with pytest.raises(NotFound):
            repo.record_task_finished(session, workflow_id=wf, task_id="T9", status="failed")
        with pytest.raises(UserError, match="invalid task status"):
            repo.record_task_finished(session, **common, status="done")


@BACKENDS
def test_a_task_recorded_before_its_workflow_creates_it(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    with sessions.begin() as session:
        repo.record_task_finished(session, workflow_id="wf-x", project_id=pid, task_id="T1",
                                  status="succeeded", duration_s=1.0)
    with sessions() as session:
        assert repo.get_workflow(session, workflow_id="wf-x") is not None
        rows = repo.list_task_executions(session, project_id=pid, workflow_id="wf-x")
        assert [(r.status, r.attempt, r.started_at) for r in rows] == [("succeeded", 1, None)]


@BACKENDS
def test_interactions_and_agents_are_idempotent(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    for attempt in (1, 2):  # the same task, run twice
        with sessions.begin() as session:
            repo.record_agent_spawned(session, project_id=pid, task_id="T1", role="backend",
                                      provider="builtin", model="templates")
            repo.record_interaction(session, project_id=pid, task_id="T1", agent_role="backend",
                                    kind="prompt", sequence=0, content="Write the models",
                                    prompt_version="backend@1")
            repo.record_interaction(session, project_id=pid, task_id="T1", agent_role="backend",
                                    kind="response", sequence=1, content=f"done, try {attempt}",
                                    provider="builtin", tokens_in=10, tokens_out=20 * attempt,
                                    cost_usd=0.001)
            repo.record_agent_destroyed(session, project_id=pid, task_id="T1", spawn_time_s=0.01)
    with sessions() as session:
        interactions = repo.list_interactions(session, project_id=pid)
        assert [(i.kind, i.sequence) for i in interactions] == [("prompt", 0), ("response", 1)]
        assert interactions[1].content == "done, try 2" and interactions[1].tokens_out == 40
        assert interactions[0].prompt_version == "backend@1"
        assert repo.list_interactions(session, project_id=pid, task_id="T2") == []
        agents = repo.list_agents(session, project_id=pid)
        assert [(a.task_id, a.status, a.spawn_time_s) for a in agents] == [
            ("T1", "destroyed", 0.01)
        ]
        assert agents[0].destroyed_at is not None
        with pytest.raises(UserError, match="invalid interaction kind"):
            repo.record_interaction(session, project_id=pid, task_id="T1", agent_role="qa",
                                    kind="shout", sequence=0, content="!")
        with pytest.raises(NotFound):
            repo.record_agent_destroyed(session, project_id=pid, task_id="T404")
    assert count(sessions, AgentInteraction) == 2


@BACKENDS
def test_interaction_records_are_stored_with_personal_data_redacted(
    sessions: sessionmaker[Session],
) -> None:
    """What an agent said is stored redacted, on the first write and on a retry's overwrite;
    the files it produced are stored as produced (they are the project, not a record)."""
    pid = new_project(sessions)
    email, card = "jane.doe@example.com", "4111 1111 1111 1111"
    key = "sk-proj-" + "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ"
    said = f"Mail {email}, pay with {card}, call the provider with {key}. Done."
    source = f'ADMIN_EMAIL = "{email}"\nAPI_KEY = "{key}"\n'
    for attempt in (1, 2):  # the second write is a retry: ON CONFLICT DO UPDATE
        with sessions.begin() as session:
            repo.record_interaction(session, project_id=pid, task_id="T1", agent_role="backend",
                                    kind="response", sequence=0, content=f"{said} ({attempt})")
            repo.save_artifacts(session, project_id=pid, task_id="T1",
                                files=[("app/settings.py", source)])
        with sessions() as session:  # the column itself, not what the ORM makes of it
            stored = session.execute(
                sa.text("SELECT content FROM agent_interactions WHERE project_id = :p"),
                {"p": pid},
            ).scalars().all()
        assert len(stored) == 1
        text = stored[0]
        for secret in (email, card, key, "4111111111111111", "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ"):
            assert secret not in text, text
        for marker in ("[REDACTED:email]", "[REDACTED:card_number]", "[REDACTED:credential]"):
            assert marker in text, text
        assert text.startswith("Mail [REDACTED:email], pay with") and text.endswith(f"({attempt})")
    with sessions() as session:
        assert repo.artifact_files(session, project_id=pid) == {"app/settings.py": source}


@BACKENDS
def test_metrics_with_a_key_are_recorded_once(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    with sessions.begin() as session:
        for _ in range(3):
            repo.record_metric(session, name="project_duration_seconds", value=12.5, unit="s",
                               project_id=pid, key=f"{pid}:duration", labels={"type": "rest_api"})
            repo.record_metric(session, name="agent_spawn_time_seconds", value=0.01, unit="s")
    with sessions() as session:
        durations = repo.list_metrics(session, name="project_duration_seconds")
        assert [(m.value, m.unit, m.labels) for m in durations] == [
            (12.5, "s", {"type": "rest_api"})
        ]
        assert len(repo.list_metrics(session, name="agent_spawn_time_seconds")) == 3
        assert len(repo.list_metrics(session, project_id=pid)) == 1


@BACKENDS
def test_configuration_tables_users_and_deployments(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    with sessions.begin() as session:
        user = repo.create_user(session, username="ada", email="ada@example.com",
                                password_hash="argon2$...", role="admin")
        assert repo.get_user_or_raise(session, user_id=user.id).username == "ada"
        assert repo.get_user_by_username(session, username="ada") is not None
        with pytest.raises(UserError, match="already exists"):
            repo.create_user(session, username="ada")
        assert [u.username for u in repo.list_users(session)] == ["ada"]

        target = repo.create_deployment_target(session, name="laptop", kind="local",
                                               config={"port": 8080})
        assert target.config == {"port": 8080}
        with pytest.raises(UserError, match="invalid deployment target kind"):
            repo.create_deployment_target(session, name="moon", kind="lunar")
        assert [t.name for t in repo.list_deployment_targets(session)] == ["laptop"]
        assert repo.get_deployment_target_or_raise(session, name="laptop").kind == "local"

        config = repo.create_agent_configuration(session, role="backend", provider="openai",
                                                 model="gpt-4o-mini")
        assert (config.temperature, config.enabled) == (0.2, True)
        updated = repo.update_agent_configuration(session, role="backend", enabled=False,
                                                  temperature=0.0)
        assert (updated.enabled, updated.temperature) == (False, 0.0)
        with pytest.raises(UserError, match="already exists"):
            repo.create_agent_configuration(session, role="backend", provider="x", model="y")
        with pytest.raises(UserError, match="invalid agent role"):
            repo.create_agent_configuration(session, role="wizard", provider="x", model="y")

        template = repo.create_project_template(session, name="fastapi-crud",
                                                project_type="rest_api",
                                                files={"app/main.py": "..."})
        assert template.version == "1"
        assert [t.name for t in repo.list_project_templates(session, project_type="rest_api")] == [
            "fastapi-crud"
        ]

        deployment = repo.create_deployment(session, project_id=pid, target="local",
                                            details={"port": 8080})
        done = repo.update_deployment(session, deployment_id=deployment.id, status="succeeded",
                                      url="http://127.0.0.1:8080", finished_at=datetime.now(UTC))
        assert done.url == "http://127.0.0.1:8080"
        assert [d.id for d in repo.list_deployments(session, project_id=pid)] == [deployment.id]
        with pytest.raises(NotFound):
            repo.create_deployment(session, project_id="missing", target="local")
        with pytest.raises(NotFound):
            repo.get_deployment_or_raise(session, deployment_id="missing")


# --- concurrency -------------------------------------------------------------------------------


@BACKENDS
def test_concurrent_retries_write_each_row_once(sessions: sessionmaker[Session]) -> None:
    pid = new_project(sessions)
    wf = f"project-{pid}"
    files = [(f"src/module_{i}.py", f"# module {i}\n" * 50) for i in range(20)]
    files += [("src/same_a.py", "same\n"), ("src/same_b.py", "same\n")]

    def worker(i: int) -> None:
        with sessions.begin() as session:
            repo.save_artifacts(session, project_id=pid, task_id="T1", files=files)
        with sessions.begin() as session:
            repo.record_task_started(session, workflow_id=wf, project_id=pid, task_id="T1",
                                     role="backend", title="Models", attempt=1)
            repo.record_agent_spawned(session, project_id=pid, task_id="T1", role="backend")
            repo.record_interaction(session, project_id=pid, task_id="T1", agent_role="backend",
                                    kind="response", sequence=0, content=f"from thread {i}")
            repo.record_metric(session, name="tasks_done", value=1, project_id=pid,
                               key=f"{wf}:T1:done")
        with sessions.begin() as session:
            repo.record_task_finished(session, workflow_id=wf, project_id=pid, task_id="T1",
                                      status="succeeded", duration_s=0.1, attempt=1)

    errors = run_threads(8, worker)
    assert errors == []
    assert count(sessions, ArtifactRecord) == len(files)
    assert count(sessions, ArtifactBlob) == len(files) - 1
    assert count(sessions, WorkflowExecution) == 1
    assert count(sessions, AgentInteraction) == 1
    assert count(sessions, PerformanceMetric) == 1
    with sessions() as session:
        (row,) = repo.list_task_executions(session, project_id=pid)
        assert (row.status, row.attempt) == ("succeeded", 1)
        assert len(repo.list_agents(session, project_id=pid)) == 1
        assert repo.artifact_files(session, project_id=pid) == dict(files)
