"""Server processes: start detached with output to a log file, recognise them later, stop them.

A pid in the state file may outlive its process and be reused by an unrelated one, so a process
is recognised by its executable and its kernel start time (/proc/<pid>/stat field 22), not by the
pid alone. The command line is no help: redis-server rewrites its own (`redis-server 127.0.0.1:P`).

"Running" and "ended" are not each other's negation. A process that is exiting is no longer
running (its executable link is gone as soon as the kernel has released its memory, and a
multi-threaded server's main thread shows as a zombie while its other threads still close its
sockets) but it has not ended: it may still hold its ports and files. Stopping waits for the end.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROC = Path("/proc")
MAX_LOG_BYTES = 10 * 1024 * 1024

# Popen objects of the servers this Python process started. Kept so that (1) a stopped child is
# reaped (else it stays a zombie that still "exists" for kill(pid, 0)), and (2) Popen.__del__
# does not warn about a child that is meant to keep running after we return.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class ProcessIdentity:
    """What tells "our" server process apart from another process that got the same pid."""

    pid: int
    exe: str
    start_ticks: int | None


# Written before each start of a server into its log; what follows the last one is this start's.
START_MARKER = "quantumlayer starts:"


def spawn(argv: Sequence[str], *, cwd: Path, log_file: Path) -> subprocess.Popen[bytes]:
    """Start `argv` in its own session, stdin closed, stdout and stderr appended to `log_file`."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    cwd.mkdir(parents=True, exist_ok=True)
    # Logs are appended across restarts (the previous run's end is often what explains a
    # failure) but kept from growing without bound: one rotated generation.
    if log_file.exists() and log_file.stat().st_size > MAX_LOG_BYTES:
        log_file.replace(log_file.with_name(log_file.name + ".1"))
    with log_file.open("ab") as log:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        log.write(f"\n--- {stamp} {START_MARKER} {shlex.join(argv)}\n".encode())
        log.flush()
        # Own session: a Ctrl-C (SIGINT to the terminal's foreground group) must reach only the
        # CLI, which then stops the servers in order, instead of killing them mid-write.
        # close_fds (the default) matters too: a server must not inherit services.lock's fd, or
        # it would hold the lock for as long as it runs.
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    _CHILDREN[proc.pid] = proc
    return proc


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/<pid>/stat from field 3 (state) on; None if there is no such process."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # Field 2 is "(comm)" and comm may contain spaces or parentheses: split after the last ")".
    return raw[raw.rfind(")") + 2 :].split()


# Indexes into _stat_fields(): stat fields 3 (state), 20 (num_threads) and 22 (starttime).
_STATE, _NUM_THREADS, _START_TICKS = 0, 17, 19


def _reap(pid: int) -> None:
    proc = _CHILDREN.get(pid)
    if proc is not None and proc.poll() is not None:
        del _CHILDREN[pid]


def identify(pid: int) -> ProcessIdentity | None:
    """The identity of a live process, or None if it is gone."""
    if not is_alive(pid):
        return None
    if not PROC.is_dir():  # not Linux: nothing better than the pid to go by
        return ProcessIdentity(pid=pid, exe="", start_ticks=None)
    fields = _stat_fields(pid)
    try:
        exe = os.readlink(PROC / str(pid) / "exe")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # An executable replaced on disk while running (pip upgrade) shows as "<path> (deleted)".
    exe = exe.removesuffix(" (deleted)")
    start_ticks = int(fields[_START_TICKS]) if fields else None
    return ProcessIdentity(pid=pid, exe=exe, start_ticks=start_ticks)


def is_alive(pid: int) -> bool:
    """True if `pid` is a running (not zombie) process."""
    _reap(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    fields = _stat_fields(pid) if PROC.is_dir() else None
    return not (fields and fields[_STATE] == "Z")


def is_same_process(identity: ProcessIdentity) -> bool:
    """True if the process recorded as `identity` is still running (and is not a reused pid)."""
    current = identify(identity.pid)
    if current is None:
        return False
    if not PROC.is_dir():
        return True
    return current.exe == identity.exe and (
        identity.start_ticks is None or current.start_ticks == identity.start_ticks
    )


def has_ended(identity: ProcessIdentity) -> bool:
    """True once the process recorded as `identity` has finished exiting, or its pid is another's.

    Stricter than `not is_same_process(identity)`, which is already true while the process is
    exiting: from the moment the kernel releases its memory (/proc/<pid>/exe unreadable) until
    it becomes a zombie it still holds its files and sockets, and a zombie main thread may have
    other threads still running. Ended means: no such pid, a zombie with no thread left (waiting
    only for its parent to reap it, which for a server whose starter is gone is init, whenever
    init gets round to it), or a pid now used by a different process.
    """
    _reap(identity.pid)
    if not PROC.is_dir():  # not Linux: nothing better than the pid to go by
        return not is_alive(identity.pid)
    fields = _stat_fields(identity.pid)
    if fields is None:
        return True
    if fields[_STATE] in ("Z", "X") and int(fields[_NUM_THREADS]) <= 1:
        return True
    if identity.start_ticks is not None and int(fields[_START_TICKS]) != identity.start_ticks:
        return True  # the pid was reused
    try:
        exe = os.readlink(PROC / str(identity.pid) / "exe")
    except (FileNotFoundError, ProcessLookupError):
        return False  # no memory any more (or main thread gone) but not ended: still exiting
    except PermissionError:
        return True  # another user's process: not one we started
    return exe.removesuffix(" (deleted)") != identity.exe


def find_processes(*, exe: str, cwd: Path) -> list[ProcessIdentity]:
    """Live processes running `exe` with working directory `cwd` (servers left behind untracked).

    Every server is started with its data folder as working directory, so this finds one whose
    record was lost (the CLI killed between start and writing the state file).
    """
    if not PROC.is_dir():
        return []
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "cwd")) != cwd:
                continue
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        identity = identify(int(entry.name))
        if identity is not None and identity.exe == exe:
            found.append(identity)
    return found


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        # Started with start_new_session, so the server leads its own group: signal the group to
        # reach any helper it forked, but only if it still leads it (pgid == pid).
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass  # exited meanwhile: that is what we want


def _wait_ended(identities: Iterable[ProcessIdentity], timeout: float) -> list[ProcessIdentity]:
    remaining = list(identities)
    deadline = time.monotonic() + timeout
    while remaining and time.monotonic() < deadline:
        time.sleep(0.05)
        remaining = [i for i in remaining if not has_ended(i)]
    return remaining


def terminate(identities: Sequence[ProcessIdentity], *, timeout: float = 10.0) -> list[int]:
    """SIGTERM all of them at once, wait up to `timeout` s, SIGKILL the rest.

    Returns once every one has ended (see has_ended: not merely stopped running, so that
    "stopped" also means "its ports are free"), whether it is our child or not, e.g. a server
    started by a CLI that was killed since. Only processes that still match their identity are
    signalled; one already exiting is waited for too. Returns the pids that have not ended
    (normally none).
    """
    targets = [i for i in identities if not has_ended(i)]
    for identity in targets:
        _signal_group(identity.pid, signal.SIGTERM)
    stubborn = _wait_ended(targets, timeout)
    for identity in stubborn:
        if not has_ended(identity):
            _signal_group(identity.pid, signal.SIGKILL)
    survivors = [i.pid for i in _wait_ended(stubborn, 5.0)]
    # Reap our own children, so they do not stay zombies (and Popen does not warn).
    for identity in targets:
        proc = _CHILDREN.pop(identity.pid, None)
        if proc is not None and identity.pid not in survivors:
            try:
                proc.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                survivors.append(identity.pid)
    return survivors


def _read_end(path: Path, size: int) -> str:
    """The last `size` bytes of a file as text ("" if there is none)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - size))
            return fh.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def log_tail(path: Path, lines: int = 15) -> str:
    """The last `lines` lines of a log file, for error messages ("" if there is none)."""
    return "\n".join(_read_end(path, 16_384).splitlines()[-lines:])


def log_since_start(path: Path, size: int = 262_144) -> str:
    """What a server's log holds since its latest start (within its last `size` bytes)."""
    return _read_end(path, size).rsplit(START_MARKER, 1)[-1]
