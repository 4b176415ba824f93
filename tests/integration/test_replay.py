"""Saved workflow histories replay against the current workflow code.

A change to ProjectWorkflow that is not deterministic with respect to histories already recorded
(running workflows would break on it) fails here. Record a new history with
`QL_RECORD_HISTORIES=1 pytest tests/integration/test_workflow.py -k whole` when a change is
intended and versioned (workflow.patched).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from quantumlayer.orchestrator.worker import WORKFLOW_RUNNER
from quantumlayer.orchestrator.workflows import ProjectWorkflow

HISTORIES = sorted((Path(__file__).resolve().parents[1] / "histories").glob("*.json"))

pytestmark = pytest.mark.integration


def test_histories_are_committed() -> None:
    assert HISTORIES, "no saved workflow histories under tests/histories"


@pytest.mark.asyncio
@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_history_replays(path: Path) -> None:
    replayer = Replayer(
        workflows=[ProjectWorkflow],
        data_converter=pydantic_data_converter,
        workflow_runner=WORKFLOW_RUNNER,
    )
    history = WorkflowHistory.from_json(f"project-{path.stem}", path.read_text())
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
