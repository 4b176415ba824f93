"""Resilience of provider calls: retries with backoff and jitter that honour Retry-After, a circuit
breaker, heartbeats while waiting, and a loop detector for agents that repeat themselves.

Done once here for every provider (the SDKs' own retries are switched off), so a 429 from OpenAI,
Anthropic or Ollama is handled the same way and the tests can check it once per protocol.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TypeVar

from quantumlayer.agents.providers.base import ProviderCallError, ProviderUnavailable
from quantumlayer.security.pii import redact

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before calling again after a transient failure."""

    max_retries: int = 4
    base_delay_s: float = 0.5
    max_delay_s: float = 60.0

    def delay(self, retry: int, retry_after_s: float | None, rng: random.Random) -> float | None:
        """Seconds to wait before retry number `retry` (0-based); None: do not retry.

        With Retry-After the wait is never shorter than asked (a little jitter is added so that
        clients told the same time do not all come back at once); asked to wait longer than
        max_delay_s, we give up rather than call early. Without it: exponential backoff with
        "equal jitter" (between half and all of base * 2^retry, capped).
        """
        if retry_after_s is not None:
            if retry_after_s > self.max_delay_s:
                return None
            return retry_after_s + rng.uniform(0, min(1.0, 0.1 * retry_after_s + 0.05))
        ceiling = min(self.max_delay_s, self.base_delay_s * (2**retry))
        return rng.uniform(ceiling / 2, ceiling)


class CircuitBreaker:
    """Stops calls to a provider that keeps failing.

    Closed: calls go through; `failures` transient failures in a row open it. Open: calls fail at
    once with ProviderUnavailable for `reset_s`. Then half-open: one trial call goes through;
    success closes the circuit, failure opens it again. Thread-safe: activities of one worker
    share the provider and its breaker.
    """

    def __init__(
        self,
        *,
        failures: int = 5,
        reset_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        name: str = "provider",
    ) -> None:
        self._threshold = failures
        self._reset_s = reset_s
        self._clock = clock
        self._name = name
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "open" if self._clock() - self._opened_at < self._reset_s else "half-open"

    def before_call(self) -> None:
        """Raise ProviderUnavailable if the circuit refuses this call."""
        with self._lock:
            if self._opened_at is None:
                return
            waited = self._clock() - self._opened_at
            if waited < self._reset_s:
                raise ProviderUnavailable(
                    f"{self._name} failed {self._failures} times in a row; the circuit breaker "
                    f"holds calls for another {self._reset_s - waited:.0f}s"
                )
            if self._trial_running:
                raise ProviderUnavailable(
                    f"{self._name} is being probed after failures; try again shortly"
                )
            self._trial_running = True

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self._threshold:
                self._opened_at = self._clock()
            self._trial_running = False


def call_with_retries(
    call: Callable[[], T],
    *,
    policy: RetryPolicy,
    breaker: CircuitBreaker | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    on_retry: Callable[[int, ProviderCallError, float], None] | None = None,
) -> T:
    """`call()`, retried on transient ProviderCallErrors; ProviderUnavailable when retries run out.

    Permanent errors (400, 401, 403, 404...) are raised at once: retrying cannot fix a wrong key
    or model name, and they do not count against the breaker.
    """
    rng = rng or random.Random()
    last: ProviderCallError | None = None
    for retry in range(policy.max_retries + 1):
        if breaker is not None:
            breaker.before_call()
        try:
            result = call()
        except ProviderCallError as err:
            if not err.transient:
                if breaker is not None:
                    breaker.record_success()  # the provider answered; the request was wrong
                raise
            if breaker is not None:
                breaker.record_failure()
            last = err
            if retry == policy.max_retries:
                break
            wait = policy.delay(retry, err.retry_after_s, rng)
            if wait is None:
                raise ProviderUnavailable(
                    f"{err} — it asked to wait {err.retry_after_s:.0f}s, longer than "
                    f"QL_LLM_RETRY_MAX_WAIT_S={policy.max_delay_s:g}"
                ) from err
            if on_retry is not None:
                on_retry(retry + 1, err, wait)
            sleep(wait)
            continue
        if breaker is not None:
            breaker.record_success()
        return result
    raise ProviderUnavailable(
        f"gave up after {policy.max_retries + 1} attempts: {last}"
    ) from last


_CALLS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="ql-llm-call")


def run_with_heartbeat(
    call: Callable[[], T],
    *,
    heartbeat: Callable[[], None] | None,
    timeout_s: float,
    interval_s: float = 1.0,
) -> T:
    """Run a blocking provider call with a hard timeout, heartbeating every `interval_s`.

    Temporal heartbeats must come from the activity's own thread, and a provider call can take
    longer than the heartbeat timeout; so the call runs on a helper thread and this one waits,
    heartbeating. The SDKs have their own timeouts; this one holds even if an SDK's does not.
    If the heartbeat raises (the activity was cancelled) the call is abandoned to its timeout.
    """
    future: Future[T] = _CALLS.submit(call)
    deadline = time.monotonic() + timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            future.cancel()
            raise ProviderCallError(f"no answer within {timeout_s:g}s", transient=True)
        try:
            return future.result(timeout=min(interval_s, left))
        except FutureTimeout:
            if heartbeat is not None:
                heartbeat()


def sleep_with_heartbeat(seconds: float, *, heartbeat: Callable[[], None] | None) -> None:
    """Sleep in short steps, heartbeating, so a cancel is noticed while waiting to retry."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))
        if heartbeat is not None:
            heartbeat()


def _fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class LoopDetector:
    """Notices an agent giving the same answer again (whitespace aside).

    Answers are compared as they are stored: earlier rounds' answers come back from the
    agent_interactions table, which keeps them with personal data redacted
    (`store.repositories.record_interaction`), so a new answer is redacted the same way before
    it is compared; otherwise an answer quoting an e-mail address would never match itself.
    """

    def __init__(self, earlier: Iterable[str] = ()) -> None:
        self._seen = {_fingerprint(redact(t)) for t in earlier}

    def repeated(self, text: str) -> bool:
        """True if `text` was seen before; remembers it either way."""
        digest = _fingerprint(redact(text))
        if digest in self._seen:
            return True
        self._seen.add(digest)
        return False
