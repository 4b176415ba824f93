"""The API gateway: FastAPI app, routers per resource under /v1, auth, RBAC, rate limits.

`create_app` and `run` are imported lazily, so that the CLI (which registers the `api`
command from `quantumlayer.api.commands`) does not load FastAPI for every command.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from quantumlayer.api import app

        return getattr(app, name)
    raise AttributeError(name)
