"""The platform's own deployment files (deploy/): Docker Compose, Kubernetes, Kong, Istio.

Nothing is started (no Docker, no cluster, no network): the files are parsed and checked against
the real application: the CLI commands they run, the settings they set, the port and the health
paths of the FastAPI app, and the gateway rules against the app's route table (every admin
operation is behind the admin network rules and a JWT check at the edge, no other one is).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import typer.main
import yaml
from limits import parse

from quantumlayer.api.app import create_app
from quantumlayer.cli import app as cli_app
from quantumlayer.config import Settings
from quantumlayer.security.rbac import ADMIN_PERMISSIONS

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
K8S = DEPLOY / "k8s"
KONG = DEPLOY / "kong" / "kong.yml"
ISTIO = DEPLOY / "istio"
DEFAULTS = Settings(_env_file=None)  # type: ignore[call-arg]


def load_all(path: Path) -> list[dict[str, Any]]:
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    assert docs, f"{path} holds no document"
    for doc in docs:
        assert isinstance(doc, dict), f"{path}: a document is not a mapping"
    return docs


def load(path: Path) -> dict[str, Any]:
    (doc,) = load_all(path)
    return doc


def yaml_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.suffix in (".yml", ".yaml"))


def k8s_docs() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(K8S.glob("*.yaml")):
        for doc in load_all(path):
            yield path, doc


def by_kind(kind: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind]


# --- the application the files must match --------------------------------------------------


@pytest.fixture(scope="module")
def operations() -> list[tuple[str, str, str]]:
    """(method, path, permission) of every operation of the real app: its OpenAPI document,
    plus the document and the docs page themselves (public)."""
    app = create_app(DEFAULTS)
    spec = app.openapi()
    assert app.openapi_url and app.docs_url
    return [(method.upper(), path, op.get("x-permission", "public"))
            for path, ops in spec["paths"].items() for method, op in ops.items()] + [
        ("GET", app.openapi_url, "public"), ("GET", app.docs_url, "public")]


def concrete(path: str) -> str:
    """A request path for a route template (`{id}` filled in)."""
    return re.sub(r"\{[^}]+\}", "abc123", path)


def setting_names() -> set[str]:
    return {f"QL_{name.upper()}" for name in Settings.model_fields}


def check_settings(env: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Every QL_* variable is a real setting, and together they validate."""
    unknown = sorted(k for k in env if k.startswith("QL_") and k not in setting_names())
    assert not unknown, f"not settings of quantumlayer.config.Settings: {unknown}"
    for key in list(os.environ):
        if key.startswith("QL_"):
            monkeypatch.delenv(key)
    for key, value in env.items():
        # Compose interpolation (${VAR:?...}) is filled in by the operator.
        text = str(value)
        if "${" in text:
            text = re.sub(r"\$\{[^}]*\}", "x" * 40, text)
        monkeypatch.setenv(key, text)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_every_yaml_file_parses() -> None:
    files = yaml_files()
    assert {COMPOSE, KONG} <= set(files)
    assert len([f for f in files if f.parent == K8S]) >= 5
    assert len([f for f in files if f.parent == ISTIO]) >= 5
    for path in files:
        load_all(path)


def test_the_app_has_the_paths_the_files_use(operations: list[tuple[str, str, str]]) -> None:
    paths = {p for _, p, _ in operations}
    assert {"/healthz", "/readyz", "/v1/openapi.json", "/docs"} <= paths
    assert sum(p.startswith("/v1/") for p in paths) >= 20
    commands = typer.main.get_command(cli_app).commands  # type: ignore[attr-defined]
    assert {"api", "worker", "users"} <= set(commands)
    assert {o for p in commands["api"].params for o in p.opts} >= {"--host", "--port"}


# --- Docker Compose -------------------------------------------------------------------------


def test_compose_runs_the_real_commands_with_the_services_they_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compose = load(COMPOSE)
    services = compose["services"]
    assert {"api", "worker", "postgres", "redis", "temporal", "falkordb"} <= set(services)
    api, worker = services["api"], services["worker"]
    assert api["command"][:1] == ["api"] and worker["command"] == ["worker"]
    port = int(api["command"][api["command"].index("--port") + 1])
    assert port == DEFAULTS.api_port
    assert any(str(p).endswith(f":{port}") for p in api["ports"])
    assert f"127.0.0.1:{port}/healthz" in " ".join(api["healthcheck"]["test"])
    for name in ("api", "worker"):
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (COMPOSE.parent / service["build"]["context"]).resolve() == DEPLOY.parent
        assert set(service["depends_on"]) <= set(services)
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["quantumlayer"]' in dockerfile and f"EXPOSE {port}" in dockerfile
    # The settings the processes get are real settings, and they point at these services.
    settings = check_settings(api["environment"], monkeypatch)
    assert settings.api_run_workers is False  # workers run in the `worker` service
    assert worker["environment"].get("QL_API_RUN_WORKERS") is None
    assert settings.database_url and settings.database_url.startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in settings.database_url
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.temporal_address == "temporal:7233"
    bolt = services["falkordb"]["environment"]["FALKORDB_ARGS"].split()
    assert settings.graph_url == f"bolt://falkordb:{bolt[bolt.index('BOLT_PORT') + 1]}"
    assert settings.jwt_secret is not None and settings.secrets_keys is not None
    check_settings(worker["environment"], monkeypatch)
    gateway = services["kong"]
    assert "gateway" in gateway["profiles"]
    assert "./kong/kong.yml:/kong/kong.yml:ro" in gateway["volumes"]
    assert gateway["environment"]["KONG_DECLARATIVE_CONFIG"] == "/kong/kong.yml"


# --- Kubernetes -----------------------------------------------------------------------------


def test_kubernetes_manifests_validate_against_the_api_schemas() -> None:
    version = kubernetes_validate.latest_version()
    kinds = set()
    for path, doc in k8s_docs():
        if doc["kind"] == "Kustomization":
            continue
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{path.name}: {doc['kind']} at {list(exc.path)}: {exc.message}")
        kinds.add(doc["kind"])
    assert {"Namespace", "ConfigMap", "Secret", "Deployment", "Service",
            "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount"} <= kinds
    kustomization = load(K8S / "kustomization.yaml")
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml",
                                                             "secret.example.yaml"}


def test_kubernetes_workloads_run_the_real_commands_with_real_probes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = [d for _, d in k8s_docs()]
    deployments = {d["metadata"]["name"]: d for d in by_kind("Deployment", docs)}
    api, worker = deployments["quantumlayer-api"], deployments["quantumlayer-worker"]
    (api_c,) = api["spec"]["template"]["spec"]["containers"]
    (worker_c,) = worker["spec"]["template"]["spec"]["containers"]
    assert api_c["command"] == ["quantumlayer"] and api_c["args"][0] == "api"
    assert worker_c["command"] == ["quantumlayer"] and worker_c["args"] == ["worker"]
    port = int(api_c["args"][api_c["args"].index("--port") + 1])
    ports = {p["name"]: p["containerPort"] for p in api_c["ports"]}
    assert ports == {"http": port}
    for probe, path in (("livenessProbe", "/healthz"), ("startupProbe", "/healthz"),
                        ("readinessProbe", "/readyz")):
        get = api_c[probe]["httpGet"]
        assert get["path"] == path and ports[get["port"]] == port, probe
    # The Service reaches the API pods on that port.
    (service,) = [s for s in by_kind("Service", docs)
                  if s["metadata"]["name"] == "quantumlayer-api"]
    labels = api["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert {ports.get(p["targetPort"], p["targetPort"]) for p in service["spec"]["ports"]} == {
        port}
    # Configuration and secrets: the ConfigMap exists and holds real, valid settings.
    (config,) = by_kind("ConfigMap", docs)
    (secret,) = by_kind("Secret", docs)
    for container in (api_c, worker_c):
        refs = {next(iter(r)): next(iter(r.values()))["name"] for r in container["envFrom"]}
        assert refs == {"configMapRef": config["metadata"]["name"],
                        "secretRef": secret["metadata"]["name"]}
    settings = check_settings({**config["data"], **secret["stringData"]}, monkeypatch)
    assert settings.api_port == port and settings.api_run_workers is False
    assert settings.api_host == "0.0.0.0"
    # Every HPA scales one of these Deployments; every object is in the one namespace.
    (namespace,) = by_kind("Namespace", docs)
    for hpa in by_kind("HorizontalPodAutoscaler", docs):
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
    for doc in docs:
        if doc["kind"] not in ("Namespace", "Kustomization"):
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"], doc["kind"]
    for deployment in deployments.values():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["containers"][0]["securityContext"]["allowPrivilegeEscalation"] is False


# --- Kong -----------------------------------------------------------------------------------


def kong_route_for(routes: list[dict[str, Any]], method: str, path: str) -> dict[str, Any] | None:
    """The route Kong's traditional router picks: among the routes matching, the one with the
    most matching attributes (paths, methods, headers), then the longest path."""
    candidates = []
    for route in routes:
        if route.get("methods") and method not in route["methods"]:
            continue
        matched = [p for p in route.get("paths", []) if path.startswith(p)]
        if not matched:
            continue
        attributes = sum(1 for key in ("paths", "methods", "headers", "hosts") if route.get(key))
        candidates.append((attributes, max(len(p) for p in matched), route))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def plugins_of(route: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p.get("config", {}) for p in route.get("plugins", [])}


def test_kong_guards_admin_operations_and_limits_rates(
    operations: list[tuple[str, str, str]],
) -> None:
    kong = load(KONG)
    assert kong["_format_version"].startswith("3.")
    (service,) = kong["services"]
    routes = service["routes"]
    # The upstream is the compose `api` service on the API's port, checked on a real path.
    (upstream,) = kong["upstreams"]
    assert service["host"] == upstream["name"]
    compose_api = load(COMPOSE)["services"]["api"]
    api_port = compose_api["command"][compose_api["command"].index("--port") + 1]
    assert [t["target"] for t in upstream["targets"]] == [f"api:{api_port}"]
    assert upstream["healthchecks"]["active"]["http_path"] in {p for _, p, _ in operations}
    admin = {p.value for p in ADMIN_PERMISSIONS}
    checked_admin = 0
    for method, path, permission in operations:
        if not path.startswith("/v1/"):
            continue
        route = kong_route_for(routes, method, concrete(path))
        assert route is not None, f"no Kong route for {method} {path}"
        plugins = plugins_of(route)
        where = f"{method} {path} -> route {route['name']}"
        if permission in admin:
            checked_admin += 1
            assert "ip-restriction" in plugins and "jwt" in plugins, where
            assert plugins["ip-restriction"]["allow"], where
            assert "deny" not in plugins["ip-restriction"], where
        else:
            assert "ip-restriction" not in plugins and "jwt" not in plugins, where
        if permission != "public" or path.startswith("/v1/auth/"):
            assert plugins["rate-limiting"]["minute"] > 0, where
    assert checked_admin >= 6
    # The login limit is the API's own (QL_AUTH_RATE_LIMIT), per client address, failing closed.
    auth = plugins_of(kong_route_for(routes, "POST", "/v1/auth/token") or {})["rate-limiting"]
    limit = parse(DEFAULTS.auth_rate_limit)
    assert limit.get_expiry() == 60 and auth["minute"] == limit.amount
    assert auth["limit_by"] == "ip" and auth["fault_tolerant"] is False
    # The JWT check matches the tokens the API issues.
    (consumer,) = kong["consumers"]
    assert consumer["jwt_secrets"][0]["key"] == DEFAULTS.jwt_issuer
    jwt = plugins_of(kong_route_for(routes, "GET", "/v1/users") or {})["jwt"]
    assert jwt["key_claim_name"] == "iss" and "exp" in jwt["claims_to_verify"]
    assert jwt["maximum_expiration"] == DEFAULTS.access_token_ttl_s
    assert jwt["uri_param_names"] == []
    # Global: body size as the API's, strict CORS, request ids the API accepts.
    globals_ = {p["name"]: p["config"] for p in kong["plugins"]}
    size = globals_["request-size-limiting"]
    assert size["size_unit"] == "megabytes"
    assert size["allowed_payload_size"] * 1024 * 1024 == DEFAULTS.api_max_body_bytes
    assert "*" not in globals_["cors"]["origins"] and globals_["cors"]["credentials"] is False
    assert globals_["correlation-id"]["header_name"] == "X-Request-ID"


# --- Istio ----------------------------------------------------------------------------------


def istio_path_matches(pattern: str, path: str) -> bool:
    """Istio's AuthorizationPolicy path match: exact, prefix `x*`, suffix `*x`, or `*`."""
    if pattern == "*":
        return True
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    if pattern.startswith("*"):
        return path.endswith(pattern[1:])
    return path == pattern


def denied(policy: dict[str, Any], method: str, path: str) -> bool:
    """Whether a DENY policy's rules match a request from outside the allowed networks."""
    for rule in policy["spec"]["rules"]:
        for to in rule.get("to", []):
            op = to["operation"]
            if op.get("methods") and method not in op["methods"]:
                continue
            if not any(istio_path_matches(p, path) for p in op.get("paths", ["*"])):
                continue
            if any(istio_path_matches(p, path) for p in op.get("notPaths", [])):
                continue
            return True
    return False


def test_istio_has_strict_mtls_jwt_checks_and_admin_network_rules(
    operations: list[tuple[str, str, str]],
) -> None:
    docs = [d for path in sorted(ISTIO.glob("*.yaml")) for d in load_all(path)]
    kinds = {d["kind"] for d in docs}
    assert kinds == {"Gateway", "VirtualService", "DestinationRule", "PeerAuthentication",
                     "RequestAuthentication", "AuthorizationPolicy"}
    for doc in docs:
        group = doc["apiVersion"].split("/")[0]
        assert group in ("networking.istio.io", "security.istio.io"), doc["apiVersion"]
    k8s = [d for _, d in k8s_docs()]
    (namespace,) = by_kind("Namespace", k8s)
    ns = namespace["metadata"]["name"]
    assert all(d["metadata"]["namespace"] == ns for d in docs)
    assert namespace["metadata"]["labels"]["istio-injection"] == "enabled"
    (service,) = [s for s in by_kind("Service", k8s) if s["metadata"]["name"] == "quantumlayer-api"]
    host = f"{service['metadata']['name']}.{ns}.svc.cluster.local"
    service_port = service["spec"]["ports"][0]["port"]
    api = next(d for d in by_kind("Deployment", k8s) if d["metadata"]["name"] == service[
        "metadata"]["name"])
    labels = api["spec"]["template"]["metadata"]["labels"]

    (peer,) = by_kind("PeerAuthentication", docs)
    assert peer["spec"]["mtls"]["mode"] == "STRICT" and "selector" not in peer["spec"]
    (rule,) = by_kind("DestinationRule", docs)
    assert rule["spec"]["host"] == host
    assert rule["spec"]["trafficPolicy"]["tls"]["mode"] == "ISTIO_MUTUAL"
    (gateway,) = by_kind("Gateway", docs)
    (virtual,) = by_kind("VirtualService", docs)
    assert virtual["spec"]["gateways"] == [gateway["metadata"]["name"]]
    assert set(virtual["spec"]["hosts"]) <= {h for s in gateway["spec"]["servers"]
                                             for h in s["hosts"]}
    for route in virtual["spec"]["http"]:
        for destination in route["route"]:
            assert destination["destination"]["host"] == host
            assert destination["destination"]["port"]["number"] == service_port
    events = re.compile(virtual["spec"]["http"][0]["match"][0]["uri"]["regex"])
    assert "/v1/projects/{project_id}/events" in {p for _, p, _ in operations}
    assert events.match(concrete("/v1/projects/{project_id}/events"))
    assert virtual["spec"]["http"][0]["timeout"] == "0s"  # a stream: no timeout

    (authn,) = by_kind("RequestAuthentication", docs)
    assert authn["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (jwt_rule,) = authn["spec"]["jwtRules"]
    assert jwt_rule["issuer"] == DEFAULTS.jwt_issuer
    assert jwt_rule["audiences"] == [DEFAULTS.jwt_audience]
    assert jwt_rule["forwardOriginalToken"] is True  # the API checks the token again

    policies = {p["metadata"]["name"]: p for p in by_kind("AuthorizationPolicy", docs)}
    admin_rule = policies["quantumlayer-api-admin-networks"]
    assert admin_rule["spec"]["action"] == "DENY"
    assert all(r["from"][0]["source"]["notRemoteIpBlocks"] for r in admin_rule["spec"]["rules"])
    admin = {p.value for p in ADMIN_PERMISSIONS}
    checked = 0
    for method, path, permission in operations:
        if path.startswith("/v1/"):
            assert denied(admin_rule, method, concrete(path)) is (permission in admin), (
                method, path, permission)
            checked += permission in admin
    assert checked >= 6
    tokens = policies["quantumlayer-api-access-tokens-only"]["spec"]["rules"][0]
    assert tokens["when"] == [{"key": "request.auth.claims[token_use]", "notValues": ["access"]}]
    worker = policies["quantumlayer-worker-deny-all"]["spec"]
    assert worker["action"] == "ALLOW" and "rules" not in worker
