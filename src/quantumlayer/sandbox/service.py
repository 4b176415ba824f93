"""Run a command on generated code in a sandbox, and run a generated project's tests there.

The isolation itself happens in `launcher.py` (a separate process; its docstring says why). This
module validates the request, builds the environment, hands the workdir to the sandbox uid, and
supervises the run: wall-clock timeout, heartbeats through `on_tick`, output collection.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

from quantumlayer.domain import TestReport
from quantumlayer.errors import UserError
from quantumlayer.sandbox.environment import build_environment
from quantumlayer.sandbox.models import SandboxLimits, SandboxResult, SandboxSetupError
from quantumlayer.sandbox.pytest_summary import parse_pytest_summary

SANDBOX_UID = 65534  # nobody
SANDBOX_GID = 65534  # nogroup
OUTPUT_LIMIT = 200_000  # bytes of output kept (the last ones)
REPORT_TAIL = 8_000  # characters of output kept in a TestReport
STATE_DIR = ".ql-sandbox"  # in the workdir: HOME and TMPDIR of the command; removed afterwards

_log = logging.getLogger(__name__)
_LAUNCHER = Path(__file__).with_name("launcher.py")
# World-writable folders: each gets a private tmpfs, so the sandbox can neither leave files there
# nor read other users' files.
_PRIVATE_DIRS = ("/tmp", "/var/tmp", "/dev/shm")
# /run holds the unix sockets of local services (PostgreSQL, MySQL, D-Bus, Docker), which a
# network namespace does not cut off; hidden when the network is.
_MASKED_WITHOUT_NETWORK = ("/run",)
_DRAIN_GRACE_S = 2.0  # after the command ended, how long to wait for the rest of its output


def run(
    command: Sequence[str],
    *,
    workdir: Path,
    limits: SandboxLimits = SandboxLimits(),  # noqa: B008 - frozen, so sharing it is safe
    env: Mapping[str, str] | None = None,
    allow_env: Collection[str] = (),
    on_tick: Callable[[], None] | None = None,
    tick_s: float = 1.0,
) -> SandboxResult:
    """Run `command` (a list, never a shell string) in `workdir` inside the sandbox.

    The command starts with an environment built from nothing (`build_environment`): PATH, HOME
    and TMPDIR inside `workdir`, plus `env` minus names that look like secrets, unless listed in
    `allow_env`. It runs in its own session; after `limits.timeout_s` everything it started is
    killed. When this process is root and the kernel allows, it also gets new mount, network,
    IPC and PID namespaces, private tmpfs on the world-writable folders, and runs as uid 65534:
    to make that possible **`workdir` is chowned (recursively) to 65534 and left so**. Whatever
    could not be applied is absent from `SandboxResult.isolation`.

    `on_tick` is called about every `tick_s` seconds while the command runs (for heartbeats); if
    it raises, the command is killed and the exception propagates.

    Raises `UserError` for an invalid request (empty command, missing workdir or executable) and
    `SandboxSetupError` if the sandbox could not start the command.
    """
    argv = _validate_command(command)
    workdir = _validate_workdir(workdir)
    if not tick_s > 0:
        raise UserError(f"tick_s must be positive, got {tick_s!r}")
    isolate = os.geteuid() == 0
    state = workdir / STATE_DIR
    environment = build_environment(
        home=str(state / "home"), tmpdir=str(state / "tmp"), command_path=argv[0],
        extra=env, allow=allow_env,
    )
    executable = _resolve_executable(argv[0], workdir, environment["PATH"])
    if isolate:
        _refuse_unsafe_workdir(workdir)
    _create_state_dir(state)
    try:
        if isolate:
            _hand_over(workdir)
        config = {
            "argv": argv,
            "executable": executable,
            "env": environment,
            "workdir": str(workdir),
            "isolate": isolate,
            "network": limits.network,
            "uid": SANDBOX_UID,
            "gid": SANDBOX_GID,
            "private": list(_PRIVATE_DIRS),
            "masked": [] if limits.network else list(_MASKED_WITHOUT_NETWORK),
            "read_only": _install_prefixes(executable),
            "tmpfs_mb": limits.max_file_mb,
            "limits": {
                "memory_mb": limits.memory_mb, "cpu_s": limits.cpu_s,
                "max_file_mb": limits.max_file_mb, "max_procs": limits.max_procs,
            },
        }
        return _supervise(config, workdir, limits.timeout_s, on_tick, tick_s)
    finally:
        _remove_state_dir(state)


def run_pytest(
    project_dir: Path,
    *,
    python: str = sys.executable,
    limits: SandboxLimits = SandboxLimits(),  # noqa: B008 - frozen, so sharing it is safe
    extra_args: Sequence[str] = (),
    on_tick: Callable[[], None] | None = None,
) -> TestReport:
    """Run `python -m pytest -q -p no:cacheprovider` in `project_dir` inside the sandbox.

    The counts come from pytest's summary line; xfailed tests count as skipped and xpassed ones
    as passed. `output_tail` is the last ~8 kB of output.
    """
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra_args]
    result = run(command, workdir=project_dir, limits=limits, on_tick=on_tick)
    counts = parse_pytest_summary(result.output)
    return TestReport(
        command=command,
        exit_code=result.exit_code,
        duration_s=result.duration_s,
        timed_out=result.timed_out,
        output_tail=result.output[-REPORT_TAIL:],
        isolation=result.isolation,
        **counts,
    )


# --- validating the request ---

def _validate_command(command: Sequence[str]) -> list[str]:
    if isinstance(command, str | bytes):
        raise UserError("command must be a list of arguments, not a shell string")
    try:
        argv = [os.fspath(part) for part in command]
    except TypeError as exc:
        raise UserError(f"command arguments must be strings or paths: {exc}") from None
    if not argv:
        raise UserError("command is empty")
    for part in argv:
        if not isinstance(part, str) or "\x00" in part:
            raise UserError(f"command arguments must be strings without NUL: {part!r}")
    return argv


def _validate_workdir(workdir: Path) -> Path:
    path = Path(workdir)
    if not path.is_dir():
        raise UserError(f"workdir does not exist or is not a folder: {workdir}")
    return path.resolve()


def _resolve_executable(name: str, workdir: Path, search_path: str) -> str:
    """The absolute path execve() gets; relative paths with a slash are relative to workdir."""
    if "/" in name:
        candidate = workdir / name  # an absolute name replaces workdir
        if not candidate.is_file():
            raise UserError(f"executable not found: {name}")
        if not os.access(candidate, os.X_OK):
            raise UserError(f"not executable: {name}")
        return str(candidate)
    found = shutil.which(name, path=search_path)
    if found is None:
        raise UserError(f"command not found on the sandbox PATH ({search_path}): {name}")
    return found


def _refuse_unsafe_workdir(workdir: Path) -> None:
    """Refuse a workdir whose chown to the sandbox uid would hand it more than generated code.

    Chowning "/" or a top-level folder is never meant; chowning the interpreter or this package,
    both executed as root by `run`, would let sandboxed code change what root runs next.
    """
    if len(workdir.parts) < 3 or str(workdir) in _PRIVATE_DIRS + _MASKED_WITHOUT_NETWORK:
        raise UserError(f"refusing to use {workdir} as a sandbox workdir: use a project folder")
    executed_by_root = [sys.prefix, sys.base_prefix, os.path.realpath(sys.executable),
                        str(Path(__file__).resolve().parent)]
    for path in executed_by_root:
        if Path(path).resolve().is_relative_to(workdir):
            raise UserError(f"refusing to use {workdir} as a sandbox workdir: it contains {path}")


def _install_prefixes(executable: str) -> list[str]:
    """Folders the executable needs to run: its install prefix, as given and after symlinks.

    For `/work/main/.venv/bin/python` -> `/root/.pyenv/versions/3.11.7/bin/python3.11` these are
    the venv and the base installation (stdlib, libpython). The launcher binds them back
    read-only if a folder above them is hidden or not traversable by the sandbox uid.
    """
    prefixes: list[str] = []
    for path in (executable, os.path.realpath(executable)):
        folder = os.path.dirname(path)
        if os.path.basename(folder) == "bin":
            folder = os.path.dirname(folder)
        folder = os.path.realpath(folder)
        if folder not in prefixes and folder != "/" and os.path.isdir(folder):
            prefixes.append(folder)
    return prefixes


# --- the workdir ---

def _create_state_dir(state: Path) -> None:
    _remove_state_dir(state)  # a previous run's leftovers
    (state / "home").mkdir(parents=True)
    (state / "tmp").mkdir()


def _remove_state_dir(state: Path) -> None:
    try:
        # The sandboxed code may have replaced it with a symlink: remove the link, not its target.
        if state.is_symlink() or state.is_file():
            state.unlink()
        elif state.exists():
            shutil.rmtree(state)  # the fd-based walk on Linux, which does not follow symlinks
    except OSError as exc:
        # A temp folder left behind must not turn a finished run into a failure.
        _log.warning("could not remove the sandbox's HOME/TMPDIR %s: %s", state, exc)


def _hand_over(workdir: Path) -> None:
    """Chown the workdir tree to the sandbox uid, so that the command can write there.

    It is left that way (root can still read and write it). Symlinks are chowned themselves,
    never followed; other file systems mounted inside are not entered; a file with several hard
    links is skipped, as its other names may be outside the workdir.
    """
    device = workdir.stat().st_dev
    os.chown(workdir, SANDBOX_UID, SANDBOX_GID, follow_symlinks=False)
    for folder, dirnames, filenames in os.walk(workdir):
        for name in list(dirnames):
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if st.st_dev != device:
                dirnames.remove(name)
                continue
            os.chown(path, SANDBOX_UID, SANDBOX_GID, follow_symlinks=False)
        for name in filenames:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if st.st_dev != device or (st.st_nlink > 1 and not os.path.islink(path)):
                continue
            os.chown(path, SANDBOX_UID, SANDBOX_GID, follow_symlinks=False)


# --- supervising the run ---

class _Output:
    """The last OUTPUT_LIMIT bytes of the command's output."""

    def __init__(self) -> None:
        self._data = bytearray()

    def add(self, chunk: bytes) -> None:
        self._data += chunk
        if len(self._data) > 2 * OUTPUT_LIMIT:  # trim in batches, not on every chunk
            del self._data[:-OUTPUT_LIMIT]

    def text(self) -> str:
        return bytes(self._data[-OUTPUT_LIMIT:]).decode("utf-8", errors="replace")


def _supervise(
    config: dict[str, object],
    workdir: Path,
    timeout_s: float,
    on_tick: Callable[[], None] | None,
    tick_s: float,
) -> SandboxResult:
    status_read, status_write = os.pipe()
    config["status_fd"] = status_write
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", str(_LAUNCHER)],
            cwd=workdir,
            env={"SANDBOX_LAUNCH_CONFIG": json.dumps(config)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole
            pass_fds=(status_write,),
        )
    except BaseException:
        os.close(status_read)
        raise
    finally:
        os.close(status_write)

    assert proc.stdout is not None
    output, status = _Output(), bytearray()
    streams = {proc.stdout.fileno(): output.add, status_read: status.extend}
    selector = selectors.DefaultSelector()
    for fd in streams:
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ)
    # A pidfd becomes readable when the launcher exits, so we wake at once instead of polling.
    pidfd: int | None = None
    try:
        pidfd = os.pidfd_open(proc.pid)
        selector.register(pidfd, selectors.EVENT_READ)
    except OSError:
        pidfd = None

    deadline = start + timeout_s
    next_tick = start + tick_s
    timed_out = False
    try:
        while not _has_exited(proc.pid):
            now = time.monotonic()
            if now >= deadline:
                timed_out = True
                break
            if on_tick is not None and now >= next_tick:
                on_tick()
                next_tick = time.monotonic() + tick_s
            wake = deadline if on_tick is None else min(deadline, next_tick)
            wait = max(0.0, wake - time.monotonic())
            _pump(selector, streams, wait if pidfd is not None else min(wait, 0.1))
        duration = time.monotonic() - start
        # Kill the group before reaping the launcher: its pid (= the group id) cannot be reused
        # while it is unreaped. On timeout this is the kill; otherwise it ends leftovers, e.g. a
        # background process that still holds the output pipe.
        _kill_group(proc.pid)
        exit_code = proc.wait()
        if pidfd is not None:
            selector.unregister(pidfd)  # readable from now on: it would wake every select
        drain_until = time.monotonic() + _DRAIN_GRACE_S
        while selector.get_map() and (left := drain_until - time.monotonic()) > 0:
            _pump(selector, streams, left)
    except BaseException:
        _kill_group(proc.pid)
        proc.wait()
        raise
    finally:
        selector.close()
        proc.stdout.close()
        os.close(status_read)
        if pidfd is not None:
            os.close(pidfd)

    isolation = ["clean-env"]
    error, started = None, False
    for line in status.decode("utf-8", errors="replace").splitlines():
        message = json.loads(line)
        isolation += message.get("isolation", [])
        error = message.get("error", error)
        started = started or ("isolation" in message and "error" not in message)
    if not timed_out and (error is not None or not started):
        # The command never ran (or never got as far as execve): not a result of the command.
        reason = error or f"the sandbox launcher exited with code {exit_code}"
        raise SandboxSetupError(f"{reason}\n{output.text()}".strip())
    return SandboxResult(
        exit_code=None if timed_out else exit_code,
        output=output.text(),
        duration_s=round(duration, 3),
        timed_out=timed_out,
        isolation=isolation,
    )


def _pump(
    selector: selectors.BaseSelector,
    streams: Mapping[int, Callable[[bytes], object]],
    timeout: float,
) -> None:
    """Read whatever is available within `timeout`; unregister streams at end of file."""
    for key, _ in selector.select(timeout):
        fd = key.fd
        if fd not in streams:
            continue  # the pidfd: the loop checks the exit itself
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            continue
        if chunk:
            streams[fd](chunk)
        else:
            selector.unregister(fd)


def _has_exited(pid: int) -> bool:
    # WNOWAIT leaves the launcher a zombie, so its pid stays ours until proc.wait() reaps it.
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # nothing left in the group
        os.killpg(pgid, signal.SIGKILL)
