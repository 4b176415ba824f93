"""Temporal activities: thin adapters that call a service and record the result idempotently.

Every write is keyed on (workflow id or project id, task id), never on the run id or the attempt, so
an activity retried on another worker after a crash changes nothing that was already recorded.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NotRequired, TypedDict

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError, CancelledError

from quantumlayer import agents, deploy, intent, sandbox
from quantumlayer.domain import (
    AgentRole,
    DeploymentPlan,
    Spec,
    Task,
    TaskGraph,
    TestReport,
    safe_relative_path,
)
from quantumlayer.errors import QuantumLayerError, UserError
from quantumlayer.orchestrator.models import (
    AgentTaskInput,
    AgentTaskResult,
    AnalyzeIntentInput,
    DeployInput,
    DeployResult,
    ExportInput,
    ExportResult,
    FinalizeInput,
    LLMUsage,
    PlanTasksInput,
    QualityGateInput,
    RenderDeploymentInput,
)
from quantumlayer.store import repositories as repo
from quantumlayer.store.graph import GraphStore

QA_TASK_ID = "qa-gate"
DEPLOY_TASK_ID = "deploy"


class _InteractionFields(TypedDict):
    """What `repo.record_interaction` stores of one agent message, besides where it belongs."""

    agent_role: str
    kind: str
    content: str
    prompt_version: str | None
    provider: str | None
    model: str | None
    tokens_in: NotRequired[int]
    tokens_out: NotRequired[int]
    cost_usd: NotRequired[float]


class ProjectActivities:
    """The activities of ProjectWorkflow, built with the clients they use."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        work_dir: Path,
        graph: GraphStore | None = None,
        sandbox_limits: sandbox.SandboxLimits | None = None,
        python: str = sys.executable,
        max_intent_chars: int = intent.DEFAULT_MAX_CHARS,
        agent_manager: agents.AgentManager | None = None,
    ) -> None:
        self._sessions = sessions
        # None: the built-in engine does every task (no LLM provider configured).
        self._agents = agent_manager
        self._work_dir = work_dir
        self._graph = graph
        self._limits = sandbox_limits or sandbox.SandboxLimits()
        self._python = python
        self._max_chars = max_intent_chars

    # -- intent --------------------------------------------------------------------------------
    @activity.defn(name="analyze_intent")
    def analyze_intent(self, inp: AnalyzeIntentInput) -> Spec:
        """Idea -> Spec; the project row gets the Spec and status `running`."""
        spec = intent.analyze(inp.intent, max_chars=self._max_chars)
        with self._sessions.begin() as session:
            repo.update_project(
                session,
                project_id=inp.project_id,
                status="running",
                spec=spec.model_dump(mode="json"),
                name=spec.name,
                title=spec.title,
                project_type=spec.project_type.value,
            )
        return spec

    @activity.defn(name="plan_tasks")
    def plan_tasks(self, inp: PlanTasksInput) -> TaskGraph:
        """Spec -> validated task graph, also written to the graph database."""
        graph = TaskGraph(tasks=inp.spec.tasks) if inp.spec.tasks else intent.plan(inp.spec)
        graph.validate_dag()
        if self._graph is not None:
            self._graph.write_task_graph(project_id=inp.project_id, graph=graph)
        return graph

    # -- agents --------------------------------------------------------------------------------
    @activity.defn(name="run_agent_task")
    def run_agent_task(self, inp: AgentTaskInput) -> AgentTaskResult:
        """One agent does one task; its files and messages are stored once, whatever the retries."""
        return self.do_agent_task(
            inp, attempt=activity.info().attempt, heartbeat=_heartbeat_or_cancel
        )

    def do_agent_task(
        self, inp: AgentTaskInput, *, attempt: int = 1, heartbeat: Callable[[], None] = lambda: None
    ) -> AgentTaskResult:
        """The body of run_agent_task, callable without Temporal (benchmarks compare the two)."""
        task = inp.task
        started = time.monotonic()
        with self._sessions.begin() as session:
            repo.record_task_started(
                session,
                workflow_id=inp.workflow_id,
                project_id=inp.project_id,
                task_id=task.id,
                role=task.role.value,
                title=task.title,
                attempt=attempt,
            )
        if self._agents is not None:
            return self._llm_task(inp, self._agents, started=started, heartbeat=heartbeat)
        if task.kind == "repair":
            # The built-in engine is deterministic: regenerating gives the same files, so it has
            # no repair to offer. LLM-backed agents (agents issue) take this path over.
            note = "the built-in engine has no repair strategy; the failing output is recorded"
            with self._sessions.begin() as session:
                repo.record_interaction(
                    session,
                    project_id=inp.project_id,
                    task_id=task.id,
                    agent_role=task.role.value,
                    kind="note",
                    sequence=0,
                    content=f"{note}\n\n{inp.failure_output or ''}"[-20_000:],
                )
                repo.record_task_finished(
                    session,
                    workflow_id=inp.workflow_id,
                    task_id=task.id,
                    status="succeeded",
                    duration_s=time.monotonic() - started,
                )
            return AgentTaskResult(task_id=task.id, changed=False, note=note)

        with self._sessions.begin() as session:
            repo.record_agent_spawned(
                session,
                project_id=inp.project_id,
                task_id=task.id,
                role=task.role.value,
                provider=agents.BUILTIN,
                model="templates",
            )
        outcome = agents.run_task(spec=inp.spec, task=task)
        _pad(inp.min_seconds - (time.monotonic() - started), heartbeat=heartbeat)
        with self._sessions.begin() as session:
            _record_outcome(
                session,
                inp,
                outcome,
                # The built-in engine's messages carry no model of their own: the outcome's.
                interactions=[
                    {
                        "agent_role": task.role.value,
                        "kind": message.kind,
                        "content": message.content,
                        "prompt_version": outcome.prompt_version,
                        "provider": outcome.provider,
                        "model": outcome.model,
                    }
                    for message in outcome.interactions
                ],
                started=started,
            )
        return AgentTaskResult(
            task_id=task.id, files=[a.path for a in outcome.artifacts], provider=outcome.provider
        )

    def _llm_task(
        self,
        inp: AgentTaskInput,
        manager: agents.AgentManager,
        *,
        started: float,
        heartbeat: Callable[[], None],
    ) -> AgentTaskResult:
        """A task with an LLM provider: scaffold then refine, or repair; stored like any task."""
        task = inp.task
        controls = agents.RunControls(
            project_id=inp.project_id,
            budget_usd=inp.budget_usd,
            use_cache=inp.use_cache,
            heartbeat=heartbeat,
        )
        with self._sessions() as session:
            files = repo.artifact_files(session, project_id=inp.project_id)
            owners = {
                a.path: a.task_id for a in repo.list_artifacts(session, project_id=inp.project_id)
            }
            configurations = {
                c.role: {
                    "provider": c.provider, "model": c.model, "temperature": c.temperature,
                    "max_tokens": c.max_tokens, "enabled": c.enabled,
                }
                for c in repo.list_agent_configurations(session)
            }
            earlier = (
                [
                    i.content
                    for i in repo.list_interactions(session, project_id=inp.project_id)
                    if i.kind == "response" and i.task_id.startswith("R") and i.task_id != task.id
                ]
                if task.kind == "repair"
                else []
            )
        scaffold_notes: list[agents.Interaction] = []
        if task.kind == "repair":
            role = _owning_role(inp.spec, owners, inp.failure_output or "") or task.role
            outcome = manager.repair(
                spec=inp.spec,
                task=task.model_copy(update={"role": role}),
                files=files,
                failure_output=inp.failure_output or "",
                round_number=inp.repair_round,
                earlier_answers=earlier,
                configurations=configurations,
                controls=controls,
            )
        else:
            scaffold = agents.run_task(spec=inp.spec, task=task)
            scaffold_notes = [
                agents.Interaction("note", f"scaffold: {m.content}", role=task.role.value)
                for m in scaffold.interactions
                if m.kind in ("response", "note")
            ]
            deps, direct = _dependencies(inp.spec, task), set(task.depends_on)
            outcome = manager.refine(
                spec=inp.spec,
                task=task,
                scaffold=scaffold.artifacts,
                project_files=files,
                context_paths=sorted(p for p, t in owners.items() if t in deps),
                direct_paths=sorted(p for p, t in owners.items() if t in direct),
                configurations=configurations,
                controls=controls,
            )
        stopped = (outcome.stop_message or f"stopped: {outcome.stop}") if outcome.stop else None
        with self._sessions.begin() as session:
            repo.record_agent_spawned(
                session,
                project_id=inp.project_id,
                task_id=task.id,
                role=next((m.role for m in outcome.interactions if m.role), task.role.value),
                provider=outcome.provider,
                model=outcome.model,
            )
            repo.record_metric(
                session,
                project_id=inp.project_id,
                name="agent_spawn_time_seconds",
                value=outcome.spawn_time_s,
                unit="s",
                labels={"task": task.id, "provider": outcome.provider},
                key=f"{inp.workflow_id}:{task.id}:agent_spawn",
            )
            # Each message says which model answered it (None: the built-in scaffold's note).
            _record_outcome(
                session,
                inp,
                outcome,
                interactions=[
                    {
                        "agent_role": message.role or task.role.value,
                        "kind": message.kind,
                        "content": message.content,
                        "prompt_version": message.prompt_version,
                        "provider": (
                            agents.BUILTIN
                            if message.model is None
                            else f"{outcome.provider} (cache)"
                            if message.cached
                            else outcome.provider
                        ),
                        "model": message.model,
                        "tokens_in": message.tokens_in,
                        "tokens_out": message.tokens_out,
                        "cost_usd": message.cost_usd,
                    }
                    for message in [*scaffold_notes, *outcome.interactions]
                ],
                started=started,
                error=stopped,
            )
        if outcome.messages and self._graph is not None:
            self._graph.record_agent_messages(
                project_id=inp.project_id,
                task_id=task.id,
                messages=[(m.from_role, m.to_role, m.kind) for m in outcome.messages],
            )
        if stopped is not None:
            kind = "BudgetExceeded" if outcome.stop == "budget" else "ProviderError"
            raise ApplicationError(stopped, type=kind, non_retryable=True)
        return AgentTaskResult(
            task_id=task.id,
            files=[a.path for a in outcome.artifacts],
            provider=outcome.provider,
            changed=outcome.changed,
            note=outcome.note,
            model=outcome.model,
            usage=LLMUsage(
                calls=outcome.calls,
                cache_hits=outcome.cache_hits,
                tokens_in=outcome.tokens_in,
                tokens_out=outcome.tokens_out,
                cost_usd=round(outcome.cost_usd, 8),
            ),
        )

    # -- quality gate --------------------------------------------------------------------------
    @activity.defn(name="run_quality_gate")
    def run_quality_gate(self, inp: QualityGateInput) -> TestReport:
        """Materialise the project in a fresh folder and run its tests in the sandbox."""
        with self._sessions() as session:
            files = repo.artifact_files(session, project_id=inp.project_id)
        folder = self._work_dir / inp.project_id / f"qa-{inp.round}"
        if folder.exists():
            shutil.rmtree(folder)
        _write_files(folder, files)
        report = sandbox.run_pytest(
            folder, python=self._python, limits=self._limits, on_tick=_heartbeat_or_cancel
        )
        if report.ok:
            openapi = sandbox.run(
                [
                    self._python,
                    "-c",
                    "import json; from app.main import app; "
                    "open('openapi.json', 'w').write(json.dumps(app.openapi(), indent=2) + '\\n')",
                ],
                workdir=folder,
                limits=self._limits,
                on_tick=_heartbeat_or_cancel,
            )
            spec_file = folder / "openapi.json"
            if openapi.exit_code == 0 and spec_file.is_file():
                with self._sessions.begin() as session:
                    repo.save_artifacts(
                        session,
                        project_id=inp.project_id,
                        task_id=QA_TASK_ID,
                        files=[("openapi.json", spec_file.read_text())],
                    )
        with self._sessions.begin() as session:
            repo.record_metric(
                session,
                project_id=inp.project_id,
                name="generated_tests_passed",
                value=report.passed,
                unit="tests",
                key=f"{inp.workflow_id}:qa:{inp.round}:passed",
            )
            repo.record_metric(
                session,
                project_id=inp.project_id,
                name="generated_tests_failed",
                value=report.failed + report.errors,
                unit="tests",
                key=f"{inp.workflow_id}:qa:{inp.round}:failed",
            )
        shutil.rmtree(folder, ignore_errors=True)
        return report

    # -- deploy --------------------------------------------------------------------------------
    @activity.defn(name="render_deployment")
    def render_deployment(self, inp: RenderDeploymentInput) -> DeploymentPlan:
        """Validate the deployment artefacts (rendering those the agents did not produce) before
        anything is written; invalid artefacts fail the run."""
        with self._sessions() as session:
            files = repo.artifact_files(session, project_id=inp.project_id)
        try:
            added, checks = deploy.prepare_artifacts(inp.spec, files)
        except QuantumLayerError as exc:
            raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc
        if added:
            with self._sessions.begin() as session:
                repo.save_artifacts(
                    session, project_id=inp.project_id, task_id=DEPLOY_TASK_ID, files=added
                )
        rendered = set(deploy.render(inp.spec, deploy.runtime_for(inp.spec)))
        return DeploymentPlan(target="none", files=sorted(rendered), checks=checks)

    @activity.defn(name="deploy_project")
    def deploy_project(self, inp: DeployInput) -> DeployResult:
        """Deploy the validated project to a target (local, kubernetes, terraform) and record it."""
        try:
            outcome = deploy.deploy(
                sessions=self._sessions,
                project_id=inp.project_id,
                target=inp.target,
                home=self._work_dir.parent,
                dry_run=inp.dry_run,
                python=self._python,
                deployment_id=inp.deployment_id,
            )
        except QuantumLayerError as exc:
            raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc
        return DeployResult(
            deployment_id=outcome.deployment_id,
            status=outcome.status,
            url=outcome.url,
            error=outcome.error,
        )

    @activity.defn(name="export_project")
    def export_project(self, inp: ExportInput) -> ExportResult:
        """Write the project's files to the output folder (never outside it)."""
        with self._sessions() as session:
            files = repo.artifact_files(session, project_id=inp.project_id)
        out = Path(inp.output_dir)
        if out.exists() and any(out.iterdir()) and not inp.force:
            raise UserError(f"{out} is not empty; pass --force to write into it")
        _write_files(out, files)
        with self._sessions.begin() as session:
            repo.update_project(session, project_id=inp.project_id, output_dir=str(out))
        return ExportResult(output_dir=str(out), files=len(files))

    @activity.defn(name="finalize")
    def finalize(self, inp: FinalizeInput) -> None:
        """Record the outcome on the project row and the per-phase metrics."""
        result = inp.result
        with self._sessions.begin() as session:
            repo.update_project(
                session,
                project_id=result.project_id,
                status=result.status,
                summary=result.model_dump(mode="json"),
                error=result.error,
                finished_at=datetime.now(UTC),
            )
            for phase, seconds in result.phases.items():
                repo.record_metric(
                    session,
                    project_id=result.project_id,
                    name=f"phase_{phase}_seconds",
                    value=seconds,
                    unit="s",
                    key=f"{result.project_id}:phase:{phase}",
                )
            repo.record_metric(
                session,
                project_id=result.project_id,
                name="project_duration_seconds",
                value=result.duration_s,
                unit="s",
                key=f"{result.project_id}:duration",
            )

    def all(self) -> list[Callable[..., object]]:
        """Every activity method, for a worker that serves all queues."""
        return [
            self.analyze_intent,
            self.plan_tasks,
            self.run_agent_task,
            self.run_quality_gate,
            self.render_deployment,
            self.deploy_project,
            self.export_project,
            self.finalize,
        ]


def _dependencies(spec: Spec, task: Task) -> set[str]:
    """Every task `task` depends on, directly or not (its direct ones if the Spec has no plan)."""
    by_id = {t.id: t for t in spec.tasks}
    seen: set[str] = set()
    todo = list(task.depends_on)
    while todo:
        tid = todo.pop()
        if tid not in seen:
            seen.add(tid)
            todo.extend(by_id[tid].depends_on if tid in by_id else [])
    return seen


def _owning_role(spec: Spec, owners: dict[str, str | None], failure: str) -> AgentRole | None:
    """The role of the task that wrote the file the failing output names first."""
    roles = {t.id: t.role for t in spec.tasks}
    named = sorted((at, path) for path in owners if (at := failure.find(path)) >= 0)
    for _, path in named:
        owner = owners.get(path)
        if owner in roles:
            return roles[owner]
    return None


def _record_outcome(
    session: Session,
    inp: AgentTaskInput,
    outcome: agents.AgentOutcome,
    *,
    interactions: list[_InteractionFields],
    started: float,
    error: str | None = None,
) -> None:
    """Record what a task's agent produced, the same for the built-in engine and an LLM: its
    files, its messages numbered in order (`interactions`: the fields of each, which the two
    paths fill differently), the agent's end, and the task's end (failed if `error`)."""
    task = inp.task
    if outcome.artifacts:
        repo.save_artifacts(
            session,
            project_id=inp.project_id,
            task_id=task.id,
            files=[(a.path, a.content) for a in outcome.artifacts],
        )
    for seq, fields in enumerate(interactions):
        repo.record_interaction(
            session, project_id=inp.project_id, task_id=task.id, sequence=seq, **fields
        )
    repo.record_agent_destroyed(
        session,
        project_id=inp.project_id,
        task_id=task.id,
        spawn_time_s=outcome.spawn_time_s,
    )
    repo.record_task_finished(
        session,
        workflow_id=inp.workflow_id,
        task_id=task.id,
        status="failed" if error else "succeeded",
        duration_s=time.monotonic() - started,
        error=error,
    )


def _heartbeat_or_cancel() -> None:
    activity.heartbeat()
    if activity.is_cancelled():
        raise CancelledError("activity cancelled")


def _pad(seconds: float, *, heartbeat: Callable[[], None]) -> None:
    """Sleep `seconds` in short steps, heartbeating, so a cancel or a dead worker is noticed."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.25))
        heartbeat()


def _write_files(root: Path, files: dict[str, str]) -> None:
    """Write files under root; a path landing outside root (even via a symlink) is refused."""
    root.mkdir(parents=True, exist_ok=True)
    base = root.resolve()
    for rel, content in sorted(files.items()):
        target = base / safe_relative_path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        resolved = target.parent.resolve() / target.name
        if not resolved.is_relative_to(base) or resolved.is_symlink():
            raise UserError(f"refusing to write {rel!r}: it resolves outside {base}")
        resolved.write_text(content, encoding="utf-8")
