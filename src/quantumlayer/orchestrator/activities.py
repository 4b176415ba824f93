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

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import CancelledError

from quantumlayer import agents, intent, sandbox
from quantumlayer.domain import DeploymentPlan, Spec, TaskGraph, TestReport, safe_relative_path
from quantumlayer.errors import UserError
from quantumlayer.orchestrator.models import (
    AgentTaskInput,
    AgentTaskResult,
    AnalyzeIntentInput,
    ExportInput,
    ExportResult,
    FinalizeInput,
    PlanTasksInput,
    QualityGateInput,
    RenderDeploymentInput,
)
from quantumlayer.store import repositories as repo
from quantumlayer.store.graph import GraphStore

QA_TASK_ID = "qa-gate"


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
    ) -> None:
        self._sessions = sessions
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
            repo.save_artifacts(
                session,
                project_id=inp.project_id,
                task_id=task.id,
                files=[(a.path, a.content) for a in outcome.artifacts],
            )
            for seq, message in enumerate(outcome.interactions):
                repo.record_interaction(
                    session,
                    project_id=inp.project_id,
                    task_id=task.id,
                    agent_role=task.role.value,
                    kind=message.kind,
                    sequence=seq,
                    content=message.content,
                    prompt_version=outcome.prompt_version,
                    provider=outcome.provider,
                    model=outcome.model,
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
                status="succeeded",
                duration_s=time.monotonic() - started,
            )
        return AgentTaskResult(
            task_id=task.id, files=[a.path for a in outcome.artifacts], provider=outcome.provider
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
        """Check the deployment files the devops agent produced."""
        with self._sessions() as session:
            files = repo.artifact_files(session, project_id=inp.project_id)
        checks: list[str] = []
        dockerfile = files.get("Dockerfile", "")
        if dockerfile:
            for needle, what in (
                ("\nUSER ", "runs as a non-root user"),
                ("HEALTHCHECK", "has a health check"),
                ("FROM ", "has a base image"),
            ):
                if needle in dockerfile:
                    checks.append(f"Dockerfile {what}")
        deploy_files = sorted(
            p for p in files if p in {"Dockerfile", ".dockerignore"} or p.startswith(".github/")
        )
        return DeploymentPlan(target="none", files=deploy_files, checks=checks)

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
            self.export_project,
            self.finalize,
        ]


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
