"""`quantumlayer api` as a user starts it on a fresh machine: nothing configured but QL_HOME.
It starts (or reuses) the embedded Temporal and FalkorDB/Redis, runs the workers itself, and
builds a project end to end. (The quality gate is off here to keep the run short: the CLI's
end-to-end test runs the generated tests, through the same workflow.)"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.api_fixtures import ADMIN_PASSWORD, cli, login, start_api

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_api_in_embedded_mode_builds_a_project(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QL_")}
    env["QL_HOME"] = str(home)
    server = start_api(home, env=env, timeout=120)
    try:
        assert "first admin" not in server.log()
        tokens = login(server, "admin", ADMIN_PASSWORD)
        with server.client(headers={"Authorization": f"Bearer {tokens['access_token']}"}) as c:
            ready = c.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert all(check["ok"] and check["configured"]
                       for check in ready.json()["checks"].values())
            r = c.post("/v1/projects", json={
                "intent": "A REST API for a library: books, authors, members and loans",
                "options": {"run_quality_gate": False}})
            assert r.status_code == 202, r.text
            project_id = r.json()["id"]
            last = None
            with c.stream("GET", f"/v1/projects/{project_id}/events", timeout=600) as stream:
                for line in stream.iter_lines():
                    if line.startswith("data: "):
                        last = json.loads(line[6:])
            assert last is not None and last["status"] == "succeeded", last
            detail = c.get(f"/v1/projects/{project_id}").json()
            assert detail["status"] == "succeeded" and detail["spec"]["entities"]
            z = c.get(f"/v1/projects/{project_id}/artifacts.zip")
            names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
            assert any(n.endswith("app/main.py") for n in names)
    finally:
        server.stop()
    # The CLI sees what the API made (same database under QL_HOME).
    listed = cli("list", "--json", env=env)
    assert project_id in listed.stdout
    cli("dev", "down", env=env)
