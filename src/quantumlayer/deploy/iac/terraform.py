"""Terraform for the project's cloud (AWS, GCP or Azure): network, managed database, container
runtime, registry, secrets and outputs, with typed and described variables.

The templates receive only values computed here or by the profile (slugs, numbers, booleans,
regions from a fixed table), never free text from the idea except through `hclstr`.
"""

from __future__ import annotations

import json
from functools import cache

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..profile import DeploymentProfile, check_cloud

TF_DIR = "terraform"
TF_FILES = ("versions.tf", "variables.tf", "main.tf", "outputs.tf")


def hclstr(value: object) -> str:
    """An HCL quoted string for `value`: JSON escapes, and template sequences made literal."""
    text = " ".join(str(value).split())
    return json.dumps(text, ensure_ascii=True).replace("${", "$${").replace("%{", "%%{")


def hcl_comment(value: object) -> str:
    """Text safe inside a `#` comment: one line, no control characters."""
    return "".join(c for c in " ".join(str(value).split()) if c.isprintable())[:200]


@cache
def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=PackageLoader("quantumlayer.deploy.iac", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(hclstr=hclstr)
    return env


def render(profile: DeploymentProfile) -> dict[str, str]:
    """The files of terraform/ for the profile's cloud."""
    cloud = check_cloud(profile.cloud)
    rt = profile.runtime
    context = {
        "p": profile,
        "title": hcl_comment(profile.title),
        "http": rt.kind in {"http", "static"},
        "db": rt.uses_database,
        "secrets": list(rt.secrets),
        "secrets_hcl": json.dumps(list(rt.secrets)),
        "compliance": ", ".join(profile.compliance) or "no compliance regime named",
    }
    env = _environment()
    return {
        f"{TF_DIR}/{name}": env.get_template(f"terraform/{cloud}/{name}.j2").render(**context)
        for name in TF_FILES
    }
