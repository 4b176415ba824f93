"""The local target: run a generated service on this machine, wait for its health endpoint, stop it.

There is no network to install a project's dependencies, so the service runs with QuantumLayer's
own interpreter (which has what generated projects import) in a process of its own session, so
that it outlives the command that started it and can be stopped as a group by another process.
Its folder, pid and port are recorded with the deployment; `stop` checks that the pid still
belongs to that folder before signalling, so a recycled pid is never killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from quantumlayer.errors import UserError

from ..runtime import Runtime

LOG_FILE = ".ql-deploy.log"
PASS_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")


@dataclass(frozen=True)
class LocalProcess:
    pid: int
    port: int
    url: str
    health_url: str
    log: str


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could not bind host:port (as servers do: with SO_REUSEADDR, so
    connections closing in TIME_WAIT do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def check_port(port: int) -> int:
    if not 1024 <= port <= 65535:
        raise UserError(f"--port must be between 1024 and 65535, got {port}")
    if port_in_use(port):
        raise UserError(f"port {port} is already in use; choose another --port or leave it out")
    return port


def start(
    *, workdir: Path, runtime: Runtime, port: int, python: str, env: dict[str, str]
) -> LocalProcess:
    """Start the service in `workdir` on 127.0.0.1:`port`; it runs in its own session."""
    argv = [python, *(part.replace("{port}", str(port)) for part in runtime.local_command)]
    environment = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
    environment |= {"HOME": str(workdir), "PORT": str(port), "PYTHONDONTWRITEBYTECODE": "1"}
    environment |= env
    log_path = workdir / LOG_FILE
    with log_path.open("ab") as log:
        proc = subprocess.Popen(  # noqa: S603 - argv is a list built from our runtime
            argv,
            cwd=workdir,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    return LocalProcess(proc.pid, port, url, url + runtime.health_path, str(log_path))


def wait_healthy(process: LocalProcess, *, timeout_s: float) -> tuple[bool, str]:
    """Poll the health URL until it answers 200, the process dies or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    last = "no answer yet"
    while time.monotonic() < deadline:
        if not alive(process.pid):
            return False, "the process exited before it became healthy"
        try:
            with urllib.request.urlopen(process.health_url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return True, "200"
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
        time.sleep(0.2)
    return False, f"no healthy answer from {process.health_url} within {timeout_s:g}s ({last})"


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie child counts as gone: it is reaped here)."""
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    status = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        # "Z" in the third field: a zombie whose parent has not reaped it yet.
        if status.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def owns(pid: int, workdir: Path) -> bool:
    """Whether process `pid` still runs in `workdir` (so it is the one we started)."""
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd")).resolve() == workdir.resolve()
    except OSError:
        return False


def stop(pid: int, workdir: Path, *, grace_s: float = 10.0) -> bool:
    """Stop the process group of `pid` if it is still ours: SIGTERM, then SIGKILL.

    Returns whether something was stopped.
    """
    if not alive(pid) or not owns(pid, workdir):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    return True


def log_tail(path: str, limit: int = 4000) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return ""
    return data[-limit:].decode("utf-8", errors="replace")
