"""Complexity and effort by IFPUG-style function points.

Unadjusted function points (UFP) are counted from the Spec: each entity is an internal logical
file (7) with create/update/delete inputs (3 x 3) and list/read inquiries (2 x 3), all rated low;
each feature adds an input and an output (4 + 5); each external integration adds an external
interface file (5). The value adjustment factor (VAF = 0.65 + 0.01 x total degree of influence)
takes the NFRs' strictness into account. Effort uses a productivity of 4 hours per adjusted
function point, the fast end of the ISBSG range (~4-12 h/FP), since CRUD on a modern framework
is cheap to build.
"""

from __future__ import annotations

import math

from quantumlayer.domain import Complexity, Entity, NonFunctionalRequirement

HOURS_PER_FP = 4.0
_INTEGRATIONS = {
    "payments",
    "notifications_email",
    "notifications_sms",
    "notifications_push",
    "maps",
    "webhooks",
}
_STRICT = {
    "availability": 4,
    "performance": 4,
    "scalability": 4,
    "security": 3,
    "compliance": 5,
    "cost": 1,
    "observability": 2,
    "usability": 2,
    "maintainability": 1,
    "portability": 2,
}


def estimate(
    *, entities: list[Entity], features: list[str], nfrs: list[NonFunctionalRequirement]
) -> Complexity:
    """Score (1-10), size (XS-XL), effort in hours, and the drivers that explain them."""
    drivers: list[str] = []
    ufp = 0.0
    n_entities = max(len(entities), 1)
    ufp += n_entities * (7 + 3 * 3 + 2 * 3)
    drivers.append(f"{len(entities)} entities x 22 FP (data + CRUD)")
    relations = sum(len(e.relations) for e in entities)
    if relations:
        ufp += relations * 3
        drivers.append(f"{relations} relations x 3 FP")
    if features:
        ufp += len(features) * 9
        drivers.append(f"{len(features)} features x 9 FP ({', '.join(features)})")
    integrations = sorted(set(features) & _INTEGRATIONS)
    if integrations:
        ufp += len(integrations) * 5
        drivers.append(f"{len(integrations)} external integrations ({', '.join(integrations)})")
    degree = 14 + sum(_STRICT.get(n.category, 1) + (2 if n.target else 0) for n in nfrs)
    degree = min(degree, 70)
    vaf = 0.65 + 0.01 * degree
    if nfrs:
        drivers.append(f"NFR strictness: VAF {vaf:.2f} from {len(nfrs)} NFRs")
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
    drivers.insert(0, f"{fp:.0f} adjusted function points x {HOURS_PER_FP:g} h/FP")
    return Complexity(score=score, size=size, effort_hours=hours, drivers=drivers)
