"""Projects through the API: start (202), follow (server-sent events), read (Spec, tasks, tests,
cost), steer (approve, cancel), download (artifacts, zip), deploy; on SQLite and PostgreSQL,
with the Temporal workers running inside the API process."""

from __future__ import annotations

import io
import json
import time
import zipfile
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests import api_fixtures
from tests.api_fixtures import (
    ApiServer,
    assert_problem,
    cli,
    server_engine,
)

pytestmark = pytest.mark.integration

# The shared fixtures (pytest finds them in this module's namespace).
api = api_fixtures.api
api_pg = api_fixtures.api_pg
api_sqlite = api_fixtures.api_sqlite
pg_schema_url = api_fixtures.pg_schema_url
temporal_address = api_fixtures.temporal_address
LIBRARY = "A REST API for a library: books, authors, members and loans"


def read_events(client: httpx.Client, project_id: str, timeout: float = 240) -> list[dict]:
    """The project's event stream, parsed, until it ends."""
    events: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    with client.stream("GET", f"/v1/projects/{project_id}/events", timeout=timeout) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("event: "):
                current["event"] = line[7:]
            elif line.startswith("data: "):
                current["data"] = json.loads(line[6:])
            elif line == "" and "event" in current:
                events.append(current)
                if current["event"] == "end":
                    break
                current = {}
    return events


def wait_for(client: httpx.Client, project_id: str, predicate: Any, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/v1/projects/{project_id}").json()
        if predicate(body):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.2)


def test_a_project_runs_to_the_end_through_the_api(api: ApiServer) -> None:
    dev = api.new_user("developer")
    with dev.client() as c:
        r = c.post("/v1/projects", json={"intent": LIBRARY,
                                         "options": {"run_quality_gate": False}})
        assert r.status_code == 202, r.text
        project = r.json()
        assert project["status"] in ("pending", "running")
        name = project["name"]  # the Spec's slug, from the Intent Processor
        assert name
        events = read_events(c, project["id"])
        assert events[-1]["event"] == "end" and events[-1]["data"]["status"] == "succeeded"
        assert any(e["event"] == "progress" and e["data"].get("tasks") for e in events)
        detail = c.get(f"/v1/projects/{project['id']}").json()
        assert detail["status"] == "succeeded"
        assert detail["spec"]["project_type"] == "rest_api"
        assert "Book" in {e["name"] for e in detail["spec"]["entities"]}
        assert detail["tasks"] and all(t["state"] == "succeeded" for t in detail["tasks"])
        assert set(detail["tests"]) == {"passed", "failed", "errors"}
        assert detail["cost"] == {"usd": 0.0, "tokens_in": 0, "tokens_out": 0}
        assert "output_dir" not in detail
        files = c.get(f"/v1/projects/{project['id']}/artifacts").json()
        paths = {f["path"] for f in files["data"]}
        assert {"app/main.py", "README.md"} <= paths and files["count"] == len(paths)
        z = c.get(f"/v1/projects/{project['id']}/artifacts.zip")
        assert z.status_code == 200 and z.headers["content-type"] == "application/zip"
        assert f'filename="{name}.zip"' in z.headers["content-disposition"]
        names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
        assert {f"{name}/{p}" for p in paths} == set(names)
        listed = c.get("/v1/projects", params={"status": "succeeded"}).json()
        assert [p["id"] for p in listed["data"]] == [project["id"]] and listed["count"] == 1
        # Finished: nothing to steer (deploying it: test_a_deployment_runs_in_the_background).
        assert_problem(c.post(f"/v1/projects/{project['id']}/cancel"), 409, "conflict")
    with api.admin() as admin:
        actions = {e["action"] for e in admin.get(
            "/v1/audit", params={"actor_id": dev.id}).json()["data"]}
    assert "project.create" in actions


def finished_project(client: httpx.Client, intent: str = LIBRARY) -> str:
    """A project built to the end through the API (no quality gate: faster); its id."""
    r = client.post("/v1/projects", json={"intent": intent,
                                          "options": {"run_quality_gate": False}})
    assert r.status_code == 202, r.text
    events = read_events(client, r.json()["id"])
    assert events[-1]["data"]["status"] == "succeeded", events[-1]
    return str(r.json()["id"])


def follow_deployment(client: httpx.Client, location: str, timeout: float = 120) -> dict:
    """Poll a deployment until its status is final."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(location)
        assert r.status_code == 200, r.text
        body = r.json()
        if body["status"] not in ("pending", "deploying"):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.2)


def test_a_deployment_runs_in_the_background_and_can_be_followed(api: ApiServer) -> None:
    """POST answers 202 at once with a pending deployment; the engine runs the generated
    service on this machine (the target that needs no Docker, cluster or cloud); the client
    polls until it runs. The row and the audit trail record it; the service really answers."""
    dev = api.new_user("developer")
    with dev.client() as c:
        project_id = finished_project(c)
        url = f"/v1/projects/{project_id}/deployments"
        assert c.get(url).json() == {"data": [], "count": 0}
        assert_problem(c.post(url, json={"target": "nowhere"}), 404, "not_found")
        assert_problem(c.post(url, json={"target": "local", "port": 9000}), 422, "invalid_input")
        assert_problem(c.post(url, json={"target": "local", "cloud": "aws"}), 422)
        assert_problem(c.post(url, json={}), 422)
        r = c.post(url, json={"target": "local"})
        assert r.status_code == 202, r.text
        created = r.json()
        assert created["status"] == "pending" and created["target"] == "local"
        assert created["project_id"] == project_id and created["finished_at"] is None
        location = r.headers["location"]
        assert location == f"{url}/{created['id']}"
        try:
            final = follow_deployment(c, location)
            assert final["status"] == "running", final
            assert final["url"].startswith("http://127.0.0.1:") and final["error"] is None
            assert any("Kubernetes" in check for check in final["checks"])
            health = httpx.get(final["url"] + "/health", timeout=5)
            assert health.status_code == 200 and health.json() == {"status": "ok"}
            listed = c.get(url, params={"limit": 1}).json()
            assert listed["count"] == 1 and [d["id"] for d in listed["data"]] == [created["id"]]
            # Nothing of this host's internals (folders, pids, log paths) goes to the client.
            assert not {"details", "workdir", "pid", "log"} & set(final)
            assert str(api.home) not in c.get(location).text
            engine = server_engine(api)
            try:
                with engine.connect() as conn:
                    row = conn.execute(sa.text(
                        "SELECT project_id, target, status, url FROM deployments WHERE id = :i"
                    ), {"i": created["id"]}).one()
            finally:
                engine.dispose()
            assert tuple(row) == (project_id, "local", "running", final["url"])
            # Someone else: neither through the project nor through a project of their own.
            stranger = api.new_user("developer")
            with stranger.client() as s:
                own = s.post("/v1/projects", json={"intent": LIBRARY, "options": {
                    "require_approval": True, "run_quality_gate": False}}).json()["id"]
                for path in (location, f"/v1/projects/{own}/deployments/{created['id']}"):
                    assert_problem(s.get(path), 404, "not_found")
                assert_problem(s.get(url), 404)
                assert_problem(s.post(url, json={"target": "local"}), 404)
                s.post(f"/v1/projects/{own}/cancel")
        finally:
            down = cli("undeploy", created["id"], "--json", env=api.env)
        assert down.returncode == 0, down.stderr
        assert json.loads(down.stdout)[0]["status"] == "stopped"
        assert c.get(location).json()["status"] == "stopped"
    with api.admin() as admin:
        events = admin.get("/v1/audit", params={"actor_id": dev.id}).json()["data"]
    mine = {(e["action"], e["outcome"]) for e in events if e["target_id"] == created["id"]}
    assert mine == {("deployment.create", "success"), ("deployment.finish", "success")}


def test_deployments_only_of_succeeded_services_and_only_by_their_owner(
    api_sqlite: ApiServer,
) -> None:
    owner, other = api_sqlite.new_user("developer"), api_sqlite.new_user("developer")
    with owner.client() as c:
        waiting = c.post("/v1/projects", json={
            "intent": LIBRARY, "options": {"require_approval": True, "run_quality_gate": False}
        }).json()
        wait_for(c, waiting["id"], lambda b: b["awaiting_approval"])
        body = assert_problem(c.post(f"/v1/projects/{waiting['id']}/deployments",
                                     json={"target": "local"}), 409, "conflict")
        assert "only a succeeded project" in body["detail"]
        c.post(f"/v1/projects/{waiting['id']}/cancel")
        # A command-line tool is not a service: there is nothing to run.
        tool = finished_project(c, "A command-line tool to rename photos by date")
        body = assert_problem(c.post(f"/v1/projects/{tool}/deployments",
                                     json={"target": "local"}), 422, "invalid_input")
        assert "not a service" in body["detail"]
        body = assert_problem(c.post(f"/v1/projects/{tool}/deployments",
                                     json={"target": "terraform"}), 422)
        assert "no terraform deployment" in body["detail"]
        assert c.get(f"/v1/projects/{tool}/deployments").json()["count"] == 0
    with other.client() as c:
        for method, path, body in (
            ("POST", f"/v1/projects/{tool}/deployments", {"target": "local"}),
            ("GET", f"/v1/projects/{tool}/deployments", None),
            ("GET", f"/v1/projects/{tool}/deployments/abc", None),
        ):
            assert_problem(c.request(method, path, json=body), 404, "not_found")


def test_approval_and_cancellation(api_sqlite: ApiServer) -> None:
    dev = api_sqlite.new_user("developer")
    with dev.client() as c:
        waiting = c.post("/v1/projects", json={
            "intent": LIBRARY, "options": {"require_approval": True, "run_quality_gate": False}
        }).json()
        body = wait_for(c, waiting["id"], lambda b: b["awaiting_approval"])
        assert body["phase"] == "awaiting_approval"
        assert_problem(c.post(f"/v1/projects/{waiting['id']}/deployments",
                              json={"target": "local"}), 409)
        r = c.post(f"/v1/projects/{waiting['id']}/approve")
        assert r.status_code == 202 and r.json()["requested"] == "approve"
        events = read_events(c, waiting["id"])
        assert events[-1]["data"]["status"] == "succeeded"

        doomed = c.post("/v1/projects", json={
            "intent": LIBRARY, "options": {"require_approval": True, "run_quality_gate": False}
        }).json()
        wait_for(c, doomed["id"], lambda b: b["awaiting_approval"])
        assert c.post(f"/v1/projects/{doomed['id']}/cancel").status_code == 202
        final = wait_for(c, doomed["id"], lambda b: b["status"] == "cancelled")
        assert final["status"] == "cancelled"


def test_bad_ideas_are_422_and_start_nothing(api: ApiServer) -> None:
    dev = api.new_user("developer")
    with dev.client() as c:
        for body in ({"intent": ""}, {"intent": "x\x00y"}, {"intent": "a" * 100_001},
                     {"intent": LIBRARY, "options": {"max_parallel": 0}},
                     {"intent": LIBRARY, "options": {"output_dir": "/etc"}},
                     # what the document says is a number or a boolean must be one (found by
                     # the fuzz test: a JSON false was taken as a budget of $0)
                     {"intent": LIBRARY, "options": {"budget_usd": False}},
                     {"intent": LIBRARY, "options": {"max_parallel": True}},
                     {"intent": LIBRARY, "options": {"require_approval": "yes"}},
                     {"intent": LIBRARY, "options": {"run_quality_gate": 1}},
                     {"intent": 5}, {}):
            assert_problem(c.post("/v1/projects", json=body), 422)
        assert c.get("/v1/projects").json()["count"] == 0


def test_intent_analysis_reports_personal_data(api_sqlite: ApiServer) -> None:
    viewer = api_sqlite.new_user("viewer")
    idea = "A REST API for a clinic: patients and visits. Contact dr.who@example.com."
    with viewer.client() as c:
        r = c.post("/v1/intents:analyze", json={"intent": idea})
        assert r.status_code == 200, r.text
        body = r.json()
    assert body["spec"]["project_type"] == "rest_api"
    assert [f["kind"] for f in body["pii"]] == ["email"]
    start, end = body["pii"][0]["start"], body["pii"][0]["end"]
    assert idea[start:end] == "dr.who@example.com"
