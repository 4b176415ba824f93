"""The Intent Processor: text -> Spec (rule-based, offline, deterministic).

`analyze` is the whole offline path: clean the text, classify it, extract entities, features,
requirements and the cloud, estimate the effort, ask what is open, and plan the tasks. With
`answers` (to the questions of an earlier run) the idea is read again with the answers added.
An LLM refines this result through the seam in `intent.llm`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from quantumlayer.domain import (
    Entity,
    EntityField,
    FunctionalRequirement,
    NonFunctionalRequirement,
    ProjectType,
    Relation,
    Spec,
)
from quantumlayer.domain.names import slugify, to_class_name, words
from quantumlayer.intent.classify import classify, classify_idea, score_types
from quantumlayer.intent.entities import analyse_entities, score_kind
from quantumlayer.intent.estimate import estimate
from quantumlayer.intent.features import (
    FeatureMatch,
    deployment_hints,
    detect_clouds,
    detect_features,
)
from quantumlayer.intent.lexicon import FUNCTION, GENERIC, parts_of_speech
from quantumlayer.intent.nfr import find_nfrs
from quantumlayer.intent.planner import plan
from quantumlayer.intent.questions import Question, frame, resolve_keys
from quantumlayer.intent.requirements import build_requirements
from quantumlayer.intent.text import (
    DEFAULT_MAX_CHARS,
    clean_intent,
    prose,
    sentences,
)

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
_TITLE_SUFFIX = {
    ProjectType.REST_API: "API",
    ProjectType.ML_SERVICE: "ML Service",
    ProjectType.CLI: "CLI",
}
# What an ML service outputs, by the words that ask for it.
_ML_OUTPUTS = (
    (re.compile(r"\bforecast", re.I), "Forecast"),
    (re.compile(r"\b(recommend|suggest|also bought)", re.I), "Recommendation"),
    (re.compile(r"\bsummari[sz]", re.I), "Summary"),
    (re.compile(r"\btranslat", re.I), "Translation"),
    # "a confidence score" comes with a prediction; "returns a risk score" is the output itself.
    (re.compile(r"\b(?<!confidence )(scores?|scoring)\b", re.I), "Score"),
)
_ML_OUTPUT_NAMES = {
    "Prediction",
    "Forecast",
    "Recommendation",
    "Summary",
    "Translation",
    "Score",
    "Classification",
    "Label",
    "Estimate",
}
_PROVIDERS = re.compile(
    r"\b(stripe|paypal|braintree|adyen|square|apple pay|google pay|mollie|razorpay|klarna)\b", re.I
)
_DEPLOY_WORDS = re.compile(
    r"\b(deploy\w*|host\w*|cloud|production|kubernetes|k8s|terraform|serverless)\b", re.I
)


def analyze(
    text: str,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    answers: Mapping[str, str] | None = None,
) -> Spec:
    """Understand an idea: type, entities, features, requirements, cloud, complexity, task plan.

    `answers` maps question keys (or numbers, or texts) of an earlier run's questions to
    answers; they are read as part of the idea. Raises UserError for input that cannot be an
    idea (empty, binary, too long) or answers to unknown questions.
    """
    text = clean_intent(text, max_chars=max_chars)
    if not answers:
        return _analyze(text)
    first = _analyze(text)
    resolved = resolve_keys(answers, open_questions_of(first, text))
    added = [s for key, a in resolved.items() if key != "type" and (s := frame(key, a))]
    forced = None
    if resolved.get("type") and frame("type", resolved["type"]):
        forced, _ = classify(resolved["type"])
        if not any(score_types(resolved["type"]).values()):
            forced = None
    combined = text + ("\n\n" + "\n".join(added) if added else "")
    # A cloud named in the answer wins over the ones the idea hesitated between.
    cloud_answer = " ".join(resolved.get(k, "") for k in ("cloud", "deploy"))
    named = detect_clouds(cloud_answer) if cloud_answer.strip() else []
    return _analyze(
        combined,
        forced_type=forced,
        forced_cloud=named[0] if len(named) == 1 else None,
        answered=set(resolved),
    )


def _analyze(
    text: str,
    *,
    forced_type: ProjectType | None = None,
    forced_cloud: str | None = None,
    answered: set[str] = frozenset(),  # type: ignore[assignment]
) -> Spec:
    body = prose(text)
    project_type, confidence = (forced_type, 1.0) if forced_type else classify_idea(text, body)
    found = analyse_entities(body)
    entities = _with_ml_output(found.entities, project_type, body)
    features = detect_features(body, project_type=project_type, actors=found.actors)
    feature_ids = list(dict.fromkeys(f.feature for f in features))
    clouds = detect_clouds(body)
    if forced_cloud:
        clouds = [forced_cloud]
    nfr_matches = find_nfrs(body)
    nfrs = [
        NonFunctionalRequirement(
            id=f"NFR-{i}",
            category=m.category,
            text=m.text,
            target=m.target,
        )
        for i, m in enumerate(nfr_matches, start=1)
    ]
    frs = build_requirements(
        body,
        entities=entities,
        sources=found.sources,
        features=features,
        skip_spans=[m.text for m in nfr_matches],
        verb_starts=found.verb_starts,
    )
    if not frs:
        # Nothing to manage, no feature, no behaviour: the idea itself is the requirement.
        first = next((s for _, s in sentences(body) if s.strip("# ")), body.strip())
        frs = build_requirements("", entities=[], sources={}, features=[])
        frs.append(FunctionalRequirement(id="FR-1", text=_summary(body), source=first[:300]))
    questions = [
        q.text
        for q in _questions(
            body,
            confidence=confidence,
            entities=entities,
            clouds=clouds,
            nfrs=nfrs,
            features=features,
        )
        if q.key not in answered
    ]
    domain = _domain_words(body, [e.name for e in entities])
    suffix = _SUFFIX[project_type]
    title_suffix = _TITLE_SUFFIX.get(project_type, suffix.replace("-", " ").title())
    spec = Spec(
        name=slugify(f"{domain} {suffix}", max_len=40),
        title=(" ".join(w.capitalize() for w in domain.split()) + " " + title_suffix).strip(),
        summary=_summary(body),
        project_type=project_type,
        entities=entities,
        features=feature_ids,
        functional_requirements=frs,
        non_functional_requirements=nfrs,
        cloud=clouds[0] if clouds else None,
        deployment_hints=deployment_hints(body),
        complexity=estimate(
            entities=entities, features=feature_ids, nfrs=nfrs, project_type=project_type, text=body
        ),
        questions=questions,
    )
    spec.tasks = plan(spec).tasks
    return spec


def open_questions_of(spec: Spec, text: str) -> list[Question]:
    """The questions of `spec` with their keys (the Spec keeps only their text)."""
    body = prose(text)
    features = [FeatureMatch(f, f) for f in spec.features]
    clouds = detect_clouds(body)
    project_type, confidence = classify_idea(text, body)
    if project_type != spec.project_type:
        confidence = 1.0
    asked = _questions(
        body,
        confidence=confidence,
        entities=spec.entities,
        clouds=clouds,
        nfrs=spec.non_functional_requirements,
        features=features,
    )
    return [q for q in asked if q.text in spec.questions]


def _with_ml_output(entities: list[Entity], project_type: ProjectType, text: str) -> list[Entity]:
    """An ML service returns predictions: name the output when the idea does not."""
    kind = score_kind(text)
    kind_score = to_class_name(f"{kind}_score") if kind else None  # "scores ... for fraud"
    if project_type is not ProjectType.ML_SERVICE or any(
        e.name in _ML_OUTPUT_NAMES or e.name == kind_score for e in entities
    ):
        return entities  # "Prediction", "RiskScore": the output is named already
    name = next((n for pattern, n in _ML_OUTPUTS if pattern.search(text)), "Prediction")
    if name == "Score" and kind_score:
        name = kind_score
    fields = [
        EntityField(
            name="label" if name != "Summary" else "text",
            type="string" if name != "Summary" else "text",
        ),
        EntityField(name="score", type="float", required=False),
        EntityField(name="model_version"),
        EntityField(name="created_at", type="datetime"),
    ]
    relations = (
        [Relation(kind="many_to_one", target=to_class_name(entities[0].name))] if entities else []
    )
    return [*entities, Entity(name=name, fields=fields, relations=relations)]


# Words that name the software, not its domain ("a library" is a domain, "a library package" not).
_NOT_DOMAIN = (GENERIC - {"library", "libraries", "game", "games"}) | {
    "managing",
    "tracking",
    "computing",
    "a",
    "an",
    "the",
}


def _domain_words(text: str, entity_names: list[str]) -> str:
    """A two-word-at-most name for what the project is about ("library", "gym booking").

    Taken from "for a ..." when the words after it name a domain (up to the first function word:
    "for login and registration" gives "login"), else from the first entity, else from the first
    content words of the idea.
    """
    match = re.search(
        r"\bfor (?:an? |the |our |my )?([A-Za-z][A-Za-z-]*(?: [A-Za-z][A-Za-z-]*){0,2})",
        text[:400],
    )
    if match:
        cand: list[str] = []
        for w in words(match.group(1)):
            if w in FUNCTION:
                break
            if w not in _NOT_DOMAIN:
                cand.append(w)
        if cand:
            return " ".join(cand[:2])
    if entity_names:
        return " ".join(words(entity_names[0]))
    ws = [w for w in words(text[:400]) if w not in GENERIC and w not in FUNCTION and len(w) > 3]
    return " ".join(ws[:2]) or "project"


def _summary(text: str) -> str:
    found = sentences(text)
    first = next((s for _, s in found if not s.startswith("#")), text)
    first = " ".join(first.lstrip("# ").split()) or " ".join(text.split())
    return first if len(first) <= 240 else first[:237].rstrip() + "..."


_UNICODE_WORD = re.compile(r"[^\W\d_]+")


def _reads_as_english(text: str) -> bool:
    """True unless most words of the text are unknown to the English lexicon."""
    sample = _UNICODE_WORD.findall(text[:3000])
    if len(sample) < 4:
        return True
    known = sum(
        1
        for w in sample
        if w.isascii() and (w.lower() in FUNCTION or parts_of_speech(w.lower()) or w.isupper())
    )
    return known >= 0.5 * len(sample)


def _questions(
    text: str,
    *,
    confidence: float,
    entities: list[Entity],
    clouds: list[str],
    nfrs: list[NonFunctionalRequirement],
    features: list[FeatureMatch],
) -> list[Question]:
    """What a good analyst would ask about what the idea leaves open."""
    ids = {f.feature for f in features}
    out: list[Question] = []
    if not _reads_as_english(text):
        out.append(
            Question(
                "english",
                "The idea does not read as English, which the offline analyser understands best: "
                "could you describe the project in English?",
            )
        )
    if confidence < 0.2:
        ranked = sorted(score_types(text).items(), key=lambda kv: -kv[1])[:2]
        names = " or a ".join(t.value.replace("_", " ") for t, _ in ranked)
        out.append(Question("type", f"Is this mainly a {names}? Say which kind of project it is."))
    if not entities:
        out.append(
            Question(
                "entities",
                "What are the main things the system keeps track of (e.g. books, members, loans)?",
            )
        )
    if len(clouds) > 1:
        out.append(Question("cloud", f"Which cloud should it run on: {' or '.join(clouds)}?"))
    elif not clouds and _DEPLOY_WORDS.search(text):
        out.append(
            Question(
                "deploy", "Where should it be deployed: AWS, GCP, Azure, or on your own servers?"
            )
        )
    if any(n.category == "performance" and not n.target for n in nfrs):
        out.append(
            Question(
                "performance",
                "How fast is fast enough? Give a latency target (e.g. p95 < 200 ms) "
                "or a throughput.",
            )
        )
    if any(n.category == "scalability" and not n.target for n in nfrs) and not any(
        n.category == "scalability" and n.target for n in nfrs
    ):
        out.append(
            Question("scalability", "How many users or requests per second must it handle at peak?")
        )
    if any(n.category == "availability" and not n.target for n in nfrs) and not any(
        n.category == "availability" and n.target for n in nfrs
    ):
        out.append(Question("availability", "What uptime does it need (e.g. 99.9%)?"))
    if "auth" in ids and "rbac" not in ids:
        out.append(
            Question(
                "roles", "Do different users need different permissions (e.g. admins vs. members)?"
            )
        )
    if "payments" in ids and not _PROVIDERS.search(text):
        out.append(
            Question("payments_provider", "Which payment provider should it use (e.g. Stripe)?")
        )
    return out
