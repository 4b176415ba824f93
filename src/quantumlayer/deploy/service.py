"""Deployments of generated projects: validate the artefacts, deploy to a target, record it.

    outcome = deploy(sessions=..., project_id="ab12", target="local", home=settings.home)
    undeploy(sessions=..., ref=outcome.deployment_id)

Every deployment (not a dry run) is a row of the deployments table: its target, status
(pending, deploying, running, succeeded, failed, stopped, replaced), URL and details (pid, port
and folder of a local one; the terraform steps; the checks). `success_rate` is computed from
those rows.

A deployment can also be requested first and carried out later (the API answers at once and
deploys in the background): the requester records a `pending` row, and `run_deployment` takes
it from there, `pending` -> `deploying` -> `running` (a local service is up) or `succeeded`
(applied to Kubernetes or by Terraform) or `failed`, the error in its details.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from quantumlayer.domain import ProjectType, Spec, safe_relative_path
from quantumlayer.errors import NotFound, QuantumLayerError, UserError
from quantumlayer.store import repositories as repo
from quantumlayer.store.models import Deployment

from . import iac
from .iac.kubernetes import k8s_name
from .profile import build_profile
from .runtime import Runtime
from .targets import kubernetes as k8s_target
from .targets import local
from .targets import terraform as tf_target
from .validate import validate

log = logging.getLogger("quantumlayer.deploy")
TARGETS = ("local", "kubernetes", "terraform")
PENDING = "pending"
TERMINAL = frozenset({"failed", "stopped", "replaced"})
SUCCEEDED = frozenset({"running", "succeeded", "stopped", "replaced"})
HEALTH_TIMEOUT_S = 30.0


@dataclass
class DeploymentOutcome:
    """What `deploy` and `undeploy` report (the `--json` object of the CLI)."""

    deployment_id: str | None
    project_id: str
    target: str
    status: str
    url: str | None = None
    dry_run: bool = False
    checks: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- artefacts ---------------------------------------------------------------------------------


def runtime_for(spec: Spec) -> Runtime:
    """How the project generated for `spec` runs (types without an archetype got a REST API)."""
    from quantumlayer import generators

    if spec.project_type not in generators.SUPPORTED_PROJECT_TYPES:
        spec = spec.model_copy(update={"project_type": ProjectType.REST_API})
    return generators.runtime(spec)


def prepare_artifacts(
    spec: Spec, files: Mapping[str, str], *, cloud: str | None = None
) -> tuple[dict[str, str], list[str]]:
    """The deployment artefacts missing from `files` (rendered now), and the validation checks of
    the whole set. With `cloud`, the Terraform is rendered again for that cloud.

    Raises InvalidArtefacts when something (ours or an agent's) does not validate.
    """
    runtime = runtime_for(spec)
    rendered = iac.render(build_profile(spec, runtime, cloud=cloud))
    added = {p: text for p, text in rendered.items() if p not in files}
    if cloud is not None:
        added |= {p: text for p, text in rendered.items() if p.startswith("terraform/")}
    merged = {p: t for p, t in files.items() if not (cloud and p.startswith("terraform/"))}
    merged |= added
    return added, validate(merged, runtime)


def write_files(root: Path, files: Mapping[str, str]) -> None:
    """Write files under root; a path that would land outside it is refused."""
    root.mkdir(parents=True, exist_ok=True)
    base = root.resolve()
    for rel, content in sorted(files.items()):
        target = base / safe_relative_path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        resolved = target.parent.resolve() / target.name
        if not resolved.is_relative_to(base) or resolved.is_symlink():
            raise UserError(f"refusing to write {rel!r}: it resolves outside {base}")
        resolved.write_text(content, encoding="utf-8")


# --- deploy ------------------------------------------------------------------------------------


def _load(session: Session, project_id: str) -> tuple[Spec, dict[str, str]]:
    project = repo.get_project_or_raise(session, project_id=project_id)
    if not project.spec:
        raise UserError(f"project {project_id} has no spec yet: wait until it has been analysed")
    files = repo.artifact_files(session, project_id=project_id)
    if not files:
        raise UserError(f"project {project_id} has no generated files to deploy")
    return Spec.model_validate(project.spec), files


def check_target(spec: Spec, target: str) -> None:
    """UserError unless a project generated for `spec` can be deployed to `target` (a library
    or a CLI is not a service: nothing runs, locally or elsewhere)."""
    if target not in TARGETS:
        raise UserError(f"unknown deploy target {target!r}: choose one of {', '.join(TARGETS)}")
    runtime = runtime_for(spec)
    if target == "local" and not runtime.local_deployable:
        raise UserError(
            f"a {spec.project_type} project is not a service, so there is nothing to run "
            "locally; see its README for how to use it"
        )
    if target != "local" and not runtime.is_service:
        raise UserError(f"a {spec.project_type} project has no {target} deployment")


def deploy(
    *,
    sessions: sessionmaker[Session],
    project_id: str,
    target: str,
    home: Path,
    dry_run: bool = False,
    port: int | None = None,
    cloud: str | None = None,
    python: str = sys.executable,
    health_timeout_s: float = HEALTH_TIMEOUT_S,
    deployment_id: str | None = None,
    variables: Mapping[str, str] | None = None,
) -> DeploymentOutcome:
    """Validate the project's deployment artefacts and deploy them to `target`.

    With `dry_run` nothing runs and nothing is recorded. A local deployment that does not become
    healthy is stopped again (the previous one keeps running) and recorded as failed.
    """
    if target not in TARGETS:
        raise UserError(f"unknown deploy target {target!r}: choose one of {', '.join(TARGETS)}")
    if cloud is not None and target != "terraform":
        raise UserError("--cloud applies to the terraform target only")
    variables = dict(variables or {})
    if variables and target != "terraform":
        raise UserError("--var applies to the terraform target only")
    for key in variables:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]{0,63}", key):
            raise UserError(f"--var {key[:40]!r}: not a Terraform variable name")
    with sessions() as session:
        spec, files = _load(session, project_id)
    added, checks = prepare_artifacts(spec, files, cloud=cloud)
    files = {**files, **added}
    runtime = runtime_for(spec)
    check_target(spec, target)
    if port is not None:
        if target != "local":
            raise UserError("--port applies to the local target only")
        local.check_port(port)
    if dry_run:
        return DeploymentOutcome(None, project_id, target, "validated", dry_run=True,
                                 checks=checks)
    # What the target needs is checked before anything is recorded: a clear error, no row.
    if target == "kubernetes":
        k8s_target.kubeconfig_path()
    elif target == "terraform":
        tf_target.binary()
    if added:
        with sessions.begin() as session:
            repo.save_artifacts(session, project_id=project_id, task_id="deploy", files=added)

    deployment_id = deployment_id or uuid.uuid4().hex[:16]
    workdir = home / "deployments" / deployment_id
    with sessions.begin() as session:
        existing = repo.get_deployment(session, deployment_id=deployment_id)
        if existing is not None and existing.status not in (PENDING, "deploying"):
            # An activity retried after it finished: report what happened, do nothing again.
            return _outcome(existing)
        if existing is None:
            repo.create_deployment(session, id=deployment_id, project_id=project_id,
                                   target=target, status="deploying",
                                   details={"workdir": str(workdir), "checks": checks})
        else:
            if (existing.project_id, existing.target) != (project_id, target):
                raise UserError(
                    f"deployment {deployment_id} is of project {existing.project_id} to "
                    f"{existing.target}, not of {project_id} to {target}"
                )
            # A requested (pending) deployment starts now; a `deploying` one is resumed.
            repo.update_deployment(
                session, deployment_id=deployment_id, status="deploying",
                details={**(existing.details or {}), "workdir": str(workdir), "checks": checks},
            )
    if workdir.exists():
        shutil.rmtree(workdir)
    write_files(workdir, files)
    if target == "local":
        outcome = _deploy_local(sessions, deployment_id, project_id, spec, runtime, workdir,
                                port, python, health_timeout_s)
    elif target == "kubernetes":
        outcome = _deploy_kubernetes(sessions, deployment_id, project_id, spec, files)
    else:
        outcome = _deploy_terraform(sessions, deployment_id, project_id, workdir, variables)
    outcome.checks = checks
    _record_rate(sessions, project_id, deployment_id)
    return outcome


def run_deployment(
    *,
    sessions: sessionmaker[Session],
    deployment_id: str,
    home: Path,
    python: str = sys.executable,
    health_timeout_s: float = HEALTH_TIMEOUT_S,
) -> DeploymentOutcome:
    """Carry out a requested deployment: the `pending` row `deployment_id` names the project
    and the target; its details may hold `cloud` and `variables` (terraform).

    Whatever happens, the row ends in a final status: an error (a target without its tool, a
    project that is not a service, artefacts that do not validate) is recorded as `failed`
    with the message in `details.error`, never left `pending`. A row that is no longer pending
    (carried out already, or by someone else) is reported as it stands.
    """
    with sessions() as session:
        row = repo.get_deployment_or_raise(session, deployment_id=deployment_id)
        if row.status != PENDING:
            return _outcome(row)
        project_id, target = row.project_id, row.target
        requested = dict(row.details or {})
    try:
        return deploy(
            sessions=sessions, project_id=project_id, target=target, home=home,
            cloud=requested.get("cloud"), variables=requested.get("variables"), python=python,
            health_timeout_s=health_timeout_s, deployment_id=deployment_id,
        )
    except QuantumLayerError as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug must not leave the row pending forever
        log.exception("deployment %s of project %s failed", deployment_id, project_id)
        error = f"internal error ({type(exc).__name__}); see the server log"
    with sessions() as session:
        row = repo.get_deployment_or_raise(session, deployment_id=deployment_id)
        if row.status not in (PENDING, "deploying"):
            return _outcome(row)  # the target recorded its own failure already
    return _finish(sessions, deployment_id, status="failed", details={"error": error})


def _finish(
    sessions: sessionmaker[Session], deployment_id: str, *, status: str, url: str | None = None,
    details: Mapping[str, Any],
) -> DeploymentOutcome:
    with sessions.begin() as session:
        row = repo.get_deployment_or_raise(session, deployment_id=deployment_id)
        merged = {**(row.details or {}), **details}
        fields: dict[str, Any] = {"status": status, "url": url, "details": merged}
        if status in TERMINAL or status == "succeeded":
            fields["finished_at"] = datetime.now(UTC)
        row = repo.update_deployment(session, deployment_id=deployment_id, **fields)
        return _outcome(row)


def _outcome(row: Any) -> DeploymentOutcome:
    details = dict(row.details or {})
    return DeploymentOutcome(
        deployment_id=row.id, project_id=row.project_id, target=row.target, status=row.status,
        url=row.url, checks=list(details.get("checks", [])), details=details,
        error=details.get("error"),
    )


def _deploy_local(
    sessions: sessionmaker[Session], deployment_id: str, project_id: str, spec: Spec,
    runtime: Runtime, workdir: Path, port: int | None, python: str, timeout_s: float,
) -> DeploymentOutcome:
    port = local.check_port(port) if port is not None else local.free_port()
    env = {"QL_DEPLOYMENT_ID": deployment_id}
    if runtime.uses_database:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'app.db'}"
    started = time.monotonic()
    process = local.start(workdir=workdir, runtime=runtime, port=port, python=python, env=env)
    healthy, why = local.wait_healthy(process, timeout_s=timeout_s)
    details: dict[str, Any] = {
        "pid": process.pid, "port": port, "log": process.log,
        "health_url": process.health_url, "startup_s": round(time.monotonic() - started, 3),
        "project_type": str(spec.project_type),
    }
    if not healthy:
        local.stop(process.pid, workdir)
        details |= {"error": f"health check failed: {why}", "rolled_back": True,
                    "log_tail": local.log_tail(process.log)}
        return _finish(sessions, deployment_id, status="failed", details=details)
    outcome = _finish(sessions, deployment_id, status="running", url=process.url,
                      details=details)
    # The new one is healthy: it replaces what ran before for this project.
    with sessions() as session:
        older = [d for d in repo.list_deployments(session, project_id=project_id, limit=1000)
                 if d.target == "local" and d.status == "running" and d.id != deployment_id]
    for row in older:
        _stop_local(sessions, row, status="replaced")
    return outcome


def _deploy_kubernetes(
    sessions: sessionmaker[Session], deployment_id: str, project_id: str, spec: Spec,
    files: dict[str, str],
) -> DeploymentOutcome:
    del project_id
    profile = build_profile(spec, runtime_for(spec))
    namespace = k8s_name(profile)
    try:
        applied = k8s_target.apply(files, namespace=namespace)
    except UserError as exc:
        _finish(sessions, deployment_id, status="failed", details={"error": str(exc)})
        raise
    url = f"http://{k8s_name(profile)}.{namespace}.svc.cluster.local"
    return _finish(sessions, deployment_id, status="succeeded", url=url,
                   details={"namespace": namespace, "applied": applied})


def _deploy_terraform(
    sessions: sessionmaker[Session], deployment_id: str, project_id: str, workdir: Path,
    variables: dict[str, str],
) -> DeploymentOutcome:
    del project_id
    try:
        run = tf_target.apply(workdir / "terraform", variables=variables)
    except UserError as exc:
        _finish(sessions, deployment_id, status="failed", details={"error": str(exc)})
        raise
    if not run.ok:
        return _finish(sessions, deployment_id, status="failed",
                       details={"steps": run.steps, "error": run.error})
    url = run.outputs.get("url")
    return _finish(sessions, deployment_id, status="succeeded",
                   url=str(url) if url else None,
                   details={"steps": run.steps, "outputs": run.outputs})


# --- undeploy ----------------------------------------------------------------------------------


def _stop_local(sessions: sessionmaker[Session], row: Any, *, status: str) -> DeploymentOutcome:
    details = dict(row.details or {})
    stopped = False
    if details.get("pid") and details.get("workdir"):
        stopped = local.stop(int(details["pid"]), Path(details["workdir"]))
    return _finish(sessions, row.id, status=status, url=row.url,
                   details={"stopped_process": stopped})


def undeploy(*, sessions: sessionmaker[Session], ref: str) -> list[DeploymentOutcome]:
    """Stop a deployment (`ref` is its id) or every live deployment of a project (its id)."""
    with sessions() as session:
        row = repo.get_deployment(session, deployment_id=ref)
        if row is not None:
            rows = [row]
        else:
            if repo.get_project(session, project_id=ref) is None:
                raise NotFound(f"no deployment or project with id {ref!r}")
            rows = [d for d in repo.list_deployments(session, project_id=ref, limit=1000)
                    if d.status in {"running", "succeeded"}]
    outcomes = []
    for row in rows:
        if row.status not in {"running", "succeeded", "deploying"}:
            outcomes.append(_outcome(row))
            continue
        if row.target == "local":
            outcomes.append(_stop_local(sessions, row, status="stopped"))
        elif row.target == "kubernetes":
            with sessions() as session:
                files = repo.artifact_files(session, project_id=row.project_id)
            namespace = (row.details or {}).get("namespace", "default")
            deleted = k8s_target.delete(files, namespace=namespace)
            outcomes.append(_finish(sessions, row.id, status="stopped",
                                    details={"deleted": deleted}))
        else:
            run = tf_target.destroy(Path((row.details or {})["workdir"]) / "terraform")
            outcomes.append(_finish(sessions, row.id, status="stopped" if run.ok else "failed",
                                    details={"destroy": run.steps, "error": run.error or None}))
    return outcomes


# --- figures -----------------------------------------------------------------------------------


def success_rate(session: Session, *, project_id: str | None = None) -> float | None:
    """Share of finished deployments that succeeded (None before the first one finished)."""
    statement = select(Deployment.status, func.count()).group_by(Deployment.status)
    if project_id is not None:
        statement = statement.where(Deployment.project_id == project_id)
    counts = {str(status): int(n) for status, n in session.execute(statement)}
    good = sum(n for status, n in counts.items() if status in SUCCEEDED)
    finished = good + counts.get("failed", 0)
    return round(good / finished, 4) if finished else None


def _record_rate(sessions: sessionmaker[Session], project_id: str, deployment_id: str) -> None:
    with sessions.begin() as session:
        rate = success_rate(session)
        if rate is not None:
            repo.record_metric(session, name="deployment_success_rate", value=rate, unit="ratio",
                               project_id=project_id, key=f"deploy:{deployment_id}:rate")


def list_deployments(
    sessions: sessionmaker[Session], *, project_id: str | None = None, limit: int = 50
) -> list[DeploymentOutcome]:
    with sessions() as session:
        return [_outcome(d) for d in repo.list_deployments(session, project_id=project_id,
                                                           limit=limit)]
