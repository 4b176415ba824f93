"""Non-functional requirements: category and the measurable target when the text gives one."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT_SECONDS = {
    "second": 1,
    "sec": 1,
    "s": 1,
    "minute": 60,
    "min": 60,
    "hour": 3600,
    "day": 86400,
    "month": 2_592_000,
}
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}


@dataclass(frozen=True)
class NFRMatch:
    category: str
    text: str
    target: str | None


def _number(raw: str, mult: str | None) -> float:
    value = float(raw.replace(",", ""))
    return value * _MULT.get((mult or "").lower(), 1)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.2f}".rstrip("0").rstrip(".")


_RULES: list[tuple[str, str]] = [
    # availability
    (
        "availability",
        r"(?P<pct>\d{2}(?:\.\d+)?)\s?%\s*(?:uptime|availability|available|sla)|(?:uptime|availability|sla)\s*(?:of|:)?\s*(?P<pct2>\d{2}(?:\.\d+)?)\s?%",
    ),
    (
        "availability",
        r"\b(high(ly)? availab\w*|always (up|available)|no downtime|zero downtime|fail-?over|24/7)\b",
    ),
    (
        "availability",
        r"\bRPO\b[^.;]*?(?P<rpo>\d+\s*(?:s|sec|seconds?|min|minutes?|h|hours?))|\bRTO\b[^.;]*?(?P<rto>\d+\s*(?:s|sec|seconds?|min|minutes?|h|hours?))",
    ),
    # performance: latency
    (
        "performance",
        r"(?P<pctl>p\d{2,3}|\d{2}(?:th)? percentile)?[^.;\d]{0,30}?(?:under|below|<|less than|within)\s*(?P<ms>\d+(?:\.\d+)?)\s*(?P<unit>ms|milliseconds?|s|seconds?)\b",
    ),
    ("performance", r"\b(fast|low latency|quick(ly)?|responsive|snappy|performant)\b"),
    # throughput -> scalability/performance
    (
        "performance",
        r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>k|thousand|m|million|b|billion)?\s*(?P<what>requests?|req|orders?|transactions?|messages?|events?|redirects?|writes?|reads?|queries|jobs?|uploads?|calls?)\s*(?:per|a|an|/|each)\s*(?P<per>second|sec|s|minute|min|hour|day|month)\b",
    ),
    # scale in users
    (
        "scalability",
        r"(?P<users>\d[\d,]*(?:\.\d+)?)\s*(?P<umult>k|thousand|m|million|b|billion)?\+?\s*(?:concurrent |active |daily |monthly )?(?:users|customers|members|players|visitors|tenants|devices)",
    ),
    (
        "scalability",
        r"\b(scal(e|able|ability|es)|black friday|traffic spikes?|peak traffic|millions of|horizontal(ly)?)\b",
    ),
    # security
    (
        "security",
        r"\b(jwt|oauth2?|encrypt\w*|secure(ly)?|security|tls|https|2fa|mfa|two-factor|sso|authenticat\w*|log ?in|password)\b",
    ),
    # compliance
    ("compliance", r"\b(?P<reg>gdpr|hipaa|pci[ -]?dss|pci|soc ?2|iso ?27001|ccpa|ferpa|sox)\b"),
    (
        "usability",
        r"\b(accessib\w*|wcag|easy to use|user-friendly|intuitive|mobile-friendly|responsive design)\b",
    ),
    (
        "maintainability",
        r"\b(maintainab\w*|clean code|well[- ]tested|test coverage|documented|modular)\b",
    ),
    (
        "portability",
        r"\b(portab\w*|cross-platform|runs? (on|anywhere)|vendor lock-?in|multi-?cloud)\b",
    ),
    (
        "observability",
        r"\b(monitor\w*|observab\w*|logging|logs|tracing|metrics|alert(s|ing)?|dashboards? for ops)\b",
    ),
    (
        "cost",
        r"(?:budget|cost|under|below|less than)\s*(?:of\s*)?(?P<cur>\$|€|£|usd|eur)\s?(?P<amount>\d[\d,]*)(?:\s*(?:/|per|a)\s*(?P<cper>month|year|mo))?|\b(cheap|low[- ]cost|cost[- ]effective)\b",
    ),
]
_COMPILED = [(cat, re.compile(p, re.I)) for cat, p in _RULES]


def _target(category: str, m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if category == "availability":
        if g.get("pct") or g.get("pct2"):
            return f"{g.get('pct') or g.get('pct2')}%"
        if g.get("rpo"):
            return f"RPO {g['rpo']}"
        if g.get("rto"):
            return f"RTO {g['rto']}"
    if category == "performance" and g.get("ms"):
        value = float(g["ms"]) * (1 if g["unit"].lower().startswith("m") else 1000)
        pctl = (g.get("pctl") or "").lower()
        pctl = re.sub(r"(\d+)(th)? percentile", r"p\1", pctl) if pctl else "p95"
        return f"{pctl} < {_fmt(value)} ms"
    if category == "performance" and g.get("num"):
        per = _UNIT_SECONDS[g["per"].lower().rstrip("s") if g["per"].lower() not in ("s",) else "s"]
        rate = _number(g["num"], g.get("mult")) / per
        return f"{_fmt(rate)} req/s"
    if category == "scalability" and g.get("users"):
        return f"{_fmt(_number(g['users'], g.get('umult')))} users"
    if category == "compliance" and g.get("reg"):
        reg = g["reg"].upper().replace(" ", "")
        return {"PCI": "PCI DSS", "PCI-DSS": "PCI DSS", "PCIDSS": "PCI DSS", "SOC2": "SOC 2"}.get(
            reg, reg
        )
    if category == "cost" and g.get("amount"):
        per = f"/{g['cper']}" if g.get("cper") else ""
        return f"{g['cur']}{g['amount']}{per}"
    return None


def find_nfrs(text: str) -> list[NFRMatch]:
    """Every NFR the text states, one per (category, target); measurable targets preferred."""
    found: dict[tuple[str, str | None], NFRMatch] = {}
    for category, pattern in _COMPILED:
        for match in pattern.finditer(text):
            span = match.group(0).strip()
            if not span:
                continue
            target = _target(category, match)
            if category == "performance" and match.groupdict().get("num"):
                # Throughput targets are about both load and scale.
                found.setdefault(("scalability", target), NFRMatch("scalability", span, target))
            found.setdefault((category, target), NFRMatch(category, span, target))
    # Drop the vague entry of a category that also has a measurable one.
    measured = {cat for cat, tgt in found if tgt}
    return [m for (cat, tgt), m in found.items() if tgt or cat not in measured]
