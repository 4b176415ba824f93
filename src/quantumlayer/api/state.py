"""What the API process holds while it runs: settings, database sessions, token codec, rate
limiter, secret store, the link to Temporal, and the runner of requested deployments. Built in
the app's lifespan."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from quantumlayer.api.ratelimit import RateLimiter
from quantumlayer.config import Settings
from quantumlayer.errors import ServiceUnavailable
from quantumlayer.orchestrator.models import TaskQueues
from quantumlayer.security.secret_store import SecretStore
from quantumlayer.security.tokens import TokenCodec

log = logging.getLogger("quantumlayer.api")


class TemporalLink:
    """A Temporal client, connected at startup or, if Temporal was down then, on first use."""

    def __init__(self, address: str | None, namespace: str) -> None:
        self.address = address
        self.namespace = namespace
        self._client: Client | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        if self._client is not None:
            return self._client
        if self.address is None:
            raise ServiceUnavailable("no Temporal server is configured")
        from quantumlayer.orchestrator import client as wf

        async with self._lock:
            if self._client is None:
                self._client = await asyncio.wait_for(
                    wf.connect(self.address, namespace=self.namespace), timeout=5
                )
        return self._client

    async def healthy(self) -> bool:
        try:
            client = await self.client()
            return bool(await asyncio.wait_for(client.service_client.check_health(), timeout=2))
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False


class DeploymentRunner:
    """Carries out the deployments requested through the API, in background threads of this
    process (a few at a time), so that the request is answered at once and clients poll.

    The Deployment Engine (`deploy.run_deployment`) moves each `pending` row to its final
    status; an audit event `deployment.finish` records the outcome. On shutdown, requests not
    yet started are recorded as failed; those running are allowed to finish.
    """

    def __init__(self, sessions: sessionmaker[Session], *, home: Path, workers: int = 4,
                 python: str = sys.executable) -> None:
        self._sessions = sessions
        self._home = home
        self._python = python
        self._executor = ThreadPoolExecutor(max_workers=workers,
                                            thread_name_prefix="ql-deploy")
        self._lock = threading.Lock()
        self._submitted: dict[str, Future[None]] = {}

    def submit(self, deployment_id: str) -> None:
        """Start carrying out the (committed, `pending`) deployment `deployment_id`."""
        with self._lock:
            future = self._executor.submit(self._run, deployment_id)
            self._submitted[deployment_id] = future
        future.add_done_callback(lambda f: self._done(deployment_id, f))

    def _done(self, deployment_id: str, future: Future[None]) -> None:
        with self._lock:
            self._submitted.pop(deployment_id, None)
        if not future.cancelled() and (exc := future.exception()) is not None:
            log.error("deployment %s could not be carried out: %s", deployment_id, exc,
                      exc_info=exc)

    def _run(self, deployment_id: str) -> None:
        from quantumlayer import deploy
        from quantumlayer.store import auth_repositories as auth_repo
        from quantumlayer.store import repositories as repo

        outcome = deploy.run_deployment(sessions=self._sessions, deployment_id=deployment_id,
                                        home=self._home, python=self._python)
        with self._sessions.begin() as session:
            row = repo.get_deployment_or_raise(session, deployment_id=deployment_id)
            auth_repo.record_audit(
                session, action="deployment.finish",
                outcome="failure" if outcome.status == "failed" else "success",
                actor_id=(row.details or {}).get("requested_by"), actor_type="system",
                target_type="deployment", target_id=deployment_id,
                details={"project": row.project_id, "target": row.target,
                         "status": outcome.status},
            )
        log.info("deployment %s of project %s: %s", deployment_id, outcome.project_id,
                 outcome.status)

    def close(self) -> None:
        """Stop taking work; deployments that never started are recorded as failed."""
        from quantumlayer.store import repositories as repo
        from quantumlayer.store.models import utcnow

        with self._lock:
            waiting = dict(self._submitted)
        self._executor.shutdown(wait=False, cancel_futures=True)
        for deployment_id, future in waiting.items():
            if not future.cancelled():
                continue
            with self._sessions.begin() as session:
                row = repo.get_deployment(session, deployment_id=deployment_id)
                if row is not None and row.status == "pending":
                    repo.update_deployment(
                        session, deployment_id=deployment_id, status="failed",
                        finished_at=utcnow(),
                        details={**(row.details or {}),
                                 "error": "the API stopped before this deployment started"},
                    )


@dataclass
class ApiState:
    settings: Settings
    sessions: sessionmaker[Session]
    codec: TokenCodec
    limiter: RateLimiter
    secrets: SecretStore
    temporal: TemporalLink
    queues: TaskQueues
    redis_url: str | None
    graph_url: str | None
    deployments: DeploymentRunner
    extras: dict[str, Any] = field(default_factory=dict)
