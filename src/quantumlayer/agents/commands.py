"""CLI commands of the Agent Manager: `quantumlayer logs ID` (see cli._register_commands)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

out = Console()

_KIND_STYLE = {
    "prompt": "cyan",
    "response": "green",
    "review": "magenta",
    "answer": "yellow",
    "note": "dim",
}


def register(app: typer.Typer) -> None:
    """Add the Agent Manager's commands to the `quantumlayer` app."""
    app.command("logs")(logs)


def logs(
    project_id: Annotated[str, typer.Argument(help="the project id (see `quantumlayer list`)")],
    task: Annotated[str | None, typer.Option("--task", help="only this task (e.g. T7, R1)")] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="only prompt, response, review, answer or note"),
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="whole messages, not their start")] = False,
    lines: Annotated[int, typer.Option("--lines", min=1, help="lines shown per message")] = 6,
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Show what the agents of a project said to the provider and to each other, and the cost."""
    from quantumlayer.cli import _sessions
    from quantumlayer.config import get_settings
    from quantumlayer.errors import UserError
    from quantumlayer.store import repositories as repo

    if kind is not None and kind not in _KIND_STYLE:
        raise UserError(f"--kind {kind!r}: choose one of {', '.join(_KIND_STYLE)}")
    with _sessions(get_settings())() as session:
        project = repo.get_project_or_raise(session, project_id=project_id)
        rows = repo.list_interactions(session, project_id=project_id, task_id=task)
        entries = [_entry(r) for r in rows if kind is None or r.kind == kind]
        header = {"id": project.id, "name": project.name, "status": str(project.status)}
    report: dict[str, Any] = {
        "project": header,
        "interactions": entries,
        "messages": _network(entries),
        "totals": _totals(entries),
    }
    if json_out:
        print(json.dumps(report, indent=2))
        return
    out.print(f"[bold]{header['id']}[/] {header['name'] or ''} — {header['status']}")
    if not entries:
        out.print("No agent interactions recorded" + (f" for task {task}." if task else "."))
        return
    for e in entries:
        head = Text.assemble(
            (f"{e['task_id']:>5} ", "bold"),
            (f"{e['role']:<9} ", ""),
            (f"{e['kind']:<8}", _KIND_STYLE.get(e["kind"], "")),
        )
        details = [e["provider"] or "", e["model"] or "", e["prompt_version"] or ""]
        if e["tokens_in"] or e["tokens_out"]:
            details.append(f"{e['tokens_in']:,} in / {e['tokens_out']:,} out")
        if e["cost_usd"]:
            details.append(f"${e['cost_usd']:.6f}")
        head.append("  " + "  ".join(d for d in details if d), style="dim")
        out.print(head)
        body = e["content"].splitlines()
        shown = body if full else body[:lines]
        for line in shown:
            out.print(Text("      " + line))
        if len(body) > len(shown):
            out.print(Text(f"      … {len(body) - len(shown)} more lines (--full)", style="dim"))
    for m in report["messages"]:
        out.print(f"[magenta]{m['from']} → {m['to']}[/] {m['kind']} on {m['task_id']}")
    t = report["totals"]
    out.print(
        f"[bold]total:[/] {t['calls']} provider calls ({t['cached']} answered from the cache), "
        f"{t['tokens_in']:,} tokens in / {t['tokens_out']:,} out, ${t['cost_usd']:.6f}"
    )


def _entry(row: Any) -> dict[str, Any]:
    return {
        "task_id": row.task_id,
        "role": row.agent_role,
        "kind": row.kind,
        "sequence": row.sequence,
        "provider": row.provider,
        "model": row.model,
        "prompt_version": row.prompt_version,
        "tokens_in": row.tokens_in,
        "tokens_out": row.tokens_out,
        "cost_usd": row.cost_usd,
        "content": row.content,
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }


def _network(entries: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Who messaged whom: a review goes from the reviewer to the task's author, an answer back."""
    authors: dict[str, str] = {}
    for e in entries:
        if e["kind"] == "response":
            authors.setdefault(e["task_id"], e["role"])
    reviewers: dict[str, str] = {}
    edges = []
    for e in entries:
        author = authors.get(e["task_id"])
        if e["kind"] == "review" and author:
            reviewers[e["task_id"]] = e["role"]
            edges.append({"task_id": e["task_id"], "from": e["role"], "to": author,
                          "kind": "review"})
        elif e["kind"] == "answer" and e["task_id"] in reviewers:
            edges.append({"task_id": e["task_id"], "from": e["role"],
                          "to": reviewers[e["task_id"]], "kind": "answer"})
    return edges


def _totals(entries: list[dict[str, Any]]) -> dict[str, Any]:
    answers = [e for e in entries if e["kind"] in ("response", "review", "answer")]
    cached = [e for e in answers if (e["provider"] or "").endswith("(cache)")]
    called = [e for e in answers if e["provider"] not in (None, "builtin") and e not in cached]
    return {
        "calls": len(called),
        "cached": len(cached),
        "tokens_in": sum(e["tokens_in"] for e in entries),
        "tokens_out": sum(e["tokens_out"] for e in entries),
        "cost_usd": round(sum(e["cost_usd"] for e in entries), 8),
    }


def estimate(spec: Any, settings: Any) -> Any:
    """The cost estimate of building `spec` with the configured provider and models."""
    from quantumlayer.agents.estimate import estimate_cost
    from quantumlayer.agents.manager import LLMOptions
    from quantumlayer.agents.pricing import PriceTable
    from quantumlayer.agents.providers import missing_models
    from quantumlayer.errors import ProviderError

    if settings.llm_provider != "builtin" and missing_models(settings):
        raise ProviderError(
            f"estimating needs the model of every role: set QL_LLM_MODEL (roles without one: "
            f"{', '.join(missing_models(settings))})"
        )
    return estimate_cost(
        spec,
        options=LLMOptions.from_settings(settings),
        prices=PriceTable.load(settings.llm_prices_file),
    )


def print_estimate(result: Any) -> None:
    """The estimate as a table, with its total."""
    from rich.table import Table

    if result.provider == "builtin":
        out.print(
            "cost: $0 — QL_LLM_PROVIDER=builtin makes no LLM calls (set QL_LLM_PROVIDER and "
            "QL_LLM_MODEL to estimate a provider's cost)"
        )
        return
    table = Table("task", "role", "call", "model", "tokens in", "tokens out", "USD",
                  box=None, header_style="bold")
    for c in result.calls:
        table.add_row(c.task_id, c.role, c.what, c.model, f"{c.tokens_in:,}",
                      f"{c.tokens_out:,}", f"{c.cost_usd:.4f}")
    out.print(table)
    out.print(
        f"[bold]estimated cost:[/] ${result.cost_usd:.4f} for {len(result.calls)} calls "
        f"({result.tokens_in:,} tokens in / {result.tokens_out:,} out) with {result.provider}; "
        "an upper estimate (cache hits and diff answers cost less)"
    )
    if result.unpriced_models:
        out.print(
            f"[yellow]no price for {', '.join(result.unpriced_models)}: counted as $0[/] "
            "(QL_LLM_PRICES_FILE adds prices)"
        )
