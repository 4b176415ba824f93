"""The Agent Manager's first engine: the deterministic, offline built-in engine.

An agent is created per task, does the task with its provider, and is destroyed; what it said and
produced is returned so that the caller (a Temporal activity) can store it idempotently.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from quantumlayer.agents.prompts import render_prompt
from quantumlayer.domain import Artifact, ProjectType, Spec, Task

BUILTIN = "builtin"
# Project types the built-in engine can generate today; the others get the REST API archetype.
SUPPORTED_TYPES = frozenset(ProjectType)  # every type has an archetype (generators/)


@dataclass(frozen=True)
class Interaction:
    """One message of an agent: a prompt it was given, its response, a review, an answer to a
    review, or a note (a rejected answer, a retry, a decision)."""

    kind: str  # prompt | response | review | answer | note
    content: str
    role: str | None = None  # the agent's role; None: the task's role
    prompt_version: str | None = None
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    cached: bool = False


@dataclass(frozen=True)
class AgentMessage:
    """A message from one agent to another (a review, an answer), for the interaction network."""

    from_role: str
    to_role: str
    kind: str


@dataclass
class AgentOutcome:
    """What one agent produced for one task, what it cost, and whether the run must stop."""

    task_id: str
    artifacts: list[Artifact]
    interactions: list[Interaction] = field(default_factory=list)
    provider: str = BUILTIN
    model: str = "templates"
    prompt_version: str = ""
    spawn_time_s: float = 0.0
    changed: bool = True
    note: str | None = None
    messages: list[AgentMessage] = field(default_factory=list)
    calls: int = 0
    cache_hits: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    stop: str | None = None  # "budget" | "provider": the run cannot go on
    stop_message: str | None = None


def archetype_for(spec: Spec) -> ProjectType:
    """The archetype the built-in engine uses for `spec`."""
    return spec.project_type if spec.project_type in SUPPORTED_TYPES else ProjectType.REST_API


def run_task(*, spec: Spec, task: Task) -> AgentOutcome:
    """Run one task with the built-in engine and return its files and interaction record."""
    from quantumlayer import generators  # imported here: templates load on first use

    started = time.perf_counter()
    prompt = render_prompt(spec=spec, task=task)
    spawn = time.perf_counter() - started
    build_spec = (
        spec
        if archetype_for(spec) is spec.project_type
        else spec.model_copy(update={"project_type": ProjectType.REST_API})
    )
    artifacts = [
        a.model_copy(update={"task_id": task.id}) for a in generators.generate(build_spec, task)
    ]
    listing = "\n".join(f"- {a.path} ({len(a.content.splitlines())} lines)" for a in artifacts)
    interactions = [
        Interaction("prompt", prompt.text),
        Interaction(
            "response", f"Produced {len(artifacts)} files with the built-in engine:\n{listing}"
        ),
    ]
    if build_spec is not spec:
        interactions.append(
            Interaction(
                "note",
                f"The built-in engine has no {spec.project_type.value} archetype yet; "
                "it generated a REST API service for the same entities.",
            )
        )
    return AgentOutcome(
        task_id=task.id,
        artifacts=artifacts,
        interactions=interactions,
        prompt_version=prompt.version,
        spawn_time_s=spawn,
    )
