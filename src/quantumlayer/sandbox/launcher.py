"""The sandbox's first process: isolates itself, drops to the sandbox uid, then execs the command.

Run as `python -I -S launcher.py` by `quantumlayer.sandbox.service`; never imported. It must use
the standard library only, as `-S` leaves site-packages (and our package) off sys.path.

Why a launcher process rather than a `preexec_fn` or the `unshare` CLI:
- The caller is a multi-threaded worker (Temporal activities, heartbeats). Between fork() and exec()
  only the forking thread exists, so locks other threads held (malloc, the import lock, logging)
  stay held; Python documents `preexec_fn` as unsafe there. This process starts with exec, one
  thread, so it may import, allocate and raise like any program, and the caller's spawn stays
  the plain fork+exec path of `subprocess`.
- A PID namespace needs a fork *after* unshare(); `preexec_fn` cannot do that.
- The `unshare` CLI could create the namespaces but not the rest: tmpfs mounts that keep the
  workdir and the interpreter visible, the uid drop with rlimits after it, and a report of what
  was actually applied.

Its configuration is JSON in the SANDBOX_LAUNCH_CONFIG environment variable (not argv: other users
can read /proc/<pid>/cmdline, while /proc/<pid>/environ is private to the process's uid). Its own
environment holds nothing else; the command gets `config["env"]`. It writes what it applied as
one JSON line to the status fd, which is close-on-exec: the caller reads EOF once the command has
started, or a line with "error" if setup or exec failed.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import resource
import signal
import socket
import struct
from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38

SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
IFREQ = struct.Struct("16sH22x")  # struct ifreq: name, then ifr_flags in the 24-byte union

MB = 1024 * 1024

Config = dict[str, Any]  # the JSON the caller sends; see service.run for its keys

_libc = ctypes.CDLL(None, use_errno=True)
_libc.unshare.argtypes = [ctypes.c_int]
_libc.mount.argtypes = [
    ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p,
]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                        ctypes.c_ulong]


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _encode(value: str | None) -> bytes | None:
    return None if value is None else os.fsencode(value)


def _mount(source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    result = _libc.mount(_encode(source), _encode(target), _encode(fstype), flags, _encode(data))
    _check(result, f"mount {target}")


def _prctl(option: int, value: int) -> None:
    _check(_libc.prctl(option, value, 0, 0, 0), f"prctl {option}")


def _report(fd: int, message: dict[str, object]) -> None:
    os.write(fd, json.dumps(message).encode() + b"\n")


def _is_inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _ancestors(path: str) -> list[str]:
    """'/a/b/c' -> ['/a', '/a/b'] (not '/', which cannot be covered, nor the path itself)."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) for i in range(1, len(parts))]


def _traversable(folder: str, uid: int, gid: int) -> bool:
    st = os.stat(folder)
    if st.st_uid == uid:
        return bool(st.st_mode & 0o100)
    if st.st_gid == gid:
        return bool(st.st_mode & 0o010)
    return bool(st.st_mode & 0o001)


def _reachable(config: Config) -> bool:
    """Whether the sandbox uid can enter the workdir and execute the executable, as mounted now."""
    uid, gid = config["uid"], config["gid"]
    executable = config["executable"]
    paths = [config["workdir"], executable, os.path.realpath(executable)]
    try:
        return all(
            _traversable(folder, uid, gid)
            for path in paths for folder in ["/", *_ancestors(path), path]
        )
    except OSError:
        return False


def _plan_filesystem(config: Config) -> tuple[list[tuple[str, str, int]], list[tuple[str, bool]]]:
    """Decide which folders get a fresh tmpfs and which paths are bound back on top of them.

    Covered: the world-writable temp folders (private tmpfs, mode 1777), the folders in
    `masked` (empty tmpfs, 0755), and the highest ancestor of the workdir or of a read-only path
    that the sandbox uid could not traverse (e.g. /root, 0700, holding a pyenv interpreter).
    The workdir (read-write) and the read-only paths under a covered folder are then bound back
    at their own paths, so absolute paths keep working and nothing else there is visible.
    """
    uid, gid = config["uid"], config["gid"]
    tmp_size = config["tmpfs_mb"]
    covers: dict[str, tuple[str, int]] = {}
    for folder in config["private"]:
        if os.path.isdir(folder) and not os.path.islink(folder):
            covers[folder] = ("1777", tmp_size)
    for folder in config["masked"]:
        if os.path.isdir(folder) and not os.path.islink(folder):
            covers[folder] = ("755", 1)
    workdir = config["workdir"]
    # A read-only path inside the workdir (a project's own .venv) stays as writable as the rest.
    wanted = [(workdir, False)]
    wanted += [(p, True) for p in config["read_only"] if not _is_inside(p, workdir)]
    for path, _ in wanted:
        for ancestor in _ancestors(path):
            if ancestor in covers:
                break
            if not _traversable(ancestor, uid, gid):
                covers[ancestor] = ("755", 1)
                break
    # A cover inside another is pointless: the outer tmpfs already hides it.
    outermost = [
        (folder, mode, size) for folder, (mode, size) in covers.items()
        if not any(other != folder and _is_inside(folder, other) for other in covers)
    ]
    exposures = [
        (path, read_only) for path, read_only in wanted
        if any(_is_inside(path, folder) and path != folder for folder, _, _ in outermost)
    ]
    # Shallow first, so a workdir inside an exposed read-only tree is bound over it, not under.
    exposures.sort(key=lambda item: item[0].count("/"))
    return outermost, exposures


def _build_filesystem(config: Config, applied: list[str], own_proc: bool) -> None:
    try:
        # Without private propagation our mounts would appear in the caller's namespace too.
        _mount(None, "/", None, MS_REC | MS_PRIVATE)
    except OSError:
        return
    covers, exposures = _plan_filesystem(config)
    # Open what we bind back before covering it: afterwards its path leads into the new tmpfs.
    handles = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC), read_only)
               for path, read_only in exposures]
    covered: list[str] = []
    for folder, mode, size in covers:
        try:
            _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"mode={mode},size={size}m")
        except OSError:
            continue
        covered.append(folder)
    private = [f for f in config["private"] if os.path.isdir(f) and not os.path.islink(f)]
    if private and all(folder in covered for folder in private):
        applied.append("private-tmp")
    masked = [f for f in config["masked"] if os.path.isdir(f) and not os.path.islink(f)]
    if masked and all(folder in covered for folder in masked):
        applied.append("private-run")
    for path, fd, read_only in handles:
        if any(_is_inside(path, folder) for folder in covered):
            os.makedirs(path, mode=0o755, exist_ok=True)
            _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
            if read_only:
                _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(fd)
    if own_proc:
        # A /proc of the new PID namespace: the host's processes (and their argv) are not listed.
        try:
            _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
            applied.append("private-proc")
        except OSError:
            pass


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = IFREQ.pack(b"lo", 0)
        flags = IFREQ.unpack(fcntl.ioctl(sock.fileno(), SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock.fileno(), SIOCSIFFLAGS, IFREQ.pack(b"lo", flags | IFF_UP))


def _exit_like(status: int) -> None:
    """Exit the way a child with wait status `status` did, so the caller sees the same."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
        os._exit(128 + sig)  # only reached for signals whose default is not to terminate
    os._exit(os.waitstatus_to_exitcode(status))


def _start_init(status_fd: int) -> None:
    """Fork PID 1 of the new PID namespace, which forks the command's process; return in that.

    When PID 1 exits the kernel kills everything left in the namespace, even processes that
    left the process group (setsid, daemons), so nothing outlives the run. PID 1 is a minimal
    init rather than the command itself because the kernel shields PID 1 from signals it has no
    handler for (a command could not be stopped by its own SIGTERM, nor by SIGXCPU) and because
    orphans are reparented to PID 1, which must reap them or they count against RLIMIT_NPROC.
    """
    exit_read, exit_write = os.pipe()
    init = os.fork()
    if init:
        # Outside the namespace: PID 1 can neither die of a signal it sends itself nor report
        # one through its own exit, so it writes the command's wait status to us.
        os.close(status_fd)
        os.close(exit_write)
        _, init_status = os.waitpid(init, 0)
        reported = os.read(exit_read, 32)
        _exit_like(int(reported) if reported else init_status)
    os.close(exit_read)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the launcher outside died: end the namespace
    command = os.fork()
    if command:
        os.close(status_fd)
        while True:  # PID 1: reap every child until the command ends
            pid, status = os.wait()
            if pid == command:
                os.write(exit_write, str(status).encode())
                os._exit(0)
    os.close(exit_write)


def _limit(which: int, value: int, hard: int | None = None) -> None:
    _, current_hard = resource.getrlimit(which)
    hard = value if hard is None else hard
    if current_hard != resource.RLIM_INFINITY:
        # Unprivileged we cannot raise the hard limit; a lower one is at least as strict.
        value, hard = min(value, current_hard), min(hard, current_hard)
    resource.setrlimit(which, (value, hard))


def _apply_limits(config: Config, applied: list[str], dropped: bool) -> None:
    limits = config["limits"]
    _limit(resource.RLIMIT_AS, limits["memory_mb"] * MB)
    _limit(resource.RLIMIT_FSIZE, limits["max_file_mb"] * MB)
    _limit(resource.RLIMIT_CORE, 0)
    if limits["cpu_s"] is not None:
        # SIGXCPU at the soft limit (catchable), SIGKILL one second later.
        _limit(resource.RLIMIT_CPU, limits["cpu_s"], limits["cpu_s"] + 1)
    applied.append("rlimits")
    if dropped and limits["max_procs"] is not None:
        _limit(resource.RLIMIT_NPROC, limits["max_procs"])
        applied.append("rlimit-nproc")


_WITHOUT_MOUNTNS = "there is no mount namespace to make it reachable for the sandbox uid"


def _enter_workdir(config: Config, applied: list[str], dropped: bool) -> None:
    # Again: the first chdir was done before the mounts, as root.
    try:
        os.chdir(config["workdir"])
    except OSError as exc:
        hint = ""
        if dropped and "mountns" not in applied:
            hint = f" ({_WITHOUT_MOUNTNS}: every folder above it must be searchable, o+x)"
        raise OSError(exc.errno, f"cannot enter the workdir {config['workdir']}: "
                                 f"{exc.strerror}{hint}") from None


def main() -> None:
    config = json.loads(os.environ.pop("SANDBOX_LAUNCH_CONFIG"))
    status_fd = config["status_fd"]
    os.set_inheritable(status_fd, False)
    os.umask(0o022)
    applied: list[str] = []
    try:
        dropped = False
        if config["isolate"]:
            namespaces = [(CLONE_NEWNS, "mountns"), (CLONE_NEWIPC, "ipcns"),
                          (CLONE_NEWPID, "pidns")]
            if not config["network"]:
                namespaces.insert(1, (CLONE_NEWNET, "netns"))
            for flag, label in namespaces:
                try:
                    _check(_libc.unshare(flag), "unshare")
                except OSError:
                    continue
                applied.append(label)
            if "pidns" in applied:
                _start_init(status_fd)
            if "mountns" in applied:
                _build_filesystem(config, applied, own_proc="pidns" in applied)
            if "netns" in applied:
                try:
                    _loopback_up()
                    applied.append("loopback")
                except OSError:
                    pass
            # Without a mount namespace nothing can make a workdir or interpreter below a folder
            # the sandbox uid cannot enter (pytest's /tmp/pytest-of-root is 0700) reachable. Then
            # the command keeps the caller's uid rather than fail: rlimits, clean env and timeout
            # still hold, and the missing "uid:" entry in the report says so. With one, a path
            # still unreachable is a setup error, reported below.
            if "mountns" in applied or _reachable(config):
                try:
                    os.setgroups([])
                    os.setgid(config["gid"])
                    # As root this sets the real, effective and saved uid: there is no way back.
                    os.setuid(config["uid"])
                    dropped = True
                except OSError:
                    # E.g. "root" in a user namespace without 65534 mapped: run on, but unclaimed.
                    pass
            if dropped:
                applied.append(f"uid:{config['uid']}")
        _prctl(PR_SET_NO_NEW_PRIVS, 1)  # setuid binaries (su, mount, ...) gain nothing
        applied.append("no-new-privs")
        _apply_limits(config, applied, dropped)
        _enter_workdir(config, applied, dropped)
        _report(status_fd, {"isolation": applied})
    except Exception as exc:  # any failure here is reported to the caller, which raises it
        _report(status_fd, {"isolation": applied, "error": f"sandbox setup failed: {exc}"})
        os._exit(126)
    try:
        os.execve(config["executable"], config["argv"], config["env"])
    except OSError as exc:
        message = f"cannot execute {config['executable']} as uid {os.getuid()}: {exc.strerror}"
        if dropped and "mountns" not in applied:
            message += f" ({_WITHOUT_MOUNTNS}: it and the folders above it must be readable)"
        _report(status_fd, {"error": message})
        os._exit(127)


if __name__ == "__main__":
    main()
