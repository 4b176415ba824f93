"""What the API process holds while it runs: settings, database sessions, token codec, rate
limiter, secret store, and the link to Temporal. Built in the app's lifespan."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
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
    extras: dict[str, Any] = field(default_factory=dict)
