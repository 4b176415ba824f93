"""Intent Processor: a plain-language idea becomes a Spec and a task plan."""

from quantumlayer.intent.planner import plan
from quantumlayer.intent.service import analyze
from quantumlayer.intent.text import DEFAULT_MAX_CHARS, clean_intent

__all__ = ["DEFAULT_MAX_CHARS", "analyze", "clean_intent", "plan"]
