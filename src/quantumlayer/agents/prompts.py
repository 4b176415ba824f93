"""Role prompts: versioned template files under agents/prompts/, rendered with the task and Spec."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from jinja2 import Environment, StrictUndefined

from quantumlayer.domain import AgentRole, Spec, Task

_FRONT = re.compile(r"\A---\n(?P<meta>.*?)\n---\n", re.S)
_ENV = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


@dataclass(frozen=True)
class RenderedPrompt:
    role: AgentRole
    version: str
    text: str


@cache
def _template(role: AgentRole) -> tuple[str, str]:
    raw = resources.files("quantumlayer.agents").joinpath("prompts", f"{role.value}.md").read_text()
    match = _FRONT.match(raw)
    meta = dict(
        line.split(":", 1)
        for line in (match.group("meta").splitlines() if match else [])
        if ":" in line
    )
    body = raw[match.end() :] if match else raw
    return f"{role.value}/v{meta.get('version', '0').strip()}", body


def render_prompt(*, spec: Spec, task: Task) -> RenderedPrompt:
    """The prompt of the task's role, rendered; its version is recorded with the interaction."""
    version, body = _template(task.role)
    return RenderedPrompt(
        role=task.role,
        version=version,
        text=_ENV.from_string(body).render(spec=spec, task=task, role=task.role.value),
    )
