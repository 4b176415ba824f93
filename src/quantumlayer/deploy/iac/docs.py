"""DEPLOY.md: how to apply each artefact, and which requirement decided what."""

from __future__ import annotations

from ..profile import DeploymentProfile
from .kubernetes import k8s_name, secret_name


def _md(text: str) -> str:
    """Our own text with the project's title in it: inert Markdown on one line."""
    out = " ".join(text.split())
    for char in "\\`*_{}[]()#+!|~<>":
        out = out.replace(char, "\\" + char)
    return out


def deploy_md(profile: DeploymentProfile, files: list[str]) -> str:
    rt = profile.runtime
    name = k8s_name(profile)
    has = set(files)
    lines = [
        f"# Deploying {_md(profile.title)}",
        "",
        "Rendered by QuantumLayer from the project's requirements and validated offline before "
        "it was written (Kubernetes schemas, Terraform structure, pipeline structure).",
        "",
        "## Decisions taken from the requirements",
        "",
        *[f"- {reason}" for reason in profile.reasons],  # our own words and numbers
        "",
        "| setting | value |",
        "|---|---|",
        f"| availability target | {profile.availability}% "
        f"(error budget {profile.error_budget:g}) |",
        f"| latency target | {profile.quantile_label} < {profile.latency_ms} ms |",
        f"| replicas | {profile.min_replicas} to {profile.max_replicas} (CPU target 70%) |",
        f"| multi-AZ | {'yes' if profile.multi_az else 'no'} |",
        f"| customer-managed keys | {'yes' if profile.customer_managed_keys else 'no'} |",
        f"| backups kept | {profile.backup_retention_days} days |",
        f"| cloud, region | {profile.cloud.upper()}, {profile.region} |",
        "",
    ]
    if rt.description:
        lines += [f"What runs: {rt.description}", ""]
    if "Dockerfile" in has:
        lines += [
            "## Container",
            "",
            "```bash",
            f"docker build -t {name}:0.1.0 .",
        ]
        if rt.kind == "cli":
            lines += [f"docker run --rm {name}:0.1.0 --help"]
        else:
            lines += [f"docker run --rm -p {rt.port}:{rt.port} {name}:0.1.0"]
        lines += [
            "```",
            "",
            "The image is built in two stages, runs as an unprivileged user"
            + (" and has a health check." if rt.is_service else "."),
            "",
        ]
    if "docker-compose.yml" in has:
        lines += ["## Docker Compose", "", "```bash"]
        if rt.uses_database:
            lines.append("export POSTGRES_PASSWORD=$(openssl rand -hex 16)")
        lines += [f"export {var}=$(openssl rand -hex 32)" for var in rt.secrets]
        lines += ["docker compose up --build", "```", ""]
    if any(f.startswith("k8s/") for f in has):
        lines += [
            "## Kubernetes",
            "",
            "The manifests in `k8s/` were validated against the Kubernetes "
            "schemas. Apply them with kustomize:",
            "",
            "```bash",
            f"kubectl create namespace {name}",
        ]
        if rt.uses_database or rt.secrets:
            literals = (["--from-literal=DATABASE_URL='postgresql+psycopg://USER:PASSWORD@HOST"
                         ":5432/app'"] if rt.uses_database else [])
            literals += [f"--from-literal={var}=$(openssl rand -hex 32)" for var in rt.secrets]
            lines.append(f"kubectl -n {name} create secret generic {secret_name(profile)} \\")
            lines += [f"  {lit} \\" for lit in literals[:-1]] + [f"  {literals[-1]}"]
        lines += [
            f"(cd k8s && kustomize edit set image {name}=REGISTRY/{name}:TAG)",
            f"kubectl -n {name} apply -k k8s/",
            "```",
            "",
            "or `quantumlayer deploy PROJECT_ID --target kubernetes` with a kubeconfig. The "
            f"Secret `{secret_name(profile)}` is referenced, never rendered: create it from your "
            "secret store.",
            "",
        ]
    if any(f.startswith("terraform/") for f in has):
        lines += [
            f"## Terraform ({profile.cloud.upper()})",
            "",
            "```bash",
            "cd terraform",
            "terraform init",
            "terraform plan -out plan.tfplan" + (" -var project_id=YOUR_PROJECT"
                                                 if profile.cloud == "gcp" else ""),
            "terraform apply plan.tfplan",
            "```",
            "",
            "or `quantumlayer deploy PROJECT_ID --target terraform`. Every variable has a type, a "
            "description and (except the cloud account) a default from the requirements; every "
            "resource that takes tags carries the project's tags.",
            "",
        ]
        if rt.kind == "batch":
            lines += ["On the cloud the pipeline runs as one long-lived scheduler instance; on "
                      "Kubernetes as a CronJob.", ""]
    if any(f.startswith("monitoring/") for f in has):
        lines += [
            "## Monitoring",
            "",
            "- `monitoring/prometheus-rules.yaml`: add it to `rule_files` in prometheus.yml; "
            f"scrape the service with `job_name: {name}`.",
            "- `monitoring/grafana-dashboard.json`: import it in Grafana (Dashboards > Import).",
            "",
        ]
    lines += [
        "## CI/CD",
        "",
        "- GitHub Actions: `.github/workflows/ci.yml`. Create the environments `staging` and "
        "`production` and give `production` required reviewers: that is the manual gate. "
        + ("Store the cluster's kubeconfig as the secret `KUBECONFIG`." if rt.is_service
           else "Configure PyPI trusted publishing for the release job."),
        "- GitLab CI: `.gitlab-ci.yml`; the production job is manual.",
        "",
    ]
    if rt.local_deployable:
        lines += [
            "## On this machine",
            "",
            "```bash",
            "quantumlayer deploy PROJECT_ID --target local   # runs it, waits for its health check",
            "quantumlayer undeploy PROJECT_ID                # stops it",
            "```",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
