"""What agents produce and what checks report: artifacts, test reports, deployment plans."""

from __future__ import annotations

import hashlib
import posixpath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


def safe_relative_path(path: str) -> str:
    """Normalise `path` as a POSIX path inside a project; raise ValueError if it would escape it."""
    if not path or "\x00" in path or "\\" in path:
        raise ValueError(f"invalid artifact path: {path!r}")
    norm = posixpath.normpath(path)
    if norm.startswith("/") or norm == ".." or norm.startswith("../") or norm == ".":
        raise ValueError(f"artifact path escapes the project: {path!r}")
    return norm


class Artifact(BaseModel):
    """One generated file, addressed by the SHA-256 of its content."""

    model_config = ConfigDict(extra="forbid")

    path: str
    content: str
    task_id: str | None = None

    @field_validator("path")
    @classmethod
    def _inside_project(cls, value: str) -> str:
        return safe_relative_path(value)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content.encode("utf-8")).hexdigest()


class TestReport(BaseModel):
    """The outcome of running a generated project's tests in the sandbox."""

    model_config = ConfigDict(extra="forbid")
    __test__ = False  # not a pytest test class

    command: list[str] = Field(default_factory=list)
    exit_code: int | None = None
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    duration_s: float = 0.0
    timed_out: bool = False
    output_tail: str = ""
    isolation: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == 0
            and not self.timed_out
            and self.failed == 0
            and self.errors == 0
            and self.passed > 0
        )


class DeploymentPlan(BaseModel):
    """Deployment files rendered for a project, and what validated them."""

    model_config = ConfigDict(extra="forbid")

    target: Literal["local", "kubernetes", "terraform", "none"] = "none"
    files: list[str] = Field(default_factory=list)
    checks: list[str] = Field(default_factory=list)
