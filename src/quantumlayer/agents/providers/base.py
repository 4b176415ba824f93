"""The provider interface every LLM client implements, and the errors they raise.

A provider turns a CompletionRequest into a Completion with one HTTP call and no retries of its
own: retries, backoff, the circuit breaker and caching are done once, for all providers, by the
Agent Manager (agents/resilience.py, agents/cache.py), so they behave the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Protocol, runtime_checkable

from quantumlayer.agents.messages import Completion, CompletionRequest
from quantumlayer.errors import ProviderError


@runtime_checkable
class Provider(Protocol):
    """An LLM behind one interface: chat messages in; text (or JSON) and token usage out."""

    name: str

    def complete(self, request: CompletionRequest) -> Completion:
        """One call. Raises ProviderCallError (with `transient` set) when the call fails."""
        ...

    def describe(self) -> str:
        """Where the provider is (for messages and logs); never includes a secret."""
        ...


class ProviderCallError(ProviderError):
    """A call that failed: HTTP status (if any), whether a retry may help, how long to wait."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        transient: bool = False,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient
        self.retry_after_s = retry_after_s


class ProviderUnavailable(ProviderError):
    """The provider kept failing (retries spent, or the circuit breaker is open)."""


def is_transient_status(status: int | None) -> bool:
    """429 (rate limited), 408 (timeout), 409 (lock) and 5xx are worth retrying; other 4xx not."""
    return status is None or status in (408, 409, 429) or status >= 500


def parse_retry_after(headers: object) -> float | None:
    """Seconds to wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date)."""
    get = getattr(headers, "get", None)
    if get is None:
        return None
    ms = get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from datetime import UTC, datetime
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


@contextmanager
def sdk_errors(sdk: ModuleType, describe: str, timeout_s: float) -> Iterator[None]:
    """Turn the errors of the official OpenAI and Anthropic SDKs (the same classes in both) into
    ProviderCallError: status, whether a retry may help, and how long the server asked to wait."""
    try:
        yield
    except sdk.APIStatusError as err:
        raise ProviderCallError(
            f"{describe} answered {err.status_code}: {err.message}",
            status=err.status_code,
            transient=is_transient_status(err.status_code),
            retry_after_s=parse_retry_after(err.response.headers),
        ) from err
    except sdk.APITimeoutError as err:
        raise ProviderCallError(
            f"{describe} did not answer within {timeout_s:g}s", transient=True
        ) from err
    except sdk.APIConnectionError as err:
        raise ProviderCallError(f"cannot reach {describe}: {err}", transient=True) from err
