"""The terraform target: `terraform init`, `plan` and `apply` in the project's terraform/ folder.

Runs only when a `terraform` binary is on PATH; cloud credentials come from the environment as
terraform's providers expect them. Outputs (the service URL among them) are read back as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from quantumlayer.errors import UserError

TIMEOUT_S = 3600


@dataclass
class TerraformRun:
    ok: bool
    steps: list[str] = field(default_factory=list)
    outputs: dict[str, object] = field(default_factory=dict)
    error: str = ""


def binary() -> str:
    found = shutil.which("terraform")
    if found is None:
        raise UserError(
            "terraform is not on PATH: install it (https://developer.hashicorp.com/terraform) "
            "or use --dry-run to validate the Terraform offline"
        )
    return found


def _run(argv: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ) | {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    return subprocess.run(  # noqa: S603 - argv is built here from fixed words
        argv, cwd=folder, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
        check=False,
    )


def apply(folder: Path, *, variables: dict[str, str] | None = None) -> TerraformRun:
    """init -> plan -> apply in `folder`; stops at the first failing step."""
    tf = binary()
    var_args = [f"-var={key}={value}" for key, value in (variables or {}).items()]
    run = TerraformRun(ok=False)
    for step in (
        [tf, "init", "-input=false", "-no-color"],
        [tf, "plan", "-input=false", "-no-color", "-out=plan.tfplan", *var_args],
        [tf, "apply", "-input=false", "-no-color", "-auto-approve", "plan.tfplan"],
    ):
        result = _run(step, folder)
        run.steps.append(f"terraform {step[1]}: exit {result.returncode}")
        if result.returncode != 0:
            run.error = (result.stderr or result.stdout)[-4000:]
            return run
    result = _run([tf, "output", "-json"], folder)
    if result.returncode == 0:
        run.outputs = {k: v.get("value") for k, v in json.loads(result.stdout or "{}").items()}
    run.ok = True
    return run


def destroy(folder: Path) -> TerraformRun:
    tf = binary()
    result = _run([tf, "destroy", "-input=false", "-no-color", "-auto-approve"], folder)
    return TerraformRun(ok=result.returncode == 0, steps=[f"terraform destroy: exit "
                                                          f"{result.returncode}"],
                        error="" if result.returncode == 0 else result.stderr[-4000:])
