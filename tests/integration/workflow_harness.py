"""Helpers for workflow tests: activities on a fresh SQLite file, and a project row."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from quantumlayer import sandbox
from quantumlayer.orchestrator.activities import ProjectActivities
from quantumlayer.store import db
from quantumlayer.store import repositories as repo
from quantumlayer.store.graph import GraphStore

LIBRARY = "A REST API for a library: books, authors, members and loans"


def make_sessions(url: str) -> sessionmaker[Session]:
    engine = db.create_engine_for(url)
    db.migrate(engine)
    return db.session_factory(engine)


def make_activities(
    tmp: Path, sessions: sessionmaker[Session], graph: GraphStore | None = None
) -> ProjectActivities:
    return ProjectActivities(
        sessions=sessions,
        work_dir=tmp / "work",
        graph=graph,
        sandbox_limits=sandbox.SandboxLimits(timeout_s=180),
    )


def new_project(sessions: sessionmaker[Session], project_id: str, intent: str = LIBRARY) -> None:
    with sessions.begin() as session:
        repo.create_project(
            session,
            id=project_id,
            intent=intent,
            name=None,
            title=None,
            project_type=None,
            spec=None,
            options={},
            output_dir=None,
        )
