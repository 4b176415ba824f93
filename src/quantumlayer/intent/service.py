"""The Intent Processor: text -> Spec (rule-based, offline, deterministic)."""

from __future__ import annotations

import re

from quantumlayer.domain import (
    FunctionalRequirement,
    NonFunctionalRequirement,
    ProjectType,
    Spec,
)
from quantumlayer.domain.names import slugify, words
from quantumlayer.intent.classify import classify
from quantumlayer.intent.entities import GENERIC, build_entities, find_mentions
from quantumlayer.intent.estimate import estimate
from quantumlayer.intent.features import deployment_hints, detect_clouds, detect_features
from quantumlayer.intent.nfr import find_nfrs
from quantumlayer.intent.planner import plan
from quantumlayer.intent.text import DEFAULT_MAX_CHARS, clean_intent, sentences

_SUFFIX = {
    ProjectType.REST_API: "api",
    ProjectType.WEB_APP: "app",
    ProjectType.STATIC_SITE: "site",
    ProjectType.CLI: "cli",
    ProjectType.LIBRARY: "lib",
    ProjectType.WORKER: "worker",
    ProjectType.DATA_PIPELINE: "pipeline",
    ProjectType.ML_SERVICE: "ml-service",
    ProjectType.CHATBOT: "bot",
    ProjectType.GAME: "game",
    ProjectType.DESKTOP_APP: "desktop",
    ProjectType.MOBILE_APP: "mobile",
}
_FEATURE_TEXT = {
    "auth": "Users authenticate (sign up, log in) and requests carry a token",
    "rbac": "Access is controlled by roles and permissions",
    "payments": "Customers pay online through a payment provider",
    "search": "Users search and filter records",
    "file_upload": "Users upload files and get them back",
    "admin_panel": "Administrators manage the data in an admin area",
    "realtime": "Changes reach connected clients in real time",
}
_BEHAVIOUR = re.compile(
    r"\b(must|should|could|can|may|allows?|lets?|needs? to|has to|will|wants? to|able to)\b", re.I
)


def analyze(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> Spec:
    """Understand an idea: type, entities, features, requirements, cloud, complexity, task plan.

    Raises UserError for input that cannot be an idea (empty, binary, too long).
    """
    text = clean_intent(text, max_chars=max_chars)
    project_type, _confidence = classify(text)
    entities = build_entities(find_mentions(text))
    features = detect_features(text)
    feature_ids = list(dict.fromkeys(f for f, _ in features))
    clouds = detect_clouds(text)

    frs: list[FunctionalRequirement] = []
    for entity in entities:
        frs.append(
            FunctionalRequirement(
                id=f"FR-{len(frs) + 1}",
                text=f"Manage {entity.name} records: create, read, update, delete, list",
                priority="must",
                source=_span_for(text, entity.name),
            )
        )
    for fid, span in features:
        frs.append(
            FunctionalRequirement(
                id=f"FR-{len(frs) + 1}",
                text=_FEATURE_TEXT.get(fid, f"Provide {fid.replace('_', ' ')}"),
                priority="must",
                source=span,
            )
        )
    for _, sentence in sentences(text):
        match = _BEHAVIOUR.search(sentence)
        if match and len(sentence) <= 300:
            word = match.group(1).lower()
            priority = (
                "should" if word == "should" else "could" if word in {"could", "may"} else "must"
            )
            frs.append(
                FunctionalRequirement(
                    id=f"FR-{len(frs) + 1}", text=sentence, priority=priority, source=sentence
                )
            )

    nfrs = [
        NonFunctionalRequirement(
            id=f"NFR-{i}",
            category=m.category,  # type: ignore[arg-type]
            text=m.text,
            target=m.target,
        )
        for i, m in enumerate(find_nfrs(text), start=1)
    ]
    questions = _questions(
        text, entities=[e.name for e in entities], clouds=clouds, nfrs=nfrs, features=feature_ids
    )
    domain = _domain_words(text, [e.name for e in entities])
    name = slugify(f"{domain} {_SUFFIX[project_type]}", max_len=40)
    title = (
        " ".join(w.capitalize() for w in domain.split())
        + " "
        + (
            "API"
            if project_type is ProjectType.REST_API
            else _SUFFIX[project_type].replace("-", " ").title()
        )
    )
    spec = Spec(
        name=name,
        title=title.strip(),
        summary=_summary(text),
        project_type=project_type,
        entities=entities,
        features=feature_ids,
        functional_requirements=frs,
        non_functional_requirements=nfrs,
        cloud=clouds[0] if clouds else None,  # type: ignore[arg-type]
        deployment_hints=deployment_hints(text),
        complexity=estimate(entities=entities, features=feature_ids, nfrs=nfrs),
        questions=questions,
    )
    spec.tasks = plan(spec).tasks
    return spec


def _span_for(text: str, name: str) -> str | None:
    stem = name.lower()[:5]
    match = re.search(rf"\b{re.escape(stem)}\w*", text, re.I)
    return match.group(0) if match else None


def _domain_words(text: str, entity_names: list[str]) -> str:
    """A two-word-at-most name for what the project is about ("library", "gym booking")."""
    match = re.search(
        r"\bfor (?:an? |the |our |my )?([A-Za-z][A-Za-z-]*(?: [A-Za-z][A-Za-z-]*)?)", text
    )
    if match:
        cand = [
            w
            for w in words(match.group(1))
            if w not in GENERIC and w not in {"managing", "tracking"}
        ]
        if cand:
            return " ".join(cand[:2])
    if entity_names:
        return " ".join(words(entity_names[0]))
    ws = [w for w in words(text) if w not in GENERIC and len(w) > 3][:2]
    return " ".join(ws) or "project"


def _summary(text: str) -> str:
    first = sentences(text)[0][1] if sentences(text) else text
    return first if len(first) <= 240 else first[:237].rstrip() + "..."


def _questions(
    text: str,
    *,
    entities: list[str],
    clouds: list[str],
    nfrs: list[NonFunctionalRequirement],
    features: list[str],
) -> list[str]:
    questions: list[str] = []
    if not entities:
        questions.append(
            "What are the main things the system keeps track of (e.g. books, members, loans)?"
        )
    if len(clouds) > 1:
        questions.append(f"Which cloud should it run on: {' or '.join(clouds)}?")
    if any(n.category == "performance" and not n.target for n in nfrs):
        questions.append(
            "How fast is fast enough? Give a latency target (e.g. p95 < 200 ms) or a throughput."
        )
    if any(n.category == "scalability" and not n.target for n in nfrs):
        questions.append("How many users or requests per second must it handle at peak?")
    if "auth" in features and "rbac" not in features:
        questions.append("Do different users need different permissions (e.g. admins vs. members)?")
    if not clouds and re.search(r"\b(deploy|host|cloud|production)\b", text, re.I):
        questions.append("Where should it be deployed: AWS, GCP, Azure, or on your own servers?")
    return questions
