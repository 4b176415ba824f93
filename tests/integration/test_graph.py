"""The task graph in the graph database (FalkorDB over Bolt, Cypher), written idempotently."""

from __future__ import annotations

import uuid

import pytest

from quantumlayer.intent import analyze
from quantumlayer.store.graph import GraphStore

pytestmark = pytest.mark.integration


def test_task_graph_round_trips_and_is_idempotent(embedded) -> None:  # noqa: ANN001
    spec = analyze("A REST API for a library: books, authors, members and loans")
    project_id = uuid.uuid4().hex[:12]
    store = GraphStore(embedded.graph_url)
    store.write_task_graph(project_id=project_id, graph=spec_graph(spec))
    store.write_task_graph(project_id=project_id, graph=spec_graph(spec))  # a retried activity

    assert store.count_tasks(project_id=project_id) == len(spec.tasks)
    expected = sorted((t.id, d) for t in spec.tasks for d in t.depends_on)
    assert store.task_dependencies(project_id=project_id) == expected
    other = uuid.uuid4().hex[:12]
    assert store.count_tasks(project_id=other) == 0


def spec_graph(spec):  # noqa: ANN001, ANN201
    from quantumlayer.domain import TaskGraph

    return TaskGraph(tasks=spec.tasks)
