"""Context management, prompts and their versions, and the cost estimate (no services)."""

from __future__ import annotations

import pytest

from quantumlayer import agents, intent
from quantumlayer.agents import context as ctx
from quantumlayer.agents.estimate import estimate_cost
from quantumlayer.agents.manager import LLMOptions
from quantumlayer.agents.messages import ChatMessage, parse_json_answer
from quantumlayer.agents.pricing import PriceTable
from quantumlayer.agents.prompts import (
    fence_for,
    file_block,
    render_mode,
    render_prompt,
    template_version,
)
from quantumlayer.domain import AgentRole, Spec

LIBRARY = "A REST API for a library: books, authors, members and loans"


@pytest.fixture(scope="module")
def spec() -> Spec:
    return intent.analyze(LIBRARY)


def _task(spec: Spec, kind: str, entity: str | None = None):  # noqa: ANN202
    return next(t for t in spec.tasks if t.kind == kind and (entity is None or t.entity == entity))


def test_token_estimates_are_conservative() -> None:
    text = "def create_book(session: Session, payload: BookCreate) -> Book:\n" * 50
    # ~4 characters a token is typical of BPE tokenizers on code; we count 3 to stay under.
    assert ctx.estimate_tokens(text) >= len(text) / 4
    assert ctx.prompt_budget(10_000, 2_000) == 7_500


def test_files_about_the_tasks_entity_rank_first(spec: Spec) -> None:
    files = {
        "app/routers/author.py": "Author routes",
        "app/models/book.py": "class Book: ...",
        "app/schemas/book.py": "class BookCreate: ...",
        "README.md": "# Library",
        "app/models/loan.py": "class Loan: book_id ... Book",
    }
    ranked = ctx.rank_files(files, spec=spec, task=_task(spec, "api", "Book"))
    assert set(ranked[:2]) == {"app/models/book.py", "app/schemas/book.py"}
    assert ranked.index("app/routers/author.py") < ranked.index("README.md")


def test_files_go_in_whole_or_not_at_all_and_the_rest_are_named() -> None:
    editable = {"mine.py": "m" * 300}
    readonly = {"big.py": "b" * 3000, "small.py": "s" * 300}
    selection = ctx.select_context(
        editable=editable, readonly=readonly, ranked_readonly=["big.py", "small.py"],
        budget_tokens=300,
    )
    assert [f.path for f in selection.editable] == ["mine.py"]
    assert [f.path for f in selection.readonly] == ["small.py"]  # big.py is not cut to fit
    assert selection.omitted == ["big.py"]
    assert all(f.content in (editable | readonly).values() for f in selection.readonly)
    assert selection.tokens <= 300


def test_editable_files_that_do_not_fit_are_listed_not_truncated() -> None:
    selection = ctx.select_context(
        editable={"huge.py": "x" * 10_000}, readonly={}, ranked_readonly=[], budget_tokens=100
    )
    assert selection.editable == [] and selection.omitted_editable == ["huge.py"]


def test_older_turns_are_summarised_then_dropped_never_the_task() -> None:
    head = [ChatMessage("system", "s" * 300), ChatMessage("user", "task " + "f" * 600)]
    middle = [
        ChatMessage("assistant", "a" * 3000),
        ChatMessage("user", "rejected: bad path\n" + "details " * 200),
        ChatMessage("assistant", "b" * 3000),
    ]
    last = ChatMessage("user", "try again")
    messages = [*head, *middle, last]
    assert ctx.fit_conversation(messages, 100_000) == messages
    fitted = ctx.fit_conversation(messages, 1200)
    assert fitted[:2] == head and fitted[-1] == last
    assert all("earlier answer" in m.content for m in fitted if m.role == "assistant")
    tight = ctx.fit_conversation(messages, 340)
    assert tight[:2] == head and tight[-1] == last and len(tight) == 4
    assert "left out" in tight[2].content


def test_role_prompts_are_versioned_templates(spec: Spec) -> None:
    for role in AgentRole:
        task = spec.tasks[0].model_copy(update={"role": role})
        prompt = render_prompt(spec=spec, task=task)
        assert prompt.version == f"{role.value}/v2"
        assert spec.title in prompt.text and task.id in prompt.text
    assert template_version("refine") == "refine/v1+format/v1"
    assert template_version("review") == "review/v1"


def test_the_refine_prompt_shows_files_requirements_and_the_format(spec: Spec) -> None:
    task = _task(spec, "api", "Book")
    selection = ctx.ContextSelection(
        editable=[ctx.ContextFile("app/routers/book.py", "router = 1\n")],
        readonly=[ctx.ContextFile("README.md", "# R\n```\nx\n```\n")],
        omitted=["app/crud.py"],
    )
    text = render_mode(
        "refine", task=task, role="backend", goal="add rules", rules=["Only yours."],
        requirements=spec.functional_requirements[:1], selection=selection,
    ).text
    assert "FILE: app/routers/book.py\n```python\nrouter = 1\n```" in text
    assert "FILE: README.md\n````markdown" in text  # a longer fence around content with ```
    assert "not shown: app/crud.py" in text and "- Only yours." in text
    assert spec.functional_requirements[0].text in text
    assert "No text outside the blocks" in text


def test_fences_and_blocks() -> None:
    assert fence_for("plain") == "```"
    assert fence_for("a\n````\nb") == "`````"
    block = file_block(ctx.ContextFile("x.toml", "a = 1"))
    assert block == "FILE: x.toml\n```toml\na = 1\n```"


def test_json_answers_are_found_in_prose_or_fences() -> None:
    assert parse_json_answer('{"verdict": "approve"}') == {"verdict": "approve"}
    assert parse_json_answer('Sure.\n```json\n{"a": 1}\n```') == {"a": 1}
    assert parse_json_answer('Here: {"a": [1, 2]} done') == {"a": [1, 2]}
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_json_answer("no json here")


def test_cost_estimate_prices_every_call(spec: Spec) -> None:
    options = LLMOptions(provider="openai", models={r.value: "gpt-4o-mini" for r in AgentRole})
    estimate = estimate_cost(spec, options=options)
    refines = [c for c in estimate.calls if c.what == "refine"]
    assert [c.task_id for c in refines] == [t.id for t in spec.tasks]
    assert any(c.what == "review" for c in estimate.calls)
    assert [c.what for c in estimate.calls].count("repair") == 1
    prices = PriceTable.load()
    expected = sum(prices.cost("gpt-4o-mini", c.tokens_in, c.tokens_out) for c in estimate.calls)
    assert estimate.cost_usd == pytest.approx(expected, rel=1e-3)
    assert estimate.as_dict()["total"]["calls"] == len(estimate.calls)
    assert estimate_cost(spec, options=LLMOptions(provider="builtin", models={})).calls == []


def test_the_builtin_engine_still_records_its_prompt_and_files(spec: Spec) -> None:
    outcome = agents.run_task(spec=spec, task=spec.tasks[0])
    assert outcome.provider == "builtin" and outcome.artifacts
    assert [i.kind for i in outcome.interactions][:2] == ["prompt", "response"]
    assert outcome.prompt_version == "architect/v2"
