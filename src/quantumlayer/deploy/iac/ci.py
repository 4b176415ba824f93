"""CI/CD pipelines: GitHub Actions and GitLab CI, each lint -> test -> build -> deploy, with a
manual gate before production.

Services build and push a container image and roll it out with `kubectl apply -k k8s/` to staging,
then (after approval) production; programs that are not services build a wheel and publish it
after approval.
"""

from __future__ import annotations

from typing import Any

from ..profile import DeploymentProfile
from .kubernetes import k8s_name
from .yamltext import dump_yaml

GITHUB_FILE = ".github/workflows/ci.yml"
GITLAB_FILE = ".gitlab-ci.yml"
PYTHON = "3.12"


def _test_env(profile: DeploymentProfile) -> dict[str, str]:
    return dict(profile.runtime.test_env)


def _deploy_script(profile: DeploymentProfile, environment: str, image: str) -> str:
    name = k8s_name(profile)
    namespace = f"{name}-{environment}"
    lines = [
        f"kubectl create namespace {namespace} --dry-run=client -o yaml | kubectl apply -f -",
        f"cd k8s && kustomize edit set image {name}={image} && cd ..",
        f"kubectl apply -k k8s/ -n {namespace}",
    ]
    if profile.runtime.kind != "batch":
        lines.append(f"kubectl rollout status deployment/{name} -n {namespace} --timeout=5m")
    return "\n".join(lines)


def github(profile: DeploymentProfile) -> dict[str, Any]:
    service = profile.runtime.is_service
    setup = [
        {"uses": "actions/checkout@v4"},
        {"uses": "actions/setup-python@v5",
         "with": {"python-version": PYTHON, "cache": "pip",
                  "cache-dependency-path": "pyproject.toml"}},
        {"name": "Install", "run": 'python -m pip install -e ".[dev]"'},
    ]
    test_step: dict[str, Any] = {"name": "Test", "run": "pytest"}
    if _test_env(profile):
        test_step["env"] = _test_env(profile)
    jobs: dict[str, Any] = {
        "lint": {"runs-on": "ubuntu-latest",
                 "steps": [*setup, {"name": "Lint", "run": "ruff check ."}]},
        "test": {"runs-on": "ubuntu-latest", "needs": ["lint"], "steps": [*setup, test_step]},
    }
    image = "ghcr.io/${{ github.repository }}:${{ github.sha }}"
    if service:
        jobs["build"] = {
            "runs-on": "ubuntu-latest",
            "needs": ["test"],
            "permissions": {"contents": "read", "packages": "write"},
            "steps": [
                {"uses": "actions/checkout@v4"},
                {"uses": "docker/login-action@v3",
                 "with": {"registry": "ghcr.io", "username": "${{ github.actor }}",
                          "password": "${{ secrets.GITHUB_TOKEN }}"}},
                {"uses": "docker/build-push-action@v6",
                 "with": {"context": ".", "push": "${{ github.ref == 'refs/heads/main' }}",
                          "tags": image}},
            ],
        }
        for env, needs in (("staging", "build"), ("production", "deploy-staging")):
            job: dict[str, Any] = {
                "runs-on": "ubuntu-latest",
                "needs": [needs],
                "if": "github.ref == 'refs/heads/main'",
                "environment": {"name": env},
                "concurrency": {"group": f"deploy-{env}", "cancel-in-progress": False},
                "steps": [
                    {"uses": "actions/checkout@v4"},
                    {"uses": "azure/setup-kubectl@v4"},
                    {"name": "Kubeconfig",
                     "run": 'echo "$KUBECONFIG_DATA" > "$RUNNER_TEMP/kubeconfig"\n'
                            'echo "KUBECONFIG=$RUNNER_TEMP/kubeconfig" >> "$GITHUB_ENV"',
                     "env": {"KUBECONFIG_DATA": "${{ secrets.KUBECONFIG }}"}},
                    {"name": f"Deploy to {env}", "run": _deploy_script(profile, env, image)},
                ],
            }
            jobs[f"deploy-{env}"] = job
    else:
        jobs["build"] = {
            "runs-on": "ubuntu-latest",
            "needs": ["test"],
            "steps": [
                *setup[:2],
                {"name": "Build", "run": "python -m pip install build && python -m build"},
                {"uses": "actions/upload-artifact@v4", "with": {"name": "dist", "path": "dist/"}},
            ],
        }
        jobs["release"] = {
            "runs-on": "ubuntu-latest",
            "needs": ["build"],
            "if": "github.ref == 'refs/heads/main'",
            "environment": {"name": "production"},
            "permissions": {"id-token": "write"},
            "steps": [
                {"uses": "actions/download-artifact@v4", "with": {"name": "dist", "path": "dist/"}},
                {"uses": "pypa/gh-action-pypi-publish@release/v1"},
            ],
        }
    return {
        "name": "CI/CD",
        "on": {"push": {"branches": ["main"]}, "pull_request": {}, "workflow_dispatch": {}},
        "permissions": {"contents": "read"},
        "jobs": jobs,
    }


def gitlab(profile: DeploymentProfile) -> dict[str, Any]:
    service = profile.runtime.is_service
    main_only = {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}
    install = 'pip install -e ".[dev]"'
    test_job: dict[str, Any] = {"stage": "test", "script": [install, "pytest"]}
    if _test_env(profile):
        test_job["variables"] = _test_env(profile)
    doc: dict[str, Any] = {
        "stages": ["lint", "test", "build", "deploy"],
        "default": {"image": f"python:{PYTHON}-slim"},
        "variables": {"PIP_CACHE_DIR": "$CI_PROJECT_DIR/.cache/pip"},
        "cache": {"paths": [".cache/pip"]},
        "lint": {"stage": "lint", "script": [install, "ruff check ."]},
        "test": test_job,
    }
    image = "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"
    if service:
        doc["build"] = {
            "stage": "build",
            "image": "docker:27",
            "services": ["docker:27-dind"],
            "script": [
                'echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" '
                '--password-stdin "$CI_REGISTRY"',
                f'docker build -t "{image}" .',
                f'docker push "{image}"',
            ],
            "rules": [main_only],
        }
        for env in ("staging", "production"):
            job: dict[str, Any] = {
                "stage": "deploy",
                "image": {"name": "bitnami/kubectl:1.31", "entrypoint": [""]},
                "environment": {"name": env},
                "resource_group": env,
                "script": _deploy_script(profile, env, image).splitlines(),
                "rules": [main_only],
            }
            if env == "production":
                job["needs"] = ["deploy_staging"]
                job["rules"] = [main_only | {"when": "manual"}]
                job["allow_failure"] = False
            doc[f"deploy_{env}"] = job
    else:
        doc["build"] = {
            "stage": "build",
            "script": ["pip install build", "python -m build"],
            "artifacts": {"paths": ["dist/"]},
        }
        doc["release"] = {
            "stage": "deploy",
            "environment": {"name": "production"},
            "script": ["pip install twine",
                       "TWINE_PASSWORD=$PYPI_TOKEN TWINE_USERNAME=__token__ twine upload dist/*"],
            "needs": ["build"],
            "rules": [main_only | {"when": "manual"}],
            "allow_failure": False,
        }
    return doc


def render(profile: DeploymentProfile) -> dict[str, str]:
    return {
        GITHUB_FILE: dump_yaml(
            github(profile),
            header="lint -> test -> build -> deploy; the production environment must require a\n"
                   "reviewer (Settings > Environments), which makes its job wait for approval.",
        ),
        GITLAB_FILE: dump_yaml(gitlab(profile),
                               header="lint -> test -> build -> deploy (production is manual)"),
    }
