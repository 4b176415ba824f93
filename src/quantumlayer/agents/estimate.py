"""What a run would cost with the configured provider, before running it (`plan --estimate-cost`).

Prompts are sized by rendering them as the agents would: each task's system prompt, its scaffold
(the built-in engine's files) and the files of the tasks it depends on, up to the model's prompt
budget. Answers are assumed to rewrite the scaffold (capped at the max output tokens); a review
per task that has a reviewer, and one repair round, are included. An upper estimate, not a bill:
answers in DIFF form, cache hits and approved reviews cost less.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from quantumlayer.agents import context as ctx
from quantumlayer.agents.engine import run_task
from quantumlayer.agents.manager import REVIEWERS, LLMOptions
from quantumlayer.agents.messages import ChatMessage
from quantumlayer.agents.pricing import PriceTable
from quantumlayer.agents.prompts import goal_for, render_mode, render_prompt
from quantumlayer.domain import Spec, Task

REVIEW_ANSWER_TOKENS = 200
REPAIR_ANSWER_TOKENS = 1500


@dataclass
class CallEstimate:
    task_id: str
    role: str
    what: str  # refine | review | repair
    model: str
    tokens_in: int
    tokens_out: int
    cost_usd: float


@dataclass
class CostEstimate:
    provider: str
    calls: list[CallEstimate] = field(default_factory=list)
    unpriced_models: list[str] = field(default_factory=list)

    @property
    def tokens_in(self) -> int:
        return sum(c.tokens_in for c in self.calls)

    @property
    def tokens_out(self) -> int:
        return sum(c.tokens_out for c in self.calls)

    @property
    def cost_usd(self) -> float:
        return sum(c.cost_usd for c in self.calls)

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "calls": [asdict(c) for c in self.calls],
            "total": {
                "calls": len(self.calls),
                "tokens_in": self.tokens_in,
                "tokens_out": self.tokens_out,
                "cost_usd": round(self.cost_usd, 6),
            },
            "unpriced_models": self.unpriced_models,
        }


def estimate_cost(
    spec: Spec, *, options: LLMOptions, prices: PriceTable | None = None
) -> CostEstimate:
    """The estimated calls, tokens and USD of building `spec` (no calls with `builtin`)."""
    prices = prices or PriceTable.load()
    estimate = CostEstimate(provider=options.provider)
    if options.provider == "builtin":
        return estimate
    tasks = spec.tasks
    files_of = {t.id: {a.path: a.content for a in run_task(spec=spec, task=t).artifacts}
                for t in tasks}
    by_id = {t.id: t for t in tasks}

    def add(task: Task, role: str, what: str, tokens_in: int, tokens_out: int) -> None:
        model = options.models.get(role, "")
        if prices.get(model) is None and model not in estimate.unpriced_models:
            estimate.unpriced_models.append(model)
        estimate.calls.append(
            CallEstimate(task.id, role, what, model, tokens_in, tokens_out,
                         round(prices.cost(model, tokens_in, tokens_out), 6))
        )

    for task in tasks:
        role = task.role.value
        model = options.models.get(role, "")
        window = options.context_tokens or prices.context_tokens(model)
        budget = ctx.prompt_budget(window, options.max_output_tokens)
        editable = files_of[task.id]
        readonly: dict[str, str] = {}
        for dep in _all_dependencies(task, by_id):
            readonly.update(files_of.get(dep, {}))
        selection = ctx.select_context(
            editable=editable,
            readonly=readonly,
            ranked_readonly=ctx.rank_files(readonly, spec=spec, task=task),
            budget_tokens=budget,
        )
        system = render_prompt(spec=spec, task=task)
        user = render_mode(
            "refine", task=task, role=role, goal=goal_for(task), requirements=[], rules=[],
            selection=selection,
        )
        tokens_in = ctx.conversation_tokens(
            [ChatMessage("system", system.text), ChatMessage("user", user.text)]
        )
        tokens_out = min(options.max_output_tokens,
                         sum(ctx.estimate_tokens(c) for c in editable.values()))
        add(task, role, "refine", tokens_in, tokens_out)
        reviewer = REVIEWERS.get(role) if options.reviews else None
        if reviewer is not None:
            add(task, reviewer, "review", tokens_out + 600, REVIEW_ANSWER_TOKENS)
    if tasks:
        everything = {p: c for files in files_of.values() for p, c in files.items()}
        owner = next((t for t in tasks if t.kind == "tests"), tasks[-1])
        model = options.models.get(owner.role.value, "")
        window = options.context_tokens or prices.context_tokens(model)
        tokens_in = min(
            ctx.prompt_budget(window, options.max_output_tokens),
            sum(ctx.ContextFile(p, c).tokens for p, c in everything.items()) + 1500,
        )
        add(owner, owner.role.value, "repair", tokens_in,
            min(options.max_output_tokens, REPAIR_ANSWER_TOKENS))
    return estimate


def _all_dependencies(task: Task, by_id: dict[str, Task]) -> list[str]:
    seen: list[str] = []
    todo = list(task.depends_on)
    while todo:
        tid = todo.pop(0)
        if tid not in seen:
            seen.append(tid)
            todo.extend(by_id[tid].depends_on if tid in by_id else [])
    return seen
