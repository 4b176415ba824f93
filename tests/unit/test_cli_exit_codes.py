"""`quantumlayer` exits with the code a command asks for (a failed project is not success)."""

from __future__ import annotations

import sys

import pytest
import typer

from quantumlayer import cli


def _app_exiting_with(code: int) -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def run() -> None:  # what `create` does when the project failed
        raise typer.Exit(code)

    @app.command()
    def other() -> None:  # a second command, so that typer keeps sub-commands
        pass

    return app


@pytest.mark.parametrize("code", [1, 3])
def test_an_exit_code_from_a_command_becomes_the_process_status(
    monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    # Without standalone mode click returns the code of a typer.Exit instead of raising it;
    # main() used to drop it, so `quantumlayer create` ended 0 on a failed project.
    monkeypatch.setattr(cli, "app", _app_exiting_with(code))
    monkeypatch.setattr(sys, "argv", ["quantumlayer", "run"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == code


def test_success_is_still_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "app", _app_exiting_with(0))
    monkeypatch.setattr(sys, "argv", ["quantumlayer", "other"])
    cli.main()  # returns normally: exit status 0
