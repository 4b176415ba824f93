"""Agent Manager: agents in roles do tasks — with the built-in engine, or an LLM provider that
refines the engine's scaffold, reviews, answers and repairs (see manager.py)."""

from quantumlayer.agents.budget import BudgetExceeded
from quantumlayer.agents.engine import (
    BUILTIN,
    AgentMessage,
    AgentOutcome,
    Interaction,
    archetype_for,
    run_task,
)
from quantumlayer.agents.manager import (
    REVIEWERS,
    AgentManager,
    LLMOptions,
    RunControls,
    build_manager,
    connect_redis,
)
from quantumlayer.agents.prompts import RenderedPrompt, render_prompt

__all__ = [
    "BUILTIN",
    "REVIEWERS",
    "AgentManager",
    "AgentMessage",
    "AgentOutcome",
    "BudgetExceeded",
    "Interaction",
    "LLMOptions",
    "RenderedPrompt",
    "RunControls",
    "archetype_for",
    "build_manager",
    "connect_redis",
    "render_prompt",
    "run_task",
]
