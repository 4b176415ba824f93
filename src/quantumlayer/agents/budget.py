"""Budgets: a project's LLM spending limit, checked before every call.

Before a call the ledger reserves what the call can cost at most (its prompt, estimated, plus
the answer's max tokens, at the model's prices); if that would take the project past its budget
the call is not made and BudgetExceeded stops the run. After the call the reservation is settled
to the real cost. In Redis the check-and-reserve is one Lua script, so agents running in
parallel (on one worker or many) cannot overspend together.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from quantumlayer.errors import QuantumLayerError


class BudgetExceeded(QuantumLayerError):
    """The next LLM call would take the project past its budget (--budget)."""

    exit_code = 1
    http_status = 402
    code = "budget_exceeded"


def budget_message(*, budget: float, spent: float, next_call: float) -> str:
    return (
        f"budget reached: the next LLM call (up to ${next_call:.4f}) would take the project "
        f"past its budget of ${budget:.4f} (spent ${spent:.4f}); stopped cleanly. "
        "Raise it with --budget or re-run (cached answers are free)."
    )


class SpendLedger(Protocol):
    def reserve(self, project_id: str, amount: float, budget: float) -> None:
        """Reserve `amount` USD or raise BudgetExceeded if it would pass `budget`."""
        ...

    def settle(self, project_id: str, reserved: float, actual: float) -> None:
        """Replace a reservation by what the call really cost."""
        ...

    def spent(self, project_id: str) -> float: ...


class MemorySpendLedger:
    """A ledger for one process (when no Redis is configured)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spent: dict[str, float] = {}

    def reserve(self, project_id: str, amount: float, budget: float) -> None:
        with self._lock:
            spent = self._spent.get(project_id, 0.0)
            if spent + amount > budget:
                raise BudgetExceeded(budget_message(budget=budget, spent=spent, next_call=amount))
            self._spent[project_id] = spent + amount

    def settle(self, project_id: str, reserved: float, actual: float) -> None:
        with self._lock:
            self._spent[project_id] = self._spent.get(project_id, 0.0) - reserved + actual

    def spent(self, project_id: str) -> float:
        with self._lock:
            return self._spent.get(project_id, 0.0)


_RESERVE = """
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
if spent + tonumber(ARGV[1]) > tonumber(ARGV[2]) then
  return {0, tostring(spent)}
end
redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, tostring(spent)}
"""


class RedisSpendLedger:
    """The ledger shared by every worker: `<prefix>budget:<project id>` in Redis."""

    def __init__(self, redis: Any, *, prefix: str = "ql:", ttl_s: int = 30 * 24 * 3600) -> None:
        self._redis = redis
        self._prefix = f"{prefix}budget:"
        self._ttl_s = ttl_s
        self._reserve = redis.register_script(_RESERVE)

    def reserve(self, project_id: str, amount: float, budget: float) -> None:
        ok, spent = self._reserve(
            keys=[self._prefix + project_id], args=[repr(amount), repr(budget), self._ttl_s]
        )
        if int(ok) != 1:
            raise BudgetExceeded(
                budget_message(budget=budget, spent=float(spent), next_call=amount)
            )

    def settle(self, project_id: str, reserved: float, actual: float) -> None:
        if actual != reserved:
            self._redis.incrbyfloat(self._prefix + project_id, actual - reserved)

    def spent(self, project_id: str) -> float:
        raw = self._redis.get(self._prefix + project_id)
        return float(raw) if raw is not None else 0.0
