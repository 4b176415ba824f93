"""CLI commands of the Deployment Engine: `deploy`, `undeploy`, `deployments`.

`register(app)` adds them to the `quantumlayer` Typer app (see cli._register_commands).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from quantumlayer.config import get_settings
from quantumlayer.errors import UserError

out = Console()
err = Console(stderr=True)
EXIT_FAILED = 1


class Target(StrEnum):
    LOCAL = "local"
    KUBERNETES = "kubernetes"
    TERRAFORM = "terraform"


def _sessions() -> Any:
    from quantumlayer.store import db

    engine = db.create_engine_for(get_settings().effective_database_url())
    db.migrate(engine)
    return db.session_factory(engine)


def deploy_command(
    project_id: Annotated[str, typer.Argument(help="the project id (see `quantumlayer list`)")],
    target: Annotated[Target, typer.Option("--target", "-t", help="where to deploy")] = (
        Target.LOCAL
    ),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="validate the artefacts only; deploy nothing")
    ] = False,
    port: Annotated[
        int | None, typer.Option("--port", help="local target: the port (default: a free one)")
    ] = None,
    cloud: Annotated[
        str | None, typer.Option("--cloud", help="terraform target: aws, gcp or azure")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, max=600, help="local: seconds to become healthy")
    ] = 30.0,
    var: Annotated[
        list[str] | None,
        typer.Option("--var", help="terraform: a variable, NAME=VALUE (repeatable)"),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Deploy a project: validate its artefacts, then run it locally, apply it to Kubernetes or
    run Terraform. Recorded in the deployments table."""
    from quantumlayer import deploy

    settings = get_settings()
    variables = {}
    for item in var or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise UserError(f"--var {item[:40]!r}: expected NAME=VALUE")
        variables[name] = value
    sessions = _sessions()
    outcome = deploy.deploy(
        sessions=sessions, project_id=project_id, target=target.value, home=settings.home,
        dry_run=dry_run, port=port, cloud=cloud, health_timeout_s=timeout, variables=variables,
    )
    data = outcome.as_dict()
    with sessions() as session:
        data["deployment_success_rate"] = deploy.success_rate(session)
    if json_out:
        print(json.dumps(data, indent=2, default=str))
    else:
        colour = "red" if outcome.status == "failed" else "green"
        out.print(f"[bold]{outcome.target}[/] [{colour}]{outcome.status}[/]"
                  + (f"  {outcome.url}" if outcome.url else "")
                  + (f"  deployment {outcome.deployment_id}" if outcome.deployment_id else ""))
        for check in outcome.checks:
            out.print(f"  [green]✓[/] {check}", highlight=False)
        if outcome.error:
            err.print(f"[red]{outcome.error}[/]", highlight=False)
            tail = outcome.details.get("log_tail")
            if tail:
                err.print(tail[-2000:], highlight=False, markup=False)
    if outcome.status == "failed":
        raise typer.Exit(EXIT_FAILED)


def undeploy_command(
    ref: Annotated[str, typer.Argument(help="a deployment id, or a project id (all of its own)")],
    json_out: Annotated[bool, typer.Option("--json", help="print a JSON list")] = False,
) -> None:
    """Stop a deployment: the local process ends and its port is free; Kubernetes resources are
    deleted; Terraform destroys what it created."""
    from quantumlayer import deploy

    outcomes = deploy.undeploy(sessions=_sessions(), ref=ref)
    if json_out:
        print(json.dumps([o.as_dict() for o in outcomes], indent=2, default=str))
        return
    if not outcomes:
        out.print(f"Nothing is deployed for {ref}.")
    for outcome in outcomes:
        out.print(f"{outcome.deployment_id} ({outcome.target}): {outcome.status}")


def deployments_command(
    project_id: Annotated[str | None, typer.Argument(help="only this project's")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """List deployments, newest first, and the deployment success rate."""
    from quantumlayer import deploy

    sessions = _sessions()
    rows = deploy.list_deployments(sessions, project_id=project_id)
    with sessions() as session:
        rate = deploy.success_rate(session, project_id=project_id)
    if json_out:
        print(json.dumps({"deployments": [r.as_dict() for r in rows],
                          "deployment_success_rate": rate}, indent=2, default=str))
        return
    table = Table("deployment", "project", "target", "status", "url", box=None,
                  header_style="bold")
    for r in rows:
        table.add_row(r.deployment_id or "", r.project_id, r.target, r.status, r.url or "")
    out.print(table)
    out.print("deployment success rate: " + ("-" if rate is None else f"{rate:.0%}"))


def register(app: typer.Typer) -> None:
    """Add `deploy`, `undeploy` and `deployments` to the CLI."""
    app.command("deploy")(deploy_command)
    app.command("undeploy")(undeploy_command)
    app.command("deployments")(deployments_command)
