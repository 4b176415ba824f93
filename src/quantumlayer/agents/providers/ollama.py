"""Ollama chat through the official `ollama` client (OLLAMA_HOST)."""

from __future__ import annotations

import threading
from typing import Any

from quantumlayer.agents.messages import Completion, CompletionRequest
from quantumlayer.agents.providers.base import (
    ProviderCallError,
    is_transient_status,
    parse_retry_after,
)
from quantumlayer.errors import UserError

DEFAULT_HOST = "http://127.0.0.1:11434"


class OllamaProvider:
    name = "ollama"

    def __init__(self, *, host: str | None, timeout_s: float) -> None:
        try:
            import httpx
            import ollama
        except ImportError as err:
            raise UserError(
                "QL_LLM_PROVIDER=ollama needs the ollama package: pip install 'ollama>=0.4'"
            ) from err
        self._sdk = ollama
        self._httpx = httpx
        self._host = host or DEFAULT_HOST
        # ollama.ResponseError keeps the status but drops the headers; a response hook keeps
        # Retry-After for the thread that made the call.
        self._last = threading.local()

        def remember(response: Any) -> None:
            self._last.retry_after = parse_retry_after(response.headers)

        self._client = ollama.Client(
            host=self._host, timeout=timeout_s, event_hooks={"response": [remember]}
        )

    def describe(self) -> str:
        return f"ollama at {self._host}"

    def complete(self, request: CompletionRequest) -> Completion:
        self._last.retry_after = None
        options: dict[str, Any] = {
            "temperature": request.temperature,
            "num_predict": request.max_tokens,
        }
        if request.context_tokens:
            options["num_ctx"] = request.context_tokens
        try:
            response = self._client.chat(
                model=request.model,
                messages=[m.as_dict() for m in request.messages],
                stream=False,
                format=request.json_schema,
                options=options,
            )
        except self._sdk.ResponseError as err:
            raise ProviderCallError(
                f"{self.describe()} answered {err.status_code}: {err.error}",
                status=err.status_code,
                transient=is_transient_status(err.status_code),
                retry_after_s=getattr(self._last, "retry_after", None),
            ) from err
        except self._httpx.TimeoutException as err:
            raise ProviderCallError(
                f"{self.describe()} did not answer within {request.timeout_s:g}s", transient=True
            ) from err
        except (ConnectionError, self._httpx.TransportError) as err:
            raise ProviderCallError(
                f"cannot reach {self.describe()}: {err}", transient=True
            ) from err
        return Completion(
            text=response.message.content or "",
            tokens_in=response.prompt_eval_count or 0,
            tokens_out=response.eval_count or 0,
            model=response.model or request.model,
            finish_reason=response.done_reason,
        )
