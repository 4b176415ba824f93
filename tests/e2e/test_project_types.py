"""Every project type from an idea: the Intent Processor's Spec, the planner's tasks done by the
built-in engine, the generated project linted and tested in the sandbox, its deployment
artefacts validated. And one whole `create --deploy local` through the CLI.

`bench/project_types_bench.py` prints the same run's figures per type.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from quantumlayer import agents, deploy, intent, sandbox
from quantumlayer.deploy.targets.local import port_in_use
from quantumlayer.domain import ProjectType
from quantumlayer.generators import EXAMPLE_IDEAS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
BIN = Path(sys.executable).parent / "quantumlayer"

IDEAS = EXAMPLE_IDEAS


def build(idea: str) -> tuple[object, dict[str, str], float]:
    """Spec -> planned tasks -> the built-in engine's files; and how long generation took."""
    spec = intent.analyze(idea)
    graph = intent.plan(spec)
    started = time.perf_counter()
    files: dict[str, str] = {}
    for task in graph.topological_order():
        for artifact in agents.run_task(spec=spec, task=task).artifacts:
            files[artifact.path] = artifact.content
    return spec, files, time.perf_counter() - started


@pytest.mark.parametrize("project_type", list(IDEAS), ids=str)
def test_idea_to_tested_project(project_type: ProjectType, tmp_path: Path) -> None:
    spec, files, seconds = build(IDEAS[project_type])
    assert spec.project_type == project_type
    root = tmp_path / "project"
    deploy.service.write_files(root, files)

    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert lint.returncode == 0, lint.stdout[-3000:]

    report = sandbox.run_pytest(root, limits=sandbox.SandboxLimits(timeout_s=240))
    assert report.ok, report.output_tail[-3000:]

    added, checks = deploy.prepare_artifacts(spec, files)
    assert added == {} and checks
    lines = sum(text.count("\n") for text in files.values())
    print(f"\n{project_type}: {len(files)} files, {lines} lines, {report.passed} tests passed "
          f"({report.skipped} skipped), generated in {seconds:.2f}s")


def ql(*args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QL_")}
    env["QL_HOME"] = str(home)
    return subprocess.run([str(BIN), *args], cwd=home.parent, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_create_with_deploy_local_runs_the_worker(tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = tmp_path / "orders-worker"
    proc = ql("create", IDEAS[ProjectType.WORKER], "--out", str(out), "--deploy", "local",
              "--json", home=home)
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-3000:]
    summary = json.loads(proc.stdout)
    deployment = summary["deployment"]
    try:
        assert summary["status"] == "succeeded" and summary["project_type"] == "worker"
        assert deployment["status"] == "running"
        with urllib.request.urlopen(deployment["url"] + "/health", timeout=5) as response:
            assert response.status == 200 and json.loads(response.read())["status"] == "ok"
        assert (out / "k8s" / "deployment.yaml").is_file() and (out / "DEPLOY.md").is_file()
    finally:
        down = ql("undeploy", summary["project_id"], "--json", home=home)
    assert down.returncode == 0, down.stderr
    assert [d["status"] for d in json.loads(down.stdout)] == ["stopped"]
    port = int(deployment["url"].rsplit(":", 1)[1])
    assert not port_in_use(port)
