"""ProjectWorkflow: the durable run of one project, from idea to tested files.

Deterministic code only: every piece of I/O is an activity (see activities.py).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError

with workflow.unsafe.imports_passed_through():
    from quantumlayer.domain import Spec, Task, TaskGraph, TestReport
    from quantumlayer.orchestrator.activities import ProjectActivities
    from quantumlayer.orchestrator.models import (
        AgentTaskInput,
        AgentTaskResult,
        AnalyzeIntentInput,
        DeployInput,
        ExportInput,
        ExportResult,
        FinalizeInput,
        PlanTasksInput,
        Progress,
        ProjectInput,
        ProjectResult,
        QualityGateInput,
        RenderDeploymentInput,
        TaskProgress,
        TestCounts,
    )

_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
    maximum_attempts=3,
)
# Bookkeeping activities (intent, plan, render, export, finalize): short, retried.
_SHORT_TIMEOUT = timedelta(seconds=120)


@workflow.defn(name="ProjectWorkflow")
class ProjectWorkflow:
    """Idea -> Spec -> task graph -> agents (parallel) -> quality gate (+repairs) -> files."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._approved = False
        self._cancel_requested = False
        self._finished_tasks = 0
        # Set when an agent's next LLM call would pass the budget: no new task starts.
        self._budget_stop: str | None = None

    # -- queries, signals ---------------------------------------------------------------------
    @workflow.query
    def progress(self) -> Progress:
        """Live state: phase, every task's state and times, test counts."""
        return self._progress or Progress(project_id="", phase="starting")

    @workflow.signal
    def approve(self) -> None:
        """Let a run started with require_approval go on after planning."""
        self._approved = True

    @workflow.signal
    def cancel(self) -> None:
        """Stop the run: no new tasks start, running ones are cancelled, status `cancelled`."""
        self._cancel_requested = True

    # -- the run --------------------------------------------------------------------------------
    @workflow.run
    async def run(self, inp: ProjectInput) -> ProjectResult:
        opts, queues = inp.options, inp.queues
        wf_id = workflow.info().workflow_id
        self._progress = state = Progress(project_id=inp.project_id, phase="intent")
        started = workflow.time()
        spec: Spec | None = None
        graph: TaskGraph | None = None
        report: TestReport | None = None
        result = ProjectResult(project_id=inp.project_id, status="running")
        try:
            t0 = workflow.time()
            spec = await workflow.execute_activity_method(
                ProjectActivities.analyze_intent,
                AnalyzeIntentInput(project_id=inp.project_id, intent=inp.intent),
                task_queue=queues.intent,
                start_to_close_timeout=_SHORT_TIMEOUT,
                retry_policy=_RETRY,
            )
            state.phases["intent"] = round(workflow.time() - t0, 3)
            result.spec_name, result.project_type = spec.name, spec.project_type.value

            state.phase = "plan"
            t0 = workflow.time()
            graph = await workflow.execute_activity_method(
                ProjectActivities.plan_tasks,
                PlanTasksInput(project_id=inp.project_id, spec=spec),
                task_queue=queues.intent,
                start_to_close_timeout=_SHORT_TIMEOUT,
                retry_policy=_RETRY,
            )
            state.phases["plan"] = round(workflow.time() - t0, 3)
            state.tasks = [
                TaskProgress(id=t.id, title=t.title, role=t.role.value) for t in graph.tasks
            ]

            if opts.require_approval:
                state.phase, state.awaiting_approval = "awaiting_approval", True
                await workflow.wait_condition(lambda: self._approved or self._cancel_requested)
                state.awaiting_approval = False

            if not self._cancel_requested:
                state.phase = "build"
                t0 = workflow.time()
                await self._run_graph(inp, spec, graph, wf_id)
                state.phases["build"] = round(workflow.time() - t0, 3)

            build_ok = all(t.state == "succeeded" for t in state.tasks)
            if not self._cancel_requested and build_ok and opts.run_quality_gate:
                state.phase = "qa"
                t0 = workflow.time()
                report = await self._quality_gate(inp, spec, graph, wf_id)
                state.phases["qa"] = round(workflow.time() - t0, 3)

            if not self._cancel_requested and build_ok:
                state.phase = "deploy"
                t0 = workflow.time()
                await workflow.execute_activity_method(
                    ProjectActivities.render_deployment,
                    RenderDeploymentInput(project_id=inp.project_id, spec=spec),
                    task_queue=queues.deploy,
                    start_to_close_timeout=_SHORT_TIMEOUT,
                    retry_policy=_RETRY,
                )
                if opts.output_dir:
                    exported: ExportResult = await workflow.execute_activity_method(
                        ProjectActivities.export_project,
                        ExportInput(
                            project_id=inp.project_id, output_dir=opts.output_dir, force=opts.force
                        ),
                        task_queue=queues.deploy,
                        start_to_close_timeout=_SHORT_TIMEOUT,
                        retry_policy=_RETRY,
                    )
                    result.output_dir, result.files = exported.output_dir, exported.files
                tests_ok = not opts.run_quality_gate or (report is not None and report.ok)
                if opts.deploy_target and tests_ok and not self._cancel_requested:
                    # Only runs with a deploy target get here, so older histories replay as before.
                    result.deployment = await workflow.execute_activity_method(
                        ProjectActivities.deploy_project,
                        DeployInput(
                            project_id=inp.project_id,
                            target=opts.deploy_target,
                            deployment_id=f"{inp.project_id}-{opts.deploy_target}",
                        ),
                        task_queue=queues.deploy,
                        start_to_close_timeout=timedelta(seconds=opts.activity_timeout_s),
                        retry_policy=_RETRY,
                    )
                state.phases["deploy"] = round(workflow.time() - t0, 3)

            if self._cancel_requested:
                result.status = "cancelled"
            elif self._budget_stop is not None:
                result.status = "failed"
                result.error = self._budget_stop
            elif not build_ok:
                result.status = "failed"
                failed = [t.id for t in state.tasks if t.state == "failed"]
                result.error = f"tasks failed: {', '.join(failed)}"
            elif opts.run_quality_gate and (report is None or not report.ok):
                result.status = "failed"
                result.error = "the generated project's tests do not pass"
            elif result.deployment is not None and result.deployment.status == "failed":
                result.status = "failed"
                result.error = f"deployment failed: {result.deployment.error}"
            else:
                result.status = "succeeded"
        except (CancelledError, asyncio.CancelledError):
            self._cancel_requested = True
            result.status = "cancelled"
        except ActivityError as err:
            result.status = "failed"
            result.error = _describe(err)

        for task in state.tasks:
            if task.state in ("pending", "running"):
                task.state = "cancelled" if result.status == "cancelled" else "skipped"
        state.status = result.status
        state.phase = "done"
        state.error = result.error
        result.tasks = list(state.tasks)
        result.tests = state.tests
        result.repairs = state.repairs
        result.phases = dict(state.phases)
        result.llm = state.llm.model_copy()
        result.notes = list(state.notes)
        result.duration_s = round(workflow.time() - started, 3)
        # Recording the outcome must happen even when the run was cancelled.
        await workflow.execute_activity_method(
            ProjectActivities.finalize,
            FinalizeInput(result=result, spec=spec, test_report=report, graph=graph),
            task_queue=queues.intent,
            cancellation_type=workflow.ActivityCancellationType.ABANDON,
            start_to_close_timeout=_SHORT_TIMEOUT,
            retry_policy=_RETRY,
        )
        return result

    async def _run_graph(self, inp: ProjectInput, spec: Spec, graph: TaskGraph, wf_id: str) -> None:
        """Start every ready task up to max_parallel; wait for any to finish; repeat."""
        assert self._progress is not None
        by_id = {t.id: t for t in self._progress.tasks}
        running: dict[str, asyncio.Task[None]] = {}
        done: set[str] = set()
        failed: set[str] = set()
        while True:
            if self._cancel_requested:
                for handle in running.values():
                    handle.cancel()
                if running:
                    await asyncio.gather(*running.values(), return_exceptions=True)
                return
            blocked = {t.id for t in graph.tasks if set(t.depends_on) & failed}
            ready = graph.ready(done, started=[*running, *failed, *blocked])
            if self._budget_stop is not None:
                ready = []  # the budget is spent: let running tasks finish, start none
            for task in ready[: max(0, inp.options.max_parallel - len(running))]:
                by_id[task.id].state = "running"
                by_id[task.id].started_at = workflow.time()
                running[task.id] = asyncio.create_task(self._run_task(inp, spec, task, wf_id))
            if not running:
                return
            before = self._finished_tasks
            await workflow.wait_condition(
                lambda: self._finished_tasks != before or self._cancel_requested  # noqa: B023
            )
            for tid in [tid for tid, h in running.items() if h.done()]:
                del running[tid]
                (done if by_id[tid].state == "succeeded" else failed).add(tid)

    async def _run_task(self, inp: ProjectInput, spec: Spec, task: Task, wf_id: str) -> None:
        assert self._progress is not None
        entry = next(t for t in self._progress.tasks if t.id == task.id)
        try:
            outcome: AgentTaskResult = await workflow.execute_activity_method(
                ProjectActivities.run_agent_task,
                AgentTaskInput(
                    project_id=inp.project_id,
                    workflow_id=wf_id,
                    spec=spec,
                    task=task,
                    min_seconds=inp.options.min_task_seconds,
                    budget_usd=inp.options.budget_usd,
                    use_cache=inp.options.use_cache,
                ),
                task_queue=inp.queues.agents,
                start_to_close_timeout=timedelta(seconds=inp.options.activity_timeout_s),
                heartbeat_timeout=timedelta(seconds=inp.options.heartbeat_timeout_s),
                retry_policy=_RETRY,
                cancellation_type=workflow.ActivityCancellationType.TRY_CANCEL,
            )
            entry.state = "succeeded"
            self._account(outcome, entry)
        except ActivityError as err:
            if isinstance(err.cause, CancelledError) or self._cancel_requested:
                entry.state = "cancelled"
            else:
                entry.state, entry.error = "failed", _describe(err)
                if _is_budget_stop(err):
                    self._budget_stop = self._budget_stop or entry.error
        except (CancelledError, asyncio.CancelledError):
            entry.state = "cancelled"
        finally:
            entry.finished_at = workflow.time()
            self._finished_tasks += 1

    async def _quality_gate(
        self, inp: ProjectInput, spec: Spec, graph: TaskGraph, wf_id: str
    ) -> TestReport:
        """Run the generated tests; failures go to the owning role until green or out of repairs."""
        assert self._progress is not None
        state = self._progress
        rounds = 0
        while True:
            report: TestReport = await workflow.execute_activity_method(
                ProjectActivities.run_quality_gate,
                QualityGateInput(project_id=inp.project_id, workflow_id=wf_id, round=rounds),
                task_queue=inp.queues.agents,
                start_to_close_timeout=timedelta(seconds=inp.options.activity_timeout_s),
                heartbeat_timeout=timedelta(seconds=max(30.0, inp.options.heartbeat_timeout_s)),
                retry_policy=_RETRY,
            )
            state.tests = TestCounts(
                passed=report.passed, failed=report.failed, errors=report.errors
            )
            if report.ok or rounds >= inp.options.max_repairs or self._cancel_requested:
                return report
            owner = next((t for t in graph.tasks if t.kind == "tests"), graph.tasks[-1])
            repair_task = owner.model_copy(
                update={
                    "id": f"R{rounds + 1}",
                    "kind": "repair",
                    "title": f"Repair round {rounds + 1}",
                }
            )
            outcome: AgentTaskResult = await workflow.execute_activity_method(
                ProjectActivities.run_agent_task,
                AgentTaskInput(
                    project_id=inp.project_id,
                    workflow_id=wf_id,
                    spec=spec,
                    task=repair_task,
                    repair_round=rounds + 1,
                    failure_output=report.output_tail,
                    budget_usd=inp.options.budget_usd,
                    use_cache=inp.options.use_cache,
                ),
                task_queue=inp.queues.agents,
                start_to_close_timeout=timedelta(seconds=inp.options.activity_timeout_s),
                heartbeat_timeout=timedelta(seconds=inp.options.heartbeat_timeout_s),
                retry_policy=_RETRY,
            )
            rounds += 1
            state.repairs = rounds
            self._account(outcome, None)
            if not outcome.changed:
                return report

    def _account(self, outcome: AgentTaskResult, entry: TaskProgress | None) -> None:
        """Add a task's LLM usage to the run's, and keep what it had to say."""
        assert self._progress is not None
        if entry is not None:
            entry.usage = outcome.usage
        self._progress.llm.add(outcome.usage)
        if outcome.note and outcome.provider != "builtin":
            self._progress.notes.append(outcome.note)


def _is_budget_stop(err: ActivityError) -> bool:
    cause = err.cause
    return isinstance(cause, ApplicationError) and cause.type == "BudgetExceeded"


def _describe(err: BaseException) -> str:
    """The innermost message of a Temporal failure chain."""
    cause: BaseException | None = err
    message = str(err)
    while cause is not None:
        if str(cause):
            message = str(cause)
        cause = cause.__cause__ or getattr(cause, "cause", None)
    return message[:2000]
