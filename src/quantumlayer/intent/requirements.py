"""Functional requirements: one per capability, each citing the words of the idea it comes from.

Three sources, in this order: CRUD per entity ("Manage Book records"), one per feature ("Users
sign in"), and one per explicit behaviour — a sentence or bullet of the idea that asks the
system to do something ("Members log in with JWT", "- Export the report as CSV").
"""

from __future__ import annotations

import re
from bisect import bisect_left

from quantumlayer.domain import Entity, FunctionalRequirement
from quantumlayer.intent.entities import mark_verbs, tokenize
from quantumlayer.intent.features import FeatureMatch
from quantumlayer.intent.lexicon import VERBS

MAX_BEHAVIOURS = 60

FEATURE_TEXT = {
    "auth": "Users sign up, sign in and sign out; requests carry a token",
    "rbac": "Access is controlled by roles and permissions",
    "multi_tenancy": "Each tenant's data is isolated from every other tenant's",
    "payments": "Customers pay online through a payment provider",
    "search": "Users search and filter records",
    "file_upload": "Users upload files and get them back",
    "notifications_email": "The system sends email notifications",
    "notifications_push": "The system sends push notifications",
    "notifications_sms": "The system sends SMS notifications",
    "realtime": "Changes reach connected clients in real time",
    "chat": "Users and the system exchange messages in a conversation",
    "admin_panel": "Administrators manage the data in an admin area",
    "reporting": "The system produces reports",
    "analytics": "The system shows usage analytics and statistics",
    "export_csv": "Data can be exported as CSV",
    "import_csv": "Data can be imported from CSV",
    "scheduling": "Work runs on a schedule, or people book time slots",
    "audit_log": "Every change is recorded in an audit log (who, what, when)",
    "i18n": "The interface is available in several languages",
    "maps": "Locations are shown on a map",
    "ratings": "Users rate things (e.g. stars) and see the ratings",
    "comments": "Users comment on records",
    "recommendations": "The system recommends relevant items",
    "caching": "Frequently read data is cached",
    "rate_limiting": "Clients are rate-limited",
    "webhooks": "The system sends or receives webhooks",
}
_PRIORITY = (
    (re.compile(r"\b(should|ideally|preferably|would like)\b", re.I), "should"),
    (re.compile(r"\b(could|may|optionally|nice to have|if possible|later)\b", re.I), "could"),
)
_MODAL = re.compile(
    r"\b(must|should|could|can|may|shall|will|allows?|lets?|enables?|needs? to|has to|"
    r"have to|wants? to|able to|supports?)\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_CLAUSE = re.compile(r"[^.!?;\n]+[.!?;]?")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def build_requirements(
    text: str,
    *,
    entities: list[Entity],
    sources: dict[str, str],
    features: list[FeatureMatch],
    skip_spans: list[str] = (),  # type: ignore[assignment]
    verb_starts: list[int] | None = None,
) -> list[FunctionalRequirement]:
    """The functional requirements of an idea, numbered FR-1, FR-2, ...

    `verb_starts` (offsets of the verbs the entity extractor found in `text`) spares reading
    each sentence again.
    """
    frs: list[FunctionalRequirement] = []

    def add(text_: str, source: str | None, priority: str = "must") -> None:
        frs.append(
            FunctionalRequirement(
                id=f"FR-{len(frs) + 1}",
                text=text_,
                priority=priority,
                source=source,
            )
        )

    for entity in entities:
        add(
            f"Manage {entity.name} records: create, read, update, delete and list them",
            sources.get(entity.name),
        )
    for match in features:
        add(FEATURE_TEXT.get(match.feature, match.feature.replace("_", " ")), match.span)
    seen: set[str] = set()
    for clause in behaviours(text, verb_starts=verb_starts):
        key = clause.lower()
        if key in seen or any(span and span.strip() == clause for span in skip_spans):
            continue
        seen.add(key)
        priority = next((p for pattern, p in _PRIORITY if pattern.search(clause)), "must")
        add(clause.rstrip(".;"), clause, priority)
        if len(seen) >= MAX_BEHAVIOURS:
            break
    return frs


_MODAL_WORDS = frozenset(
    [
        "must",
        "should",
        "could",
        "can",
        "may",
        "shall",
        "will",
        "allow",
        "allows",
        "let",
        "lets",
        "enable",
        "enables",
    ]
)
_STATE_ONLY = re.compile(
    r"^\W*(it|this|the \w+|they)?\s*(must|should|shall|will|needs? to)\s+be\b", re.I
)


def _acts(clause: str) -> bool:
    """True when the clause has a verb of action (not only "must be fast")."""
    if _STATE_ONLY.search(clause):
        return False
    tokens = tokenize(clause)
    mark_verbs(tokens)
    return any(t.verb for t in tokens)


def behaviours(text: str, *, verb_starts: list[int] | None = None) -> list[str]:
    """Sentences and bullets of the text that ask the system (or its users) to do something."""
    out: list[str] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        bullet = bool(_BULLET.match(line))
        for match in _CLAUSE.finditer(line):
            clause = match.group(0).strip()
            if len(clause) < 12 or len(clause) > 300 or clause.startswith(("#", "|", "`")):
                continue
            words = [w.lower() for w in _WORD.findall(clause)]
            if len(words) < 3 or not any(w in VERBS or w in _MODAL_WORDS for w in words):
                continue  # cheap check first: no verb we know, no behaviour
            if verb_starts is None:
                acts = _acts(clause)
            else:
                lo, hi = line_start + match.start(), line_start + match.end()
                i = bisect_left(verb_starts, lo)
                acts = (
                    i < len(verb_starts) and verb_starts[i] < hi and not _STATE_ONLY.search(clause)
                )
            if acts and (_MODAL.search(clause) or bullet or len(words) <= 40):
                out.append(_BULLET.sub("", clause).strip())
    return out
