"""The Deployment Engine's artefacts: NFRs shape them, they validate offline, and the validators
catch what is wrong (no services needed)."""

from __future__ import annotations

import json

import hcl2
import pytest
import yaml

from quantumlayer.deploy import (
    InvalidArtefacts,
    Runtime,
    build_profile,
    check_cloud,
    render,
    validate,
)
from quantumlayer.deploy.profile import parse_latency, parse_percent, parse_throughput, parse_users
from quantumlayer.domain import Complexity, NonFunctionalRequirement, Spec
from quantumlayer.errors import UserError

HTTP = Runtime(
    kind="http", command=("uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"),
    local_command=("-m", "uvicorn", "app.main:app", "--port", "{port}"), uses_database=True,
    metrics=True, extras=("postgres",),
)
WORKER = Runtime(kind="worker", command=("python", "-m", "worker"), packages=("worker",),
                 port=8080, uses_database=True, metrics=True, queue=True)
BATCH = Runtime(kind="batch", command=("python", "-m", "pipeline", "run"),
                packages=("pipeline",), port=8080, uses_database=True)
STATIC = Runtime(kind="static", port=8080, packages=(), static_dir="site")
CLI = Runtime(kind="cli", command=("tool",), packages=("tool",))
NONE = Runtime(kind="none", packages=("lib",))


def spec_with(*nfrs: tuple[str, str, str | None], cloud: str | None = None,
              name: str = "shop-api", title: str = "Shop API") -> Spec:
    return Spec(
        name=name, title=title, summary="A shop", project_type="rest_api",
        complexity=Complexity(score=3, size="S", effort_hours=10), cloud=cloud,
        non_functional_requirements=[
            NonFunctionalRequirement(id=f"NFR-{i}", category=cat, text=text, target=target)
            for i, (cat, text, target) in enumerate(nfrs, 1)
        ],
    )


DEMANDING = spec_with(
    ("availability", "99.95% availability", "99.95%"),
    ("performance", "p99 under 200 ms", "p99 < 200 ms"),
    ("scalability", "2000 requests per second", "2000 req/s"),
    ("compliance", "GDPR compliant", "GDPR"),
    cloud="aws",
)
RELAXED = spec_with(("availability", "99% uptime", "99%"), cloud="gcp")


def project_files(spec: Spec, runtime: Runtime, cloud: str | None = None) -> dict[str, str]:
    """The artefacts plus the source files the Dockerfile copies."""
    files = render(spec, runtime, cloud=cloud)
    for pkg in runtime.packages:
        files[f"{pkg}/__init__.py"] = ""
    files["pyproject.toml"] = ""
    if runtime.static_dir:
        files[f"{runtime.static_dir}/index.html"] = "<html></html>"
    return files


def docs(files: dict[str, str], path: str) -> dict[str, dict]:
    return {d["kind"]: d for d in yaml.safe_load_all(files[path])}


# --- NFR parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("99.95%", 99.95), ("99.9 % uptime", 99.9), ("100%", None), ("fast", None)],
)
def test_parse_percent(text: str, expected: float | None) -> None:
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("p99 < 50 ms", (0.99, 0.05)), ("95th percentile under 1 s", (0.95, 1.0)),
     ("under 200ms", (0.95, 0.2)), ("p99.9 < 20 ms", (0.999, 0.02)), ("fast", None)],
)
def test_parse_latency(text: str, expected: tuple[float, float] | None) -> None:
    assert parse_latency(text) == expected


def test_parse_throughput_and_users() -> None:
    assert parse_throughput("2000 req/s") == 2000
    assert parse_throughput("5k rps") == 5000
    assert parse_throughput("86,400 requests per day") == 1
    assert parse_throughput("p99 < 200 ms") is None
    assert parse_users("10000 users") == 10000
    assert parse_users("50k concurrent users") == 50000


# --- NFRs shape the output -----------------------------------------------------------------------


def test_availability_and_throughput_shape_replicas_and_zones() -> None:
    demanding = build_profile(DEMANDING, HTTP)
    assert demanding.multi_az and demanding.min_replicas == 10 and demanding.max_replicas == 30
    assert demanding.customer_managed_keys and demanding.backup_retention_days == 35
    assert demanding.region == "eu-west-1"  # GDPR keeps data in the EU
    relaxed = build_profile(RELAXED, HTTP)
    assert not relaxed.multi_az and relaxed.min_replicas == 2 and relaxed.max_replicas == 6
    assert not relaxed.customer_managed_keys and relaxed.region == "us-central1"
    low = build_profile(spec_with(("availability", "95% uptime", "95%")), HTTP)
    assert low.min_replicas == 1 and low.cloud == "aws" and not low.cloud_from_spec

    files = render(DEMANDING, HTTP)
    k8s = {name: yaml.safe_load(files[f"k8s/{name}"]) for name in
           ("deployment.yaml", "hpa.yaml", "pdb.yaml")}
    assert k8s["deployment.yaml"]["spec"]["replicas"] == 10
    assert k8s["hpa.yaml"]["spec"]["minReplicas"] == 10
    assert k8s["hpa.yaml"]["spec"]["maxReplicas"] == 30
    assert k8s["pdb.yaml"]["spec"]["minAvailable"] == 9
    pod = k8s["deployment.yaml"]["spec"]["template"]["spec"]
    assert pod["topologySpreadConstraints"][0]["topologyKey"] == "topology.kubernetes.io/zone"
    relaxed_pod = yaml.safe_load(render(RELAXED, HTTP)["k8s/deployment.yaml"])
    assert "topologySpreadConstraints" not in relaxed_pod["spec"]["template"]["spec"]

    variables = hcl2.loads(files["terraform/variables.tf"])["variable"]
    defaults = {k.strip('"'): v.get("default") for block in variables for k, v in block.items()}
    assert defaults["multi_az"] is True and defaults["customer_managed_keys"] is True
    assert defaults["min_replicas"] == 10 and defaults["backup_retention_days"] == 35
    assert "multi_az                      = var.multi_az" in files["terraform/main.tf"]
    assert "storage_encrypted             = true" in files["terraform/main.tf"]


def test_slo_burn_rate_and_latency_alerts_follow_the_targets() -> None:
    files = render(DEMANDING, HTTP)
    rules = yaml.safe_load(files["monitoring/prometheus-rules.yaml"])["groups"][0]["rules"]
    by_name = {r["alert"]: r for r in rules}
    # 99.95% leaves an error budget of 0.0005; the fast burn pages at 14.4x of it.
    fast = by_name["ErrorBudgetFastBurn"]
    assert "> 0.0072" in fast["expr"] and "[1h]" in fast["expr"] and "[5m]" in fast["expr"]
    assert fast["labels"]["severity"] == "page"
    assert by_name["ErrorBudgetSlowBurn"]["labels"]["severity"] == "ticket"
    latency = by_name["LatencyTargetMissed"]["expr"]
    assert latency.startswith("histogram_quantile(0.99,") and latency.endswith("> 0.2")
    dashboard = json.loads(files["monitoring/grafana-dashboard.json"])
    titles = [p["title"] for p in dashboard["panels"]]
    assert "p99 latency (target 200 ms)" in titles
    relaxed = yaml.safe_load(render(RELAXED, HTTP)["monitoring/prometheus-rules.yaml"])
    relaxed_latency = next(r for r in relaxed["groups"][0]["rules"]
                           if r["alert"] == "LatencyTargetMissed")
    assert relaxed_latency["expr"].startswith("histogram_quantile(0.95,")
    assert relaxed_latency["labels"]["severity"] == "ticket"  # a default, not a promise


# --- every kind and cloud validates --------------------------------------------------------------


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
@pytest.mark.parametrize("runtime", [HTTP, WORKER, BATCH, STATIC], ids=lambda r: r.kind)
def test_service_artefacts_validate(cloud: str, runtime: Runtime) -> None:
    files = project_files(DEMANDING, runtime, cloud)
    checks = validate(files, runtime)
    assert any(c.startswith("Kubernetes") for c in checks)
    assert any(c.startswith("Terraform") for c in checks)
    assert "Dockerfile" in files and "DEPLOY.md" in files
    assert f"## Terraform ({cloud.upper()})" in files["DEPLOY.md"]


def test_batch_runs_as_a_cronjob_and_static_as_unprivileged_nginx() -> None:
    batch = project_files(RELAXED, BATCH)
    assert "k8s/cronjob.yaml" in batch and "k8s/hpa.yaml" not in batch
    assert "PipelineStale" in batch["monitoring/prometheus-rules.yaml"]
    static = project_files(RELAXED, STATIC)
    assert "nginx-unprivileged" in static["Dockerfile"] and "nginx.conf" in static
    assert "monitoring/prometheus-rules.yaml" not in static


@pytest.mark.parametrize("runtime", [CLI, NONE], ids=lambda r: r.kind)
def test_programs_get_pipelines_but_no_cluster(runtime: Runtime) -> None:
    files = project_files(RELAXED, runtime)
    assert not any(p.startswith(("k8s/", "terraform/")) for p in files)
    assert ("Dockerfile" in files) == (runtime.kind == "cli")
    validate(files, runtime)
    workflow = yaml.safe_load(files[".github/workflows/ci.yml"])
    assert workflow["jobs"]["release"]["environment"]["name"] == "production"


def test_ci_pipelines_gate_production() -> None:
    files = render(DEMANDING, HTTP)
    github = yaml.safe_load(files[".github/workflows/ci.yml"])
    assert list(github["jobs"]) == ["lint", "test", "build", "deploy-staging",
                                    "deploy-production"]
    assert github["jobs"]["deploy-production"]["needs"] == ["deploy-staging"]
    gitlab = yaml.safe_load(files[".gitlab-ci.yml"])
    assert gitlab["deploy_production"]["rules"][0]["when"] == "manual"
    assert gitlab["stages"] == ["lint", "test", "build", "deploy"]


def test_dockerfile_is_multi_stage_non_root_and_health_checked() -> None:
    text = render(DEMANDING, HTTP)["Dockerfile"]
    assert text.count("\nFROM ") + text.startswith("FROM ") == 2
    assert "USER 10001" in text and "HEALTHCHECK" in text
    assert 'pip install ".[postgres]"' in text
    compose = yaml.safe_load(render(DEMANDING, HTTP)["docker-compose.yml"])
    assert set(compose["services"]) == {"shop-api", "db"}
    assert compose["services"]["shop-api"]["depends_on"]["db"]["condition"] == "service_healthy"


# --- the validators catch problems ---------------------------------------------------------------


def _broken(mutate: str) -> dict[str, str]:
    files = project_files(DEMANDING, HTTP)
    if mutate == "k8s-field":
        doc = yaml.safe_load(files["k8s/deployment.yaml"])
        doc["spec"]["replicaz"] = 3
        files["k8s/deployment.yaml"] = yaml.safe_dump(doc)
    elif mutate == "k8s-type":
        doc = yaml.safe_load(files["k8s/hpa.yaml"])
        doc["spec"]["maxReplicas"] = "many"
        files["k8s/hpa.yaml"] = yaml.safe_dump(doc)
    elif mutate == "k8s-probe":
        doc = yaml.safe_load(files["k8s/deployment.yaml"])
        del doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
        files["k8s/deployment.yaml"] = yaml.safe_dump(doc)
    elif mutate == "tf-var":
        files["terraform/main.tf"] += '\nresource "aws_s3_bucket" "x" {\n  bucket = var.nope\n' \
                                      "  tags   = local.tags\n}\n"
    elif mutate == "tf-tags":
        files["terraform/main.tf"] += '\nresource "aws_s3_bucket" "x" {\n  bucket = var.name\n}\n'
    elif mutate == "tf-syntax":
        files["terraform/main.tf"] += '\nresource "aws_s3_bucket" {\n'
    elif mutate == "tf-undescribed":
        files["terraform/variables.tf"] += '\nvariable "extra" {\n  type = string\n}\n'
    elif mutate == "docker-root":
        files["Dockerfile"] = files["Dockerfile"].replace("USER 10001", "USER root")
    elif mutate == "docker-single":
        text = files["Dockerfile"]
        files["Dockerfile"] = text[text.index("# Runtime stage"):]
    elif mutate == "compose-dep":
        doc = yaml.safe_load(files["docker-compose.yml"])
        doc["services"]["shop-api"]["depends_on"] = {"cache": {"condition": "service_started"}}
        files["docker-compose.yml"] = yaml.safe_dump(doc)
    elif mutate == "gitlab-gate":
        doc = yaml.safe_load(files[".gitlab-ci.yml"])
        doc["deploy_production"]["rules"] = [{"if": "$CI_COMMIT_BRANCH"}]
        files[".gitlab-ci.yml"] = yaml.safe_dump(doc)
    elif mutate == "rule-metric":
        doc = yaml.safe_load(files["monitoring/prometheus-rules.yaml"])
        doc["groups"][0]["rules"][0]["expr"] = 'sum(made_up_metric{job="x"}) > 1'
        files["monitoring/prometheus-rules.yaml"] = yaml.safe_dump(doc)
    elif mutate == "missing":
        del files["k8s/kustomization.yaml"]
    return files


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        ("k8s-field", "'replicaz' was unexpected"),
        ("k8s-type", "maxReplicas"),
        ("k8s-probe", "no readinessProbe"),
        ("tf-var", "var.nope is used but not declared"),
        ("tf-tags", "without our tags/labels: aws_s3_bucket.x"),
        ("tf-syntax", "not valid HCL"),
        ("tf-undescribed", "variable extra has no description"),
        ("docker-root", "non-root USER"),
        ("docker-single", "multi-stage"),
        ("compose-dep", "unknown service cache"),
        ("gitlab-gate", "production is not behind a manual job"),
        ("rule-metric", "made_up_metric"),
        ("missing", "k8s/kustomization.yaml is missing"),
    ],
)
def test_validators_catch_problems(mutate: str, message: str) -> None:
    with pytest.raises(InvalidArtefacts) as caught:
        validate(_broken(mutate), HTTP)
    assert message in str(caught.value)


# --- hostile input -------------------------------------------------------------------------------


def test_hostile_names_stay_data() -> None:
    hostile = spec_with(
        ("availability", '99.9% "} ${file("/etc/passwd")} #', "99.9%"),
        name='../../x"; rm -rf /\n', title='Evil ${jndi} "} %{ if } \n# title',
    )
    for cloud in ("aws", "gcp", "azure"):
        files = project_files(hostile, HTTP, cloud)
        validate(files, HTTP)
        joined = "".join(files.values())
        assert "/etc/passwd" not in joined and "rm -rf" not in joined
        for path, text in files.items():
            for line in text.splitlines():
                if "jndi" in line and path.endswith(".tf"):
                    assert line.startswith("# "), (path, line)  # a comment: never evaluated
    profile = build_profile(hostile, HTTP)
    assert profile.name == "x-rm-rf"


@pytest.mark.parametrize("cloud", ["ibm", "AWS ", "", "aws; rm -rf /"])
def test_unsupported_cloud_is_a_clear_error(cloud: str) -> None:
    if cloud.strip().lower() == "aws":
        assert check_cloud(cloud) == "aws"
        return
    with pytest.raises(UserError, match="unsupported cloud .* choose one of aws, gcp, azure"):
        render(RELAXED, HTTP, cloud=cloud)
    broken = RELAXED.model_copy(update={"cloud": cloud})  # a Spec changed after validation
    with pytest.raises(UserError, match="unsupported cloud"):
        build_profile(broken, HTTP)
