"""Anthropic messages through the official `anthropic` SDK.

Reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL (via Settings)."""

from __future__ import annotations

import inspect
from typing import Any

from quantumlayer.agents.messages import ChatMessage, Completion, CompletionRequest
from quantumlayer.agents.providers.base import sdk_errors
from quantumlayer.errors import UserError


class AnthropicProvider:
    name = "anthropic"

    def __init__(self, *, api_key: str, base_url: str | None, timeout_s: float) -> None:
        try:
            import anthropic
        except ImportError as err:
            raise UserError(
                "QL_LLM_PROVIDER=anthropic needs the anthropic package: "
                "pip install 'anthropic>=0.40'"
            ) from err
        self._sdk = anthropic
        self._base_url = base_url
        self._client = anthropic.Anthropic(
            api_key=api_key, base_url=base_url or None, max_retries=0, timeout=timeout_s
        )
        # SDK releases differ: newer ones dropped `temperature` (current models fix it) and
        # added `output_config` (structured output). Send what this SDK knows.
        self._accepts = set(inspect.signature(self._client.messages.create).parameters)

    def describe(self) -> str:
        return f"anthropic at {self._base_url or 'https://api.anthropic.com'}"

    def complete(self, request: CompletionRequest) -> Completion:
        sdk = self._sdk
        system = "\n\n".join(m.content for m in request.messages if m.role == "system")
        kwargs: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens,
            "messages": _alternating(m for m in request.messages if m.role != "system"),
        }
        if system:
            kwargs["system"] = system
        if "temperature" in self._accepts:
            kwargs["temperature"] = request.temperature
        if request.json_schema is not None and "output_config" in self._accepts:
            kwargs["output_config"] = {
                "format": {"type": "json_schema", "schema": request.json_schema}
            }
        with sdk_errors(sdk, self.describe(), request.timeout_s):
            response = self._client.with_options(timeout=request.timeout_s).messages.create(
                **kwargs
            )
        text = "".join(
            block.text for block in response.content if getattr(block, "type", "") == "text"
        )
        return Completion(
            text=text,
            tokens_in=response.usage.input_tokens or 0,
            tokens_out=response.usage.output_tokens or 0,
            model=response.model or request.model,
            finish_reason=response.stop_reason,
        )


def _alternating(messages: Any) -> list[dict[str, str]]:
    """User/assistant turns, consecutive turns of one side merged (the API wants alternation)."""
    out: list[dict[str, str]] = []
    for message in messages:
        assert isinstance(message, ChatMessage)
        if out and out[-1]["role"] == message.role:
            out[-1]["content"] += "\n\n" + message.content
        else:
            out.append(message.as_dict())
    return out
