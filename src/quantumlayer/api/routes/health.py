"""Liveness and readiness (no authentication, no rate limit)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import text

from quantumlayer.api.deps import StateDep
from quantumlayer.api.problems import problem_response
from quantumlayer.api.schemas.catalog import CheckPublic, HealthPublic, ReadinessPublic

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthPublic)
async def healthz() -> HealthPublic:
    """The process is alive."""
    return HealthPublic(status="ok")


async def _timed(check: Any) -> CheckPublic:
    started = time.perf_counter()
    try:
        ok = bool(await asyncio.wait_for(check(), timeout=3))
        error = None if ok else "not answering"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        ok, error = False, type(exc).__name__
    return CheckPublic(ok=ok, latency_ms=round((time.perf_counter() - started) * 1000, 2),
                       error=error)


@router.get("/readyz", response_model=ReadinessPublic)
async def readyz(request: Request, state: StateDep) -> Any:
    """Whether the API can serve: database, Redis, graph database and Temporal, each reported.
    503 (a problem whose `details` hold the checks) when one of them is down."""

    def db_ping() -> bool:
        with state.sessions() as session:
            return session.execute(text("SELECT 1")).scalar() == 1

    async def database() -> bool:
        return await run_in_threadpool(db_ping)

    async def graph() -> bool:
        # Not through the neo4j driver: a closing driver's GOODBYE upsets FalkorDB (see
        # runtime.health.check_graph), which probes with a bare Bolt exchange instead.
        from quantumlayer.runtime.health import check_graph

        settings = state.settings
        await run_in_threadpool(check_graph, state.graph_url or "", user=settings.graph_user,
                                password=settings.graph_password, timeout=2.0)
        return True

    names = ["database", "redis", "temporal"]
    checks = [database(), state.limiter.ping(), state.temporal.healthy()]
    results = await asyncio.gather(*(_timed(lambda c=c: c) for c in checks))
    report = dict(zip(names, results, strict=True))
    if state.graph_url:
        report["graph"] = await _timed(graph)
    else:
        report["graph"] = CheckPublic(ok=True, configured=False)
    body = ReadinessPublic(status="ready" if all(c.ok for c in report.values()) else
                           "unavailable", checks=report)
    if body.status == "ready":
        return JSONResponse(body.model_dump(mode="json"))
    return problem_response(
        request, status=503, code="service_unavailable",
        message="not ready: " + ", ".join(k for k, c in report.items() if not c.ok),
        details=body.model_dump(mode="json"),
    )
