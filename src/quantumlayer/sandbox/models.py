"""What a sandboxed run may use, what it reports, and how its setup fails."""

from __future__ import annotations

from dataclasses import dataclass, field

from quantumlayer.errors import QuantumLayerError, UserError


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits for one sandboxed run.

    `memory_mb`, `cpu_s` and `max_file_mb` are rlimits of every process in the sandbox;
    `max_procs` is RLIMIT_NPROC and is applied only after dropping to the sandbox uid, because it
    counts every process of the *real uid*: applied to a shared uid it would count the caller's own.
    """

    timeout_s: float = 300.0  # wall clock; on expiry the whole sandbox is killed (SIGKILL)
    memory_mb: int = 2048  # RLIMIT_AS per process
    cpu_s: int | None = None  # RLIMIT_CPU per process
    max_file_mb: int = 256  # RLIMIT_FSIZE; also the size of each private tmpfs
    max_procs: int | None = 256  # RLIMIT_NPROC for the sandbox uid
    network: bool = False  # False -> new network namespace (only loopback, brought up)

    def __post_init__(self) -> None:
        if not self.timeout_s > 0:
            raise UserError(f"timeout_s must be positive, got {self.timeout_s!r}")
        if self.memory_mb < 16:
            raise UserError(f"memory_mb must be at least 16, got {self.memory_mb!r}")
        if self.cpu_s is not None and self.cpu_s < 1:
            raise UserError(f"cpu_s must be at least 1 or None, got {self.cpu_s!r}")
        if self.max_file_mb < 1:
            raise UserError(f"max_file_mb must be at least 1, got {self.max_file_mb!r}")
        if self.max_procs is not None and self.max_procs < 1:
            raise UserError(f"max_procs must be at least 1 or None, got {self.max_procs!r}")


@dataclass(frozen=True)
class SandboxResult:
    """The outcome of one sandboxed run."""

    exit_code: int | None  # None if killed by the timeout; -N if killed by signal N
    output: str  # combined stdout+stderr, the last ~200 kB, decoded with errors="replace"
    duration_s: float
    timed_out: bool
    # What was actually applied, in order, e.g. ["clean-env", "mountns", "netns", "private-tmp",
    # "uid:65534", "rlimits"]. A step that failed is absent, never claimed.
    isolation: list[str] = field(default_factory=list)


class SandboxSetupError(QuantumLayerError):
    """The sandbox could not start the command (e.g. the executable is unreadable by its uid)."""

    code = "sandbox_setup_failed"
