"""Where the services are: the configured ones (QL_* URLs) or the embedded ones under QL_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from quantumlayer.config import Settings


@dataclass(frozen=True)
class Endpoints:
    temporal_address: str
    redis_url: str | None
    graph_url: str | None
    embedded: bool


def _configured(settings: Settings) -> Endpoints | None:
    if settings.temporal_address:
        return Endpoints(settings.temporal_address, settings.redis_url, settings.graph_url, False)
    return None


@contextmanager
def services(settings: Settings) -> Iterator[Endpoints]:
    """Yield the endpoints to use, starting the embedded services if nothing is configured.

    Embedded services started here are stopped on exit; those started by `quantumlayer dev up`
    (or by another command still running) are reused and left running.
    """
    configured = _configured(settings)
    if configured is not None:
        yield configured
        return
    from quantumlayer.runtime import embedded_services

    with embedded_services(settings.home, **settings.embedded_ports()) as ep:
        yield Endpoints(
            ep.temporal_address,
            settings.redis_url or ep.redis_url,
            settings.graph_url or ep.graph_url,
            True,
        )


def running_endpoints(settings: Settings) -> Endpoints | None:
    """Endpoints of services that are up now (configured, or embedded and healthy), else None."""
    configured = _configured(settings)
    if configured is not None:
        return configured
    from quantumlayer.runtime import EmbeddedServices

    ep = EmbeddedServices(settings.home, **settings.embedded_ports()).endpoints()
    if ep is None:
        return None
    return Endpoints(ep.temporal_address, ep.redis_url, ep.graph_url, True)
