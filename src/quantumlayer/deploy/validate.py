"""Offline validation of deployment artefacts, before they are written or applied.

- Kubernetes manifests against the Kubernetes JSON schemas bundled with `kubernetes-validate`
  (strict: unknown fields are errors), plus our own rules (probes, limits, non-root, labels);
- Terraform parsed with `python-hcl2`: every referenced variable and local declared, every
  variable typed and described, every resource that takes tags/labels carrying ours, references
  to resources that exist;
- the Dockerfile, docker-compose.yml, both CI pipelines, the Prometheus rules and the Grafana
  dashboard parsed and checked for the structure their tools require.

`validate` returns what was checked; any problem raises `InvalidArtefacts` listing them all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from quantumlayer.errors import QuantumLayerError

from .iac.ci import GITHUB_FILE, GITLAB_FILE
from .iac.monitoring import DASHBOARD_FILE, EXPORTED_METRICS, RULES_FILE
from .runtime import Runtime


def kubernetes_version() -> str:
    """The newest Kubernetes version whose schemas kubernetes-validate ships (offline)."""
    import kubernetes_validate

    return str(kubernetes_validate.latest_version())


# Resource types that take no tags/labels argument, per provider prefix.
UNTAGGABLE = frozenset({
    "aws_route_table_association", "aws_iam_role_policy_attachment", "aws_iam_role_policy",
    "aws_appautoscaling_policy", "aws_secretsmanager_secret_version",
    "google_project_service", "google_compute_network", "google_compute_subnetwork",
    "google_compute_global_address", "google_service_networking_connection",
    "google_kms_key_ring", "google_sql_database", "google_sql_user",
    "google_secret_manager_secret_version", "google_secret_manager_secret_iam_member",
    "google_service_account",
    "azurerm_subnet", "azurerm_role_assignment", "azurerm_postgresql_flexible_server_database",
    "random_password",
})
# Where a resource type keeps its labels when not at the top level.
NESTED_LABELS = {"google_sql_database_instance": ("settings", "user_labels")}


class InvalidArtefacts(QuantumLayerError):
    """Deployment artefacts failed validation; the message lists every problem."""

    code = "invalid_artefacts"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("deployment artefacts are invalid:\n- " + "\n- ".join(problems))


def validate(files: Mapping[str, str], runtime: Runtime) -> list[str]:
    """Validate every deployment artefact among `files`; the checks done, in order."""
    checks: list[str] = []
    problems: list[str] = []
    validators: list[tuple[bool, Callable[[], list[str]]]] = [
        ("Dockerfile" in files, lambda: check_dockerfile(files["Dockerfile"], runtime, files)),
        ("docker-compose.yml" in files, lambda: check_compose(files["docker-compose.yml"])),
        (any(p.startswith("k8s/") for p in files), lambda: check_kubernetes(files, runtime)),
        (any(p.startswith("terraform/") for p in files), lambda: check_terraform(files)),
        (GITHUB_FILE in files, lambda: check_github_actions(files[GITHUB_FILE])),
        (GITLAB_FILE in files, lambda: check_gitlab_ci(files[GITLAB_FILE])),
        (RULES_FILE in files, lambda: check_prometheus_rules(files[RULES_FILE], runtime)),
        (DASHBOARD_FILE in files, lambda: check_grafana(files[DASHBOARD_FILE])),
    ]
    for present, check in validators:
        if not present:
            continue
        try:
            checks += check()
        except InvalidArtefacts as exc:
            problems += exc.problems
    if runtime.is_service:
        for required in ("Dockerfile", "docker-compose.yml", "k8s/kustomization.yaml",
                         GITHUB_FILE, GITLAB_FILE, "DEPLOY.md"):
            if required not in files:
                problems.append(f"{required} is missing")
    if problems:
        raise InvalidArtefacts(problems)
    return checks


def _fail(problems: list[str]) -> None:
    if problems:
        raise InvalidArtefacts(problems)


def _yaml(text: str, path: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidArtefacts([f"{path}: not valid YAML: {exc}"]) from None


# --- Dockerfile --------------------------------------------------------------------------------


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def check_dockerfile(text: str, runtime: Runtime, files: Mapping[str, str]) -> list[str]:
    steps = dockerfile_instructions(text)
    problems: list[str] = []
    froms = [i for i, (word, _) in enumerate(steps) if word == "FROM"]
    if len(froms) < 2:
        problems.append("Dockerfile: not a multi-stage build (one FROM)")
    final = steps[froms[-1]:] if froms else steps
    users = [args for word, args in final if word == "USER"]
    if not users or users[-1].split(":")[0] in {"root", "0"}:
        problems.append("Dockerfile: the final stage does not switch to a non-root USER")
    health = [args for word, args in final if word == "HEALTHCHECK"]
    if runtime.is_service and (not health or health[-1].upper().startswith("NONE")):
        problems.append("Dockerfile: a service image needs a HEALTHCHECK")
    for word, args in final:
        if word in {"CMD", "ENTRYPOINT"}:
            try:
                argv = json.loads(args)
            except json.JSONDecodeError:
                argv = None
            if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
                problems.append(f"Dockerfile: {word} is not in exec form (a JSON array)")
    exposed = {args.split("/")[0] for word, args in final if word == "EXPOSE"}
    if runtime.is_service and str(runtime.port) not in exposed:
        problems.append(f"Dockerfile: port {runtime.port} is not EXPOSEd")
    for word, args in steps:
        if word == "ADD" and re.search(r"https?://", args):
            problems.append("Dockerfile: ADD from a URL (use a checked download instead)")
        if word == "ENV" and re.search(r"(PASSWORD|SECRET|TOKEN|API_KEY)\w*\s*=", args, re.I):
            problems.append("Dockerfile: a secret is baked into an ENV")
        if word == "COPY" and "--from=" not in args:
            sources = args.split()[:-1]
            for source in sources:
                base = source.rstrip("/")
                if base in {".", ""}:
                    continue
                if not any(p == base or p.startswith(base + "/") for p in files):
                    problems.append(f"Dockerfile: COPY {source}: no such file in the project")
    _fail(problems)
    return [f"Dockerfile: {len(froms)} stages, non-root USER {users[-1]}"
            + (", HEALTHCHECK" if runtime.is_service else "") + ", exec-form command"]


# --- docker-compose.yml ------------------------------------------------------------------------


def check_compose(text: str) -> list[str]:
    doc = _yaml(text, "docker-compose.yml")
    problems: list[str] = []
    services = doc.get("services") if isinstance(doc, dict) else None
    if not isinstance(services, dict) or not services:
        _fail(["docker-compose.yml: no services"])
    assert isinstance(services, dict)
    for name, service in services.items():
        if not isinstance(service, dict) or not ({"image", "build"} & set(service)):
            problems.append(f"docker-compose.yml: service {name} has neither image nor build")
            continue
        depends = service.get("depends_on", {})
        for dep in depends if isinstance(depends, dict | list) else []:
            if dep not in services:
                problems.append(f"docker-compose.yml: {name} depends on unknown service {dep}")
        for port in service.get("ports", []):
            if not isinstance(port, str) or not re.fullmatch(r"\d+:\d+", port):
                problems.append(f"docker-compose.yml: {name}: port {port!r} is not 'HOST:PORT'")
        if "healthcheck" not in service:
            problems.append(f"docker-compose.yml: {name} has no healthcheck")
    _fail(problems)
    return [f"docker-compose.yml: {len(services)} services ({', '.join(services)}), "
            "health-checked, dependencies resolved"]


# --- Kubernetes --------------------------------------------------------------------------------


def check_kubernetes(files: Mapping[str, str], runtime: Runtime) -> list[str]:
    import kubernetes_validate

    problems: list[str] = []
    kinds: list[str] = []
    kustomization: dict[str, Any] = {}
    version = kubernetes_version()
    for path in sorted(p for p in files if p.startswith("k8s/")):
        if not path.endswith((".yaml", ".yml")):
            continue
        for doc in yaml.safe_load_all(files[path]) if _yaml(files[path], path) is not None else []:
            if not isinstance(doc, dict):
                problems.append(f"{path}: not a mapping")
                continue
            if doc.get("kind") == "Kustomization":
                kustomization = doc
                continue
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                where = "/".join(str(p) for p in exc.path) or "(top)"
                problems.append(f"{path}: {doc.get('kind')} at {where}: {exc.message}")
                continue
            except (kubernetes_validate.SchemaNotFoundError,
                    kubernetes_validate.InvalidSchemaError) as exc:
                problems.append(f"{path}: no schema for {doc.get('kind')}: {exc}")
                continue
            kinds.append(str(doc["kind"]))
            problems += _k8s_rules(path, doc)
    listed = kustomization.get("resources", []) if kustomization else []
    for resource in listed:
        if f"k8s/{resource}" not in files:
            problems.append(f"k8s/kustomization.yaml lists {resource}, which does not exist")
    if runtime.is_service:
        needed = {"ConfigMap", "NetworkPolicy"} | (
            {"CronJob"} if runtime.kind == "batch"
            else {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"}
        )
        missing = needed - set(kinds)
        if missing:
            problems.append(f"k8s/: missing {', '.join(sorted(missing))}")
    _fail(problems)
    return [f"Kubernetes {version} schemas (strict): {', '.join(sorted(kinds))} valid"]


def _pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    spec = doc.get("spec", {})
    if doc.get("kind") == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    elif doc.get("kind") not in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
        return None
    pod = spec.get("template", {}).get("spec")
    return pod if isinstance(pod, dict) else None


def _k8s_rules(path: str, doc: dict[str, Any]) -> list[str]:
    problems = []
    kind = doc.get("kind")
    if "app.kubernetes.io/name" not in (doc.get("metadata", {}).get("labels") or {}):
        problems.append(f"{path}: {kind} lacks the app.kubernetes.io/name label")
    pod = _pod_spec(doc)
    if pod is None:
        return problems
    if not pod.get("securityContext", {}).get("runAsNonRoot"):
        problems.append(f"{path}: {kind} pods may run as root")
    for container in pod.get("containers", []):
        name = container.get("name")
        resources = container.get("resources", {})
        if not resources.get("requests") or not resources.get("limits"):
            problems.append(f"{path}: container {name} lacks resource requests and limits")
        if kind == "Deployment" and container.get("ports"):
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in container:
                    problems.append(f"{path}: container {name} has no {probe}")
        for env in container.get("env", []):
            if "value" in env and re.search(r"PASSWORD|SECRET|TOKEN", env.get("name", ""), re.I):
                problems.append(f"{path}: {env['name']} is a literal, not a Secret reference")
    return problems


# --- Terraform ---------------------------------------------------------------------------------


def _strip_hcl_comments(text: str) -> str:
    return re.sub(r'(?m)^\s*#.*$|(?<=\s)#[^"\n]*$', "", text)


def check_terraform(files: Mapping[str, str]) -> list[str]:
    import hcl2

    problems: list[str] = []
    declared_vars: dict[str, dict[str, Any]] = {}
    declared_locals: set[str] = set()
    resources: dict[str, dict[str, Any]] = {}
    data_sources: set[str] = set()
    outputs: list[str] = []
    providers: set[str] = set()
    text_all = ""
    tf_files = sorted(p for p in files if p.startswith("terraform/") and p.endswith(".tf"))
    for path in tf_files:
        try:
            doc = hcl2.loads(files[path])
        except Exception as exc:  # noqa: BLE001 - the parser raises lark's many error types
            problems.append(f"{path}: not valid HCL: {str(exc).splitlines()[0][:200]}")
            continue
        text_all += _strip_hcl_comments(files[path]) + "\n"
        for block in doc.get("variable", []):
            for name, body in block.items():
                declared_vars[name.strip('"')] = body
        for block in doc.get("locals", []):
            declared_locals |= {k for k in block if not k.startswith("__")}
        for block in doc.get("resource", []):
            for rtype, named in block.items():
                for rname, body in named.items():
                    resources[f"{rtype.strip(chr(34))}.{rname.strip(chr(34))}"] = body
        for block in doc.get("data", []):
            for dtype, named in block.items():
                data_sources |= {f"{dtype.strip(chr(34))}.{n.strip(chr(34))}" for n in named}
        for block in doc.get("output", []):
            outputs += [n.strip('"') for n in block]
        for block in doc.get("terraform", []):
            for req in block.get("required_providers", []):
                providers |= set(req)
    if problems:
        _fail(problems)
    if not tf_files:
        _fail(["terraform/: no .tf files"])
    for name, body in declared_vars.items():
        if "type" not in body:
            problems.append(f"terraform: variable {name} has no type")
        if not str(body.get("description", "")).strip('"').strip():
            problems.append(f"terraform: variable {name} has no description")
    for name in sorted(set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)", text_all))):
        if name not in declared_vars:
            problems.append(f"terraform: var.{name} is used but not declared")
    for name in sorted(set(re.findall(r"\blocal\.([A-Za-z_][A-Za-z0-9_-]*)", text_all))):
        if name not in declared_locals:
            problems.append(f"terraform: local.{name} is used but not declared")
    for rtype, rname in sorted(set(re.findall(
            r"(?<![\w.])((?:aws|google|azurerm|random)_[a-z0-9_]+)\.([a-z][a-z0-9_]*)\b",
            text_all))):
        ref = f"{rtype}.{rname}"
        if ref not in resources and not re.search(rf'resource\s+"{rtype}"', text_all):
            continue  # a string such as a service name, not a reference
        if ref not in resources:
            problems.append(f"terraform: {ref} is referenced but not defined")
    for data_ref in sorted(set(re.findall(r"\bdata\.([a-z0-9_]+\.[a-z0-9_]+)", text_all))):
        if data_ref not in data_sources:
            problems.append(f"terraform: data.{data_ref} is referenced but not defined")
    untagged = []
    for ref, body in resources.items():
        rtype = ref.split(".")[0]
        if rtype in UNTAGGABLE:
            continue
        holder: Any = body
        for key in NESTED_LABELS.get(rtype, ()):
            holder = holder.get(key, {}) if isinstance(holder, dict) else {}
            if isinstance(holder, list):
                holder = holder[0] if holder else {}
        if rtype in NESTED_LABELS:
            value = str(holder)
        else:
            value = str(body.get("labels" if rtype.startswith("google_") else "tags", ""))
        if "local.tags" not in value and "local.labels" not in value:
            untagged.append(ref)
    if untagged:
        problems.append(f"terraform: resources without our tags/labels: {', '.join(untagged)}")
    if not outputs:
        problems.append("terraform: no outputs")
    if not providers:
        problems.append("terraform: no required_providers")
    _fail(problems)
    return [f"Terraform: {len(tf_files)} files parsed, {len(resources)} resources (each taggable "
            f"one tagged), "
            f"{len(declared_vars)} variables typed and described, every reference declared, "
            f"{len(outputs)} outputs"]


# --- CI/CD -------------------------------------------------------------------------------------


def check_github_actions(text: str) -> list[str]:
    doc = _yaml(text, GITHUB_FILE)
    problems: list[str] = []
    if not isinstance(doc, dict):
        _fail([f"{GITHUB_FILE}: not a mapping"])
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    if not triggers:
        problems.append(f"{GITHUB_FILE}: no triggers (on:)")
    jobs = doc.get("jobs") or {}
    for name, job in jobs.items():
        if "runs-on" not in job:
            problems.append(f"{GITHUB_FILE}: job {name} has no runs-on")
        if not job.get("steps"):
            problems.append(f"{GITHUB_FILE}: job {name} has no steps")
        for need in job.get("needs", []):
            if need not in jobs:
                problems.append(f"{GITHUB_FILE}: job {name} needs unknown job {need}")
        for step in job.get("steps", []):
            if not ({"uses", "run"} & set(step)):
                problems.append(f"{GITHUB_FILE}: a step of {name} neither uses nor runs")
    runs = " ".join(str(s.get("run", "")) for j in jobs.values() for s in j.get("steps", []))
    for stage, needle in (("lint", "ruff check"), ("test", "pytest")):
        if needle not in runs:
            problems.append(f"{GITHUB_FILE}: no {stage} step ({needle})")
    gated = [n for n, j in jobs.items()
             if (j.get("environment") or {}).get("name") == "production"]
    if not gated:
        problems.append(f"{GITHUB_FILE}: no job deploys to the gated production environment")
    _fail(problems)
    return [f"GitHub Actions: jobs {' -> '.join(jobs)}; production behind its environment gate"]


def check_gitlab_ci(text: str) -> list[str]:
    doc = _yaml(text, GITLAB_FILE)
    problems: list[str] = []
    if not isinstance(doc, dict):
        _fail([f"{GITLAB_FILE}: not a mapping"])
    stages = doc.get("stages", [])
    reserved = {"stages", "default", "variables", "cache", "include", "workflow"}
    jobs = {k: v for k, v in doc.items() if k not in reserved and not k.startswith(".")}
    for name, job in jobs.items():
        if job.get("stage") not in stages:
            problems.append(f"{GITLAB_FILE}: job {name} is in unknown stage {job.get('stage')}")
        if not job.get("script"):
            problems.append(f"{GITLAB_FILE}: job {name} has no script")
        for need in job.get("needs", []):
            if need not in jobs:
                problems.append(f"{GITLAB_FILE}: job {name} needs unknown job {need}")
    production = [j for j in jobs.values()
                  if (j.get("environment") or {}).get("name") == "production"]
    if not production or not all(
        any(rule.get("when") == "manual" for rule in j.get("rules", [])) or j.get("when") ==
        "manual" for j in production
    ):
        problems.append(f"{GITLAB_FILE}: production is not behind a manual job")
    _fail(problems)
    return [f"GitLab CI: stages {' -> '.join(stages)}; production manual"]


# --- monitoring --------------------------------------------------------------------------------


def _balanced(expr: str) -> bool:
    depth = 0
    for char in expr:
        depth += {"(": 1, ")": -1, "{": 1, "}": -1, "[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def check_prometheus_rules(text: str, runtime: Runtime) -> list[str]:
    doc = _yaml(text, RULES_FILE)
    problems: list[str] = []
    groups = doc.get("groups") if isinstance(doc, dict) else None
    if not groups:
        raise InvalidArtefacts([f"{RULES_FILE}: no rule groups"])
    exported = EXPORTED_METRICS.get(runtime.kind, set())
    count = 0
    for group in groups:
        for rule in group.get("rules", []):
            count += 1
            name = rule.get("alert")
            expr = str(rule.get("expr", ""))
            if not name or not expr:
                problems.append(f"{RULES_FILE}: a rule lacks alert or expr")
                continue
            if not _balanced(expr):
                problems.append(f"{RULES_FILE}: {name}: unbalanced brackets")
            if not re.fullmatch(r"\d+[smhd]", str(rule.get("for", ""))):
                problems.append(f"{RULES_FILE}: {name}: 'for' is not a duration")
            if rule.get("labels", {}).get("severity") not in {"page", "ticket"}:
                problems.append(f"{RULES_FILE}: {name}: no severity label")
            if not rule.get("annotations", {}).get("summary"):
                problems.append(f"{RULES_FILE}: {name}: no summary")
            for metric in re.findall(r"([a-z_][a-z0-9_]*)\{", expr):
                if exported and metric not in exported:
                    problems.append(f"{RULES_FILE}: {name} uses {metric}, which the service "
                                    "does not export")
    _fail(problems)
    return [f"Prometheus rules: {count} alerts, each with severity, summary and a duration; "
            "only exported metrics"]


def check_grafana(text: str) -> list[str]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidArtefacts([f"{DASHBOARD_FILE}: not JSON: {exc}"]) from None
    problems = []
    for key in ("uid", "title", "panels", "schemaVersion"):
        if key not in doc:
            problems.append(f"{DASHBOARD_FILE}: no {key}")
    ids = [p.get("id") for p in doc.get("panels", [])]
    if len(ids) != len(set(ids)):
        problems.append(f"{DASHBOARD_FILE}: duplicate panel ids")
    for panel in doc.get("panels", []):
        for target in panel.get("targets", []):
            if not _balanced(str(target.get("expr", ""))):
                problems.append(f"{DASHBOARD_FILE}: panel {panel.get('title')}: unbalanced expr")
    _fail(problems)
    return [f"Grafana dashboard: {len(ids)} panels"]
