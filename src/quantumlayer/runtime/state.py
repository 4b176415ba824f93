"""The state file (home/services.json) and the lock (home/services.lock) around changing it."""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from quantumlayer.runtime.processes import ProcessIdentity

STATE_VERSION = 1
log = logging.getLogger(__name__)


@dataclass
class ServiceRecord:
    """One server process started by the runtime manager, as written to services.json."""

    name: str
    pid: int
    exe: str
    start_ticks: int | None
    argv: list[str]
    port: int
    started_at: str
    startup_s: float
    data_dir: str
    log_file: str
    persistent: bool = False
    extra_ports: dict[str, int] = field(default_factory=dict)

    @property
    def identity(self) -> ProcessIdentity:
        """What is needed to recognise the process later."""
        return ProcessIdentity(pid=self.pid, exe=self.exe, start_ticks=self.start_ticks)


@dataclass
class State:
    """Everything in services.json.

    `leases` are the `embedded_services()` blocks using the servers now, by lease id, with the
    identity of the process that holds each: non-persistent servers are stopped when the last
    live lease is released, not when the block that happened to start them ends.
    """

    services: dict[str, ServiceRecord] = field(default_factory=dict)
    leases: dict[str, ProcessIdentity] = field(default_factory=dict)


def load_state(path: Path) -> State:
    """The state file's content; empty if the file does not exist."""
    try:
        raw = json.loads(path.read_text())
        return State(
            services={name: ServiceRecord(**rec) for name, rec in raw["services"].items()},
            leases={key: ProcessIdentity(**lease) for key, lease in raw.get("leases", {}).items()},
        )
    except FileNotFoundError:
        return State()
    except (ValueError, KeyError, TypeError) as exc:
        # Unreadable state cannot be trusted to point at our processes. Servers it described
        # still run in our data folders, where `down` finds and stops them anyway.
        log.warning("ignoring unreadable %s (%s)", path, exc)
        return State()


def save_state(path: Path, state: State) -> None:
    """Write the state atomically (readers never see half a file); remove the file if empty."""
    if not state.services and not state.leases:
        path.unlink(missing_ok=True)
        return
    body = {
        "version": STATE_VERSION,
        "services": {name: asdict(rec) for name, rec in state.services.items()},
        "leases": {key: asdict(lease) for key, lease in state.leases.items()},
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(body, indent=2) + "\n")
    os.replace(tmp, path)


@contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive flock on `lock_file`, so concurrent `up`/`down` calls take turns."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
