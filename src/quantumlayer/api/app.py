"""The FastAPI application of the gateway: `/v1` routes, OpenAPI at `/v1/openapi.json`, docs at
`/docs`, liveness `/healthz`, readiness `/readyz`.

In the embedded mode (no QL_TEMPORAL_ADDRESS) the lifespan starts or reuses the embedded
Temporal and FalkorDB/Redis (`platform.services`), and, unless QL_API_RUN_WORKERS is off, runs
the Temporal workers in this process, as `quantumlayer create` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from quantumlayer import __version__
from quantumlayer.api import problems
from quantumlayer.api.middleware import GatewayMiddleware
from quantumlayer.api.ratelimit import RateLimiter
from quantumlayer.api.routes import api_keys, auth, catalog, health, projects, users
from quantumlayer.api.state import ApiState, DeploymentRunner, TemporalLink
from quantumlayer.config import Settings, get_settings
from quantumlayer.orchestrator.models import TaskQueues
from quantumlayer.security.pii import RedactingFilter
from quantumlayer.security.secret_store import store_from_settings
from quantumlayer.security.tokens import codec_from_settings
from quantumlayer.store import db

log = logging.getLogger("quantumlayer.api")
PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/v1/auth/token", "/v1/auth/refresh"})


def configure_logging(level: int = logging.INFO) -> None:
    """Log lines go through the PII filter, ours and uvicorn's alike."""
    redacting = RedactingFilter()
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for name in ("", "quantumlayer", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(redacting)
    logging.getLogger("quantumlayer").setLevel(level)


def _calls(dependant: Any) -> Iterator[Any]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _calls(dep)


def _document_permissions(router: APIRouter) -> None:
    """Say in the OpenAPI document what each operation needs (`x-permission`): a permission,
    `authenticated` (any caller with a credential), or `public`; public ones need no security."""
    from quantumlayer.api.deps import _authenticated

    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        calls = list(_calls(route.dependant))
        perm = next((c.permission for c in calls if hasattr(c, "permission")), None)
        if perm is not None:
            needs = perm.value
            route.description = (route.description or "") + (
                f"\n\nRequires the permission `{needs}`."
            )
        elif _authenticated in calls:
            needs = "authenticated"
        else:
            needs = "public"
        extra = dict(route.openapi_extra or {})
        extra["x-permission"] = needs
        if needs == "public":
            extra["security"] = []
        route.openapi_extra = extra


async def _open(app: FastAPI, settings: Settings, stack: contextlib.AsyncExitStack) -> ApiState:
    from quantumlayer import platform

    engine = await run_in_threadpool(db.create_engine_for, settings.effective_database_url())
    stack.callback(engine.dispose)
    await run_in_threadpool(db.migrate, engine)
    codec = codec_from_settings(settings)
    secrets = store_from_settings(settings)

    services_cm = platform.services(settings)
    endpoints = await run_in_threadpool(services_cm.__enter__)
    stack.push_async_callback(run_in_threadpool, services_cm.__exit__, None, None, None)
    redis_url = settings.redis_url or endpoints.redis_url
    sessions = db.session_factory(engine)
    deployments = DeploymentRunner(sessions, home=settings.home)
    stack.callback(deployments.close)
    state = ApiState(
        settings=settings, sessions=sessions, codec=codec,
        limiter=RateLimiter(settings, redis_url), secrets=secrets,
        temporal=TemporalLink(endpoints.temporal_address, settings.temporal_namespace),
        queues=TaskQueues.with_prefix(settings.task_queue_prefix), redis_url=redis_url,
        graph_url=settings.graph_url or endpoints.graph_url, deployments=deployments,
    )
    app.state.ql = state
    if settings.api_run_workers:
        try:
            client = await state.temporal.client()
        except Exception as exc:  # noqa: BLE001 - the API serves; /readyz tells Temporal is down
            log.warning("Temporal is not reachable at startup (%s); no workers here", exc)
        else:
            from quantumlayer.orchestrator.worker import build_activities, running_workers

            activities = await run_in_threadpool(
                lambda: build_activities(settings, graph_url=state.graph_url)
            )
            await stack.enter_async_context(running_workers(client, activities, state.queues))
            log.info("Temporal workers running in the API process (prefix %s)",
                     settings.task_queue_prefix)
    return state


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API application for `settings` (default: from the environment)."""
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging()
        async with contextlib.AsyncExitStack() as stack:
            await _open(app, settings, stack)
            log.info("QuantumLayer API ready")
            yield

    app = FastAPI(
        title="QuantumLayer API",
        version=__version__,
        description=(
            "Turn a plain-language idea into a working, tested project.\n\n"
            "Authenticate with a Bearer access token from `POST /v1/auth/token` (QuantumLayer's "
            "own clients only: the password grant is not for third parties, per RFC 9700) or "
            "with an API key in `X-API-Key`. Errors are RFC 9457 problem documents carrying "
            "`error: {code, message, details}`; every response has an `X-Request-ID`."
        ),
        openapi_url="/v1/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
        responses=problems.ERROR_RESPONSES,
    )
    problems.install(app)
    for module in (health, auth, users, api_keys, projects, catalog):
        _document_permissions(module.router)
        app.include_router(module.router)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=False,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining",
                            "RateLimit-Reset", "Retry-After", "Location"],
            max_age=600,
        )
    app.add_middleware(GatewayMiddleware, max_body_bytes=settings.api_max_body_bytes)
    return app


def run(settings: Settings, *, host: str, port: int) -> None:
    """Serve the API with uvicorn until stopped."""
    import uvicorn

    configure_logging()
    config: dict[str, Any] = {
        "host": host, "port": port, "proxy_headers": True,
        "forwarded_allow_ips": settings.api_forwarded_allow_ips, "server_header": False,
        "date_header": True, "log_config": None, "access_log": False,
        "timeout_graceful_shutdown": 10,
    }
    server = uvicorn.Server(uvicorn.Config(create_app(settings), **config))
    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
        server.run()
