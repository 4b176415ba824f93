"""Run a command on generated code safely: time and resource limits, a scrubbed environment, no
network and no writes outside its folder where the OS allows, and an honest report of which of
those were applied (`SandboxResult.isolation`)."""

from quantumlayer.sandbox.environment import SECRET_NAME_PATTERNS, is_secret_name
from quantumlayer.sandbox.models import SandboxLimits, SandboxResult, SandboxSetupError
from quantumlayer.sandbox.pytest_summary import parse_pytest_summary
from quantumlayer.sandbox.service import SANDBOX_UID, run, run_pytest

__all__ = [
    "SANDBOX_UID", "SECRET_NAME_PATTERNS", "SandboxLimits", "SandboxResult", "SandboxSetupError",
    "is_secret_name", "parse_pytest_summary", "run", "run_pytest",
]
