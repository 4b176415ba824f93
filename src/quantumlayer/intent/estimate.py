"""Complexity and effort by IFPUG function point analysis (ISO/IEC 20926).

Counting, from the Spec:

* each entity is an internal logical file (ILF) with three external inputs (create, update,
  delete) and two external inquiries (read one, list); each is rated low / average / high by the
  IFPUG matrices from its data element types (DETs: fields and foreign keys) and record or file
  types referenced (RETs/FTRs: the entity and those it relates to);
* each feature adds the transactions and files it typically needs (table `FEATURE_FP`, e.g.
  sign-in = a user ILF + register/log-in inputs + a session inquiry = 16 FP);
* each external system the idea names (Stripe, Twilio, Salesforce, S3 ...) is an external
  interface file (EIF, 5 FP).

The value adjustment factor VAF = 0.65 + 0.01 x TDI comes from the 14 general system
characteristics (GSC, each 0-5), rated from the NFRs and the project type: a measured latency
target rates "performance" 5, a vague one 3; throughput and user counts rate "transaction rate";
availability and observability rate "operational ease"; and so on. Adjusted FP = UFP x VAF.

Effort = adjusted FP x 4 hours (`HOURS_PER_FP`). ISBSG reports roughly 4-12 hours per FP for new
development; we take the fast end because the platform generates the scaffold, the CRUD and the
tests. Score (1-10) grows with log2 of the effort; size bands are XS < 80 h, S < 240 h,
M < 800 h, L < 2400 h, XL beyond.
"""

from __future__ import annotations

import math
import re

from quantumlayer.domain import Complexity, Entity, NonFunctionalRequirement, ProjectType

HOURS_PER_FP = 4.0

# IFPUG weights per complexity (low, average, high).
_W = {"ILF": (7, 10, 15), "EIF": (5, 7, 10), "EI": (3, 4, 6), "EO": (4, 5, 7), "EQ": (3, 4, 6)}


def _rate(rows: tuple[int, int], cols: tuple[int, int], r: int, d: int) -> int:
    """Index 0/1/2 (low/average/high) from the IFPUG 3x3 matrix: rows by RET/FTR, cols by DET."""
    row = 0 if r <= rows[0] else 1 if r <= rows[1] else 2
    col = 0 if d <= cols[0] else 1 if d <= cols[1] else 2
    return [[0, 0, 1], [0, 1, 2], [1, 2, 2]][row][col]


def entity_points(entity: Entity) -> tuple[float, str]:
    """Unadjusted FP of one entity (ILF + 3 EI + 2 EQ) and how they were rated."""
    fks = sum(1 for r in entity.relations if r.kind == "many_to_one")
    dets = len(entity.fields) + fks + 1
    rets = 1 + sum(1 for r in entity.relations if r.kind == "many_to_many")
    ftrs = 1 + len(entity.relations)
    ilf = _W["ILF"][_rate((1, 5), (19, 50), rets, dets)]
    ei = _W["EI"][_rate((1, 2), (4, 15), ftrs, dets)]
    eq = _W["EQ"][_rate((1, 3), (5, 19), ftrs, dets)]
    return ilf + 3 * ei + 2 * eq, f"ILF {ilf} + 3 EI x {ei} + 2 EQ x {eq}"


# Typical transactions and files a feature adds (unadjusted FP).
FEATURE_FP = {
    "auth": 16,  # user ILF 7 + register/log-in EI 3+3 + session EQ 3
    "rbac": 10,  # role ILF 7 + assign EI 3
    "multi_tenancy": 14,  # tenant ILF 7 + EI 3 + scoping of every inquiry (EQ 4)
    "payments": 12,  # EIF 5 (provider) + checkout EI 3 + receipt EO 4
    "search": 4,  # EQ average
    "file_upload": 7,  # EI 4 + download EQ 3
    "notifications_email": 9,  # EO 4 + EIF 5 (mail service)
    "notifications_push": 9,
    "notifications_sms": 9,
    "realtime": 9,  # EO 5 + subscription EQ 4
    "chat": 17,  # message ILF 7 + EI 3 + EQ 3 + EO 4
    "admin_panel": 10,
    "reporting": 10,  # two EO average
    "analytics": 12,
    "export_csv": 5,
    "import_csv": 6,
    "scheduling": 10,
    "audit_log": 11,  # ILF 7 + EQ 4
    "i18n": 5,
    "maps": 9,  # EIF 5 + EQ 4
    "ratings": 10,
    "comments": 13,
    "recommendations": 12,
    "caching": 4,
    "rate_limiting": 4,
    "webhooks": 9,
}
_EXTERNAL = re.compile(
    r"\b(stripe|paypal|braintree|adyen|twilio|sendgrid|mailgun|slack|discord|telegram|whatsapp|"
    r"salesforce|hubspot|shopify|snowflake|bigquery|redshift|s3|gcs|blob storage|kafka|rabbitmq|"
    r"sqs|github|gitlab|jira|pagerduty|google maps|mapbox|openai|hugging ?face|sagemaker|auth0|"
    r"okta|firebase|zendesk|quickbooks|xero|erp|crm)\b",
    re.I,
)

# The 14 general system characteristics and what rates them.
_GSC = (
    "data communications",
    "distributed data processing",
    "performance",
    "heavily used configuration",
    "transaction rate",
    "online data entry",
    "end-user efficiency",
    "online update",
    "complex processing",
    "reusability",
    "installation ease",
    "operational ease",
    "multiple sites",
    "facilitate change",
)
_ONLINE = {
    ProjectType.REST_API,
    ProjectType.WEB_APP,
    ProjectType.MOBILE_APP,
    ProjectType.ML_SERVICE,
    ProjectType.CHATBOT,
}


def _gsc(
    nfrs: list[NonFunctionalRequirement], project_type: ProjectType | None, features: list[str]
) -> dict[str, int]:
    cats: dict[str, list[NonFunctionalRequirement]] = {}
    for n in nfrs:
        cats.setdefault(n.category, []).append(n)

    def level(cat: str, vague: int, measured: int) -> int:
        items = cats.get(cat, [])
        if not items:
            return 0
        return measured if any(n.target for n in items) else vague

    online = project_type in _ONLINE
    rating = {
        "data communications": 3 if online else 1,
        "distributed data processing": 3
        if project_type in {ProjectType.WORKER, ProjectType.DATA_PIPELINE}
        else 1,
        "performance": level("performance", 3, 5),
        "heavily used configuration": 2 if "multi_tenancy" in features else 0,
        "transaction rate": max(
            level("scalability", 3, 5),
            3 if any(n.target and "req/s" in n.target for n in nfrs) else 0,
        ),
        "online data entry": 3 if online else 0,
        "end-user efficiency": level("usability", 3, 4) or (2 if online else 0),
        "online update": 3 if online else 1,
        "complex processing": 4
        if project_type in {ProjectType.ML_SERVICE, ProjectType.GAME}
        else (2 if project_type is ProjectType.DATA_PIPELINE else 1),
        "reusability": 4 if project_type is ProjectType.LIBRARY else 1,
        "installation ease": level("portability", 3, 4) or 1,
        "operational ease": max(level("availability", 3, 5), level("observability", 3, 4)),
        "multiple sites": 3
        if any(
            "multi" in n.text.lower() or "region" in n.text.lower()
            for n in cats.get("availability", [])
        )
        else 0,
        "facilitate change": level("maintainability", 3, 4) or 1,
    }
    # Security and compliance weigh on processing (IFPUG counts them under complex processing).
    if cats.get("compliance") or cats.get("security"):
        rating["complex processing"] = min(
            5, rating["complex processing"] + (2 if cats.get("compliance") else 1)
        )
    return rating


def estimate(
    *,
    entities: list[Entity],
    features: list[str],
    nfrs: list[NonFunctionalRequirement],
    project_type: ProjectType | None = None,
    text: str = "",
) -> Complexity:
    """Score (1-10), size (XS-XL), effort in hours, and the drivers that explain them."""
    drivers: list[str] = []
    ufp = 0.0
    if entities:
        entity_fp = [entity_points(e)[0] for e in entities]
        ufp += sum(entity_fp)
        relations = sum(len(e.relations) for e in entities)
        drivers.append(
            f"{len(entities)} entities, {relations} relations: "
            f"{sum(entity_fp):.0f} FP (data + CRUD)"
        )
    else:
        ufp += 22  # one generic resource at low complexity
        drivers.append("no entities named: one generic resource, 22 FP")
    if features:
        feature_fp = sum(FEATURE_FP.get(f, 9) for f in features)
        ufp += feature_fp
        drivers.append(f"{len(features)} features: {feature_fp} FP ({', '.join(features)})")
    externals = sorted({m.group(0).lower() for m in _EXTERNAL.finditer(text)})
    if externals:
        ufp += 5 * len(externals)
        drivers.append(f"{len(externals)} external systems x 5 FP ({', '.join(externals)})")
    gsc = _gsc(nfrs, project_type, features)
    tdi = sum(gsc.values())
    vaf = 0.65 + 0.01 * tdi
    strict = [f"{name} {value}" for name, value in gsc.items() if value >= 4]
    drivers.append(
        f"VAF {vaf:.2f} (TDI {tdi}/70"
        + (f"; strict: {', '.join(strict)}" if strict else "")
        + (f"; {len(nfrs)} NFRs" if nfrs else "")
        + ")"
    )
    fp = ufp * vaf
    hours = round(fp * HOURS_PER_FP, 1)
    score = max(1, min(10, math.ceil(math.log2(max(hours, 20) / 20)) + 1))
    size = (
        "XS"
        if hours < 80
        else "S"
        if hours < 240
        else "M"
        if hours < 800
        else "L"
        if hours < 2400
        else "XL"
    )
    drivers.insert(0, f"{fp:.0f} adjusted function points x {HOURS_PER_FP:g} h/FP (IFPUG)")
    return Complexity(score=score, size=size, effort_hours=hours, drivers=drivers)
