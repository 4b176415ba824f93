"""The Deployment Engine: deployment artefacts rendered from a Spec and validated offline
(`render`, `validate`), and deployments to a target (`deploy`, `undeploy`: local, kubernetes,
terraform), recorded in the deployments table."""

from __future__ import annotations

from quantumlayer.domain import Spec

from . import iac
from .profile import CLOUDS, DeploymentProfile, build_profile, check_cloud
from .runtime import Runtime
from .validate import InvalidArtefacts, validate

__all__ = [
    "CLOUDS", "TARGETS", "DeploymentOutcome", "DeploymentProfile", "InvalidArtefacts", "Runtime",
    "build_profile", "check_cloud", "check_target", "deploy", "list_deployments",
    "prepare_artifacts", "render", "run_deployment", "runtime_for", "success_rate", "undeploy",
    "validate",
]


def render(spec: Spec, runtime: Runtime, *, cloud: str | None = None) -> dict[str, str]:
    """Every deployment artefact for `spec`, a project that runs as `runtime`, by path.

    Pure; an unsupported cloud is a UserError. Validate the result with `validate`.
    """
    return iac.render(build_profile(spec, runtime, cloud=cloud))


# The service functions import the store; imported last so `render` stays usable without it.
from .service import (  # noqa: E402
    TARGETS,
    DeploymentOutcome,
    check_target,
    deploy,
    list_deployments,
    prepare_artifacts,
    run_deployment,
    runtime_for,
    success_rate,
    undeploy,
)
