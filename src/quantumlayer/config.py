"""Settings: one typed object read from QL_* environment variables, with embedded defaults.

With nothing set, QuantumLayer runs on one machine with no set-up: SQLite under QL_HOME, and a
Temporal dev server and a FalkorDB/Redis started from the bundled binaries.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    def embedded_ports(self) -> dict[str, int | None]:
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
