"""The environment a sandboxed command starts with: built from nothing, secrets never copied in."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Collection, Mapping

from quantumlayer.errors import UserError

DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"

# Names that look like credentials. Matching is on the upper-cased name, so it errs on the side of
# dropping (KEYBOARD_LAYOUT goes too); a caller that really needs one passes it in `allow_env`.
SECRET_NAME_PATTERNS: tuple[str, ...] = (
    "*KEY*", "*TOKEN*", "*SECRET*", "*PASSWORD*", "*PASSWD*", "*PASSPHRASE*", "*CREDENTIAL*",
    "*AUTH*", "*COOKIE*", "*PRIVATE*", "*_DSN", "*DATABASE_URL*", "*CONNECTION_STRING*",
    "AWS_*", "AZURE_*", "GOOGLE_*", "GCP_*", "GCLOUD_*", "CLOUDSDK_*", "OPENAI_*", "ANTHROPIC_*",
    "GITHUB_*", "GH_*", "GITLAB_*", "HF_*", "HUGGING*", "DOCKER_*", "KUBECONFIG", "SSH_*",
    "GPG_*", "GNUPG*", "NPM_CONFIG_*", "PIP_*", "TWINE_*", "QL_*",
)

# Set by the sandbox so that they always point inside it; a caller may not override them.
RESERVED_NAMES = frozenset({"HOME", "TMPDIR"})


def is_secret_name(name: str) -> bool:
    """True if an environment variable called `name` may hold a credential."""
    upper = name.upper()
    return any(fnmatch.fnmatchcase(upper, pattern) for pattern in SECRET_NAME_PATTERNS)


def build_environment(
    *,
    home: str,
    tmpdir: str,
    command_path: str,
    extra: Mapping[str, str] | None,
    allow: Collection[str],
) -> dict[str, str]:
    """Return the complete environment of a sandboxed command.

    Nothing is inherited from this process. `extra` (the caller's variables) is added on top,
    except names that look like secrets (`is_secret_name`) unless listed in `allow`.
    If `command_path` is absolute its directory is put first on PATH, so that e.g. a venv's
    `bin/python` finds the tools installed next to it.
    """
    path = DEFAULT_PATH
    if os.path.isabs(command_path):
        path = f"{os.path.dirname(command_path)}:{path}"
    env = {
        "PATH": path,
        "HOME": home,
        "TMPDIR": tmpdir,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    for name, value in (extra or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise UserError(f"environment names and values must be strings: {name!r}={value!r}")
        if not name or "=" in name or "\x00" in name or "\x00" in value:
            raise UserError(f"invalid environment variable name or value: {name!r}")
        if name in RESERVED_NAMES:
            raise UserError(f"{name} is set by the sandbox (to a folder inside it); do not pass it")
        if is_secret_name(name) and name not in allow:
            continue
        env[name] = value
    return env
