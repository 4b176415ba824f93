"""Per project type: generated files, lines, generated tests passed in the sandbox, generation time,
and the time of the deployment artefacts' validation, from one idea per type.

The path is the product's own, without Temporal: Intent Processor -> planner -> built-in engine
(every task) -> `ruff check` -> the project's tests in the sandbox -> Deployment Engine
validation. Generation time is the median of --runs runs (the sandbox run is done once).

    .venv/bin/python bench/project_types_bench.py [--runs 5] [--json] [--features]

--features adds every feature that changes code (auth, rbac, search, ...) to the REST-based
types' Specs, to see what they cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quantumlayer import agents, deploy, intent, sandbox
from quantumlayer.domain import ProjectType
from quantumlayer.generators import EXAMPLE_IDEAS

IDEAS = EXAMPLE_IDEAS
REST_BASED = {ProjectType.REST_API, ProjectType.WEB_APP, ProjectType.MOBILE_APP}
CODED = ["auth", "rbac", "search", "file_upload", "export_csv", "import_csv", "audit_log",
         "rate_limiting", "webhooks"]


def generate(spec: object) -> dict[str, str]:
    files: dict[str, str] = {}
    for task in intent.plan(spec).topological_order():  # type: ignore[arg-type]
        for artifact in agents.run_task(spec=spec, task=task).artifacts:  # type: ignore[arg-type]
            files[artifact.path] = artifact.content
    return files


def measure(project_type: ProjectType, runs: int, features: bool) -> dict[str, object]:
    spec = intent.analyze(IDEAS[project_type])
    if features and project_type in REST_BASED:
        spec = spec.model_copy(update={"features": CODED})
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        files = generate(spec)
        timings.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        deploy.service.write_files(root, files)
        lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "-q", "."],
                              cwd=root, capture_output=True, text=True, check=False)
        report = sandbox.run_pytest(root, limits=sandbox.SandboxLimits(timeout_s=300))
    started = time.perf_counter()
    _, checks = deploy.prepare_artifacts(spec, files)
    validation = time.perf_counter() - started
    return {
        "type": str(project_type),
        "spec_type": str(spec.project_type),
        "files": len(files),
        "lines": sum(text.count("\n") for text in files.values()),
        "tests_passed": report.passed,
        "tests_failed": report.failed + report.errors,
        "tests_skipped": report.skipped,
        "ruff_clean": lint.returncode == 0,
        "generate_s": round(statistics.median(timings), 3),
        "test_s": report.duration_s,
        "validate_s": round(validation, 3),
        "checks": len(checks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--features", action="store_true")
    args = parser.parse_args()
    rows = [measure(t, args.runs, args.features) for t in IDEAS]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    head = (f"{'type':<14}{'files':>6}{'lines':>7}{'tests':>7}{'fail':>5}{'skip':>5}"
            f"{'ruff':>6}{'gen s':>8}{'test s':>8}{'valid s':>8}")
    print(head)
    for r in rows:
        print(f"{r['type']:<14}{r['files']:>6}{r['lines']:>7}{r['tests_passed']:>7}"
              f"{r['tests_failed']:>5}{r['tests_skipped']:>5}{'ok' if r['ruff_clean'] else 'NO':>6}"
              f"{r['generate_s']:>8.3f}{r['test_s']:>8.2f}{r['validate_s']:>8.3f}")


if __name__ == "__main__":
    main()
