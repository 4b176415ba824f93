"""What goes to an LLM provider and what comes back: chat messages in; text, JSON and usage out.

Plain frozen dataclasses with no I/O, shared by every provider, the cache and the Agent Manager.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

ChatRole = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    role: ChatRole
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class CompletionRequest:
    """One call: the conversation so far and how to answer it.

    `json_schema`, when given, asks for structured output: providers that can enforce a schema
    (OpenAI `response_format`, Ollama `format`) do; the caller validates the JSON either way.
    """

    messages: tuple[ChatMessage, ...]
    model: str
    max_tokens: int = 4096
    temperature: float = 0.2
    json_schema: dict[str, Any] | None = None
    timeout_s: float = 120.0
    # The window the prompt was fitted to; servers that would otherwise cut prompts silently
    # (Ollama's default num_ctx) are told to use it.
    context_tokens: int | None = None

    def cache_parameters(self) -> dict[str, Any]:
        """What, besides the messages, decides the answer (part of the cache key)."""
        return {
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "json_schema": self.json_schema,
        }


@dataclass(frozen=True)
class Completion:
    """A provider's answer and what it cost in tokens (as the provider counted them)."""

    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    model: str = ""
    finish_reason: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def json(self) -> Any:
        """The answer parsed as JSON; a fenced ```json block or surrounding prose is tolerated.

        Raises ValueError with a message fit to send back to the model.
        """
        return parse_json_answer(self.text)


def parse_json_answer(text: str) -> Any:
    """The JSON value in an answer: the whole text, a fenced block, or the outermost {...}."""
    candidates = [text.strip()]
    if "```" in text:
        inner = text.split("```", 2)
        if len(inner) >= 2:
            body = inner[1]
            candidates.append(body.split("\n", 1)[1] if body.startswith("json") else body)
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    last: json.JSONDecodeError | None = None
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except json.JSONDecodeError as err:
            last = err
    raise ValueError(f"the answer is not valid JSON ({last})")
