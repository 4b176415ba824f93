"""The exception hierarchy, mapped once to CLI exit codes (and later to HTTP problem responses)."""

from __future__ import annotations


class QuantumLayerError(Exception):
    """Base of every error QuantumLayer raises on purpose. Its message is meant for the user."""

    exit_code = 1
    http_status = 500
    code = "internal_error"


class UserError(QuantumLayerError):
    """The input or the invocation is wrong; the message says how to fix it."""

    exit_code = 2
    http_status = 422
    code = "invalid_input"


class NotFound(QuantumLayerError):
    """A named thing (project, deployment, ...) does not exist."""

    exit_code = 3
    http_status = 404
    code = "not_found"


class ServiceUnavailable(QuantumLayerError):
    """A service we depend on (Temporal, database, Redis, graph) cannot be reached or started."""

    exit_code = 4
    http_status = 503
    code = "service_unavailable"


class ProviderError(QuantumLayerError):
    """An LLM provider failed or is misconfigured."""

    exit_code = 5
    http_status = 502
    code = "provider_error"
