"""`quantumlayer plan`: --json, --trace, --answers, --interactive, --file, through the CLI app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quantumlayer.cli import app
from quantumlayer.errors import UserError

IDEA = "A fast REST API for books and loans, on AWS or on GCP. Members log in with JWT."


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("QL_HOME", str(tmp_path / "home"))
    return CliRunner()


def test_plan_json_is_the_spec(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", IDEA, "--json"])
    assert result.exit_code == 0, result.output
    spec = json.loads(result.stdout)
    assert spec["project_type"] == "rest_api" and spec["tasks"]
    assert any("Which cloud" in q for q in spec["questions"])


def test_trace_lists_the_tasks_of_every_requirement(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", IDEA, "--trace", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    spec = json.loads(runner.invoke(app, ["plan", IDEA, "--json"]).stdout)
    ids = {r["id"] for r in spec["functional_requirements"]} | {
        n["id"] for n in spec["non_functional_requirements"]
    }
    assert {r["id"] for r in rows} == ids
    assert all(r["tasks"] for r in rows)
    text = runner.invoke(app, ["plan", IDEA, "--trace"]).stdout
    assert "FR-1" in text and "NFR-1" in text and "not covered" not in text


def test_answers_from_a_file_update_the_spec(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"cloud": "GCP", "performance": "p99 under 80 ms"}))
    result = runner.invoke(app, ["plan", IDEA, "--json", "--answers", str(answers)])
    assert result.exit_code == 0, result.output
    spec = json.loads(result.stdout)
    assert spec["cloud"] == "gcp"
    assert {"category": "performance", "target": "p99 < 80 ms"}.items() <= next(
        n for n in spec["non_functional_requirements"] if n["target"] == "p99 < 80 ms"
    ).items()
    assert not any("Which cloud" in q for q in spec["questions"])


@pytest.mark.parametrize(
    ("content", "message"),
    [("[1, 2]", "JSON object"), ("{nope", "not JSON"), ('{"colour": "blue"}', "unknown question")],
)
def test_bad_answers_files_are_clear_errors(
    runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(content)
    result = runner.invoke(app, ["plan", IDEA, "--answers", str(answers)])
    # `main` maps a UserError to its message on stderr and exit code 2 (see tests/e2e).
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2
    assert message in str(result.exception)


def test_interactive_asks_in_the_terminal(runner: CliRunner) -> None:
    before = json.loads(runner.invoke(app, ["plan", IDEA, "--json"]).stdout)
    replies = "\n".join("Azure" if "cloud" in q else "" for q in before["questions"]) + "\n"
    result = runner.invoke(app, ["plan", IDEA, "--json", "--interactive"], input=replies)
    assert result.exit_code == 0, result.output
    spec = json.loads(result.stdout[result.stdout.index("{") :])
    assert spec["cloud"] == "azure"
    assert spec["questions"] == []  # skipped questions are closed too


def test_plan_reads_a_document_from_a_file(runner: CliRunner, tmp_path: Path) -> None:
    prd = tmp_path / "PRD.md"
    prd.write_text(
        "# Introduction\nA command-line tool that keeps a home library.\n"
        "## Features\n- Add books and authors.\n- Lend books to friends.\n"
    )
    result = runner.invoke(app, ["plan", "--file", str(prd), "--json"])
    assert result.exit_code == 0, result.output
    spec = json.loads(result.stdout)
    assert spec["project_type"] == "cli"
    assert {"Book", "Author"} <= {e["name"] for e in spec["entities"]}
    missing = runner.invoke(app, ["plan", "--file", str(tmp_path / "nope.md")])
    assert isinstance(missing.exception, UserError) and "cannot read" in str(missing.exception)
