"""Settings: one typed object read from QL_* environment variables, with embedded defaults.

With nothing set, QuantumLayer runs on one machine with no set-up: SQLite under QL_HOME, and a
Temporal dev server and a FalkorDB/Redis started from the bundled binaries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypedDict

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class EmbeddedPorts(TypedDict):
    """Fixed ports for the embedded services (None: pick a free one)."""

    temporal_port: int | None
    redis_port: int | None
    bolt_port: int | None

class Settings(BaseSettings):
    """Every knob of the platform; each is read from QL_<FIELD NAME> (upper-case)."""

    model_config = SettingsConfigDict(env_prefix="QL_", extra="ignore")

    home: Path = Field(
        default=Path(".quantumlayer"), description="data folder of the embedded mode"
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file under QL_HOME"
    )
    temporal_address: str | None = Field(
        default=None, description="host:port of a Temporal frontend; default: embedded dev server"
    )
    temporal_namespace: str = "default"
    temporal_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="port of the embedded Temporal (default: a free one)",
    )
    redis_port: int | None = Field(
        default=None, ge=1, le=65535, description="port of the embedded Redis (default: a free one)"
    )
    bolt_port: int | None = Field(
        default=None,
        ge=1,
        le=32767,
        description="Bolt port of the embedded FalkorDB (default: a free one)",
    )
    redis_url: str | None = Field(default=None, description="default: the embedded Redis")
    graph_url: str | None = Field(default=None, description="Bolt URL; default: embedded FalkorDB")
    graph_user: str = "default"
    graph_password: str = ""
    graph_database: str = "quantumlayer"
    task_queue_prefix: str = Field(
        default="ql",
        description="task queues are <prefix>-intent, <prefix>-agents, <prefix>-deploy",
    )
    max_parallel: int = Field(default=4, ge=1, le=64)
    max_intent_chars: int = Field(default=100_000, ge=100)
    sandbox_timeout_s: float = Field(default=300.0, gt=0)
    sandbox_memory_mb: int = Field(default=2048, ge=64)

    # -- LLM providers (the Agent Manager; see agents/providers/) ------------------------------
    llm_provider: str = Field(
        default="builtin",
        description="builtin (offline templates), openai (or any OpenAI-compatible server), "
        "anthropic or ollama",
    )
    llm_model: str | None = Field(default=None, description="model every role uses by default")
    llm_model_architect: str | None = Field(default=None, description="model of the architect")
    llm_model_backend: str | None = Field(default=None, description="model of the backend role")
    llm_model_frontend: str | None = Field(default=None, description="model of the frontend role")
    llm_model_qa: str | None = Field(default=None, description="model of the QA role")
    llm_model_devops: str | None = Field(default=None, description="model of the devops role")
    llm_model_writer: str | None = Field(default=None, description="model of the writer role")
    llm_model_security: str | None = Field(default=None, description="model of the security role")
    llm_timeout_s: float = Field(default=120.0, gt=0, description="timeout of one provider call")
    llm_max_retries: int = Field(
        default=4, ge=0, le=20, description="retries of a call answered 429/5xx or timed out"
    )
    llm_retry_max_wait_s: float = Field(
        default=60.0, gt=0, description="longest wait between retries (caps Retry-After)"
    )
    llm_output_retries: int = Field(
        default=2, ge=0, le=10, description="new tries after an answer that does not parse"
    )
    llm_max_output_tokens: int = Field(default=4096, ge=16, description="per call")
    llm_temperature: float = Field(default=0.2, ge=0, le=2)
    llm_context_tokens: int | None = Field(
        default=None, ge=512, description="context window (default: the model's, from the "
        "price table, else 8192)"
    )
    llm_reviews: bool = Field(
        default=True, description="a reviewer (security/architect) comments on changed output"
    )
    llm_cache: bool = Field(default=True, description="cache LLM responses in Redis")
    llm_cache_ttl_s: int = Field(default=30 * 24 * 3600, ge=1)
    llm_breaker_failures: int = Field(
        default=5, ge=1, description="failed calls in a row that open the circuit breaker"
    )
    llm_breaker_reset_s: float = Field(
        default=60.0, gt=0, description="how long an open circuit refuses calls"
    )
    llm_prices_file: Path | None = Field(
        default=None, description="JSON price table to use instead of the bundled one"
    )
    # The providers' own variables, read without the QL_ prefix as their SDKs document them.
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "openai_base_url")
    )
    anthropic_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_API_KEY", "anthropic_api_key")
    )
    anthropic_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_BASE_URL", "anthropic_base_url")
    )
    ollama_host: str | None = Field(
        default=None, validation_alias=AliasChoices("OLLAMA_HOST", "ollama_host")
    )

    # --- API gateway and security (quantumlayer.api, quantumlayer.security) ------------------
    api_host: str = Field(default="127.0.0.1", description="address `quantumlayer api` binds")
    api_port: int = Field(default=8000, ge=1, le=65535, description="port `quantumlayer api` binds")
    api_run_workers: bool = Field(
        default=True,
        description="run the Temporal workers inside the API process (off when separate "
        "`quantumlayer worker` processes serve the task queues)",
    )
    api_max_body_bytes: int = Field(
        default=2_097_152,
        ge=1024,
        description="largest request body accepted (413 beyond); the default admits the "
        "longest intent even with every character JSON-escaped",
    )
    api_forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="proxies whose X-Forwarded-For is trusted for the client address "
        "(uvicorn's forwarded_allow_ips)",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="origins allowed to call the API from a browser (comma-separated); "
        "empty: no cross-origin access",
    )
    admin_allowed_cidrs: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.0/8", "::1/128"],
        description="client networks allowed on admin endpoints (comma-separated CIDRs)",
    )
    jwt_algorithm: Literal["HS256", "HS384", "HS512", "RS256", "ES256", "EdDSA"] = Field(
        default="HS256", description="signing algorithm of access and refresh tokens"
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        description="HMAC key for HS* tokens (at least 32 bytes); default: a random key kept "
        "under QL_HOME (local mode only: required with a shared database)",
    )
    jwt_private_key: SecretStr | None = Field(
        default=None, description="PEM private key for RS256 / ES256 / EdDSA tokens"
    )
    jwt_issuer: str = "quantumlayer"
    jwt_audience: str = "quantumlayer-api"
    jwt_leeway_s: int = Field(default=5, ge=0, le=60, description="clock skew tolerated")
    access_token_ttl_s: int = Field(default=900, ge=30, description="access token lifetime")
    refresh_token_ttl_s: int = Field(
        default=30 * 24 * 3600,
        ge=60,
        description="refresh token family lifetime, counted from login (rotation never extends)",
    )
    rate_limit: str = Field(
        default="120/minute", description="per-user (or per-client-address) default limit"
    )
    rate_limits: dict[str, str] = Field(
        default_factory=dict,
        description='per-endpoint overrides, JSON: {"POST /v1/projects": "10/minute"}',
    )
    rate_limit_enabled: bool = True
    rate_limit_key_prefix: str = Field(default="ql-rl", description="prefix of limiter keys")
    rate_limit_fail_open: bool = Field(
        default=True,
        description="when Redis is unreachable, serve non-auth endpoints unlimited (auth "
        "endpoints always fail closed with 503)",
    )
    auth_rate_limit: str = Field(
        default="30/minute", description="token and refresh requests per client address"
    )
    login_failure_limit: str = Field(
        default="5/15 minutes", description="failed logins per username before 429"
    )
    secrets_keys: SecretStr | None = Field(
        default=None,
        description="AES-256-GCM keyring 'id:base64key,...' (first encrypts, all decrypt); "
        "default: a keyring file under QL_HOME",
    )
    vault_addr: str | None = Field(
        default=None, description="HashiCorp Vault address: secrets go to its KV v2 engine"
    )
    vault_token: SecretStr | None = None
    vault_mount: str = "secret"
    vault_path_prefix: str = "quantumlayer"
    sse_interval_s: float = Field(
        default=0.5, gt=0, le=60, description="progress poll interval of the events stream"
    )

    @field_validator("cors_origins", "admin_allowed_cidrs", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("admin_allowed_cidrs")
    @classmethod
    def _valid_cidrs(cls, value: list[str]) -> list[str]:
        import ipaddress

        for cidr in value:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError as exc:
                raise ValueError(f"QL_ADMIN_ALLOWED_CIDRS: {exc}") from None
        return value

    @field_validator("rate_limit", "auth_rate_limit", "login_failure_limit")
    @classmethod
    def _valid_limit(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"invalid rate limit {value!r}: {exc}") from None
        return value

    @field_validator("rate_limits")
    @classmethod
    def _valid_limits(cls, value: dict[str, str]) -> dict[str, str]:
        for key, limit in value.items():
            cls._valid_limit(limit)
            method, _, path = key.partition(" ")
            if not method.isalpha() or not path.startswith("/"):
                raise ValueError(f"QL_RATE_LIMITS key {key!r} must read 'METHOD /path'")
        return value

    @field_validator("llm_provider")
    @classmethod
    def _provider_name(cls, value: str) -> str:
        return value.strip().lower() or "builtin"

    def llm_model_for(self, role: str) -> str | None:
        """QL_LLM_MODEL_<ROLE> if set, else QL_LLM_MODEL."""
        return getattr(self, f"llm_model_{role}", None) or self.llm_model

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    def embedded_ports(self) -> EmbeddedPorts:
        """Keyword arguments for runtime.EmbeddedServices."""
        return {
            "temporal_port": self.temporal_port,
            "redis_port": self.redis_port,
            "bolt_port": self.bolt_port,
        }

    def queue(self, name: str) -> str:
        """The full task-queue name for `intent`, `agents` or `deploy`."""
        return f"{self.task_queue_prefix}-{name}"

    def effective_database_url(self) -> str:
        """QL_DATABASE_URL, or the SQLite file of the embedded mode."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'quantumlayer.db'}"


def get_settings() -> Settings:
    """Settings from the environment (a fresh read each call: tests and the CLI set env vars)."""
    return Settings()
