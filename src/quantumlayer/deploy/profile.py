"""From a Spec's non-functional requirements to deployment decisions (the DeploymentProfile).

Every number the IaC renderers use comes from here, with the reason for it, so that an NFR
visibly shapes the output: an availability target sets the replica floor, multi-AZ placement and
the SLO of the burn-rate alerts; a latency target the histogram-quantile alert; a throughput (or
user count) the autoscaling bounds; a compliance regime customer-managed encryption keys, longer
backups and, for GDPR, an EU region.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from quantumlayer.domain import Spec
from quantumlayer.domain.names import slugify
from quantumlayer.errors import UserError

from .runtime import Runtime

CLOUDS = ("aws", "gcp", "azure")
DEFAULT_CLOUD = "aws"
DEFAULT_AVAILABILITY = 99.5
DEFAULT_LATENCY = (0.95, 0.5)  # p95 under 500 ms when the idea gives no latency target
RPS_PER_REPLICA = 100.0  # what one replica is assumed to serve at the HPA's CPU target
RPS_PER_USER = 0.05  # a user count becomes a request rate: one request per user every 20 s
MAX_REPLICAS_CAP = 100
COMPLIANCE_REGIMES = {
    "gdpr": "GDPR",
    "hipaa": "HIPAA",
    "pci": "PCI DSS",
    "soc 2": "SOC 2",
    "soc2": "SOC 2",
    "iso 27001": "ISO 27001",
    "iso27001": "ISO 27001",
}
REGIONS = {
    # (default, EU) per cloud; GDPR keeps data in the EU.
    "aws": ("us-east-1", "eu-west-1"),
    "gcp": ("us-central1", "europe-west1"),
    "azure": ("eastus", "westeurope"),
}


@dataclass(frozen=True)
class DeploymentProfile:
    """The deployment decisions for one project, each with the reason for it."""

    name: str  # slug: [a-z0-9-], safe in every file format we write
    title: str
    runtime: Runtime
    cloud: str
    cloud_from_spec: bool
    region: str
    availability: float  # percent
    availability_from_spec: bool
    latency_quantile: float
    latency_seconds: float
    latency_from_spec: bool
    throughput_rps: float | None
    min_replicas: int
    max_replicas: int
    multi_az: bool
    compliance: tuple[str, ...]
    customer_managed_keys: bool
    backup_retention_days: int
    cpu_request: str = "250m"
    cpu_limit: str = "1"
    memory_request: str = "256Mi"
    memory_limit: str = "512Mi"
    reasons: tuple[str, ...] = field(default=())

    @property
    def error_budget(self) -> float:
        """The allowed error ratio, e.g. 0.001 for 99.9%."""
        return round(1 - self.availability / 100, 6)

    @property
    def pdb_min_available(self) -> int:
        """Pods that must stay up during voluntary disruptions (node drains, upgrades)."""
        return max(1, self.min_replicas - 1)

    @property
    def latency_ms(self) -> int:
        return round(self.latency_seconds * 1000)

    @property
    def quantile_label(self) -> str:
        """"p99" for 0.99, "p99.9" for 0.999."""
        return "p" + f"{self.latency_quantile * 100:.3f}".rstrip("0").rstrip(".")


def parse_percent(text: str) -> float | None:
    """99.95 from "99.95%" or "99.95 % uptime"; None if there is no percentage in 50..100."""
    match = re.search(r"(\d{2}(?:\.\d+)?)\s*%", text)
    if not match:
        return None
    value = float(match.group(1))
    return value if 50 <= value < 100 else None


def parse_latency(text: str) -> tuple[float, float] | None:
    """(quantile, seconds) from "p99 < 50 ms", "95th percentile under 1 s", "under 200ms"."""
    amount = re.search(r"(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|seconds?)\b", text, re.I)
    if not amount:
        return None
    divisor = 1000 if amount.group(2).lower().startswith("m") else 1
    seconds = round(float(amount.group(1)) / divisor, 6)
    if not 0 < seconds <= 600:
        return None
    quantile = DEFAULT_LATENCY[0]
    pct = re.search(r"\bp(\d{2}(?:\.\d+)?)\b|\b(\d{2}(?:\.\d+)?)(?:th)?\s*percentile", text, re.I)
    if pct:
        quantile = round(float(pct.group(1) or pct.group(2)) / 100, 6)
    if not 0.5 <= quantile < 1:
        quantile = DEFAULT_LATENCY[0]
    return quantile, seconds


_PER = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
        "day": 86400}


def parse_throughput(text: str) -> float | None:
    """Requests per second from "2000 req/s", "5k rps", "1,000,000 requests per day"."""
    rps = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(k|m)?\s*(?:rps|qps)\b", text, re.I)
    if rps:
        return _scaled(rps.group(1), rps.group(2))
    match = re.search(
        r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|thousand|million)?\s*[a-z ]{0,20}?"
        r"(?:/|per|a|an|each)\s*(s|sec|second|min|minute|h|hour|day)\b",
        text,
        re.I,
    )
    if not match:
        return None
    return _scaled(match.group(1), match.group(2)) / _PER[match.group(3).lower()]


def parse_users(text: str) -> int | None:
    match = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|thousand|million)?\s*(?:\w+\s)?users?\b",
                      text, re.I)
    return round(_scaled(match.group(1), match.group(2))) if match else None


def _scaled(number: str, mult: str | None) -> float:
    factor = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get((mult or "").lower(), 1)
    return float(number.replace(",", "")) * factor


def check_cloud(cloud: object) -> str:
    """`cloud` if it is one we render Terraform for; UserError naming the choices otherwise."""
    value = str(cloud).strip().lower()
    if value not in CLOUDS:
        shown = str(cloud)[:40].encode("ascii", "backslashreplace").decode("ascii")
        raise UserError(f"unsupported cloud {shown!r}: choose one of {', '.join(CLOUDS)}")
    return value


def build_profile(spec: Spec, runtime: Runtime, *, cloud: str | None = None) -> DeploymentProfile:
    """The deployment decisions for `spec`, a project that runs as `runtime`.

    `cloud` overrides the Spec's cloud; an unknown cloud (given or in the Spec) is a UserError.
    """
    reasons: list[str] = []
    chosen = cloud if cloud is not None else spec.cloud
    cloud_name = check_cloud(chosen) if chosen is not None else DEFAULT_CLOUD
    if chosen is None:
        reasons.append(f"The idea names no cloud; the Terraform targets {cloud_name.upper()}.")

    availability, latency, rps, users = None, None, None, None
    compliance: list[str] = []
    for nfr in spec.non_functional_requirements:
        # The measurable target first: the text may mention other figures too.
        texts = [str(nfr.target)] if nfr.target else [str(nfr.text)]
        category = str(nfr.category)
        for text in texts:
            if category == "availability" and availability is None:
                availability = parse_percent(text)
            if category == "performance" and latency is None and not parse_throughput(text):
                latency = parse_latency(text)
            if category in {"performance", "scalability"} and rps is None:
                rps = parse_throughput(text)
            if category in {"scalability", "performance"} and users is None:
                users = parse_users(text)
        lowered = f"{nfr.target or ''} {nfr.text}".lower()
        for key, regime in COMPLIANCE_REGIMES.items():
            if key in lowered and regime not in compliance:
                compliance.append(regime)

    avail = availability if availability is not None else DEFAULT_AVAILABILITY
    if availability is None:
        reasons.append(f"No availability target: {DEFAULT_AVAILABILITY}% is assumed.")
    if avail >= 99.9:
        floor, multi_az = 3, True
        reasons.append(f"Availability {avail}% >= 99.9%: at least 3 replicas spread over zones "
                       "(multi-AZ), and a multi-AZ database.")
    elif avail >= 99:
        floor, multi_az = 2, False
        reasons.append(f"Availability {avail}%: at least 2 replicas, so one can fail or be "
                       "replaced without downtime.")
    else:
        floor, multi_az = 1, False
        reasons.append(f"Availability {avail}% < 99%: a single replica is enough.")

    if rps is None and users is not None:
        rps = users * RPS_PER_USER
        reasons.append(f"{users} users are taken as about {rps:g} requests/s at peak.")
    if rps is not None:
        needed = max(1, math.ceil(rps / RPS_PER_REPLICA))
        min_replicas = min(MAX_REPLICAS_CAP, max(floor, math.ceil(needed / 2)))
        max_replicas = min(MAX_REPLICAS_CAP, max(min_replicas * 2, math.ceil(needed * 1.5)))
        reasons.append(f"Throughput {rps:g} requests/s at about {RPS_PER_REPLICA:g} per replica: "
                       f"autoscaling between {min_replicas} and {max_replicas} replicas.")
    else:
        min_replicas, max_replicas = floor, max(floor * 3, 3)
        reasons.append(f"No throughput target: autoscaling between {min_replicas} and "
                       f"{max_replicas} replicas on CPU.")

    if runtime.kind == "batch":
        # Two schedulers would run every job twice; availability comes from restarts instead.
        min_replicas = max_replicas = 1
        reasons.append("A scheduled pipeline runs as exactly one instance (restarted on failure; "
                       "a CronJob on Kubernetes).")
    quantile, seconds = latency or DEFAULT_LATENCY
    if latency is None:
        reasons.append("No latency target: the latency alert fires above p95 500 ms.")
    else:
        reasons.append(f"Latency target p{quantile * 100:g} < {seconds * 1000:g} ms: a "
                       "histogram-quantile alert on exactly that.")

    cmk = bool(compliance)
    if compliance:
        reasons.append(f"Compliance ({', '.join(compliance)}): customer-managed encryption keys, "
                       "35-day backups, deletion protection.")
    gdpr = "GDPR" in compliance
    region = REGIONS[cloud_name][1 if gdpr else 0]
    if gdpr:
        reasons.append(f"GDPR: resources in an EU region ({region}).")
    return DeploymentProfile(
        name=slugify(str(spec.name), fallback="app", max_len=30),
        title=" ".join(str(spec.title).split())[:200] or "Generated project",
        runtime=runtime,
        cloud=cloud_name,
        cloud_from_spec=chosen is not None,
        region=region,
        availability=avail,
        availability_from_spec=availability is not None,
        latency_quantile=quantile,
        latency_seconds=seconds,
        latency_from_spec=latency is not None,
        throughput_rps=rps,
        min_replicas=min_replicas,
        max_replicas=max_replicas,
        multi_az=multi_az,
        compliance=tuple(compliance),
        customer_managed_keys=cmk,
        backup_retention_days=35 if compliance else 7,
        reasons=tuple(reasons),
    )
