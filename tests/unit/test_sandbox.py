"""quantumlayer.sandbox with real subprocesses: limits, environment, network, file system, pytest.

Where a guarantee depends on an isolation step (root, kernel support), the test first checks that
the sandbox *reports* the step, and skips if it does not: the report is part of the contract.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from quantumlayer.errors import UserError
from quantumlayer.sandbox import (
    SANDBOX_UID,
    SandboxLimits,
    SandboxSetupError,
    is_secret_name,
    parse_pytest_summary,
    run,
    run_pytest,
)

PY = sys.executable


def _python(code: str) -> list[str]:
    return [PY, "-c", textwrap.dedent(code)]


def _require(isolation: list[str], *steps: str) -> None:
    missing = [step for step in steps if step not in isolation]
    if missing:
        pytest.skip(f"isolation not available on this machine: {missing}")


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue  # exited meanwhile
            if marker.encode() in cmdline:
                found.append(int(entry.name))
    return found


def _assert_gone(marker: str) -> None:
    # SIGKILL is asynchronous: give the kernel a moment to finish the processes off.
    deadline = time.monotonic() + 3
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_with(marker) == []


def _sleep_marker() -> str:
    """A `sleep` argument unique to this test, so its process can be found in /proc."""
    return f"61.{secrets.randbelow(10**8):08d}"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


# --- exit code, output, bad input ---

def test_reports_exit_code_output_and_time(workdir: Path) -> None:
    result = run(["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"], workdir=workdir)

    assert result.exit_code == 3
    assert "to-stdout" in result.output and "to-stderr" in result.output
    assert not result.timed_out
    assert 0 < result.duration_s < 10
    assert {"clean-env", "rlimits"} <= set(result.isolation)


def test_death_by_signal_is_reported_as_a_negative_exit_code(workdir: Path) -> None:
    # The command is not PID 1 of its namespace, so its own SIGTERM (no handler) ends it.
    result = run(["sh", "-c", "echo before; kill -TERM $$; echo after"], workdir=workdir)

    assert result.exit_code == -15
    assert "before" in result.output and "after" not in result.output


def test_large_output_neither_deadlocks_nor_grows_unbounded(workdir: Path) -> None:
    result = run(_python("print('x' * 5_000_000); print('THE-END')"), workdir=workdir)

    assert result.exit_code == 0
    assert 190_000 <= len(result.output) <= 201_000
    assert result.output.rstrip().endswith("THE-END")


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ([], "empty"),
        ("echo hello", "not a shell string"),
        (["no-such-program-q7"], "not found"),
        (["./missing.sh"], "not found"),
        (["/nonexistent/bin/tool"], "not found"),
    ],
)
def test_bad_commands_are_user_errors(workdir: Path, command: object, message: str) -> None:
    with pytest.raises(UserError, match=message):
        run(command, workdir=workdir)  # type: ignore[arg-type]


def test_missing_workdir_and_bad_limits_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="workdir"):
        run(["true"], workdir=tmp_path / "missing")
    with pytest.raises(UserError, match="timeout_s"):
        SandboxLimits(timeout_s=0)
    with pytest.raises(UserError, match="HOME"):
        run(["true"], workdir=tmp_path, env={"HOME": "/root"})


def test_relative_executable_runs_from_the_workdir(workdir: Path) -> None:
    script = workdir / "hello.sh"
    script.write_text("#!/bin/sh\necho hello from $(pwd)\n")
    script.chmod(0o755)

    result = run(["./hello.sh"], workdir=workdir)

    assert result.exit_code == 0
    assert result.output.strip() == f"hello from {workdir.resolve()}"


def test_executable_the_sandbox_user_cannot_run_is_a_setup_error(
    workdir: Path, tmp_path: Path,
) -> None:
    _require(run(["true"], workdir=workdir).isolation, "mountns", f"uid:{SANDBOX_UID}")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    tool = private / "tool"
    tool.write_text("#!/bin/sh\necho should not run\n")
    tool.chmod(0o755)

    with pytest.raises(SandboxSetupError, match="cannot execute"):
        run([str(tool)], workdir=workdir)


def test_interpreter_of_this_venv_works_for_the_sandbox_user(workdir: Path) -> None:
    # The venv's python links to a base install that may sit under a folder the sandbox uid
    # cannot enter (here /root/.pyenv, /root being 0700); the sandbox must make it reachable,
    # the very same build, not a look-alike found elsewhere on the system.
    result = run(_python("import sys, pytest; print(sys.version)"), workdir=workdir)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == sys.version


# --- timeout, process cleanup, on_tick ---

def test_timeout_kills_the_whole_process_tree(workdir: Path) -> None:
    marker = _sleep_marker()
    script = f"sleep {marker} & echo started $!; wait"

    result = run(["sh", "-c", script], workdir=workdir, limits=SandboxLimits(timeout_s=1.0))

    assert "started" in result.output  # the grandchild did run
    assert result.timed_out
    assert result.exit_code is None
    assert 1.0 <= result.duration_s < 3.0
    _assert_gone(marker)


def test_timeout_also_kills_processes_that_left_the_group(workdir: Path) -> None:
    marker = _sleep_marker()
    script = f"setsid sleep {marker} & echo started; sleep 30"

    result = run(["sh", "-c", script], workdir=workdir, limits=SandboxLimits(timeout_s=1.0))

    if "pidns" not in result.isolation:
        for pid in _processes_with(marker):  # it did escape: don't leave it behind
            os.kill(pid, signal.SIGKILL)
    _require(result.isolation, "pidns")
    assert result.timed_out
    _assert_gone(marker)


def test_background_leftovers_die_when_the_command_ends(workdir: Path) -> None:
    marker = _sleep_marker()
    # The background sleep keeps the output pipe open: run() must not wait for it.
    result = run(["sh", "-c", f"sleep {marker} & echo done"], workdir=workdir)

    assert result.exit_code == 0
    assert "done" in result.output
    assert result.duration_s < 3
    _assert_gone(marker)


def test_on_tick_is_called_while_running(workdir: Path) -> None:
    ticks: list[float] = []

    result = run(["sleep", "1"], workdir=workdir, on_tick=lambda: ticks.append(1), tick_s=0.2)

    assert result.exit_code == 0
    assert 3 <= len(ticks) <= 10


def test_on_tick_raising_kills_the_command_and_propagates(workdir: Path) -> None:
    marker = _sleep_marker()
    calls = 0

    def cancel_on_second_tick() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("activity cancelled")

    start = time.monotonic()
    with pytest.raises(RuntimeError, match="activity cancelled"):
        run(["sh", "-c", f"sleep {marker} & wait"], workdir=workdir,
            on_tick=cancel_on_second_tick, tick_s=0.2)

    assert time.monotonic() - start < 3
    _assert_gone(marker)


# --- resource limits ---

# A 1 GiB mapping counts against RLIMIT_AS but is never touched, so allowing it costs no time.
ALLOCATE_1_GIB = "import mmap; m = mmap.mmap(-1, 1 << 30); print('allocated', len(m))"


def test_memory_limit_holds(workdir: Path) -> None:
    small, big = SandboxLimits(memory_mb=256), SandboxLimits(memory_mb=2048)

    refused = run(_python(ALLOCATE_1_GIB), workdir=workdir, limits=small)
    allowed = run(_python(ALLOCATE_1_GIB), workdir=workdir, limits=big)
    python_objects = run(_python("b = bytearray(1 << 30)"), workdir=workdir, limits=small)

    assert refused.exit_code != 0 and "Cannot allocate memory" in refused.output
    assert allowed.exit_code == 0 and "allocated 1073741824" in allowed.output
    assert python_objects.exit_code != 0 and "MemoryError" in python_objects.output


def test_cpu_limit_holds(workdir: Path) -> None:
    limits = SandboxLimits(cpu_s=1, timeout_s=20)

    result = run(_python("while True: pass"), workdir=workdir, limits=limits)

    assert not result.timed_out
    assert result.exit_code in (-24, -9)  # SIGXCPU at the soft limit, SIGKILL at the hard one
    assert result.duration_s < 5


def test_file_size_limit_holds(workdir: Path) -> None:
    code = "open('big', 'wb').write(b'x' * (3 * 1024 * 1024))"

    result = run(_python(code), workdir=workdir, limits=SandboxLimits(max_file_mb=1))

    assert result.exit_code != 0
    assert "File too large" in result.output


# --- environment ---

def test_environment_is_scrubbed(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets_ = {
        "OPENAI_API_KEY": "sk-test", "AWS_SECRET_ACCESS_KEY": "aws-test",
        "QL_JWT_SECRET": "jwt-test",
    }
    for name, value in secrets_.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("INHERITED_HARMLESS", "from-parent")
    code = """
        import json, os, tempfile
        with open(os.path.join(os.environ["HOME"], "probe"), "w") as f:
            f.write("home is writable")
        with tempfile.NamedTemporaryFile() as f:
            tmp_file = f.name
        print(json.dumps({"env": dict(os.environ), "tmp_file": tmp_file}))
    """

    result = run(
        _python(code), workdir=workdir,
        env={**secrets_, "GREETING": "hello", "MY_SERVICE_TOKEN": "allowed-token"},
        allow_env={"MY_SERVICE_TOKEN"},
    )

    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    env = report["env"]
    assert not set(secrets_) & set(env)
    assert "INHERITED_HARMLESS" not in env
    assert env["GREETING"] == "hello"
    assert env["MY_SERVICE_TOKEN"] == "allowed-token"
    assert Path(env["HOME"]).is_relative_to(workdir)
    assert Path(env["TMPDIR"]).is_relative_to(workdir)
    assert Path(report["tmp_file"]).is_relative_to(workdir)
    assert env["PATH"].split(":")[0] == str(Path(PY).parent)
    assert set(env) <= {
        "PATH", "HOME", "TMPDIR", "LANG", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED",
        "GREETING", "MY_SERVICE_TOKEN",
    }


@pytest.mark.parametrize(
    ("name", "secret"),
    [("OPENAI_API_KEY", True), ("github_token", True), ("DB_PASSWORD", True),
     ("GOOGLE_APPLICATION_CREDENTIALS", True), ("QL_DATABASE_URL", True),
     ("LANG", False), ("PYTHONPATH", False), ("DEBUG", False)],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


# --- network ---

CONNECT = """
    import socket, sys
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3).close()
        print("connected")
    except OSError as exc:
        print("blocked:", exc)
"""


@pytest.fixture
def tcp_server():
    """A listening TCP server on 127.0.0.1 (host network); yields its port."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                server.accept()[0].close()
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


def test_no_network(workdir: Path, tcp_server: int) -> None:
    command = [*_python(CONNECT), str(tcp_server)]
    # The same child outside the sandbox reaches the server: so the test proves something.
    unsandboxed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
    assert unsandboxed.stdout.strip() == "connected"

    result = run(command, workdir=workdir)

    _require(result.isolation, "netns")
    assert result.output.startswith("blocked:"), result.output


def test_network_allowed_is_reported_honestly(workdir: Path, tcp_server: int) -> None:
    command = [*_python(CONNECT), str(tcp_server)]

    result = run(command, workdir=workdir, limits=SandboxLimits(network=True))

    assert "netns" not in result.isolation
    assert result.output.strip() == "connected"


def test_local_service_sockets_are_hidden(workdir: Path) -> None:
    code = "import os; print(sorted(os.listdir('/run')))"

    result = run(_python(code), workdir=workdir)

    _require(result.isolation, "private-run")
    assert result.output.strip() == "[]"


# --- file system ---

def test_writes_land_only_in_the_workdir(workdir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    token = secrets.token_hex(6)
    targets = {
        "outside": str(outside / "escaped"),
        "tmp": f"/tmp/ql-sandbox-probe-{token}",
        "work": f"/work/ql-sandbox-probe-{token}",
        "inside": str(workdir / "result.txt"),
    }
    code = f"""
        import json
        outcome = {{}}
        for name, path in {targets!r}.items():
            try:
                with open(path, "w") as f:
                    f.write("written")
                outcome[name] = "written"
            except OSError as exc:
                outcome[name] = exc.strerror
        print(json.dumps(outcome))
    """
    try:
        result = run(_python(code), workdir=workdir)
        _require(result.isolation, "mountns", "private-tmp", f"uid:{SANDBOX_UID}")

        outcome = json.loads(result.output.strip().splitlines()[-1])
        assert outcome["inside"] == "written"
        assert (workdir / "result.txt").read_text() == "written"
        assert (workdir / "result.txt").stat().st_uid == SANDBOX_UID
        assert outcome["outside"] != "written"  # hidden under the private /tmp
        assert outcome["work"] == "Permission denied"
        # /tmp is a private tmpfs: the write may succeed, but nothing reaches the real /tmp.
        for name in ("outside", "tmp", "work"):
            assert not Path(targets[name]).exists(), name
    finally:
        for name in ("tmp", "work"):
            Path(targets[name]).unlink(missing_ok=True)


# --- run_pytest ---

def _write_project(folder: Path, tests: str) -> Path:
    folder.mkdir()
    (folder / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (folder / "test_calc.py").write_text(textwrap.dedent(tests))
    return folder


def test_run_pytest_counts_passes_and_failures(tmp_path: Path) -> None:
    project = _write_project(tmp_path / "broken", """
        from calc import add

        def test_adds():
            assert add(1, 2) == 3

        def test_adds_negative():
            assert add(-1, -2) == -3

        def test_wrong():
            assert add(2, 2) == 5
    """)

    report = run_pytest(project)

    assert (report.passed, report.failed, report.errors) == (2, 1, 0), report.output_tail
    assert report.exit_code == 1
    assert not report.ok
    assert report.command[:3] == [PY, "-m", "pytest"]
    assert "test_wrong" in report.output_tail
    assert not (project / ".pytest_cache").exists()
    assert not (project / "__pycache__").exists()


def test_run_pytest_on_a_clean_project_is_ok(tmp_path: Path) -> None:
    project = _write_project(tmp_path / "clean", """
        from calc import add

        def test_adds():
            assert add(1, 2) == 3

        def test_home_is_private(tmp_path):
            (tmp_path / "f").write_text("pytest's tmp_path works in the sandbox")
    """)

    report = run_pytest(project)

    assert report.ok, report.output_tail
    assert (report.passed, report.failed) == (2, 0)
    assert "clean-env" in report.isolation


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("3 passed, 1 failed, 2 errors in 0.50s", (3, 1, 2, 0)),
        ("==== 1 failed, 4 passed, 2 skipped, 1 xfailed in 1.02s ====", (4, 1, 0, 3)),
        ("1 error in 0.12s", (0, 0, 1, 0)),
        ("no tests ran in 0.01s", (0, 0, 0, 0)),
        ("5 passed, 3 warnings in 61.30s (0:01:01)", (5, 0, 0, 0)),
        ("Killed", (0, 0, 0, 0)),
    ],
)
def test_parse_pytest_summary(line: str, expected: tuple[int, int, int, int]) -> None:
    counts = parse_pytest_summary(f"some output\n\n{line}\n")

    assert (counts["passed"], counts["failed"], counts["errors"], counts["skipped"]) == expected
