"""Feature detection (canonical ids), cloud and deployment hints."""

from __future__ import annotations

import re

_FEATURE_CUES: dict[str, str] = {
    "auth": r"\b(log ?in|logs in|sign ?in|sign ?up|signs? up|jwt|oauth2?|sso|single sign-on|authenticat\w*|password|accounts?|register)\b",
    "rbac": r"\b(roles?|rbac|permissions?|admins? (vs|and|or) (viewers?|users?|editors?)|access control)\b",
    "multi_tenancy": r"\b(multi-?tenan\w*|tenants?|each (company|organi[sz]ation|customer|team) (is )?(isolated|separate)|per-organi[sz]ation)\b",
    "payments": r"\b(stripe|paypal|payments?|pay|checkout|billing|subscriptions?|invoic\w*)\b",
    "search": r"\b(search\w*|full-?text|filter(s|ing)? by|look ?up)\b",
    "file_upload": r"\b(upload\w*|attachments?|photos?|images?|files? storage|documents? upload)\b",
    "notifications_email": r"\b(e-?mail (notification|alert|reminder)s?|emails? (users?|members?|customers?)|send (an )?e-?mails?|email reminders?|reminders? by e-?mail)\b",
    "notifications_push": r"\b(push notifications?|push alerts?)\b",
    "notifications_sms": r"\b(sms|text messages?|twilio)\b",
    "realtime": r"\b(real-?time|websockets?|live (updates?|tracking|scores?|feed)|instantly|server-sent events)\b",
    "chat": r"\b(chat|messaging|direct messages?)\b",
    "admin_panel": r"\b(admin (panel|area|dashboard|interface|ui|console)|back-?office)\b",
    "reporting": r"\b(reports?|reporting)\b",
    "analytics": r"\b(analytics|metrics dashboard|insights|statistics|kpis?)\b",
    "export_csv": r"\b(export\w* (to |as |into )?(csv|excel|spreadsheet)|csv export|download as csv)\b",
    "import_csv": r"\b(import\w* (from |a |)?(csv|excel|spreadsheet)|csv import|bulk import)\b",
    "scheduling": r"\b(schedul\w*|cron|calendar|book(ing)? (a |an )?(slot|class|appointment)|recurring)\b",
    "audit_log": r"\b(audit (log|trail)|who changed what|change history|activity log)\b",
    "i18n": r"\b(i18n|multi-?lingual|multiple languages|translations?|locali[sz]ation)\b",
    "maps": r"\b(maps?|geolocation|gps|nearby|geo-?spatial|directions)\b",
    "ratings": r"\b(ratings?|rate (products?|books?|drivers?|them)|stars?|reviews?)\b",
    "comments": r"\b(comments?|discussion threads?)\b",
    "recommendations": r"\b(recommend\w*|suggestions?|personali[sz]ed)\b",
    "caching": r"\b(cach\w*|redis)\b",
    "rate_limiting": r"\b(rate[- ]limit\w*|throttl\w*|quotas?)\b",
    "webhooks": r"\b(webhooks?|callbacks? to)\b",
}
_COMPILED = {fid: re.compile(p, re.I) for fid, p in _FEATURE_CUES.items()}


def detect_features(text: str) -> list[tuple[str, str]]:
    """(feature id, the matched span) for every feature the text asks for or implies."""
    found: list[tuple[str, str]] = []
    for fid, pattern in _COMPILED.items():
        match = pattern.search(text)
        if match:
            found.append((fid, match.group(0)))
    ids = {f for f, _ in found}
    if "rbac" in ids and "auth" not in ids:
        found.append(("auth", "implied by roles"))
    if "admin_panel" in ids and "auth" not in ids:
        found.append(("auth", "implied by the admin area"))
    return found


_CLOUDS = {
    "aws": r"\b(aws|amazon web services|ec2|ecs|eks|lambda|s3|rds|dynamodb)\b",
    "gcp": r"\b(gcp|google cloud|gke|cloud run|bigquery|firebase)\b",
    "azure": r"\b(azure|aks|microsoft cloud)\b",
}


def detect_clouds(text: str) -> list[str]:
    """Every cloud the text names, in order of first mention."""
    hits = []
    for cloud, pattern in _CLOUDS.items():
        match = re.search(pattern, text, re.I)
        if match:
            hits.append((match.start(), cloud))
    return [c for _, c in sorted(hits)]


_HINTS = {
    "kubernetes": r"\b(kubernetes|k8s|eks|gke|aks|helm)\b",
    "terraform": r"\b(terraform|infrastructure as code|iac)\b",
    "serverless": r"\b(serverless|lambda|cloud functions?|cloud run)\b",
    "docker": r"\b(docker|containers?)\b",
}


def deployment_hints(text: str) -> list[str]:
    """Deployment technologies the text names."""
    return [hint for hint, pattern in _HINTS.items() if re.search(pattern, text, re.I)]
