"""Intent Processor: a plain-language idea becomes a Spec and a task plan.

`analyze` is the offline, rule-based path (deterministic); `refine` lets an LLM improve its
result through the `Complete` seam; `plan` and `trace` turn a Spec into tasks and show which
tasks cover which requirement.
"""

from quantumlayer.intent.llm import Complete, Refinement, refine
from quantumlayer.intent.planner import plan, trace
from quantumlayer.intent.questions import Question
from quantumlayer.intent.service import analyze
from quantumlayer.intent.text import DEFAULT_MAX_CHARS, clean_intent

__all__ = [
    "DEFAULT_MAX_CHARS",
    "Complete",
    "Question",
    "Refinement",
    "analyze",
    "clean_intent",
    "plan",
    "refine",
    "trace",
]
