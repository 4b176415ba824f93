"""Agent lifecycle: an agent is created per task from its role's configuration, its state kept in
Redis while it runs, and destroyed at the end.

The configuration of a role comes from the settings (QL_LLM_MODEL, QL_LLM_MODEL_<ROLE>, ...) with
the role's row of the `agent_configurations` table, when there is one, on top: a row can change
the model, temperature, max tokens, or switch the role to the built-in engine (provider
`builtin`, or `enabled` false).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from quantumlayer.errors import ProviderError

STATE_TTL_S = 24 * 3600  # a crashed worker's agents vanish from Redis by themselves


@dataclass(frozen=True)
class AgentProfile:
    """What an agent is created from."""

    role: str
    provider: str
    model: str
    temperature: float = 0.2
    max_tokens: int = 4096
    uses_llm: bool = True


def resolve_profile(
    role: str,
    *,
    provider: str,
    model: str,
    temperature: float,
    max_tokens: int,
    configuration: Mapping[str, Any] | None = None,
) -> AgentProfile:
    """The profile of `role`: the settings, overridden by its agent_configurations row.

    A row naming a provider other than the configured one (or `builtin`) is a ProviderError:
    one worker talks to one provider, and silently ignoring the row would mislead.
    """
    profile = AgentProfile(role, provider, model, temperature, max_tokens)
    if not configuration:
        return profile
    row_provider = str(configuration.get("provider") or provider).lower()
    if not configuration.get("enabled", True) or row_provider == "builtin":
        return replace(profile, provider="builtin", model="templates", uses_llm=False)
    if row_provider != provider:
        raise ProviderError(
            f"agent_configurations gives role {role!r} provider {row_provider!r}, but "
            f"QL_LLM_PROVIDER is {provider!r}: change the row or QL_LLM_PROVIDER"
        )
    return replace(
        profile,
        model=str(configuration.get("model") or model),
        temperature=float(configuration.get("temperature", temperature)),
        max_tokens=int(configuration.get("max_tokens", max_tokens)),
    )


class AgentStateStore:
    """Running agents' state: a Redis hash `<prefix>agent:<project>:<task>:<role>` each, or a
    dict in this process when there is no Redis."""

    def __init__(self, redis: Any | None = None, *, prefix: str = "ql:") -> None:
        self._redis = redis
        self._prefix = f"{prefix}agent:"
        self._lock = threading.Lock()
        self._local: dict[str, dict[str, str]] = {}

    def _key(self, project_id: str, task_id: str, role: str) -> str:
        return f"{self._prefix}{project_id}:{task_id}:{role}"

    def create(self, project_id: str, task_id: str, profile: AgentProfile) -> None:
        state = {
            "project_id": project_id,
            "task_id": task_id,
            "role": profile.role,
            "provider": profile.provider,
            "model": profile.model,
            "status": "running",
            "started_at": f"{time.time():.3f}",
            "calls": "0",
            "tokens_in": "0",
            "tokens_out": "0",
        }
        key = self._key(project_id, task_id, profile.role)
        if self._redis is None:
            with self._lock:
                self._local[key] = state
            return
        pipe = self._redis.pipeline()
        pipe.hset(key, mapping=state)
        pipe.expire(key, STATE_TTL_S)
        pipe.execute()

    def record_call(
        self, project_id: str, task_id: str, role: str, *, tokens_in: int, tokens_out: int
    ) -> None:
        key = self._key(project_id, task_id, role)
        if self._redis is None:
            with self._lock:
                state = self._local.get(key)
                if state is not None:
                    for name, value in (("calls", 1), ("tokens_in", tokens_in),
                                        ("tokens_out", tokens_out)):
                        state[name] = str(int(state[name]) + value)
            return
        pipe = self._redis.pipeline()
        pipe.hincrby(key, "calls", 1)
        pipe.hincrby(key, "tokens_in", tokens_in)
        pipe.hincrby(key, "tokens_out", tokens_out)
        pipe.execute()

    def get(self, project_id: str, task_id: str, role: str) -> dict[str, str] | None:
        key = self._key(project_id, task_id, role)
        if self._redis is None:
            with self._lock:
                state = self._local.get(key)
                return dict(state) if state else None
        raw = self._redis.hgetall(key)
        return {_text(k): _text(v) for k, v in raw.items()} or None

    def running(self, project_id: str) -> list[dict[str, str]]:
        """The agents of a project that are running now."""
        pattern = f"{self._prefix}{project_id}:*"
        if self._redis is None:
            with self._lock:
                return [
                    dict(s) for k, s in sorted(self._local.items())
                    if k.startswith(pattern[:-1])
                ]
        keys = sorted(_text(k) for k in self._redis.scan_iter(match=pattern, count=200))
        out = []
        for key in keys:
            raw = self._redis.hgetall(key)
            if raw:
                out.append({_text(k): _text(v) for k, v in raw.items()})
        return out

    def destroy(self, project_id: str, task_id: str, role: str) -> None:
        key = self._key(project_id, task_id, role)
        if self._redis is None:
            with self._lock:
                self._local.pop(key, None)
            return
        self._redis.delete(key)


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)

