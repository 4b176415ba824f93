"""The kubernetes target: apply the manifests with the official `kubernetes` client.

Server-side apply through the dynamic client (any kind, no per-kind code), into the namespace
named after the project; the cluster is the current context of the kubeconfig. Without a
kubeconfig, or without the `kubernetes` package, the error says what to do.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from quantumlayer.errors import UserError

FIELD_MANAGER = "quantumlayer"


def kubeconfig_path() -> Path:
    """The kubeconfig to use: $KUBECONFIG (first entry) or ~/.kube/config; UserError if none."""
    configured = os.environ.get("KUBECONFIG", "")
    path = Path(configured.split(os.pathsep)[0]).expanduser() if configured else (
        Path.home() / ".kube" / "config"
    )
    if not path.is_file():
        raise UserError(
            f"no kubeconfig at {path}: set KUBECONFIG or create ~/.kube/config for the cluster "
            "(or use --dry-run to validate the manifests without one)"
        )
    return path


def manifests(files: dict[str, str]) -> list[dict[str, Any]]:
    """The manifests of k8s/ in kustomization order (the kustomization itself excluded)."""
    docs = []
    for path in sorted(p for p in files if p.startswith("k8s/") and p.endswith(".yaml")):
        for doc in yaml.safe_load_all(files[path]):
            if isinstance(doc, dict) and doc.get("kind") != "Kustomization":
                docs.append(doc)
    # ConfigMaps before the workloads that mount them.
    return sorted(docs, key=lambda d: 0 if d["kind"] in {"ConfigMap", "Namespace"} else 1)


def _client(config_file: Path) -> Any:
    try:
        from kubernetes import client, config, dynamic
    except ImportError:
        raise UserError(
            "the kubernetes target needs the official client: pip install kubernetes"
        ) from None
    api_client = config.new_client_from_config(config_file=str(config_file))  # type: ignore[no-untyped-call]
    return client, dynamic.DynamicClient(api_client)  # type: ignore[no-untyped-call]


def apply(files: dict[str, str], *, namespace: str) -> list[str]:
    """Server-side apply every manifest into `namespace` (created if missing); what was applied."""
    client, dyn = _client(kubeconfig_path())
    from kubernetes.client.exceptions import ApiException

    applied = []
    namespace_doc = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    try:
        for doc, scope in [(namespace_doc, None), *((d, namespace) for d in manifests(files))]:
            resource = dyn.resources.get(api_version=doc["apiVersion"], kind=doc["kind"])
            name = doc["metadata"]["name"]
            dyn.server_side_apply(
                resource, body=doc, name=name, namespace=scope,
                field_manager=FIELD_MANAGER, force_conflicts=True,
            )
            applied.append(f"{doc['kind']}/{name}")
    except ApiException as exc:
        raise UserError(
            f"the cluster refused {applied_next(applied)}: {exc.status} {exc.reason}"
        ) from exc
    except client.exceptions.OpenApiException as exc:
        raise UserError(f"kubernetes client error: {exc}") from exc
    return applied


def delete(files: dict[str, str], *, namespace: str) -> list[str]:
    """Delete what `apply` created (the namespace is left)."""
    _, dyn = _client(kubeconfig_path())
    from kubernetes.client.exceptions import ApiException

    deleted = []
    for doc in reversed(manifests(files)):
        resource = dyn.resources.get(api_version=doc["apiVersion"], kind=doc["kind"])
        name = doc["metadata"]["name"]
        try:
            dyn.delete(resource, name=name, namespace=namespace)
            deleted.append(f"{doc['kind']}/{name}")
        except ApiException as exc:
            if exc.status != 404:
                raise UserError(f"could not delete {doc['kind']}/{name}: {exc.reason}") from exc
    return deleted


def applied_next(applied: list[str]) -> str:
    return "the manifest after " + applied[-1] if applied else "the namespace"
