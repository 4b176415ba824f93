"""Prometheus alert rules and a Grafana dashboard derived from the non-functional requirements.

An availability target becomes a multi-window, multi-burn-rate SLO alert (the Google SRE
workbook's 14.4x/1h and 6x/6h pages, 1x/3d ticket); a latency target a histogram-quantile alert
at exactly that quantile and threshold. The metric names are those the generated services export
at /metrics (`http_requests_total`, `http_request_duration_seconds`, `jobs_processed_total`,
`queue_depth`) or, for scheduled pipelines, those of kube-state-metrics.
"""

from __future__ import annotations

from typing import Any

from ..profile import DeploymentProfile
from .kubernetes import k8s_name
from .yamltext import dump_json, dump_yaml

RULES_FILE = "monitoring/prometheus-rules.yaml"
DASHBOARD_FILE = "monitoring/grafana-dashboard.json"
# (burn rate, long window, short window, severity): page fast, ticket slow.
BURN_RATES = (
    (14.4, "1h", "5m", "page"),
    (6.0, "6h", "30m", "page"),
    (1.0, "3d", "6h", "ticket"),
)
# Metrics each kind of service exports; the validator checks rules use only these.
EXPORTED_METRICS = {
    "http": {"http_requests_total", "http_request_duration_seconds_bucket", "up"},
    "worker": {"jobs_processed_total", "queue_depth", "up"},
    "batch": {"kube_job_status_failed", "kube_cronjob_status_last_successful_time",
              "kube_job_owner", "up"},
}


def _error_ratio(job: str, window: str, kind: str) -> str:
    if kind == "worker":
        return (f'sum(rate(jobs_processed_total{{job="{job}",outcome="failed"}}[{window}]))'
                f' / sum(rate(jobs_processed_total{{job="{job}"}}[{window}]))')
    return (f'sum(rate(http_requests_total{{job="{job}",status=~"5.."}}[{window}]))'
            f' / sum(rate(http_requests_total{{job="{job}"}}[{window}]))')


def _slo_rules(profile: DeploymentProfile, job: str, kind: str) -> list[dict[str, Any]]:
    budget = profile.error_budget
    what = "failed jobs" if kind == "worker" else "5xx responses"
    rules = []
    for rate, long, short, severity in BURN_RATES:
        threshold = round(rate * budget, 6)
        name = "Fast" if rate > 10 else ("Medium" if rate > 1 else "Slow")
        rules.append({
            "alert": f"ErrorBudget{name}Burn",
            "expr": (f"({_error_ratio(job, long, kind)}) > {threshold}\n"
                     f"and\n({_error_ratio(job, short, kind)}) > {threshold}"),
            "for": "2m" if severity == "page" else "15m",
            "labels": {"severity": severity, "service": job, "slo": "availability"},
            "annotations": {
                "summary": f"{job} is burning its error budget {rate:g}x too fast",
                "description": (
                    f"The ratio of {what} over {long} and {short} is above {rate:g} x the "
                    f"error budget of the {profile.availability}% availability SLO "
                    f"({budget:g})."
                ),
            },
        })
    return rules


def _rules(profile: DeploymentProfile) -> list[dict[str, Any]]:
    rt = profile.runtime
    job = k8s_name(profile)
    if rt.kind == "batch":
        return [
            {
                "alert": "PipelineRunFailed",
                "expr": (f'sum(kube_job_status_failed{{job_name=~"{job}-.*"}}) > 0'),
                "for": "5m",
                "labels": {"severity": "ticket", "service": job},
                "annotations": {"summary": f"A run of {job} failed",
                                "description": "A job of the pipeline's CronJob failed."},
            },
            {
                "alert": "PipelineStale",
                "expr": (f'time() - kube_cronjob_status_last_successful_time{{cronjob="{job}"}}'
                         " > 2 * 86400"),
                "for": "30m",
                "labels": {"severity": "page", "service": job},
                "annotations": {"summary": f"{job} has not succeeded for two days",
                                "description": "The daily pipeline missed two runs."},
            },
        ]
    rules: list[dict[str, Any]] = [{
        "alert": "ServiceDown",
        "expr": f'sum(up{{job="{job}"}}) == 0',
        "for": "5m",
        "labels": {"severity": "page", "service": job},
        "annotations": {"summary": f"{job} has no healthy instance",
                        "description": "Prometheus cannot scrape any instance."},
    }]
    rules += _slo_rules(profile, job, rt.kind)
    if rt.kind == "http":
        q, secs = profile.latency_quantile, profile.latency_seconds
        rules.append({
            "alert": "LatencyTargetMissed",
            "expr": (f"histogram_quantile({q:g}, sum by (le) (rate("
                     f'http_request_duration_seconds_bucket{{job="{job}"}}[5m]))) > {secs:g}'),
            "for": "10m",
            "labels": {"severity": "page" if profile.latency_from_spec else "ticket",
                       "service": job, "slo": "latency"},
            "annotations": {
                "summary": f"{job} {profile.quantile_label} latency above {profile.latency_ms} ms",
                "description": (f"The {profile.quantile_label} of request durations over 5m "
                                f"exceeds the target of {profile.latency_ms} ms."),
            },
        })
    if rt.kind == "worker":
        rules.append({
            "alert": "QueueBacklog",
            "expr": f'max(queue_depth{{job="{job}",state="ready"}}) > 1000',
            "for": "15m",
            "labels": {"severity": "ticket", "service": job},
            "annotations": {"summary": f"{job} has a backlog of over 1000 jobs",
                            "description": "Jobs arrive faster than the workers finish them."},
        })
    return rules


def rules_document(profile: DeploymentProfile) -> dict[str, Any]:
    return {"groups": [{"name": f"{k8s_name(profile)}.rules", "rules": _rules(profile)}]}


def _panel(panel_id: int, title: str, expr: str, unit: str, y: int, threshold: float | None,
           x: int = 0) -> dict[str, Any]:
    panel: dict[str, Any] = {
        "id": panel_id,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 12, "x": x, "y": y},
        "targets": [{"refId": "A", "expr": expr}],
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
    }
    if threshold is not None:
        panel["fieldConfig"]["defaults"]["thresholds"] = {
            "mode": "absolute",
            "steps": [{"color": "green", "value": None}, {"color": "red", "value": threshold}],
        }
        panel["fieldConfig"]["defaults"]["custom"] = {"thresholdsStyle": {"mode": "line"}}
    return panel


def dashboard(profile: DeploymentProfile) -> dict[str, Any]:
    rt = profile.runtime
    job = k8s_name(profile)
    panels: list[dict[str, Any]]
    if rt.kind == "worker":
        panels = [
            _panel(1, "Jobs per second",
                   f'sum by (outcome) (rate(jobs_processed_total{{job="{job}"}}[5m]))', "ops", 0,
                   None),
            _panel(2, f"Failed job ratio (SLO {profile.availability}%)",
                   _error_ratio(job, "5m", "worker"), "percentunit", 0, profile.error_budget, 12),
            _panel(3, "Queue depth", f'sum by (state) (queue_depth{{job="{job}"}})', "short", 8,
                   1000),
        ]
    elif rt.kind == "batch":
        panels = [
            _panel(1, "Failed runs", f'sum(kube_job_status_failed{{job_name=~"{job}-.*"}})',
                   "short", 0, 0.5),
            _panel(2, "Hours since the last successful run",
                   f'(time() - kube_cronjob_status_last_successful_time{{cronjob="{job}"}}) / 3600',
                   "h", 0, 48, 12),
        ]
    else:
        panels = [
            _panel(1, "Requests per second",
                   f'sum by (status) (rate(http_requests_total{{job="{job}"}}[5m]))', "reqps", 0,
                   None),
            _panel(2, f"Error ratio (SLO {profile.availability}%, budget {profile.error_budget:g})",
                   _error_ratio(job, "5m", "http"), "percentunit", 0, profile.error_budget, 12),
            _panel(3, f"{profile.quantile_label} latency (target {profile.latency_ms} ms)",
                   f"histogram_quantile({profile.latency_quantile:g}, sum by (le) (rate("
                   f'http_request_duration_seconds_bucket{{job="{job}"}}[5m])))', "s", 8,
                   profile.latency_seconds),
            _panel(4, "Healthy instances", f'sum(up{{job="{job}"}})', "short", 8,
                   None, 12),
        ]
    return {
        "uid": f"ql-{job}"[:40],
        "title": f"{job} service",
        "tags": ["quantumlayer", job],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [{
            "name": "datasource", "type": "datasource", "query": "prometheus",
            "label": "Data source",
        }]},
        "panels": panels,
    }


def render(profile: DeploymentProfile) -> dict[str, str]:
    """monitoring/: alert rules and a dashboard; nothing for kinds that export no metrics."""
    if profile.runtime.kind not in EXPORTED_METRICS:
        return {}
    return {
        RULES_FILE: dump_yaml(rules_document(profile),
                              header="Prometheus alert rules (rule_files: in prometheus.yml)"),
        DASHBOARD_FILE: dump_json(dashboard(profile)),
    }
