"""The store: SQLAlchemy models, Alembic migrations and repositories, on SQLite or PostgreSQL.

    engine = create_engine_for(settings.database_url)   # or default_sqlite_url(home)
    migrate(engine)                                     # upgrade to the latest schema
    factory = session_factory(engine)
    with factory.begin() as session:                    # commits, or rolls back on error
        repositories.save_artifacts(session, project_id=..., task_id="T3", files=[...])

Repository functions live in `quantumlayer.store.repositories` (keyword-only, session first,
never commit); the most used are re-exported here.
"""

from quantumlayer.store import repositories
from quantumlayer.store.db import (
    create_engine_for,
    current_revision,
    default_sqlite_url,
    migrate,
    session_factory,
)
from quantumlayer.store.models import (
    TABLE_NAMES,
    Base,
    ExecutionStatus,
    InteractionKind,
    ProjectStatus,
)
from quantumlayer.store.repositories import (
    StoredArtifact,
    artifact_files,
    create_project,
    get_project,
    get_project_or_raise,
    list_artifacts,
    list_projects,
    read_artifact,
    record_task_finished,
    record_task_started,
    save_artifacts,
    update_project,
)

__all__ = [
    "TABLE_NAMES", "Base", "ExecutionStatus", "InteractionKind", "ProjectStatus", "StoredArtifact",
    "artifact_files", "create_engine_for", "create_project", "current_revision",
    "default_sqlite_url", "get_project", "get_project_or_raise", "list_artifacts", "list_projects",
    "migrate", "read_artifact", "record_task_finished", "record_task_started", "repositories",
    "save_artifacts", "session_factory", "update_project",
]
