"""Agent Manager: agents in roles do tasks through a provider (today: the built-in engine)."""

from quantumlayer.agents.engine import BUILTIN, AgentOutcome, Interaction, archetype_for, run_task
from quantumlayer.agents.prompts import RenderedPrompt, render_prompt

__all__ = [
    "BUILTIN",
    "AgentOutcome",
    "Interaction",
    "RenderedPrompt",
    "archetype_for",
    "render_prompt",
    "run_task",
]
