"""Infrastructure as code, rendered from a DeploymentProfile: containers, Kubernetes, Terraform,
CI/CD pipelines, monitoring and the DEPLOY.md that explains them. Pure: data in, files out."""

from __future__ import annotations

from ..profile import DeploymentProfile
from . import ci, docker, docs, kubernetes, monitoring, terraform

__all__ = ["render"]


def render(profile: DeploymentProfile) -> dict[str, str]:
    """Every deployment file for the profile, by path.

    Services get a container, compose, Kubernetes, Terraform and monitoring; a command-line
    program a container; every project the pipelines and DEPLOY.md.
    """
    rt = profile.runtime
    files: dict[str, str] = {}
    if rt.is_service or rt.kind == "cli":
        files["Dockerfile"] = docker.dockerfile(profile)
        files[".dockerignore"] = docker.dockerignore(profile)
    if rt.kind == "static":
        files["nginx.conf"] = docker.nginx_conf(profile)
    if rt.is_service:
        files["docker-compose.yml"] = docker.compose(profile)
        files |= kubernetes.render(profile)
        files |= terraform.render(profile)
        files |= monitoring.render(profile)
    files |= ci.render(profile)
    files["DEPLOY.md"] = docs.deploy_md(profile, sorted(files))
    return dict(sorted(files.items()))
