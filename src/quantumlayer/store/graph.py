"""The graph database (Cypher over Bolt): task dependency graphs and agent interactions.

Runs on FalkorDB (embedded) and Neo4j 5 alike: only the openCypher subset both share is used, and
every write is a MERGE so that a retried activity changes nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from quantumlayer.domain import TaskGraph
from quantumlayer.errors import ServiceUnavailable

_DRIVERS: dict[tuple[str, str], Any] = {}
_LOCK = threading.Lock()


def _driver_for(url: str, user: str, password: str) -> Any:
    """One long-lived driver per URL and process.

    FalkorDB (4.16) mishandles the Bolt GOODBYE a closing driver sends: the next connection that
    reuses the socket's descriptor hangs. So drivers are shared and never closed before exit.
    """
    from neo4j import GraphDatabase  # imported lazily: only needed when a graph is configured

    with _LOCK:
        key = (url, user)
        if key not in _DRIVERS:
            _DRIVERS[key] = GraphDatabase.driver(
                url, auth=(user, password), connection_timeout=10, max_transaction_retry_time=10
            )
        return _DRIVERS[key]


# FalkorDB 4.16 aborts - the whole server, and every graph in it - on a Bolt RUN message of
# more than ~3.9 KB (a single 3,900-character string is enough; tests/integration/test_graph.py).
# Rows go in batches well under that, and no stored text is longer than _MAX_TEXT.
_BATCH_BYTES = 1500
_MAX_TEXT = 300


def _batches(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """`rows` split so that each batch's parameters stay under _BATCH_BYTES (as JSON)."""
    out: list[list[dict[str, Any]]] = []
    size = 0
    for row in rows:
        row_size = len(json.dumps(row, default=str))
        if out and size + row_size <= _BATCH_BYTES:
            out[-1].append(row)
            size += row_size
        else:
            out.append([row])
            size = row_size
    return out


def _short(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


class GraphStore:
    """A thin, idempotent writer/reader of project graphs.

    Only managed transactions are used: FalkorDB picks the graph from the transaction metadata,
    and auto-commit queries would land in another graph than managed ones.
    """

    def __init__(
        self, url: str, *, user: str = "default", password: str = "", database: str = "quantumlayer"
    ) -> None:
        self._driver = _driver_for(url, user, password)
        self._database = database
        self.url = url

    @contextmanager
    def _session(self) -> Iterator[Any]:
        try:
            with self._driver.session(database=self._database) as session:
                yield session
        except OSError as err:  # connection refused and the like, raised through the driver
            raise ServiceUnavailable(
                f"graph database at {self.url} is not reachable: {err}"
            ) from err

    def write_task_graph(self, *, project_id: str, graph: TaskGraph) -> None:
        """Store the project, its tasks and DEPENDS_ON edges (idempotent)."""
        tasks = [
            {
                "key": f"{project_id}:{t.id}",
                "id": t.id,
                "title": _short(t.title),
                "role": t.role.value,
                "kind": t.kind,
                "estimate_hours": t.estimate_hours,
            }
            for t in graph.tasks
        ]
        edges = [
            {"from": f"{project_id}:{t.id}", "to": f"{project_id}:{d}"}
            for t in graph.tasks
            for d in t.depends_on
        ]

        def write(tx: Any) -> None:
            tx.run("MERGE (p:Project {id: $pid})", pid=project_id).consume()
            for batch in _batches(tasks):  # see _BATCH_BYTES
                tx.run(
                    "UNWIND $tasks AS t MERGE (n:Task {key: t.key}) "
                    "SET n.id = t.id, n.title = t.title, n.role = t.role, n.kind = t.kind, "
                    "n.estimate_hours = t.estimate_hours, n.project_id = $pid "
                    "WITH n MATCH (p:Project {id: $pid}) MERGE (p)-[:HAS_TASK]->(n)",
                    tasks=batch,
                    pid=project_id,
                ).consume()
            for batch in _batches(edges):
                tx.run(
                    "UNWIND $edges AS e MATCH (a:Task {key: e.from}) MATCH (b:Task {key: e.to}) "
                    "MERGE (a)-[:DEPENDS_ON]->(b)",
                    edges=batch,
                ).consume()

        with self._session() as session:
            session.execute_write(write)

    def task_dependencies(self, *, project_id: str) -> list[tuple[str, str]]:
        """(task, dependency) pairs stored for a project, sorted."""

        def read(tx: Any) -> list[tuple[str, str]]:
            rows = tx.run(
                "MATCH (a:Task {project_id: $pid})-[:DEPENDS_ON]->(b:Task) "
                "RETURN a.id AS a, b.id AS b",
                pid=project_id,
            )
            return [(r["a"], r["b"]) for r in rows]

        with self._session() as session:
            return sorted(session.execute_read(read))

    def count_tasks(self, *, project_id: str) -> int:
        def read(tx: Any) -> int:
            row = tx.run(
                "MATCH (n:Task {project_id: $pid}) RETURN count(n) AS c", pid=project_id
            ).single()
            return int(row["c"]) if row else 0

        with self._session() as session:
            return int(session.execute_read(read))

    # -- the agent interaction network ---------------------------------------------------------
    def record_agent_messages(
        self, *, project_id: str, task_id: str, messages: list[tuple[str, str, str]]
    ) -> None:
        """Store messages between agents of a task (idempotent): `(from role, to role, kind)`
        each, as (:Agent)-[:MESSAGE {task_id, kind, sequence}]->(:Agent), the agents being the
        project's roles, and (:Agent)-[:WORKED_ON]->(:Task) for each of them."""
        rows = [
            {
                "key": f"{project_id}:{task_id}:{seq}",
                "from": f"{project_id}:{sender}",
                "to": f"{project_id}:{receiver}",
                "from_role": sender,
                "to_role": receiver,
                "kind": kind,
                "seq": seq,
            }
            for seq, (sender, receiver, kind) in enumerate(messages)
        ]
        if not rows:
            return

        def write(tx: Any) -> None:
            for batch in _batches(rows):  # see _BATCH_BYTES
                tx.run(
                    "UNWIND $rows AS r "
                    "MERGE (a:Agent {key: r.from}) SET a.role = r.from_role, a.project_id = $pid "
                    "MERGE (b:Agent {key: r.to}) SET b.role = r.to_role, b.project_id = $pid "
                    "MERGE (a)-[m:MESSAGE {key: r.key}]->(b) "
                    "SET m.kind = r.kind, m.task_id = $tid, m.sequence = r.seq",
                    rows=batch,
                    pid=project_id,
                    tid=task_id,
                ).consume()
            tx.run(
                "UNWIND $keys AS k MATCH (a:Agent {key: k}) "
                "MERGE (t:Task {key: $tkey}) ON CREATE SET t.id = $tid, t.project_id = $pid "
                "MERGE (a)-[:WORKED_ON]->(t)",
                keys=sorted({str(r["from"]) for r in rows} | {str(r["to"]) for r in rows}),
                tkey=f"{project_id}:{task_id}",
                tid=task_id,
                pid=project_id,
            ).consume()

        with self._session() as session:
            session.execute_write(write)

    def agent_messages(self, *, project_id: str) -> list[tuple[str, str, str, str]]:
        """(task id, from role, to role, kind) of every stored agent message, in order."""

        def read(tx: Any) -> list[tuple[str, str, str, str, int]]:
            rows = tx.run(
                "MATCH (a:Agent {project_id: $pid})-[m:MESSAGE]->(b:Agent) "
                "RETURN m.task_id AS task, a.role AS sender, b.role AS receiver, "
                "m.kind AS kind, m.sequence AS seq",
                pid=project_id,
            )
            return [(r["task"], r["sender"], r["receiver"], r["kind"], r["seq"]) for r in rows]

        with self._session() as session:
            found = session.execute_read(read)
        return [(t, s, r, k) for t, s, r, k, _ in sorted(found, key=lambda x: (x[0], x[4]))]
