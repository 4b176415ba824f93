"""The LLM response cache, in Redis: the same question to the same model is asked once.

The key is a SHA-256 of the provider, the model, the prompt version, the messages and the
parameters that shape the answer (max tokens, temperature, JSON schema), so re-running a project
makes no new provider calls while any change to the prompt, the files or the model does.
A Redis failure never fails a task: the call goes to the provider, and `errors` counts it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from quantumlayer.agents.messages import Completion, CompletionRequest

DEFAULT_TTL_S = 30 * 24 * 3600


def cache_key(*, provider: str, prompt_version: str, request: CompletionRequest) -> str:
    """The cache key of a request (hex SHA-256 of its canonical JSON)."""
    payload = {
        "provider": provider,
        "model": request.model,
        "prompt_version": prompt_version,
        "messages": [m.as_dict() for m in request.messages],
        "parameters": request.cache_parameters(),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class LLMCache:
    """Completions stored as JSON under `<prefix>llm:<key>`, with a time to live."""

    def __init__(self, redis: Any, *, prefix: str = "ql:", ttl_s: int = DEFAULT_TTL_S) -> None:
        self._redis = redis
        self._prefix = f"{prefix}llm:"
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self.hits = self.misses = self.errors = 0

    def get(self, key: str) -> Completion | None:
        from redis.exceptions import RedisError

        try:
            raw = self._redis.get(self._prefix + key)
        except RedisError:
            self._count("errors")
            return None
        if raw is None:
            self._count("misses")
            return None
        try:
            data = json.loads(raw)
            completion = Completion(
                text=data["text"],
                tokens_in=int(data.get("tokens_in", 0)),
                tokens_out=int(data.get("tokens_out", 0)),
                model=data.get("model", ""),
                finish_reason=data.get("finish_reason"),
            )
        except (ValueError, KeyError, TypeError):
            self._count("errors")  # a corrupt entry is a miss; the next put replaces it
            return None
        self._count("hits")
        return completion

    def put(self, key: str, completion: Completion) -> None:
        from redis.exceptions import RedisError

        data = {
            "text": completion.text,
            "tokens_in": completion.tokens_in,
            "tokens_out": completion.tokens_out,
            "model": completion.model,
            "finish_reason": completion.finish_reason,
        }
        try:
            self._redis.set(self._prefix + key, json.dumps(data), ex=self._ttl_s)
        except RedisError:
            self._count("errors")

    def _count(self, what: str) -> None:
        with self._lock:
            setattr(self, what, getattr(self, what) + 1)
