"""The `quantumlayer` command line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from quantumlayer import __version__
from quantumlayer.config import Settings, get_settings
from quantumlayer.errors import NotFound, QuantumLayerError, ServiceUnavailable, UserError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

app = typer.Typer(
    name="quantumlayer",
    help="Turn a plain-language idea into a working, tested, deployable project.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
dev_app = typer.Typer(
    help="Keep the embedded services (Temporal, FalkorDB/Redis) running between commands.",
    no_args_is_help=True,
)
app.add_typer(dev_app, name="dev")

out = Console()
err = Console(stderr=True)

_STATE_STYLE = {
    "pending": "dim",
    "running": "yellow",
    "succeeded": "green",
    "failed": "red",
    "skipped": "dim",
    "cancelled": "magenta",
}
EXIT_FAILED, EXIT_CANCELLED = 1, 130


def _read_idea(idea: str | None, file: Path | None) -> str:
    if file is not None:
        if idea:
            raise UserError("give the idea as an argument or with --file, not both")
        try:
            return file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UserError(f"cannot read {file}: {exc.strerror or exc}") from exc
    if idea is None:
        raise UserError('describe the project: quantumlayer create "A REST API for a library ..."')
    return idea


def _sessions(settings: Settings) -> sessionmaker[Session]:
    from quantumlayer.store import db

    engine = db.create_engine_for(settings.effective_database_url())
    db.migrate(engine)
    return db.session_factory(engine)


# -- create ------------------------------------------------------------------------------------
@app.command()
def create(
    idea: Annotated[str | None, typer.Argument(help="the project, in plain language")] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="where to write it (default ./<name>)")
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="print the summary as one JSON object")
    ] = False,
    max_parallel: Annotated[
        int | None,
        typer.Option("--max-parallel", min=1, max=64, help="tasks run at once (default 4)"),
    ] = None,
    require_approval: Annotated[
        bool,
        typer.Option(
            "--require-approval", help="wait after planning until `quantumlayer approve ID`"
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="write into a non-empty --out folder")
    ] = False,
    file: Annotated[Path | None, typer.Option("--file", help="read the idea from a file")] = None,
    max_repairs: Annotated[
        int, typer.Option("--max-repairs", min=0, max=10, help="repair rounds when tests fail")
    ] = 3,
    deploy_target: Annotated[
        str | None,
        typer.Option(
            "--deploy", help="deploy after the tests pass: local, kubernetes or terraform"
        ),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option("--budget", min=0, help="stop cleanly before LLM spending passes this (USD)"),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="ask the LLM provider again, ignoring cached answers")
    ] = False,
    min_task_seconds: Annotated[
        float,
        typer.Option(
            "--min-task-seconds",
            min=0,
            max=600,
            hidden=True,
            help="pad each task to this long (demos and durability tests)",
        ),
    ] = 0.0,
) -> None:
    """Build a project from an idea: analyse, plan, generate, test, and write it to a folder."""
    from quantumlayer import intent
    from quantumlayer.orchestrator.models import ProjectOptions

    settings = get_settings()
    text = _read_idea(idea, file)
    spec = intent.analyze(text, max_chars=settings.max_intent_chars)  # fails fast on bad input
    from quantumlayer.agents.providers import build_provider

    build_provider(settings)  # a misconfigured LLM provider fails now, before services start
    if deploy_target is not None and deploy_target not in ("local", "kubernetes", "terraform"):
        raise UserError(f"--deploy {deploy_target!r}: choose local, kubernetes or terraform")
    target = (out_dir or Path.cwd() / spec.name).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise UserError(f"--out {target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UserError(f"{target} is not empty; choose another --out or pass --force")
    options = ProjectOptions(
        max_parallel=max_parallel or settings.max_parallel,
        require_approval=require_approval,
        max_repairs=max_repairs,
        output_dir=str(target),
        force=force,
        min_task_seconds=min_task_seconds,
        deploy_target=deploy_target,
        budget_usd=budget,
        use_cache=not no_cache,
    )
    result = asyncio.run(_create(settings, text, spec, options, json_out=json_out))
    if json_out:
        print(json.dumps(result, indent=2))
    else:
        _print_summary(result)
    if result["status"] == "failed":
        raise typer.Exit(EXIT_FAILED)
    if result["status"] == "cancelled":
        raise typer.Exit(EXIT_CANCELLED)


async def _create(
    settings: Settings, text: str, spec: Any, options: Any, *, json_out: bool
) -> dict[str, Any]:
    from quantumlayer import platform
    from quantumlayer.orchestrator import client as wf
    from quantumlayer.orchestrator.models import ProjectInput, TaskQueues
    from quantumlayer.orchestrator.worker import build_activities, running_workers
    from quantumlayer.store import repositories as repo

    t_start = time.monotonic()
    project_id = uuid.uuid4().hex[:12]
    sessions = _sessions(settings)
    with sessions.begin() as session:
        repo.create_project(
            session,
            id=project_id,
            intent=text,
            name=spec.name,
            title=spec.title,
            project_type=spec.project_type.value,
            spec=None,
            options=options.model_dump(mode="json"),
            output_dir=options.output_dir,
        )
    status = err.status("Starting services (Temporal, FalkorDB/Redis)...") if not json_out else None
    if status:
        status.start()
    try:
        with platform.services(settings) as ep:
            t_services = time.monotonic() - t_start
            if status:
                status.stop()
                status = None
            client = await wf.connect(ep.temporal_address, namespace=settings.temporal_namespace)
            activities = build_activities(
                settings, graph_url=ep.graph_url, redis_url=ep.redis_url
            )
            queues = TaskQueues.with_prefix(settings.task_queue_prefix)
            async with running_workers(client, activities, queues):
                handle = await wf.start_project(
                    client,
                    ProjectInput(
                        project_id=project_id, intent=text, options=options, queues=queues
                    ),
                )
                with sessions.begin() as session:
                    repo.record_workflow(
                        session,
                        workflow_id=handle.id,
                        project_id=project_id,
                        run_id=handle.result_run_id or "",
                        task_queue=queues.workflows,
                    )
                result = await _watch(client, project_id, handle, json_out=json_out)
    finally:
        if status:
            status.stop()
    summary: dict[str, Any] = result.model_dump(mode="json")
    summary["phases"] = {"services": round(t_services, 3), **summary["phases"]}
    summary["duration_s"] = round(time.monotonic() - t_start, 3)
    summary["tests"] = {
        "passed": result.tests.passed,
        "failed": result.tests.failed + result.tests.errors,
    }
    return summary


async def _watch(client: Any, project_id: str, handle: Any, *, json_out: bool) -> Any:
    """Show live progress until the workflow ends; Ctrl-C asks the workflow to cancel."""
    from quantumlayer.orchestrator import client as wf

    loop = asyncio.get_running_loop()
    interrupted = asyncio.Event()

    def on_sigint() -> None:
        if interrupted.is_set():
            raise KeyboardInterrupt
        interrupted.set()

    loop.add_signal_handler(signal.SIGINT, on_sigint)
    result_task = asyncio.ensure_future(handle.result())
    live = (
        Live(console=err, refresh_per_second=8, transient=False)
        if (not json_out and err.is_terminal)
        else None
    )
    seen: dict[str, str] = {}
    cancel_sent = False
    started = time.monotonic()
    try:
        if live:
            live.start()
        while not result_task.done():
            if interrupted.is_set() and not cancel_sent:
                cancel_sent = True
                err.print("[magenta]Cancelling... (Ctrl-C again to stop waiting)[/]")
                await wf.cancel_project(client, project_id)
            try:
                progress = await wf.get_progress(client, project_id)
            except Exception:  # noqa: BLE001 - a query can race with the workflow closing
                progress = None
            if progress is not None:
                if live:
                    live.update(_progress_view(progress, time.monotonic() - started))
                elif not json_out:
                    for task in progress.tasks:
                        if seen.get(task.id) != task.state and task.state != "pending":
                            seen[task.id] = task.state
                            err.print(f"{task.id:>4} {task.role:<9} {task.state:<9} {task.title}")
            await asyncio.wait({result_task}, timeout=0.25)
        result = result_task.result()
        if live:
            live.update(Group(_progress_view_from_result(result)))
        return result
    finally:
        if live:
            live.stop()
        loop.remove_signal_handler(signal.SIGINT)


def _task_table(tasks: list[Any]) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("task", "role", "state", "time", "title"):
        table.add_column(col, justify="right" if col == "time" else "left")
    for task in tasks:
        if task.started_at is not None and task.finished_at is not None:
            secs = f"{task.finished_at - task.started_at:.1f}s"
        else:
            secs = "…" if task.state == "running" else ""
        table.add_row(
            task.id,
            task.role,
            Text(task.state, style=_STATE_STYLE.get(task.state, "")),
            secs,
            task.title,
        )
    return table


def _progress_view(progress: Any, elapsed: float) -> Group:
    done = sum(t.state == "succeeded" for t in progress.tasks)
    head = Text.assemble(
        ("QuantumLayer ", "bold"),
        f"phase: {progress.phase}  ",
        f"tasks: {done}/{len(progress.tasks)}  ",
        f"elapsed: {elapsed:.1f}s",
    )
    if progress.awaiting_approval:
        head.append(
            f"  waiting for approval: quantumlayer approve {progress.project_id}",
            style="bold yellow",
        )
    return Group(head, _task_table(progress.tasks))


def _progress_view_from_result(result: Any) -> Table:
    return _task_table(result.tasks)


def _print_summary(summary: dict[str, Any]) -> None:
    status = summary["status"]
    colour = {"succeeded": "green", "failed": "red", "cancelled": "magenta"}.get(status, "white")
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("project", summary["project_id"])
    table.add_row("status", Text(status, style=f"bold {colour}"))
    tasks = summary["tasks"]
    table.add_row(
        "tasks", f"{sum(t['state'] == 'succeeded' for t in tasks)}/{len(tasks)} succeeded"
    )
    table.add_row("files", str(summary.get("files", 0)))
    table.add_row(
        "tests", f"{summary['tests']['passed']} passed, {summary['tests']['failed']} failed"
    )
    table.add_row(
        "time",
        "  ".join(f"{k} {v:.1f}s" for k, v in summary["phases"].items())
        + f"  total {summary['duration_s']:.1f}s",
    )
    if summary.get("output_dir"):
        table.add_row("output", summary["output_dir"])
    deployment = summary.get("deployment")
    if deployment:
        table.add_row(
            "deployment",
            f"{deployment['status']} {deployment.get('url') or ''} ({deployment['deployment_id']})",
        )
    llm = summary.get("llm") or {}
    if llm.get("calls") or llm.get("cache_hits"):
        table.add_row(
            "llm",
            f"{llm['calls']} calls ({llm['cache_hits']} cached), {llm['tokens_in']:,} tokens in"
            f" / {llm['tokens_out']:,} out, ${llm['cost_usd']:.4f}",
        )
    for note in summary.get("notes") or []:
        table.add_row("note", Text(note, style="yellow"))
    if summary.get("error"):
        table.add_row("error", Text(summary["error"], style="red"))
    out.print(table)
    if status == "succeeded" and summary.get("output_dir"):
        out.print(f"\nNext: cd {summary['output_dir']} && uvicorn app.main:app --reload")


# -- plan --------------------------------------------------------------------------------------
@app.command()
def plan(
    idea: Annotated[str | None, typer.Argument(help="the project, in plain language")] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="print the Spec as one JSON object")
    ] = False,
    file: Annotated[Path | None, typer.Option("--file", help="read the idea from a file")] = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="answer the clarifying questions here, then plan again"
        ),
    ] = False,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help='answers to the questions, a JSON object: {"cloud": "AWS", "2": "10000 users"}',
        ),
    ] = None,
    trace: Annotated[
        bool, typer.Option("--trace", help="print requirement -> tasks (traceability)")
    ] = False,
    estimate_cost: Annotated[
        bool,
        typer.Option("--estimate-cost", help="estimate LLM calls, tokens and USD before running"),
    ] = False,
) -> None:
    """Show what QuantumLayer understood of an idea, and its task plan, without building."""
    from quantumlayer import intent
    from quantumlayer.intent.questions import load_answers
    from quantumlayer.intent.service import open_questions_of

    settings = get_settings()
    text = _read_idea(idea, file)
    answers: dict[str, str] = load_answers(answers_file) if answers_file else {}
    spec = intent.analyze(text, max_chars=settings.max_intent_chars, answers=answers or None)
    if interactive and spec.questions:
        # Questions go to stderr so that --json keeps stdout a single JSON object.
        for question in open_questions_of(spec, text):
            try:
                answers[question.key] = err.input(
                    f"[yellow]?[/] {question.text} [dim](Enter to skip)[/] "
                )
            except EOFError:  # no more input (a closed pipe): the rest stay open
                break
        spec = intent.analyze(text, max_chars=settings.max_intent_chars, answers=answers)
    if trace:
        rows = intent.trace(spec)
        if json_out:
            print(json.dumps([{"id": r, "text": t, "tasks": ts} for r, t, ts in rows], indent=2))
            return
        table = Table("requirement", "tasks", "text", box=None, header_style="bold")
        by_id = {t.id: t for t in spec.tasks}
        for req_id, req_text, task_ids in rows:
            tasks = ", ".join(
                f"{tid} {by_id[tid].kind}" + (f" {by_id[tid].entity}" if by_id[tid].entity else "")
                for tid in task_ids
            )
            table.add_row(req_id, tasks or Text("not covered", style="red"), req_text)
        out.print(table)
        return
    cost = None
    if estimate_cost:
        from quantumlayer.agents import commands as agent_commands

        cost = agent_commands.estimate(spec, settings)
    if json_out:
        data = spec.model_dump(mode="json")
        if cost is not None:
            data["cost_estimate"] = cost.as_dict()
        print(json.dumps(data, indent=2))
        return
    if cost is not None:
        agent_commands.print_estimate(cost)
        return
    out.print(f"[bold]{spec.title}[/] ({spec.name}) — {spec.project_type.value}")
    out.print(spec.summary)
    ents = Table("entity", "fields", "relations", box=None, header_style="bold")
    for e in spec.entities:
        ents.add_row(
            e.name,
            ", ".join(f"{f.name}:{f.type}" for f in e.fields),
            ", ".join(f"{r.kind}->{r.target}" for r in e.relations),
        )
    out.print(ents)
    out.print(f"features: {', '.join(spec.features) or '-'}   cloud: {spec.cloud or '-'}")
    if spec.deployment_hints:
        out.print(f"deployment: {', '.join(spec.deployment_hints)}")
    for fr in spec.functional_requirements:
        out.print(f"{fr.id} [{fr.priority}] {fr.text}", markup=False)
    for nfr in spec.non_functional_requirements:
        out.print(
            f"{nfr.id} [{nfr.category}] {nfr.text}"
            + (f" (target {nfr.target})" if nfr.target else ""),
            markup=False,
        )
    c = spec.complexity
    out.print(
        f"complexity: {c.score}/10, size {c.size}, ~{c.effort_hours:g} h — {'; '.join(c.drivers)}",
        markup=False,
    )
    task_table = Table(
        "task", "role", "depends on", "hours", "title", box=None, header_style="bold"
    )
    for t in spec.tasks:
        task_table.add_row(
            t.id, t.role.value, ", ".join(t.depends_on), f"{t.estimate_hours:g}", t.title
        )
    out.print(task_table)
    for q in spec.questions:
        out.print(Text("? ", style="yellow") + Text(q))
    if spec.questions and not interactive:
        out.print(
            "[dim]Answer with --interactive, or --answers FILE "
            '(e.g. {"cloud": "AWS"}; keys: entities, cloud, deploy, performance, scalability, '
            "availability, roles, payments_provider, type)[/]"
        )


# -- list / status / cancel / approve ------------------------------------------------------------
@app.command("list")
def list_projects(
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """List projects, newest first."""
    from quantumlayer.store import repositories as repo

    with _sessions(get_settings())() as session:
        rows = [_project_dict(p) for p in repo.list_projects(session, limit=limit, offset=0)]
    if json_out:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        out.print('No projects yet. Try: quantumlayer create "A REST API for a library"')
        return
    table = Table("id", "name", "type", "status", "tests", "created", box=None, header_style="bold")
    for r in rows:
        tests = r["summary"].get("tests") if r["summary"] else None
        table.add_row(
            r["id"],
            r["name"] or "",
            r["project_type"] or "",
            Text(r["status"], style=_STATE_STYLE.get(r["status"], "")),
            f"{tests['passed']}/{tests['passed'] + tests['failed'] + tests.get('errors', 0)}"
            if tests
            else "",
            r["created_at"][:19],
        )
    out.print(table)


def _project_dict(p: Any) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "title": p.title,
        "project_type": p.project_type,
        "status": str(p.status),
        "output_dir": p.output_dir,
        "summary": p.summary or {},
        "error": p.error,
        "created_at": p.created_at.isoformat() if p.created_at else "",
        "finished_at": p.finished_at.isoformat() if p.finished_at else None,
    }


@app.command()
def status(
    project_id: Annotated[str, typer.Argument(help="the project id (see `quantumlayer list`)")],
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Show a project's status; live task progress while it runs."""
    from quantumlayer import platform
    from quantumlayer.store import repositories as repo

    settings = get_settings()
    with _sessions(settings)() as session:
        row = _project_dict(repo.get_project_or_raise(session, project_id=project_id))
    progress = None
    if row["status"] in ("pending", "running"):
        ep = platform.running_endpoints(settings)
        if ep is not None:
            progress = asyncio.run(_try_progress(ep.temporal_address, settings, project_id))
    if progress is not None:
        row["progress"] = progress.model_dump(mode="json")
    if json_out:
        print(json.dumps(row, indent=2))
        return
    out.print(
        f"[bold]{row['id']}[/] {row['name']} — "
        f"[{_STATE_STYLE.get(row['status'], '')}]{row['status']}[/]"
    )
    if row["output_dir"]:
        out.print(f"output: {row['output_dir']}")
    if row["error"]:
        out.print(f"[red]error:[/] {row['error']}")
    tasks = progress.tasks if progress is not None else None
    if tasks is None and row["summary"].get("tasks"):
        from quantumlayer.orchestrator.models import TaskProgress

        tasks = [TaskProgress.model_validate(t) for t in row["summary"]["tasks"]]
    if tasks:
        out.print(_task_table(tasks))
    if row["summary"].get("tests"):
        t = row["summary"]["tests"]
        out.print(f"tests: {t['passed']} passed, {t['failed']} failed")


async def _try_progress(address: str, settings: Settings, project_id: str) -> Any:
    from quantumlayer.orchestrator import client as wf

    try:
        client = await wf.connect(address, namespace=settings.temporal_namespace)
        return await wf.get_progress(client, project_id)
    except Exception:  # noqa: BLE001 - status falls back to the database record
        return None


def _signal(project_id: str, action: str) -> None:
    from quantumlayer import platform
    from quantumlayer.orchestrator import client as wf
    from quantumlayer.store import repositories as repo

    settings = get_settings()
    with _sessions(settings)() as session:
        row = repo.get_project_or_raise(session, project_id=project_id)
    if str(row.status) not in ("pending", "running"):
        raise UserError(
            f"project {project_id} is {row.status}; only a running project can be {action}d"
        )
    ep = platform.running_endpoints(settings)
    if ep is None:
        raise ServiceUnavailable(
            "no running Temporal server found: the project's `create` is not running here "
            "(start services with `quantumlayer dev up`, or set QL_TEMPORAL_ADDRESS)"
        )

    async def send() -> None:
        client = await wf.connect(ep.temporal_address, namespace=settings.temporal_namespace)
        try:
            if action == "cancel":
                await wf.cancel_project(client, project_id)
            else:
                await wf.approve_project(client, project_id)
        except Exception as exc:  # noqa: BLE001 - RPC errors become one clear message
            raise NotFound(f"no running workflow for project {project_id}: {exc}") from exc

    asyncio.run(send())
    out.print(f"{action} requested for {project_id}")


@app.command()
def cancel(project_id: Annotated[str, typer.Argument(help="the project id")]) -> None:
    """Cancel a running project: no new tasks start, its status becomes `cancelled`."""
    _signal(project_id, "cancel")


@app.command()
def approve(project_id: Annotated[str, typer.Argument(help="the project id")]) -> None:
    """Let a project started with --require-approval go on after planning."""
    _signal(project_id, "approve")


# -- dev services ------------------------------------------------------------------------------
@dev_app.command("up")
def dev_up() -> None:
    """Start the embedded services and leave them running."""
    from quantumlayer.runtime import EmbeddedServices

    settings = get_settings()
    ep, started = EmbeddedServices(settings.home, **settings.embedded_ports()).up(persistent=True)
    out.print(
        ("Started" if started else "Already running") + f": temporal {ep.temporal_address}, "
        f"redis {ep.redis_url}, graph {ep.graph_url}  (data in {settings.home})"
    )


@dev_app.command("down")
def dev_down() -> None:
    """Stop the embedded services."""
    from quantumlayer.runtime import EmbeddedServices

    stopped = EmbeddedServices(get_settings().home).down()
    out.print(f"Stopped: {', '.join(stopped)}" if stopped else "Nothing was running.")


@dev_app.command("status")
def dev_status(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show the embedded services: pid, port, health."""
    from quantumlayer.runtime import EmbeddedServices

    info = EmbeddedServices(get_settings().home).status()
    if json_out:
        print(json.dumps(info, indent=2, default=str))
        return
    if not any(isinstance(s, dict) and s.get("running") for s in info.values()):
        out.print("No embedded services are running (start them with `quantumlayer dev up`).")
        return
    table = Table("service", "pid", "port", "running", "healthy", box=None, header_style="bold")
    for name, s in info.items():
        if isinstance(s, dict):
            table.add_row(
                name,
                str(s.get("pid", "")),
                str(s.get("port", "")),
                str(s.get("running", "")),
                str(s.get("healthy", "")),
            )
    out.print(table)


# -- worker ------------------------------------------------------------------------------------
@app.command()
def worker() -> None:
    """Run workers for every task queue until stopped (needs QL_TEMPORAL_ADDRESS or `dev up`)."""
    from quantumlayer import platform
    from quantumlayer.api.app import configure_logging
    from quantumlayer.orchestrator import client as wf
    from quantumlayer.orchestrator.models import TaskQueues
    from quantumlayer.orchestrator.worker import build_activities, serve_forever

    configure_logging()  # a long-running service: its log lines go through the PII filter too
    settings = get_settings()
    ep = platform.running_endpoints(settings)
    if ep is None:
        raise ServiceUnavailable(
            "no Temporal server: set QL_TEMPORAL_ADDRESS or run `quantumlayer dev up`"
        )

    async def main() -> None:
        client = await wf.connect(ep.temporal_address, namespace=settings.temporal_namespace)
        activities = build_activities(settings, graph_url=ep.graph_url, redis_url=ep.redis_url)
        err.print(
            f"worker ready on {ep.temporal_address} (queues prefix {settings.task_queue_prefix})"
        )
        await serve_forever(client, activities, TaskQueues.with_prefix(settings.task_queue_prefix))

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


def _register_commands() -> None:
    """Commands that live with their service (each module has `register(app)`): one line each."""
    __import__("quantumlayer.agents.commands", fromlist=["register"]).register(app)
    from quantumlayer.deploy import commands as deploy_commands

    deploy_commands.register(app)
    from quantumlayer.api import commands as api_commands

    api_commands.register(app)


_register_commands()


def main() -> None:
    """Entry point: run the app, mapping our errors to a message and an exit code."""
    try:
        # Without standalone mode click returns the code of a typer.Exit instead of raising it
        # ("create" ending in a failed project raises Exit(1)): it must become the exit status.
        code = app(standalone_mode=False)
    except QuantumLayerError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(EXIT_CANCELLED)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(EXIT_CANCELLED)
    except Exception as exc:  # usage errors (typer vendors its own click) and the like
        show = getattr(exc, "show", None)
        exit_code = getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        raise
    if isinstance(code, int) and code:
        sys.exit(code)
