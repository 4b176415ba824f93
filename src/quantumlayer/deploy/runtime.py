"""How a generated project runs: what each archetype tells the Deployment Engine.

Pure data, no imports of ours: the generators describe their projects with it and the Deployment
Engine renders containers, manifests and pipelines from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RuntimeKind = Literal["http", "worker", "batch", "static", "cli", "none"]
# Kinds that run as a long-lived service with a health endpoint (containers, Kubernetes, cloud).
SERVICE_KINDS = frozenset({"http", "worker", "batch", "static"})


@dataclass(frozen=True)
class Runtime:
    """The shape of a generated project at run time.

    `command` is the container's command; `local_command` the arguments given to a Python
    interpreter to run the project on this machine, with "{port}" standing for the port (empty:
    the project is not a service). Every service kind answers `health_path` on its port.
    """

    kind: RuntimeKind
    command: tuple[str, ...] = ()
    local_command: tuple[str, ...] = ()
    port: int = 8000
    health_path: str = "/health"
    packages: tuple[str, ...] = ("app",)  # source folders the image copies
    uses_database: bool = False
    metrics: bool = False  # exposes Prometheus metrics at /metrics
    queue: bool = False  # consumes a job queue (kept in the database)
    extras: tuple[str, ...] = ()  # optional dependencies installed in the image
    static_dir: str = ""  # the folder served by a static site
    description: str = ""  # one line for DEPLOY.md: what runs
    test_env: tuple[tuple[str, str], ...] = ()  # environment the project's tests need in CI
    secrets: tuple[str, ...] = ()  # environment variables that must come from a secret store

    @property
    def is_service(self) -> bool:
        return self.kind in SERVICE_KINDS

    @property
    def local_deployable(self) -> bool:
        return bool(self.local_command)
