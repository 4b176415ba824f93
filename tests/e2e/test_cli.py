"""The real CLI entry point in a subprocess, as a user runs it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "quantumlayer"


def ql(
    *args: str, home: Path, cwd: Path, timeout: float = 300, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QL_")}
    env["QL_HOME"] = str(home)
    return subprocess.run(
        [str(BIN), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


@pytest.mark.slow
def test_create_end_to_end_then_generated_tests_pass(tmp_path: Path) -> None:
    out = tmp_path / "library"
    proc = ql(
        "create",
        "A REST API for a library: books, authors, members and loans",
        "--out",
        str(out),
        "--json",
        home=tmp_path / "home",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    summary = json.loads(proc.stdout)
    assert summary["status"] == "succeeded"
    assert summary["output_dir"] == str(out)
    assert summary["tests"]["passed"] >= 20 and summary["tests"]["failed"] == 0
    assert {"project_id", "tasks", "duration_s"} <= set(summary)
    assert len(summary["tasks"]) >= 10

    # The generated project's own tests, run the way its README says.
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert f"{summary['tests']['passed']} passed" in run.stdout

    # The run is recorded, and the services it started were stopped afterwards.
    listed = json.loads(ql("list", "--json", home=tmp_path / "home", cwd=tmp_path).stdout)
    assert [p["id"] for p in listed] == [summary["project_id"]]
    status = ql("status", summary["project_id"], "--json", home=tmp_path / "home", cwd=tmp_path)
    assert json.loads(status.stdout)["status"] == "succeeded"
    dev = json.loads(ql("dev", "status", "--json", home=tmp_path / "home", cwd=tmp_path).stdout)
    assert not any(isinstance(s, dict) and s.get("running") for s in dev.values())

    # Never overwrite a non-empty folder without --force.
    again = ql(
        "create",
        "A REST API for a library: books and loans",
        "--out",
        str(out),
        home=tmp_path / "home",
        cwd=tmp_path,
    )
    assert again.returncode == 2 and "not empty" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", ""], "empty"),
        (["create", "   \t "], "empty"),
        (["create"], "describe"),
        (["plan", "\x01\x02\x03\x04\x05\x06\x07\x08" * 20], "binary"),
        (["status", "nope"], "not found"),
        (["plan", "?" * 10], "no words"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, args: list[str], message: str) -> None:
    proc = ql(*args, home=tmp_path / "home", cwd=tmp_path)
    assert proc.returncode in (2, 3), proc.stderr
    assert message in proc.stderr.lower()
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "project").exists()


def test_huge_idea_is_refused_from_a_file(tmp_path: Path) -> None:
    idea = tmp_path / "idea.txt"
    idea.write_text("books and loans " * 8000)  # ~128 kB
    proc = ql("create", "--file", str(idea), home=tmp_path / "home", cwd=tmp_path)
    assert proc.returncode == 2 and "limit" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_plan_json_follows_the_contract(tmp_path: Path) -> None:
    proc = ql(
        "plan",
        "A REST API for a library: books, authors, members and loans. On AWS.",
        "--json",
        home=tmp_path / "home",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    spec = json.loads(proc.stdout)
    assert spec["project_type"] == "rest_api" and spec["cloud"] == "aws"
    assert [e["name"] for e in spec["entities"]] == ["Book", "Author", "Member", "Loan"]
    assert spec["tasks"] and all(
        {"id", "role", "depends_on", "covers"} <= set(t) for t in spec["tasks"]
    )


@pytest.mark.slow
def test_hostile_names_give_a_safe_project_inside_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    idea = (
        "A REST API for: __import__('os').system('touch pwned'), ../../etc/passwd files, "
        "`rm -rf /` scripts and loans"
    )
    proc = ql("create", idea, "--out", str(out), "--json", home=tmp_path / "home", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    summary = json.loads(proc.stdout)
    assert summary["status"] == "succeeded"
    written = {p.resolve() for p in out.rglob("*")}
    assert all(p.is_relative_to(out.resolve()) for p in written)
    outside = set(tmp_path.iterdir()) - {out, tmp_path / "home"}
    assert outside == set(), outside
    for path in out.rglob("*.py"):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):  # hostile text may only survive as inert strings
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                assert name not in {"__import__", "system", "eval", "exec", "popen"}, path
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
