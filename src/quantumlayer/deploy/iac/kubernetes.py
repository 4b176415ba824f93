"""Kubernetes manifests: Deployment (or CronJob), Service, ConfigMap, Secret reference, HPA,
PodDisruptionBudget, NetworkPolicy, and a kustomization that applies them together.

Built as data and dumped with a safe YAML dumper; names are the profile's slug (DNS-safe).
"""

from __future__ import annotations

from typing import Any

from ..profile import DeploymentProfile
from .docker import APP_UID
from .yamltext import dump_yaml

K8S_DIR = "k8s"
HPA_CPU_TARGET = 70
STATIC_UID = 101


def k8s_name(profile: DeploymentProfile) -> str:
    """A DNS-1035 label (a Service name must start with a letter)."""
    name = profile.name if profile.name[:1].isalpha() else f"app-{profile.name}"
    return name[:40].rstrip("-")


def labels(profile: DeploymentProfile) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": k8s_name(profile),
        "app.kubernetes.io/part-of": k8s_name(profile),
        "app.kubernetes.io/managed-by": "quantumlayer",
    }


def _selector(profile: DeploymentProfile) -> dict[str, str]:
    return {"app.kubernetes.io/name": k8s_name(profile)}


def _meta(profile: DeploymentProfile, suffix: str = "") -> dict[str, Any]:
    return {"name": k8s_name(profile) + suffix, "labels": labels(profile)}


def secret_name(profile: DeploymentProfile) -> str:
    return f"{k8s_name(profile)}-secrets"


def _container(profile: DeploymentProfile) -> dict[str, Any]:
    rt = profile.runtime
    uid = STATIC_UID if rt.kind == "static" else APP_UID
    container: dict[str, Any] = {
        "name": "app",
        "image": f"{k8s_name(profile)}:0.1.0",
        "imagePullPolicy": "IfNotPresent",
        "envFrom": [{"configMapRef": {"name": f"{k8s_name(profile)}-config"}}],
    }
    if rt.kind != "static":
        container["command"] = list(rt.command)
    secret_vars = (["DATABASE_URL"] if rt.uses_database else []) + list(rt.secrets)
    if secret_vars:
        container["env"] = [
            {"name": var,
             "valueFrom": {"secretKeyRef": {"name": secret_name(profile), "key": var}}}
            for var in secret_vars
        ]
    if rt.is_service and rt.kind != "batch":
        probe = {"httpGet": {"path": rt.health_path, "port": "http"}}
        container["ports"] = [{"name": "http", "containerPort": rt.port, "protocol": "TCP"}]
        container["startupProbe"] = probe | {"periodSeconds": 2, "failureThreshold": 30}
        container["readinessProbe"] = probe | {"periodSeconds": 10, "timeoutSeconds": 2,
                                               "failureThreshold": 3}
        container["livenessProbe"] = probe | {"periodSeconds": 20, "timeoutSeconds": 2,
                                              "failureThreshold": 3}
    container["resources"] = {
        "requests": {"cpu": profile.cpu_request, "memory": profile.memory_request},
        "limits": {"cpu": profile.cpu_limit, "memory": profile.memory_limit},
    }
    container["securityContext"] = {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    mounts = [{"name": "tmp", "mountPath": "/tmp"}]
    if rt.uses_database or rt.kind != "static":
        mounts.append({"name": "data", "mountPath": "/data"})
    container["volumeMounts"] = mounts
    return container


def _pod_spec(profile: DeploymentProfile) -> dict[str, Any]:
    rt = profile.runtime
    uid = STATIC_UID if rt.kind == "static" else APP_UID
    volumes: list[dict[str, Any]] = [{"name": "tmp", "emptyDir": {}}]
    if rt.uses_database or rt.kind != "static":
        volumes.append({"name": "data", "emptyDir": {}})
    spec: dict[str, Any] = {
        "automountServiceAccountToken": False,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": uid,
            "fsGroup": uid,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [_container(profile)],
        "volumes": volumes,
    }
    if profile.multi_az and rt.kind != "batch":
        spec["topologySpreadConstraints"] = [
            {
                "maxSkew": 1,
                "topologyKey": "topology.kubernetes.io/zone",
                "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": _selector(profile)},
            },
            {
                "maxSkew": 1,
                "topologyKey": "kubernetes.io/hostname",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": _selector(profile)},
            },
        ]
    return spec


def _workload(profile: DeploymentProfile) -> dict[str, Any]:
    rt = profile.runtime
    template = {"metadata": {"labels": labels(profile)}, "spec": _pod_spec(profile)}
    if rt.kind == "batch":
        template["spec"]["restartPolicy"] = "OnFailure"
        return {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": _meta(profile),
            "spec": {
                "schedule": "0 2 * * *",
                "concurrencyPolicy": "Forbid",
                "successfulJobsHistoryLimit": 3,
                "failedJobsHistoryLimit": 3,
                "jobTemplate": {"spec": {"backoffLimit": 3, "template": template}},
            },
        }
    annotations = {}
    if rt.metrics:
        annotations = {"prometheus.io/scrape": "true", "prometheus.io/port": str(rt.port),
                       "prometheus.io/path": "/metrics"}
        template["metadata"]["annotations"] = annotations
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(profile),
        "spec": {
            "replicas": profile.min_replicas,
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": _selector(profile)},
            "strategy": {"type": "RollingUpdate",
                         "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": template,
        },
    }


def _config_map(profile: DeploymentProfile) -> dict[str, Any]:
    rt = profile.runtime
    data = {"LOG_LEVEL": "info", "APP_ENV": "production"}
    if rt.is_service:
        data["PORT"] = str(rt.port)
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(profile, "-config"),
            "data": data}


def _service(profile: DeploymentProfile) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(profile),
        "spec": {
            "type": "ClusterIP",
            "selector": _selector(profile),
            "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
        },
    }


def _hpa(profile: DeploymentProfile) -> dict[str, Any]:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _meta(profile),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                               "name": k8s_name(profile)},
            "minReplicas": profile.min_replicas,
            "maxReplicas": profile.max_replicas,
            "metrics": [{
                "type": "Resource",
                "resource": {"name": "cpu",
                             "target": {"type": "Utilization",
                                        "averageUtilization": HPA_CPU_TARGET}},
            }],
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}},
        },
    }


def _pdb(profile: DeploymentProfile) -> dict[str, Any]:
    budget: dict[str, Any] = (
        {"minAvailable": profile.pdb_min_available} if profile.min_replicas > 1
        else {"maxUnavailable": 1}
    )
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _meta(profile),
        "spec": budget | {"selector": {"matchLabels": _selector(profile)}},
    }


def _network_policy(profile: DeploymentProfile) -> dict[str, Any]:
    rt = profile.runtime
    egress: list[dict[str, Any]] = [{
        "to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
    }]
    if rt.uses_database:
        egress.append({"ports": [{"protocol": "TCP", "port": 5432}]})
    spec: dict[str, Any] = {
        "podSelector": {"matchLabels": _selector(profile)},
        "policyTypes": ["Ingress", "Egress"],
        "egress": egress,
    }
    if rt.is_service and rt.kind != "batch":
        spec["ingress"] = [{
            "from": [
                {"podSelector": {}},
                {"namespaceSelector": {"matchLabels": {
                    "kubernetes.io/metadata.name": "ingress-nginx"}}},
                {"namespaceSelector": {"matchLabels": {
                    "kubernetes.io/metadata.name": "monitoring"}}},
            ],
            "ports": [{"protocol": "TCP", "port": rt.port}],
        }]
    else:
        spec["ingress"] = []
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": _meta(profile), "spec": spec}


def manifests(profile: DeploymentProfile) -> dict[str, dict[str, Any]]:
    """The manifests as data, by file name (without the folder)."""
    rt = profile.runtime
    out = {"configmap.yaml": _config_map(profile)}
    workload = _workload(profile)
    out["cronjob.yaml" if workload["kind"] == "CronJob" else "deployment.yaml"] = workload
    if workload["kind"] == "Deployment":
        if rt.port and rt.kind != "batch":
            out["service.yaml"] = _service(profile)
        out["hpa.yaml"] = _hpa(profile)
        out["pdb.yaml"] = _pdb(profile)
    out["networkpolicy.yaml"] = _network_policy(profile)
    return out


def render(profile: DeploymentProfile) -> dict[str, str]:
    """The files of k8s/: one manifest per file, plus kustomization.yaml."""
    docs = manifests(profile)
    files = {
        f"{K8S_DIR}/{name}": dump_yaml(doc, header=f"{doc['kind']} of {k8s_name(profile)}")
        for name, doc in docs.items()
    }
    kustomization = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": list(docs),
        "images": [{"name": f"{k8s_name(profile)}", "newTag": "0.1.0"}],
    }
    files[f"{K8S_DIR}/kustomization.yaml"] = dump_yaml(
        kustomization, header="kubectl apply -k k8s/ (see DEPLOY.md)"
    )
    return files
