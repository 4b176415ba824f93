"""The Agent Manager at the command line: fail fast on a misconfigured provider, estimate cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quantumlayer.config import Settings
from quantumlayer.errors import ProviderError
from quantumlayer.orchestrator.worker import build_activities

LIBRARY = "A REST API for a library: books, authors, members and loans"


def _cli(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("QL_", "OPENAI_", "ANTHROPIC_", "OLLAMA_"))}
    return subprocess.run(
        [sys.executable, "-m", "quantumlayer", *args],
        env={**clean, "QL_HOME": str(tmp_path / "home"), **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_create_with_a_misconfigured_provider_fails_before_starting_anything(
    tmp_path: Path,
) -> None:
    run = _cli(["create", LIBRARY, "--out", str(tmp_path / "out")], tmp_path,
               QL_LLM_PROVIDER="openai", QL_LLM_MODEL="gpt-4o-mini")
    assert run.returncode == 5, run.stderr  # ProviderError
    assert "OPENAI_API_KEY" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "home").exists()  # no services were started, no database made


def test_workers_fail_at_start_up_not_at_the_first_task(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="QL_LLM_MODEL"):
        build_activities(Settings(home=tmp_path, llm_provider="anthropic",
                                  anthropic_api_key="k"), graph_url=None)


def test_plan_estimates_cost_before_running(tmp_path: Path) -> None:
    run = _cli(["plan", LIBRARY, "--estimate-cost", "--json"], tmp_path,
               QL_LLM_PROVIDER="openai", QL_LLM_MODEL="gpt-4o-mini")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["name"] and data["tasks"]  # still the Spec
    total = data["cost_estimate"]["total"]
    assert total["calls"] > len(data["tasks"]) and 0 < total["cost_usd"] < 1
    text = _cli(["plan", LIBRARY, "--estimate-cost"], tmp_path)
    assert text.returncode == 0 and "makes no LLM calls" in text.stdout
