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
SUPPORTED_TYPES = frozenset({ProjectType.REST_API})


@dataclass(frozen=True)
class Interaction:
    kind: str  # prompt | response | note
    content: str


@dataclass
class AgentOutcome:
    """What one agent produced for one task."""

    task_id: str
    artifacts: list[Artifact]
    interactions: list[Interaction] = field(default_factory=list)
    provider: str = BUILTIN
    model: str = "templates"
    prompt_version: str = ""
    spawn_time_s: float = 0.0


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
