"""Workers: the processes (or in-process tasks) that poll the task queues and run our code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from quantumlayer import sandbox
from quantumlayer.config import Settings
from quantumlayer.orchestrator.activities import ProjectActivities
from quantumlayer.orchestrator.models import TaskQueues
from quantumlayer.orchestrator.workflows import ProjectWorkflow
from quantumlayer.store import db
from quantumlayer.store import repositories as repo
from quantumlayer.store.graph import GraphStore

# Our own modules are deterministic data code (pydantic models, pure functions) imported by the
# workflow; passing them through keeps one copy of each class, so a Spec made by an activity is the
# same Spec class the workflow's input models expect.
WORKFLOW_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("quantumlayer")
)


def build_activities(
    settings: Settings, *, graph_url: str | None, redis_url: str | None = None
) -> ProjectActivities:
    """Activities wired to the configured database (migrated), graph, and LLM provider.

    A misconfigured provider (QL_LLM_PROVIDER and its keys, models, agent_configurations rows)
    fails here, at start-up; `redis_url` holds the LLM cache, budgets and agent state.
    """
    from quantumlayer import agents

    manager = agents.build_manager(settings, redis_url=redis_url)
    engine = db.create_engine_for(settings.effective_database_url())
    db.migrate(engine)
    if manager is not None:
        with db.session_factory(engine)() as session:
            manager.check_configurations(repo.list_agent_configurations(session))
    graph = (
        GraphStore(
            graph_url,
            user=settings.graph_user,
            password=settings.graph_password,
            database=settings.graph_database,
        )
        if graph_url
        else None
    )
    return ProjectActivities(
        sessions=db.session_factory(engine),
        work_dir=Path(settings.home) / "work",
        graph=graph,
        sandbox_limits=sandbox.SandboxLimits(
            timeout_s=settings.sandbox_timeout_s, memory_mb=settings.sandbox_memory_mb
        ),
        max_intent_chars=settings.max_intent_chars,
        agent_manager=manager,
    )


@asynccontextmanager
async def running_workers(
    client: Client, activities: ProjectActivities, queues: TaskQueues, *, max_concurrent: int = 8
) -> AsyncIterator[list[Worker]]:
    """Run one worker per task queue while the block runs; shut them down cleanly after."""
    executor = ThreadPoolExecutor(max_workers=max_concurrent + 4, thread_name_prefix="ql-activity")

    def activity_worker(queue: str, acts: list[Callable[..., Any]]) -> Worker:
        return Worker(
            client,
            task_queue=queue,
            activities=acts,
            activity_executor=executor,
            max_concurrent_activities=max_concurrent,
        )

    workers = [
        Worker(
            client,
            task_queue=queues.workflows,
            workflows=[ProjectWorkflow],
            workflow_runner=WORKFLOW_RUNNER,
        ),
        activity_worker(
            queues.intent, [activities.analyze_intent, activities.plan_tasks, activities.finalize]
        ),
        activity_worker(queues.agents, [activities.run_agent_task, activities.run_quality_gate]),
        activity_worker(
            queues.deploy,
            [activities.render_deployment, activities.export_project, activities.deploy_project],
        ),
    ]
    try:
        async with AsyncExitStack() as stack:
            for worker in workers:
                await stack.enter_async_context(worker)
            yield workers
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


async def serve_forever(client: Client, activities: ProjectActivities, queues: TaskQueues) -> None:
    """Run the workers until the process is stopped (the `quantumlayer worker` command)."""
    async with running_workers(client, activities, queues):
        await asyncio.Event().wait()
