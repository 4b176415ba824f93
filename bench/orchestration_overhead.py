"""Orchestration overhead: a 50-task graph through ProjectWorkflow on Temporal vs. the same task
functions called directly in one process (the baseline), in the same run.

    .venv/bin/python bench/orchestration_overhead.py [--parallel 1]

Both paths do the same work per task: the built-in agent renders its files and the results are
recorded in a fresh SQLite database. The workflow path adds Temporal scheduling, payload
serialisation, heartbeats and history. With --parallel 1 the workflow runs tasks one at a time, so
the ratio is per-task overhead; with more, it shows what parallelism gives back.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from quantumlayer import intent
from quantumlayer.orchestrator import client as wf
from quantumlayer.orchestrator.activities import ProjectActivities
from quantumlayer.orchestrator.models import (
    AgentTaskInput,
    ProjectInput,
    ProjectOptions,
    TaskQueues,
)
from quantumlayer.orchestrator.worker import running_workers
from quantumlayer.store import db
from quantumlayer.store import repositories as repo

NOUNS = [
    "books",
    "authors",
    "members",
    "loans",
    "customers",
    "orders",
    "products",
    "categories",
    "reviews",
    "invoices",
    "payments",
    "employees",
    "projects",
    "tasks",
    "events",
    "rooms",
]
IDEA = "A REST API for a business: " + ", ".join(NOUNS[:15]) + " and notes"


def activities_for(tmp: Path) -> ProjectActivities:
    engine = db.create_engine_for(f"sqlite:///{tmp / 'ql.db'}")
    db.migrate(engine)
    return ProjectActivities(sessions=db.session_factory(engine), work_dir=tmp / "work")


def new_project(acts: ProjectActivities, project_id: str) -> None:
    with acts._sessions.begin() as session:  # noqa: SLF001 - bench wiring
        repo.create_project(
            session,
            id=project_id,
            intent=IDEA,
            name=None,
            title=None,
            project_type=None,
            spec=None,
            options={},
            output_dir=None,
        )


def direct(tmp: Path) -> tuple[float, int]:
    acts = activities_for(tmp)
    project_id = uuid.uuid4().hex[:12]
    new_project(acts, project_id)
    started = time.perf_counter()
    spec = intent.analyze(IDEA)
    graph = intent.plan(spec)
    for task in graph.topological_order():
        acts.do_agent_task(
            AgentTaskInput(
                project_id=project_id, workflow_id=f"direct-{project_id}", spec=spec, task=task
            )
        )
    return time.perf_counter() - started, len(graph.tasks)


async def through_workflow(env: WorkflowEnvironment, tmp: Path, parallel: int) -> tuple[float, int]:
    acts = activities_for(tmp)
    project_id = uuid.uuid4().hex[:12]
    new_project(acts, project_id)
    queues = TaskQueues.with_prefix(f"b{uuid.uuid4().hex[:8]}")
    async with running_workers(env.client, acts, queues):
        started = time.perf_counter()
        handle = await wf.start_project(
            env.client,
            ProjectInput(
                project_id=project_id,
                intent=IDEA,
                queues=queues,
                options=ProjectOptions(max_parallel=parallel, run_quality_gate=False),
            ),
        )
        result = await handle.result()
        elapsed = time.perf_counter() - started
    assert result.status == "succeeded", result.error
    return elapsed, len(result.tasks)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    temporal = shutil.which("temporal", path=str(Path(sys.executable).parent)) or "temporal"
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal,
        data_converter=pydantic_data_converter,
        dev_server_log_level="error",
    )
    try:
        d_times, w_times, n = [], [], 0
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                t, n = direct(Path(tmp))
                d_times.append(t)
            with tempfile.TemporaryDirectory() as tmp:
                t, n2 = await through_workflow(env, Path(tmp), args.parallel)
                w_times.append(t)
                assert n2 == n
    finally:
        await env.shutdown()
    d, w = statistics.median(d_times), statistics.median(w_times)
    print(f"{n}-task graph, median of {args.runs}; workflow max_parallel={args.parallel}")
    print(f"{'path':<40}{'total s':>10}{'ms/task':>10}")
    print(f"{'direct calls, one process (baseline)':<40}{d:>10.2f}{1000 * d / n:>10.1f}")
    print(f"{'ProjectWorkflow on Temporal':<40}{w:>10.2f}{1000 * w / n:>10.1f}")
    print(
        f"ratio workflow/direct: {w / d:.1f}x; overhead per task: {1000 * (w - d) / n:.1f} ms "
        "(the workflow total also includes intent, plan, deploy and finalize activities)"
    )


if __name__ == "__main__":
    asyncio.run(main())
