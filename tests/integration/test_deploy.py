"""Deployments for real: a generated service runs on this machine, answers its health check and
stops again; a broken one rolls back; targets without their tools fail clearly. The store is a
real SQLite database; the CLI runs as a subprocess."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from quantumlayer import deploy, intent
from quantumlayer.deploy.targets.local import port_in_use
from quantumlayer.errors import NotFound, UserError
from quantumlayer.generators import generate_project
from quantumlayer.store import db
from quantumlayer.store import repositories as repo

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent / "quantumlayer"
IDEA = "A REST API for a library: books and authors; 99.9% availability, p99 < 300 ms"


def make_sessions(home: Path) -> sessionmaker[Session]:
    home.mkdir(parents=True, exist_ok=True)
    engine = db.create_engine_for(f"sqlite:///{home / 'quantumlayer.db'}")
    db.migrate(engine)
    return db.session_factory(engine)


def new_project(
    sessions: sessionmaker[Session], project_id: str, idea: str = IDEA,
    replace: dict[str, str] | None = None,
) -> None:
    spec = intent.analyze(idea)
    files = {a.path: a.content for a in generate_project(spec)} | (replace or {})
    with sessions.begin() as session:
        repo.create_project(session, id=project_id, intent=idea, name=spec.name,
                            title=spec.title, project_type=spec.project_type.value,
                            spec=spec.model_dump(mode="json"), options={}, output_dir=None)
        repo.save_artifacts(session, project_id=project_id, task_id="T1", files=files)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def sessions(home: Path) -> sessionmaker[Session]:
    return make_sessions(home)


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.mark.slow
def test_local_deploy_up_health_undeploy_port_free(sessions, home: Path) -> None:
    new_project(sessions, "lib1")
    outcome = deploy.deploy(sessions=sessions, project_id="lib1", target="local", home=home)
    try:
        assert outcome.status == "running", outcome.error
        assert get(outcome.url + "/health") == (200, b'{"status":"ok"}')
        # It is the generated API, with its database: create a record through it.
        request = urllib.request.Request(
            outcome.url + "/authors", data=json.dumps({"name": "Ann", "email": "a@b.co"}).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )
        assert urllib.request.urlopen(request, timeout=5).status == 201
        port = outcome.details["port"]
        assert port_in_use(port)
        assert any("Kubernetes" in c for c in outcome.checks)
    finally:
        stopped = deploy.undeploy(sessions=sessions, ref="lib1")
    assert [o.status for o in stopped] == ["stopped"]
    assert not port_in_use(port)
    with sessions() as session:
        row = repo.get_deployment_or_raise(session, deployment_id=outcome.deployment_id)
        assert (row.status, row.url, row.target) == ("stopped", outcome.url, "local")
        assert row.details["pid"] and row.finished_at is not None
        assert deploy.success_rate(session) == 1.0
        metric = repo.list_metrics(session, name="deployment_success_rate")
        assert metric and metric[0].value == 1.0
    # Stopping again is harmless.
    assert [o.status for o in deploy.undeploy(sessions=sessions, ref=outcome.deployment_id)] == [
        "stopped"
    ]


@pytest.mark.slow
def test_broken_app_rolls_back_and_the_previous_one_keeps_running(sessions, home: Path) -> None:
    new_project(sessions, "lib2")
    good = deploy.deploy(sessions=sessions, project_id="lib2", target="local", home=home)
    try:
        assert good.status == "running"
        # The next version crashes on start-up.
        with sessions.begin() as session:
            repo.save_artifacts(session, project_id="lib2", task_id="T9", files={
                "app/main.py": "raise RuntimeError('broken on purpose')\n",
            })
        bad = deploy.deploy(sessions=sessions, project_id="lib2", target="local", home=home,
                            health_timeout_s=15)
        assert bad.status == "failed"
        assert bad.details["rolled_back"] is True
        assert "health check failed" in bad.error
        assert "broken on purpose" in bad.details["log_tail"]
        assert not port_in_use(bad.details["port"])
        # The good one was not replaced.
        assert get(good.url + "/health")[0] == 200
        with sessions() as session:
            assert deploy.success_rate(session, project_id="lib2") == 0.5
    finally:
        deploy.undeploy(sessions=sessions, ref="lib2")


def request_deployment(sessions: sessionmaker[Session], project_id: str, target: str,
                       **details: object) -> str:
    """What the API does first: a `pending` deployment row; its id."""
    with sessions.begin() as session:
        return repo.create_deployment(session, project_id=project_id, target=target,
                                      status="pending",
                                      details={"requested_by": "u1", **details}).id


@pytest.mark.slow
def test_a_requested_deployment_is_carried_out_from_its_pending_row(
    sessions, home: Path
) -> None:
    new_project(sessions, "lib8")
    deployment_id = request_deployment(sessions, "lib8", "local")
    outcome = deploy.run_deployment(sessions=sessions, deployment_id=deployment_id, home=home)
    try:
        assert (outcome.deployment_id, outcome.status) == (deployment_id, "running"), (
            outcome.error
        )
        assert get(outcome.url + "/health")[0] == 200
        with sessions() as session:
            rows = repo.list_deployments(session, project_id="lib8")
        assert [(r.id, r.status, r.url) for r in rows] == [(deployment_id, "running",
                                                            outcome.url)]
        assert rows[0].details["requested_by"] == "u1" and rows[0].details["checks"]
        # Carried out once: asking again reports it and starts nothing.
        again = deploy.run_deployment(sessions=sessions, deployment_id=deployment_id, home=home)
        assert (again.status, again.details["pid"]) == ("running", outcome.details["pid"])
    finally:
        deploy.undeploy(sessions=sessions, ref=deployment_id)
    assert not port_in_use(outcome.details["port"])


def test_a_requested_deployment_that_cannot_run_ends_failed(
    sessions, home: Path, monkeypatch
) -> None:
    new_project(sessions, "lib9")
    new_project(sessions, "tool2", "A command-line tool to manage todo tasks")
    monkeypatch.setenv("KUBECONFIG", str(home / "missing-kubeconfig"))
    monkeypatch.setenv("PATH", str(home))  # no terraform here
    cases = [("lib9", "kubernetes", {}, "no kubeconfig"),
             ("lib9", "terraform", {"cloud": "gcp"}, "terraform is not on PATH"),
             ("lib9", "terraform", {"cloud": "mars"}, "unsupported cloud 'mars'"),
             ("tool2", "local", {}, "cli project is not a service")]
    for project_id, target, details, error in cases:
        deployment_id = request_deployment(sessions, project_id, target, **details)
        outcome = deploy.run_deployment(sessions=sessions, deployment_id=deployment_id,
                                        home=home)
        assert outcome.status == "failed" and error in (outcome.error or ""), outcome
        with sessions() as session:
            row = repo.get_deployment_or_raise(session, deployment_id=deployment_id)
        assert row.status == "failed" and row.finished_at is not None
        assert error in row.details["error"] and row.details["requested_by"] == "u1"
    with pytest.raises(NotFound):
        deploy.run_deployment(sessions=sessions, deployment_id="missing", home=home)


def test_port_clash_is_a_clear_error(sessions, home: Path) -> None:
    new_project(sessions, "lib3")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(UserError, match=f"port {port} is already in use"):
            deploy.deploy(sessions=sessions, project_id="lib3", target="local", home=home,
                          port=port)
    with sessions() as session:
        assert repo.list_deployments(session, project_id="lib3") == []


def test_bad_requests_are_clear_errors(sessions, home: Path, monkeypatch) -> None:
    new_project(sessions, "lib4")
    with pytest.raises(UserError, match="unknown deploy target 'moon'"):
        deploy.deploy(sessions=sessions, project_id="lib4", target="moon", home=home)
    with pytest.raises(UserError, match="unsupported cloud 'ibm'"):
        deploy.deploy(sessions=sessions, project_id="lib4", target="terraform", home=home,
                      cloud="ibm", dry_run=True)
    with pytest.raises(NotFound):
        deploy.deploy(sessions=sessions, project_id="nope", target="local", home=home)
    with pytest.raises(NotFound):
        deploy.undeploy(sessions=sessions, ref="nope")
    monkeypatch.setenv("KUBECONFIG", str(home / "missing-kubeconfig"))
    with pytest.raises(UserError, match="no kubeconfig"):
        deploy.deploy(sessions=sessions, project_id="lib4", target="kubernetes", home=home)
    dry = deploy.deploy(sessions=sessions, project_id="lib4", target="kubernetes", home=home,
                        dry_run=True)
    assert dry.status == "validated" and dry.deployment_id is None
    monkeypatch.setenv("PATH", str(home))  # no terraform here
    with pytest.raises(UserError, match="terraform is not on PATH"):
        deploy.deploy(sessions=sessions, project_id="lib4", target="terraform", home=home)
    dry = deploy.deploy(sessions=sessions, project_id="lib4", target="terraform", home=home,
                        cloud="azure", dry_run=True)
    assert any(c.startswith("Terraform") for c in dry.checks)
    with sessions() as session:  # none of these was recorded
        assert repo.list_deployments(session, project_id="lib4") == []


def _fake_terraform(folder: Path, *, fail_at: str | None = None) -> Path:
    """A stand-in for the terraform binary: logs its arguments, prints outputs as JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "terraform"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{folder}/calls.log"\n'
        f'if [ "$1" = "{fail_at or "-"}" ]; then echo "Error: no credentials" >&2; exit 1; fi\n'
        'if [ "$1" = "output" ]; then '
        'echo \'{"url": {"value": "https://lib.example.com", "type": "string"}}\'; fi\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


def test_terraform_target_runs_init_plan_apply(sessions, home: Path, monkeypatch) -> None:
    new_project(sessions, "lib5")
    tools = _fake_terraform(home / "bin")
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    outcome = deploy.deploy(sessions=sessions, project_id="lib5", target="terraform", home=home,
                            cloud="gcp", variables={"project_id": "my-project"})
    assert outcome.status == "succeeded" and outcome.url == "https://lib.example.com"
    calls = (tools / "calls.log").read_text().splitlines()
    assert [c.split()[0] for c in calls] == ["init", "plan", "apply", "output"]
    assert "-var=project_id=my-project" in calls[1].split()
    with pytest.raises(UserError, match="not a Terraform variable name"):
        deploy.deploy(sessions=sessions, project_id="lib5", target="terraform", home=home,
                      variables={"x; rm -rf /": "1"})
    workdir = Path(outcome.details["workdir"])
    assert 'source  = "hashicorp/google"' in (workdir / "terraform" / "versions.tf").read_text()

    failing = _fake_terraform(home / "bin2", fail_at="plan")
    monkeypatch.setenv("PATH", f"{failing}{os.pathsep}{os.environ['PATH']}")
    outcome = deploy.deploy(sessions=sessions, project_id="lib5", target="terraform", home=home)
    assert outcome.status == "failed" and "no credentials" in outcome.error
    with sessions() as session:
        assert deploy.success_rate(session, project_id="lib5") == 0.5


@pytest.mark.skipif(not any((Path(p) / "terraform").is_file()
                            for p in os.environ.get("PATH", "").split(os.pathsep)),
                    reason="no terraform binary")
def test_real_terraform_offline_reports_its_failure(sessions, home: Path, monkeypatch) -> None:
    """The real binary, told to install providers only from an empty local mirror (so it never
    reaches the network): init fails, and the deployment records terraform's own message."""
    new_project(sessions, "lib6")
    config = home / "terraformrc"
    config.write_text('provider_installation {\n  filesystem_mirror {\n'
                      f'    path = "{home / "mirror"}"\n    include = ["*/*"]\n  }}\n}}\n')
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(config))
    outcome = deploy.deploy(sessions=sessions, project_id="lib6", target="terraform", home=home)
    assert outcome.status == "failed"
    assert "terraform init: exit 1" in outcome.details["steps"]
    assert "hashicorp/aws" in outcome.error


def ql(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QL_")}
    env["QL_HOME"] = str(home)
    return subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True,
                          timeout=120, cwd=home)


@pytest.mark.slow
def test_cli_deploy_json_and_undeploy(home: Path) -> None:
    sessions = make_sessions(home)
    new_project(sessions, "lib7")
    proc = ql("deploy", "lib7", "--target", "local", "--json", home=home)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    try:
        assert {"deployment_id", "status", "url"} <= set(data)
        assert data["status"] == "running" and data["deployment_success_rate"] == 1.0
        assert get(data["url"] + "/health")[0] == 200  # it outlived the command
    finally:
        down = ql("undeploy", data["deployment_id"], "--json", home=home)
    assert down.returncode == 0, down.stderr
    assert json.loads(down.stdout)[0]["status"] == "stopped"
    assert not port_in_use(data["details"]["port"])
    listed = json.loads(ql("deployments", "--json", home=home).stdout)
    assert listed["deployment_success_rate"] == 1.0
    assert [d["status"] for d in listed["deployments"]] == ["stopped"]

    bad = ql("deploy", "lib7", "--target", "terraform", "--cloud", "mars", home=home)
    assert bad.returncode == 2 and "unsupported cloud 'mars'" in bad.stderr
    dry = ql("deploy", "lib7", "--target", "kubernetes", "--dry-run", "--json", home=home)
    assert dry.returncode == 0 and json.loads(dry.stdout)["status"] == "validated"
    moon = ql("create", "A REST API for a library", "--deploy", "moon", home=home)
    assert moon.returncode == 2 and "choose local, kubernetes or terraform" in moon.stderr


# --- the kubernetes target, through the official client, against a local API server ----------

GROUPS = {"apps/v1": ["Deployment"], "autoscaling/v2": ["HorizontalPodAutoscaler"],
          "policy/v1": ["PodDisruptionBudget"], "networking.k8s.io/v1": ["NetworkPolicy"],
          "batch/v1": ["CronJob"], "v1": ["Namespace", "ConfigMap", "Service"]}
PLURALS = {"Deployment": "deployments", "HorizontalPodAutoscaler": "horizontalpodautoscalers",
           "PodDisruptionBudget": "poddisruptionbudgets", "NetworkPolicy": "networkpolicies",
           "CronJob": "cronjobs", "Namespace": "namespaces", "ConfigMap": "configmaps",
           "Service": "services"}


class FakeApiServer:
    """Speaks the part of the Kubernetes API the client uses here: discovery, server-side apply
    (PATCH application/apply-patch+yaml) and DELETE; keeps what it was sent."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.objects: dict[str, dict] = {}
        self.requests: list[tuple[str, str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                fake.requests.append(("GET", path, ""))
                if path == "/api":
                    self._send(200, {"kind": "APIVersions", "versions": ["v1"]})
                elif path == "/version":
                    self._send(200, {"major": "1", "minor": "37", "gitVersion": "v1.37.0"})
                elif path == "/apis":
                    groups = [
                        {"name": gv.split("/")[0],
                         "versions": [{"groupVersion": gv, "version": gv.split("/")[1]}],
                         "preferredVersion": {"groupVersion": gv, "version": gv.split("/")[1]}}
                        for gv in GROUPS if "/" in gv
                    ]
                    self._send(200, {"kind": "APIGroupList", "apiVersion": "v1",
                                     "groups": groups})
                elif path in ("/api/v1", *(f"/apis/{gv}" for gv in GROUPS)):
                    gv = "v1" if path == "/api/v1" else path.removeprefix("/apis/")
                    resources = [
                        {"name": PLURALS[kind], "singularName": kind.lower(), "kind": kind,
                         "namespaced": kind != "Namespace",
                         "verbs": ["create", "delete", "get", "list", "patch", "update"]}
                        for kind in GROUPS[gv]
                    ]
                    self._send(200, {"kind": "APIResourceList", "groupVersion": gv,
                                     "resources": resources})
                else:
                    self._send(404, {"kind": "Status", "status": "Failure", "code": 404})

            def do_PATCH(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                path = self.path.split("?")[0]
                fake.requests.append(("PATCH", path, self.headers["Content-Type"]))
                fake.objects[path] = body
                self._send(200, body)

            def do_DELETE(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                fake.requests.append(("DELETE", path, ""))
                fake.objects.pop(path, None)
                self._send(200, {"kind": "Status", "status": "Success"})

            def log_message(self, *args: object) -> None:
                del args

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def fake_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    import threading

    pytest.importorskip("kubernetes")
    fake = FakeApiServer()
    threading.Thread(target=fake.server.serve_forever, daemon=True).start()
    config = tmp_path / "kubeconfig"
    config.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: fake\n"
        f"clusters: [{{name: fake, cluster: {{server: '{fake.url}'}}}}]\n"
        "users: [{name: fake, user: {token: test-token}}]\n"
        "contexts: [{name: fake, context: {cluster: fake, user: fake}}]\n"
    )
    monkeypatch.setenv("KUBECONFIG", str(config))
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_kubernetes_target_applies_and_deletes(sessions, home: Path, fake_cluster) -> None:
    new_project(sessions, "lib8")
    outcome = deploy.deploy(sessions=sessions, project_id="lib8", target="kubernetes", home=home)
    assert outcome.status == "succeeded", outcome.error
    namespace = outcome.details["namespace"]
    assert outcome.details["applied"] == [
        f"Namespace/{namespace}", f"ConfigMap/{namespace}-config",
        *(f"{kind}/{namespace}" for kind in ("Deployment", "HorizontalPodAutoscaler",
                                             "NetworkPolicy", "PodDisruptionBudget", "Service")),
    ]
    patches = [r for r in fake_cluster.requests if r[0] == "PATCH"]
    assert all(ctype == "application/apply-patch+yaml" for _, _, ctype in patches)
    sent = fake_cluster.objects[f"/apis/apps/v1/namespaces/{namespace}/deployments/{namespace}"]
    assert sent["spec"]["replicas"] == 3  # 99.9% availability: three replicas over zones
    assert outcome.url == f"http://{namespace}.{namespace}.svc.cluster.local"

    stopped = deploy.undeploy(sessions=sessions, ref=outcome.deployment_id)
    assert [o.status for o in stopped] == ["stopped"]
    deleted = [path for method, path, _ in fake_cluster.requests if method == "DELETE"]
    assert len(deleted) == 6  # every manifest; the namespace is left
    assert list(fake_cluster.objects) == [f"/api/v1/namespaces/{namespace}"]


# --- the deploy phase of the workflow -------------------------------------------------------


async def _run_workflow(temporal_env, tmp_path: Path, prefix: str, options):  # noqa: ANN001, ANN202
    import uuid

    from quantumlayer.orchestrator import client as wf
    from quantumlayer.orchestrator.models import ProjectInput, TaskQueues
    from quantumlayer.orchestrator.worker import running_workers

    from .workflow_harness import make_activities, make_sessions
    from .workflow_harness import new_project as new_workflow_project

    sessions = make_sessions(f"sqlite:///{tmp_path / 'wf.db'}")
    project_id = uuid.uuid4().hex[:12]
    idea = "A background worker that processes orders from a queue"
    new_workflow_project(sessions, project_id, idea)
    queues = TaskQueues.with_prefix(prefix)
    async with running_workers(temporal_env.client, make_activities(tmp_path, sessions), queues):
        handle = await wf.start_project(
            temporal_env.client,
            ProjectInput(project_id=project_id, intent=idea, options=options, queues=queues),
        )
        return sessions, await handle.result()


@pytest.mark.asyncio
async def test_workflow_deploys_locally(temporal_env, tmp_path: Path, unique_prefix: str) -> None:
    from quantumlayer.orchestrator.models import ProjectOptions

    sessions, result = await _run_workflow(
        temporal_env, tmp_path, unique_prefix,
        ProjectOptions(run_quality_gate=False, deploy_target="local"),
    )
    try:
        assert result.status == "succeeded", result.error
        assert result.deployment is not None and result.deployment.status == "running"
        assert get(result.deployment.url + "/health")[0] == 200
        assert result.deployment.deployment_id == f"{result.project_id}-local"
    finally:
        stopped = deploy.undeploy(sessions=sessions, ref=result.project_id)
    assert [o.status for o in stopped] == ["stopped"]


@pytest.mark.asyncio
async def test_workflow_reports_a_deploy_that_cannot_run(
    temporal_env, tmp_path: Path, unique_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quantumlayer.orchestrator.models import ProjectOptions

    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "no-such-kubeconfig"))
    _, result = await _run_workflow(
        temporal_env, tmp_path, unique_prefix,
        ProjectOptions(run_quality_gate=False, deploy_target="kubernetes"),
    )
    assert result.status == "failed"
    assert "no kubeconfig" in (result.error or "")


SERVICE_IDEAS = {
    "web_app": "A web app for a recipe site with recipes and ingredients",
    "mobile_app": "A mobile app for tracking workouts",
    "static_site": "A static site for a bakery",
    "worker": "A background worker that processes orders from a queue",
    "data_pipeline": "A data pipeline that loads sales from CSV into a warehouse every night",
    "ml_service": "An ML service that predicts house prices",
    "chatbot": "A chatbot for customer support",
}


@pytest.mark.slow
@pytest.mark.parametrize("project_type", list(SERVICE_IDEAS))
def test_every_service_type_runs_locally(sessions, home: Path, project_type: str) -> None:
    new_project(sessions, project_type, SERVICE_IDEAS[project_type])
    outcome = deploy.deploy(sessions=sessions, project_id=project_type, target="local",
                            home=home)
    try:
        assert outcome.status == "running", (outcome.error, outcome.details.get("log_tail"))
        assert outcome.details["project_type"] == project_type
        assert get(outcome.url + "/health")[0] == 200
    finally:
        deploy.undeploy(sessions=sessions, ref=outcome.deployment_id)
    assert not port_in_use(outcome.details["port"])


def test_programs_that_are_not_services_are_not_run(sessions, home: Path) -> None:
    new_project(sessions, "tool", "A command-line tool to manage todo tasks")
    with pytest.raises(UserError, match="cli project is not a service"):
        deploy.deploy(sessions=sessions, project_id="tool", target="local", home=home)
    with pytest.raises(UserError, match="no kubernetes deployment"):
        deploy.deploy(sessions=sessions, project_id="tool", target="kubernetes", home=home,
                      dry_run=True)
