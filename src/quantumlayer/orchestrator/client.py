"""Starting, watching and steering project workflows from outside (CLI, API)."""

from __future__ import annotations

from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError

from quantumlayer.errors import ServiceUnavailable
from quantumlayer.orchestrator.models import Progress, ProjectInput, ProjectResult
from quantumlayer.orchestrator.workflows import ProjectWorkflow


def workflow_id_for(project_id: str) -> str:
    """The workflow id of a project (stable: the idempotency keys of activities build on it)."""
    return f"project-{project_id}"


async def connect(address: str, *, namespace: str = "default") -> Client:
    """A Temporal client with the pydantic data converter; ServiceUnavailable if unreachable."""
    try:
        return await Client.connect(
            address, namespace=namespace, data_converter=pydantic_data_converter
        )
    except (RPCError, RuntimeError, OSError) as err:
        raise ServiceUnavailable(f"cannot reach Temporal at {address}: {err}") from err


async def start_project(
    client: Client, inp: ProjectInput
) -> WorkflowHandle[ProjectWorkflow, ProjectResult]:
    """Start the project's workflow on the workflows queue."""
    return await client.start_workflow(
        ProjectWorkflow.run,
        inp,
        id=workflow_id_for(inp.project_id),
        task_queue=inp.queues.workflows,
    )


def handle_for(client: Client, project_id: str) -> WorkflowHandle[ProjectWorkflow, ProjectResult]:
    return client.get_workflow_handle_for(ProjectWorkflow.run, workflow_id_for(project_id))


async def get_progress(client: Client, project_id: str) -> Progress:
    """The live progress of a running (or finished) project workflow."""
    return await handle_for(client, project_id).query(ProjectWorkflow.progress)


async def cancel_project(client: Client, project_id: str) -> None:
    """Ask the workflow to stop; it records status `cancelled` itself."""
    await handle_for(client, project_id).signal(ProjectWorkflow.cancel)


async def approve_project(client: Client, project_id: str) -> None:
    await handle_for(client, project_id).signal(ProjectWorkflow.approve)
