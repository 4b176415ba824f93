"""Prompts: versioned template files under agents/prompts/, rendered with task, Spec and context.

`<role>.md` is the system prompt of a role (who the agent is, what it cares about, its task).
`refine.md`, `repair.md`, `review.md` and `answer.md` are the user messages of the four things an
agent is asked to do; `format.md` (included by them) is the strict answer format. Each file starts
with front matter giving its `version`; the version recorded with an interaction names every file
that went into the prompt, e.g. `backend/v2+refine/v1+format/v1`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined

from quantumlayer.domain import AgentRole, Spec, Task

_FRONT = re.compile(r"\A---\n(?P<meta>.*?)\n---\n", re.S)
_INCLUDE = re.compile(r"""\{%-?\s*include\s+["']([\w.-]+)["']""")
_LANGUAGES = {
    ".py": "python", ".md": "markdown", ".toml": "toml", ".json": "json", ".yml": "yaml",
    ".yaml": "yaml", ".js": "javascript", ".ts": "typescript", ".html": "html", ".css": "css",
    ".sh": "bash", ".tf": "hcl", ".sql": "sql", ".txt": "text",
}


@dataclass(frozen=True)
class RenderedPrompt:
    role: AgentRole
    version: str
    text: str


@dataclass(frozen=True)
class RenderedMode:
    version: str
    text: str


@cache
def _load(name: str) -> tuple[str, str]:
    """(version, body) of prompts/<name>.md, front matter removed."""
    raw = resources.files("quantumlayer.agents").joinpath("prompts", f"{name}.md").read_text()
    match = _FRONT.match(raw)
    meta = dict(
        line.split(":", 1)
        for line in (match.group("meta").splitlines() if match else [])
        if ":" in line
    )
    body = raw[match.end() :] if match else raw
    return meta.get("version", "0").strip(), body


@cache
def template_version(name: str) -> str:
    """`name/vN`, followed by the versions of the templates it includes."""
    version, body = _load(name)
    parts = [f"{name}/v{version}"]
    for included in _INCLUDE.findall(body):
        parts.append(template_version(included.removesuffix(".md")))
    return "+".join(parts)


def fence_for(content: str) -> str:
    """A backtick fence longer than any run of backticks that starts a line of `content`."""
    longest = max((len(m) for m in re.findall(r"^\s*(`{3,})", content, re.M)), default=0)
    return "`" * max(3, longest + 1)


def language_of(path: str) -> str:
    dot = path.rfind(".")
    return _LANGUAGES.get(path[dot:].lower(), "") if dot >= 0 else ""


def fenced(content: str, language: str = "") -> str:
    fence = fence_for(content)
    body = content if content.endswith("\n") or not content else content + "\n"
    return f"{fence}{language}\n{body}{fence}"


def file_block(item: Any) -> str:
    """`FILE: path` and its content in a fence, as agents are shown files and answer with them."""
    return f"FILE: {item.path}\n{fenced(item.content, language_of(item.path))}"


_ENV = Environment(
    loader=FunctionLoader(lambda name: _load(name.removesuffix(".md"))[1]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)
_ENV.globals.update(block=file_block, fenced=fenced, fence=fence_for)


def render_prompt(*, spec: Spec, task: Task, role: AgentRole | None = None) -> RenderedPrompt:
    """The system prompt of the task's role (or of `role`, for a reviewer), rendered."""
    who = role or task.role
    _, body = _load(who.value)
    return RenderedPrompt(
        role=who,
        version=template_version(who.value),
        text=_ENV.from_string(body).render(spec=spec, task=task, role=who.value),
    )


def render_mode(name: str, **context: Any) -> RenderedMode:
    """The user message of a mode (refine, repair, review, answer) rendered with `context`."""
    _, body = _load(name)
    return RenderedMode(
        version=template_version(name), text=_ENV.from_string(body).render(**context)
    )


# What refining means for each kind of task (the scaffold already does the mechanical part).
_GOALS = {
    "design": "make the architecture document specific to this project: the decisions, the "
    "data model and its constraints, how each requirement is met, the risks.",
    "scaffold": "keep the application wiring correct and add what the requirements need at "
    "the application level (settings, error handling, middleware), nothing entity-specific.",
    "model": "add the constraints and validation rules the requirements imply for this entity "
    "(formats, ranges, required relations), in the model and its schemas alike.",
    "api": "add the business rules the requirements ask for to these endpoints (state changes, "
    "checks across entities, clear error responses), keeping paths and fields as they are.",
    "tests": "add tests for the requirements and edge cases not covered yet (validation "
    "errors, not found, conflicts, business rules); every test must pass against the code.",
    "docs": "make the README and API guide accurate and useful: what the project does, how to "
    "run and configure it, and examples that work as written.",
    "devops": "harden the Dockerfile and CI: small image, non-root user, health check, pinned "
    "versions, lint and test steps; no secrets in files.",
    "security": "fix the security weaknesses you find and document the security model.",
}


def goal_for(task: Task) -> str:
    return _GOALS.get(task.kind, "improve these files to meet the task and its requirements.")
