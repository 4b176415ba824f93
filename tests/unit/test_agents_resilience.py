"""Retries, the circuit breaker, loop detection, prices, budgets, profiles and provider settings."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from quantumlayer.agents.budget import BudgetExceeded, MemorySpendLedger
from quantumlayer.agents.lifecycle import AgentStateStore, resolve_profile
from quantumlayer.agents.pricing import DEFAULT_CONTEXT_TOKENS, PriceTable
from quantumlayer.agents.providers import build_provider, provider_names
from quantumlayer.agents.providers.base import (
    ProviderCallError,
    ProviderUnavailable,
    is_transient_status,
    parse_retry_after,
)
from quantumlayer.agents.resilience import (
    CircuitBreaker,
    LoopDetector,
    RetryPolicy,
    call_with_retries,
    run_with_heartbeat,
)
from quantumlayer.config import Settings
from quantumlayer.errors import ProviderError, UserError
from quantumlayer.security.pii import redact


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_retry_after_is_never_shortened_and_backoff_is_jittered() -> None:
    policy = RetryPolicy(max_retries=5, base_delay_s=1.0, max_delay_s=30.0)
    rng = random.Random(7)
    for _ in range(50):
        assert 2.0 <= policy.delay(0, 2.0, rng) <= 2.3
        assert 2.0 <= policy.delay(2, None, rng) <= 4.0  # half to all of 1 * 2^2
    assert policy.delay(10, None, rng) <= 30.0
    assert policy.delay(0, 120.0, rng) is None  # asked to wait longer than we would: give up


def test_retry_after_headers_in_seconds_milliseconds_and_dates() -> None:
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (parse_retry_after({"retry-after": later}) or 0) <= 31
    assert parse_retry_after({}) is None and parse_retry_after({"retry-after": "soon"}) is None
    assert [is_transient_status(s) for s in (429, 500, 503, 408, 400, 401, 404)] == [
        True, True, True, True, False, False, False,
    ]


def test_transient_errors_are_retried_then_reported() -> None:
    waits: list[float] = []
    attempts = iter([
        ProviderCallError("429", status=429, transient=True, retry_after_s=1.5),
        ProviderCallError("503", status=503, transient=True),
        "answer",
    ])

    def call() -> str:
        item = next(attempts)
        if isinstance(item, Exception):
            raise item
        return item

    result = call_with_retries(call, policy=RetryPolicy(max_retries=3), sleep=waits.append)
    assert result == "answer" and len(waits) == 2 and waits[0] >= 1.5

    def always() -> str:
        raise ProviderCallError("503", status=503, transient=True)

    with pytest.raises(ProviderUnavailable, match="gave up after 3 attempts"):
        call_with_retries(always, policy=RetryPolicy(max_retries=2), sleep=lambda _s: None)

    def wrong_key() -> str:
        raise ProviderCallError("401", status=401, transient=False)

    with pytest.raises(ProviderCallError, match="401"):
        call_with_retries(wrong_key, policy=RetryPolicy(max_retries=5), sleep=waits.append)
    assert len(waits) == 2  # no waiting for a permanent error


def test_circuit_breaker_opens_refuses_then_probes() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=2, reset_s=10, clock=clock, name="p")
    breaker.record_failure()
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state == "open"
    with pytest.raises(ProviderUnavailable, match="circuit breaker"):
        breaker.before_call()
    clock.now += 11
    assert breaker.state == "half-open"
    breaker.before_call()  # the one trial call
    with pytest.raises(ProviderUnavailable, match="probed"):
        breaker.before_call()  # others wait while it runs
    breaker.record_failure()
    assert breaker.state == "open"
    clock.now += 11
    breaker.before_call()
    breaker.record_success()
    assert breaker.state == "closed"


def test_breaker_stops_retries_early() -> None:
    breaker = CircuitBreaker(failures=2, reset_s=60)
    calls = []

    def failing() -> str:
        calls.append(1)
        raise ProviderCallError("500", status=500, transient=True)

    with pytest.raises(ProviderUnavailable, match="circuit breaker"):
        call_with_retries(failing, policy=RetryPolicy(max_retries=5), breaker=breaker,
                          sleep=lambda _s: None)
    assert len(calls) == 2


def test_calls_time_out_and_heartbeat_while_waiting() -> None:
    beats: list[float] = []
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(ProviderCallError, match="no answer within"):
        run_with_heartbeat(lambda: release.wait(5), heartbeat=lambda: beats.append(1),
                           timeout_s=0.35, interval_s=0.1)
    release.set()
    assert time.monotonic() - started < 2 and len(beats) >= 2
    assert run_with_heartbeat(lambda: 42, heartbeat=None, timeout_s=1) == 42


def test_loop_detector_ignores_whitespace() -> None:
    loop = LoopDetector(["FILE: a.py\n```\nx = 1\n```"])
    assert loop.repeated("FILE:  a.py\n```\nx = 1\n```\n\n")
    assert not loop.repeated("something new")
    assert loop.repeated("something  new")


def test_loop_detector_knows_an_answer_from_its_stored_redacted_record() -> None:
    # Earlier repair answers come back from agent_interactions, where they are stored redacted.
    answer = 'FILE: app/config.py\n```\nADMIN = "ops@example.com"\nHOST = "10.1.2.3"\n```'
    stored = redact(answer)
    assert stored != answer
    assert LoopDetector([stored]).repeated(answer)
    assert not LoopDetector([stored]).repeated(answer.replace("ADMIN", "OWNER"))


def test_prices_match_dated_and_prefixed_model_names(tmp_path: Path) -> None:
    prices = PriceTable.load()
    assert prices.get("gpt-4o-mini-2024-07-18") == prices.get("gpt-4o-mini")
    assert prices.get("openai/gpt-4o") is not None
    assert prices.cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert prices.cost("my-local-model", 10**6, 10**6) == 0
    assert prices.context_tokens("my-local-model") == DEFAULT_CONTEXT_TOKENS
    table = tmp_path / "prices.json"
    table.write_text('{"models": {"house": {"input": 1, "output": 2, "context": 4096}}}')
    assert PriceTable.load(table).cost("house", 10**6, 0) == 1
    table.write_text("{}")
    with pytest.raises(UserError, match="expected"):
        PriceTable.load(table)


def test_memory_ledger_reserves_and_settles() -> None:
    ledger = MemorySpendLedger()
    ledger.reserve("p", 0.4, 1.0)
    ledger.settle("p", 0.4, 0.1)
    ledger.reserve("p", 0.8, 1.0)
    with pytest.raises(BudgetExceeded, match=r"budget of \$1.0000"):
        ledger.reserve("p", 0.2, 1.0)
    assert ledger.spent("p") == pytest.approx(0.9)
    ledger.reserve("other", 0.9, 1.0)  # budgets are per project


def test_profiles_come_from_settings_and_configuration_rows() -> None:
    base = {"provider": "openai", "model": "gpt-4o-mini", "temperature": 0.2, "max_tokens": 100}
    assert resolve_profile("qa", **base).model == "gpt-4o-mini"
    row = {"provider": "openai", "model": "gpt-4o", "temperature": 0.0, "max_tokens": 50}
    profile = resolve_profile("qa", **base, configuration=row)
    assert (profile.model, profile.temperature, profile.max_tokens) == ("gpt-4o", 0.0, 50)
    off = resolve_profile("qa", **base, configuration={"provider": "openai", "enabled": False})
    assert not off.uses_llm and off.provider == "builtin"
    with pytest.raises(ProviderError, match="QL_LLM_PROVIDER is 'openai'"):
        resolve_profile("qa", **base, configuration={"provider": "anthropic"})


def test_agent_state_without_redis_lives_in_the_process() -> None:
    from quantumlayer.agents.lifecycle import AgentProfile

    states = AgentStateStore()
    states.create("p", "T1", AgentProfile("backend", "openai", "m"))
    states.record_call("p", "T1", "backend", tokens_in=10, tokens_out=5)
    (running,) = states.running("p")
    assert (running["calls"], running["tokens_in"]) == ("1", "10")
    states.destroy("p", "T1", "backend")
    assert states.running("p") == [] and states.get("p", "T1", "backend") is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"llm_provider": "gpt"}, "unknown QL_LLM_PROVIDER='gpt'"),
        ({"llm_provider": "openai"}, "set QL_LLM_MODEL"),
        ({"llm_provider": "openai", "llm_model": "m"}, "needs OPENAI_API_KEY"),
        ({"llm_provider": "anthropic", "llm_model": "m"}, "needs ANTHROPIC_API_KEY"),
        (
            {"llm_provider": "openai", "llm_model": "m", "openai_base_url": "localhost:8000"},
            "must be an http",
        ),
        (
            {"llm_provider": "ollama", "llm_model_qa": "m"},
            "needs a model for architect, backend",
        ),
    ],
)
def test_misconfigured_providers_fail_saying_what_to_set(
    values: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "QL_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ProviderError, match=message):
        build_provider(Settings(**values))


def test_provider_settings_read_the_sdks_own_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QL_LLM_PROVIDER", "OpenAI")
    monkeypatch.setenv("QL_LLM_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("QL_LLM_MODEL_QA", "gpt-4o")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:11434")
    settings = Settings()
    assert settings.llm_provider == "openai"
    assert settings.llm_model_for("qa") == "gpt-4o" and settings.llm_model_for("writer") == (
        "gpt-4o-mini"
    )
    assert settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == "sk-env"
    assert "sk-env" not in repr(settings)
    provider = build_provider(settings)
    assert provider is not None and provider.name == "openai"
    assert build_provider(Settings(llm_provider="builtin")) is None
    assert provider_names()[:1] == ["builtin"]
    ollama = build_provider(Settings(llm_provider="ollama", llm_model="llama3.1"))
    assert ollama is not None and ollama.describe() == "ollama at http://127.0.0.1:11434"
