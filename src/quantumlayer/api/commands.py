"""CLI commands of the gateway: `api`, `users create`, `secrets rotate-key`.

Registered on the main Typer app by `register(app)` (one line in cli._register_commands).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)
users_app = typer.Typer(help="Manage users (the first admin, before the API is up).",
                        no_args_is_help=True)
secrets_app = typer.Typer(help="Manage encrypted secrets.", no_args_is_help=True)


def api(
    host: Annotated[str | None, typer.Option(help="address to bind (default QL_API_HOST)")] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="port (default QL_API_PORT)")
    ] = None,
) -> None:
    """Serve the REST API (/v1, OpenAPI at /v1/openapi.json, docs at /docs)."""
    from quantumlayer.api.app import run
    from quantumlayer.config import get_settings
    from quantumlayer.security.secret_store import store_from_settings
    from quantumlayer.security.tokens import codec_from_settings

    settings = get_settings()
    codec_from_settings(settings)  # fail fast on a missing or weak key, before binding
    store_from_settings(settings)
    run(settings, host=host or settings.api_host, port=port or settings.api_port)


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option("--username", help="the login name")],
    role: Annotated[str, typer.Option("--role", help="admin, developer or viewer")] = "viewer",
    email: Annotated[str | None, typer.Option("--email")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Create a user (e.g. the first admin): the password is read from standard input."""
    from pydantic import ValidationError

    from quantumlayer.api.schemas.users import UserCreate
    from quantumlayer.api.services import users as service
    from quantumlayer.config import get_settings
    from quantumlayer.errors import UserError
    from quantumlayer.store import db

    if not password_stdin:
        raise UserError("give the password on standard input with --password-stdin "
                        "(never as an argument: it would show in the process list)")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        body = UserCreate(username=username, password=password, email=email, role=role)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UserError(problems) from None
    settings = get_settings()
    engine = db.create_engine_for(settings.effective_database_url())
    try:
        db.migrate(engine)
        with db.session_factory(engine).begin() as session:
            user = service.create(session, None, None, body)
            user_id = user.id
    finally:
        engine.dispose()
    out.print(f"created user {username} ({role}), id {user_id}")


@secrets_app.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt every stored secret with a new key (local keyring: a new key is made;
    QL_SECRETS_KEYS: put the new key first, then run this)."""
    from quantumlayer.config import get_settings
    from quantumlayer.security.encryption import keyring_from_settings, rotate_keyring_file
    from quantumlayer.security.secret_store import SecretStore
    from quantumlayer.store import auth_repositories as auth_repo
    from quantumlayer.store import db

    settings = get_settings()
    keyring = (keyring_from_settings(settings) if settings.secrets_keys is not None
               else rotate_keyring_file(settings))
    engine = db.create_engine_for(settings.effective_database_url())
    try:
        db.migrate(engine)
        store = SecretStore(keyring=keyring)
        with db.session_factory(engine).begin() as session:
            count = store.reencrypt(session)
            auth_repo.record_audit(session, action="secret.rotate_key", actor_type="cli",
                                   target_type="keyring", target_id=keyring.active,
                                   details={"reencrypted": count})
    finally:
        engine.dispose()
    out.print(f"active key {keyring.active}: re-encrypted {count} secret(s)")


def register(app: typer.Typer) -> None:
    """Add the gateway's commands to the main CLI."""
    app.command("api")(api)
    app.add_typer(users_app, name="users")
    app.add_typer(secrets_app, name="secrets")
