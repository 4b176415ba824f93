"""Engines, sessions and migrations for SQLite (the embedded default) and PostgreSQL.

SQLite is shared by several threads and processes at once (Temporal activity threads, the CLI,
the API), so every connection uses WAL (readers never block the writer), a 30 s busy timeout
(a writer waits for the lock instead of failing) and enforces foreign keys. Keep write
transactions short: SQLite has one writer at a time.

Transactions: repository functions never commit. Use the factory's `begin()`, which commits on
success and rolls back on error::

    factory = session_factory(engine)
    with factory.begin() as session:
        create_project(session, id=..., ...)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from quantumlayer.errors import UserError

SQLITE_BUSY_TIMEOUT_MS = 30_000
DEFAULT_SQLITE_FILENAME = "quantumlayer.db"
_STORE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = _STORE_DIR / "migrations"
ALEMBIC_INI = _STORE_DIR / "alembic.ini"


def default_sqlite_url(home: Path) -> str:
    """The URL of the embedded SQLite database inside the QuantumLayer home folder `home`."""
    path = (Path(home).expanduser() / DEFAULT_SQLITE_FILENAME).resolve()
    # URL.create escapes what a URL cannot hold raw (spaces are fine, '?', '#' and '%' are not).
    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def normalize_url(url: str | URL) -> URL:
    """Parse a database URL, choosing psycopg 3 for PostgreSQL; raise UserError if unsupported."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(f"invalid database URL {str(url)!r}: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend in {"postgres", "postgresql"}:  # "postgres" is the Heroku-style alias
        if parsed.drivername != "postgresql+psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend == "sqlite" and parsed.drivername != "sqlite+pysqlite":
        parsed = parsed.set(drivername="sqlite+pysqlite")
    elif backend not in {"sqlite", "postgresql"}:
        raise UserError(
            f"unsupported database {backend!r}: set QL_DATABASE_URL to a sqlite:/// or "
            "postgresql+psycopg:// URL"
        )
    return parsed


def _is_sqlite_memory(url: URL) -> bool:
    database = url.database or ""
    return database in {"", ":memory:"} or database.startswith("file::memory:")


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first: switching to WAL needs a lock that another process may hold.
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable across application crashes in WAL mode and much faster than FULL.
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def create_engine_for(url: str | URL, **kwargs: Any) -> Engine:
    """An Engine for `url` (SQLite file or memory, or PostgreSQL) set up for concurrent use.

    Extra keyword arguments go to `sqlalchemy.create_engine` (e.g. `connect_args`, `echo`).
    The folder of a SQLite file is created if missing.
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args = {
            "check_same_thread": False,
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            **kwargs.pop("connect_args", {}),
        }
        if _is_sqlite_memory(parsed):
            # One shared connection, or every thread would see its own empty database.
            kwargs.setdefault("poolclass", StaticPool)
        else:
            Path(parsed.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "poolclass" not in kwargs:
        # Modest: several processes (API, workers, CLI) share the server's connection limit.
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 10)
        kwargs.setdefault("pool_recycle", 1800)
    return create_engine(parsed, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to `engine`; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(engine: Engine | None = None) -> Config:
    """The Alembic configuration of the store, with the migrations found through the package."""
    config = Config(str(ALEMBIC_INI)) if ALEMBIC_INI.is_file() else Config()
    # ConfigParser interpolates '%', so a path holding one must double it.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def migrate(engine_or_url: Engine | str | URL, *, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (default: the latest). Safe to run repeatedly,
    and from several processes at once (the migration holds a database lock)."""
    if isinstance(engine_or_url, Engine):
        command.upgrade(alembic_config(engine_or_url), revision)
        return
    engine = create_engine_for(engine_or_url)
    try:
        command.upgrade(alembic_config(engine), revision)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def table_names(engine: Engine) -> set[str]:
    """Names of the tables present in the database (in the connection's default schema)."""
    return set(inspect(engine).get_table_names())
