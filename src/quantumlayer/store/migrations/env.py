"""Alembic environment of the QuantumLayer store.

`quantumlayer.store.migrate()` passes its Engine in `config.attributes["engine"]`; run by hand,
the URL comes from QL_DATABASE_URL or `sqlalchemy.url` in alembic.ini.

Each upgrade runs in one transaction that first takes a lock, so that two processes starting at
once (a worker and the CLI, say) migrate one after the other and the second finds nothing to do:
SQLite takes its write lock up front (BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped
advisory lock for the current schema.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, Engine

from quantumlayer.store.db import create_engine_for
from quantumlayer.store.models import Base

config = context.config
target_metadata = Base.metadata


def _url_from_config() -> str:
    url = os.environ.get("QL_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set QL_DATABASE_URL (or sqlalchemy.url in alembic.ini)")
    return url


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT pg_advisory_xact_lock(hashtext('quantumlayer.migrate.' || current_schema()))"
        )


def _run(connection: Connection) -> None:
    _lock(connection)
    # The transaction is already open (the lock began it), so Alembic runs inside it and the
    # commit below makes the schema and the version row visible together.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    if engine is not None:
        with engine.connect() as connection:
            _run(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = create_engine_for(_url_from_config())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=_url_from_config(), target_metadata=target_metadata, literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
