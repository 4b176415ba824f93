"""OpenAI chat completions through the official `openai` SDK; also any OpenAI-compatible server
(vLLM, llama.cpp, LM Studio) via OPENAI_BASE_URL."""

from __future__ import annotations

from typing import Any

from quantumlayer.agents.messages import Completion, CompletionRequest
from quantumlayer.agents.providers.base import ProviderCallError, sdk_errors
from quantumlayer.errors import UserError

OFFICIAL_HOSTS = ("api.openai.com",)


class OpenAIProvider:
    name = "openai"

    def __init__(self, *, api_key: str | None, base_url: str | None, timeout_s: float) -> None:
        try:
            import openai
        except ImportError as err:
            raise UserError(
                "QL_LLM_PROVIDER=openai needs the openai package: pip install 'openai>=1.40'"
            ) from err
        self._sdk = openai
        self._base_url = base_url
        # A local OpenAI-compatible server usually needs no key, but the SDK insists on one.
        self._client = openai.OpenAI(
            api_key=api_key or "not-needed",
            base_url=base_url or None,
            max_retries=0,  # retries are ours (agents/resilience.py), the same for every provider
            timeout=timeout_s,
        )
        # The official API wants max_completion_tokens (o-series models refuse max_tokens);
        # compatible servers know max_tokens for sure.
        self._official = base_url is None or any(h in base_url for h in OFFICIAL_HOSTS)

    def describe(self) -> str:
        return f"openai at {self._base_url or 'https://api.openai.com/v1'}"

    def complete(self, request: CompletionRequest) -> Completion:
        sdk = self._sdk
        kwargs: dict[str, Any] = {
            "model": request.model,
            "messages": [m.as_dict() for m in request.messages],
            "temperature": request.temperature,
        }
        kwargs["max_completion_tokens" if self._official else "max_tokens"] = request.max_tokens
        if request.json_schema is not None:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": request.json_schema},
            }
        with sdk_errors(sdk, self.describe(), request.timeout_s):
            response = self._client.with_options(
                timeout=request.timeout_s
            ).chat.completions.create(**kwargs)
        if not response.choices:
            raise ProviderCallError(f"{self.describe()} returned no choices", transient=True)
        choice = response.choices[0]
        usage = response.usage
        return Completion(
            text=choice.message.content or "",
            tokens_in=getattr(usage, "prompt_tokens", 0) or 0,
            tokens_out=getattr(usage, "completion_tokens", 0) or 0,
            model=response.model or request.model,
            finish_reason=choice.finish_reason,
        )
