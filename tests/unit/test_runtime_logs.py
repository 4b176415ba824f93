"""Reading a server's log after it died while starting: a taken port is found above a long trace."""

from __future__ import annotations

from pathlib import Path

from quantumlayer.runtime.manager import port_taken_line
from quantumlayer.runtime.processes import START_MARKER

BIND = (
    'time=2026-11-30T01:44:36 level=ERROR msg="Failed to start gRPC listener" '
    'error="listen tcp 127.0.0.1:45817: bind: address already in use"'
)


def _start(argv: str) -> str:
    return f"\n--- 2026-11-30T01:44:36+00:00 {START_MARKER} {argv}\n"


def test_the_bind_error_is_found_above_a_long_stack_trace(tmp_path: Path) -> None:
    log = tmp_path / "temporal.log"
    trace = "\n".join(f"\t/go/src/pkg/file{i}.go:{i} +0x{i:x}" for i in range(2000))
    start = _start("temporal server start-dev --port 45817")
    log.write_text(start + BIND + "\npanic: nil\n" + trace)
    line = port_taken_line(log)
    assert line is not None and "127.0.0.1:45817" in line


def test_only_the_latest_start_counts(tmp_path: Path) -> None:
    log = tmp_path / "temporal.log"
    log.write_text(
        _start("temporal --port 1") + BIND + "\n"
        + _start("temporal --port 2") + "level=ERROR msg=\"database is locked\"\n"
    )
    assert port_taken_line(log) is None
    log.write_text(log.read_text() + _start("temporal --port 3") + BIND + "\n")
    assert port_taken_line(log) is not None


def test_no_log_means_no_cause(tmp_path: Path) -> None:
    assert port_taken_line(tmp_path / "missing.log") is None
