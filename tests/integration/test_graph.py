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


def test_a_large_plan_and_long_titles_do_not_bring_the_graph_database_down(embedded) -> None:  # noqa: ANN001
    # FalkorDB 4.16 aborts the whole server on a Bolt message of more than ~3.9 KB: a plan of
    # 32 tasks with entity-named titles did (the quick start's courier idea). Rows now go in
    # small batches and stored titles are capped.
    from quantumlayer.domain import AgentRole, Task, TaskGraph

    tasks = [
        Task(
            id=f"T{i}",
            title=f"Endpoints for Entity{i} " + "(create, read, update, delete, list) " * (i % 7)
            + ("x" * 5000 if i == 5 else ""),
            role=AgentRole.BACKEND,
            depends_on=[f"T{j}" for j in range(max(1, i - 3), i)],
        )
        for i in range(1, 61)
    ]
    project_id = uuid.uuid4().hex[:12]
    store = GraphStore(embedded.graph_url)
    store.write_task_graph(project_id=project_id, graph=TaskGraph(tasks=tasks))
    assert store.count_tasks(project_id=project_id) == 60
    deps = store.task_dependencies(project_id=project_id)
    assert len(deps) == sum(len(t.depends_on) for t in tasks)
    # many agent messages for one task go through too, and the server is still there after
    messages = [("backend", "qa", f"review-{n}") for n in range(120)]
    store.record_agent_messages(project_id=project_id, task_id="T1", messages=messages)
    assert len([m for m in store.agent_messages(project_id=project_id) if m[0] == "T1"]) == 120
    assert store.count_tasks(project_id=project_id) == 60
