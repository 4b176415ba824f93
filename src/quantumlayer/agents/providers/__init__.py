"""LLM providers behind one interface, chosen by QL_LLM_PROVIDER through a registry.

The built-in providers register themselves the way a third party would (`register_provider`);
each imports its SDK only when it is chosen. A misconfigured provider fails here, at start-up,
with a message that says what to set, not at the first task.
"""

from __future__ import annotations

from collections.abc import Callable

from quantumlayer.agents.providers.base import (
    Provider,
    ProviderCallError,
    ProviderUnavailable,
    is_transient_status,
    parse_retry_after,
)
from quantumlayer.config import Settings
from quantumlayer.domain import AgentRole
from quantumlayer.errors import ProviderError

BUILTIN = "builtin"
ProviderFactory = Callable[[Settings], Provider]
_FACTORIES: dict[str, ProviderFactory] = {}


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Make `QL_LLM_PROVIDER=<name>` build a provider with `factory(settings)`."""
    _FACTORIES[name.lower()] = factory


def provider_names() -> list[str]:
    """Every provider name QL_LLM_PROVIDER accepts."""
    return [BUILTIN, *sorted(_FACTORIES)]


def missing_models(settings: Settings) -> list[str]:
    """Roles that have no model (neither QL_LLM_MODEL nor QL_LLM_MODEL_<ROLE>)."""
    return [r.value for r in AgentRole if not settings.llm_model_for(r.value)]


def build_provider(settings: Settings) -> Provider | None:
    """The configured provider, or None for the built-in engine. ProviderError if misconfigured."""
    name = settings.llm_provider
    if name == BUILTIN:
        return None
    factory = _FACTORIES.get(name)
    if factory is None:
        raise ProviderError(
            f"unknown QL_LLM_PROVIDER={name!r}: use one of {', '.join(provider_names())}"
        )
    missing = missing_models(settings)
    if missing:
        which = "every role" if len(missing) == len(AgentRole) else ", ".join(missing)
        raise ProviderError(
            f"QL_LLM_PROVIDER={name} needs a model for {which}: set QL_LLM_MODEL "
            "(e.g. gpt-4o-mini, claude-3-5-haiku-latest, llama3.1) or QL_LLM_MODEL_<ROLE>"
        )
    return factory(settings)


def _check_url(value: str | None, variable: str) -> str | None:
    if value and not value.startswith(("http://", "https://")):
        raise ProviderError(f"{variable}={value!r} must be an http:// or https:// URL")
    return value or None


def _openai(settings: Settings) -> Provider:
    from quantumlayer.agents.providers.openai import OpenAIProvider

    base_url = _check_url(settings.openai_base_url, "OPENAI_BASE_URL")
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and not base_url:
        raise ProviderError(
            "QL_LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL pointing at an "
            "OpenAI-compatible server such as vLLM, llama.cpp or LM Studio)"
        )
    return OpenAIProvider(api_key=key, base_url=base_url, timeout_s=settings.llm_timeout_s)


def _anthropic(settings: Settings) -> Provider:
    from quantumlayer.agents.providers.anthropic import AnthropicProvider

    base_url = _check_url(settings.anthropic_base_url, "ANTHROPIC_BASE_URL")
    key = settings.anthropic_api_key.get_secret_value() if settings.anthropic_api_key else None
    if not key:
        raise ProviderError("QL_LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY")
    return AnthropicProvider(api_key=key, base_url=base_url, timeout_s=settings.llm_timeout_s)


def _ollama(settings: Settings) -> Provider:
    from quantumlayer.agents.providers.ollama import OllamaProvider

    host = settings.ollama_host
    if host and "://" not in host:
        host = f"http://{host}"  # OLLAMA_HOST is often written host:port
    return OllamaProvider(host=_check_url(host, "OLLAMA_HOST"), timeout_s=settings.llm_timeout_s)


register_provider("openai", _openai)
register_provider("anthropic", _anthropic)
register_provider("ollama", _ollama)

__all__ = [
    "BUILTIN",
    "Provider",
    "ProviderCallError",
    "ProviderFactory",
    "ProviderUnavailable",
    "build_provider",
    "is_transient_status",
    "missing_models",
    "parse_retry_after",
    "provider_names",
    "register_provider",
]
