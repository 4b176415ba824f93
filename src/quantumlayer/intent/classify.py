"""Project-type classification by weighted cue phrases (offline, deterministic)."""

from __future__ import annotations

import re

from quantumlayer.domain import ProjectType

# (pattern, weight). Strong, explicit names weigh most; indirect cues ("book classes") less.
_CUES: dict[ProjectType, list[tuple[str, float]]] = {
    ProjectType.REST_API: [
        (r"\b(rest(ful)?|graphql|grpc)\b", 4),
        (r"\bapi\b", 3),
        (r"\bendpoints?\b", 2),
        (r"\bmicroservice|back-?end service|web service\b", 2),
        (r"\bcrud\b", 1.5),
    ],
    ProjectType.WEB_APP: [
        (r"\bweb ?(app|application|shop|store|site|portal)\b", 4),
        (r"\bdashboard\b", 2),
        (r"\be-?commerce|online (shop|store)|marketplace\b", 3),
        (r"\bportal\b", 2),
        (r"\b(book|reserve|sign up for) (a |an )?(class|classes|table|appointment)", 2),
        (r"\b(saas|platform|app where|website where|site where|browser)\b", 1.5),
        (r"\b(front-?end|react|vue|angular|ui)\b", 1.5),
    ],
    ProjectType.STATIC_SITE: [
        (r"\bstatic (web ?)?site\b", 6),
        (r"\b(landing page|portfolio|blog|homepage)\b", 3),
        (r"\b(jekyll|hugo|static pages?)\b", 3),
    ],
    ProjectType.CLI: [
        (r"\b(cli|command[- ]line|terminal)\b", 5),
        (r"\b(tool|utility|script) that\b", 1.5),
        (r"\bconverts?\b.*\bfiles?\b", 1.5),
    ],
    ProjectType.LIBRARY: [
        (r"\b(python )?(library|package|sdk|module)\b(?! (system|app|management|api))", 3),
        (r"\bpip install|reusable|importable\b", 3),
    ],
    ProjectType.WORKER: [
        (r"\b(background )?worker\b", 4),
        (r"\b(queue|consumer|job processor|jobs? queue)\b", 3),
        (r"\b(rabbitmq|kafka|sqs|celery)\b", 2),
    ],
    ProjectType.DATA_PIPELINE: [
        (r"\b(etl|elt|data pipeline|pipeline)\b", 5),
        (r"\bingest(s|ion)?\b", 2),
        (r"\b(nightly|daily|hourly)\b.*\b(load|import|export|sync)\b", 2),
        (r"\b(data warehouse|warehouse|csv files?)\b", 1.5),
    ],
    ProjectType.ML_SERVICE: [
        (
            r"\b(machine learning|ml model|model serving|inference|predict(s|ion|ions)?|classifier)\b",
            4,
        ),
        (r"\b(our|trained|the) model\b", 3),
        (r"\b(scikit|sklearn|pytorch|tensorflow)\b", 3),
        (r"\bforecast(s|ing)?|anomal(y|ies) detection|sentiment\b", 3),
    ],
    ProjectType.CHATBOT: [
        (r"\b(chat ?bot|bot|virtual assistant|conversational)\b", 5),
        (r"\b(answers? (customer )?questions|faq)\b", 2),
    ],
    ProjectType.GAME: [
        (r"\b(game|pygame|tetris|snake|pong|platformer|puzzle|arcade|chess|sudoku|clone)\b", 5),
        (r"\b(player|levels?|score|high ?score)\b", 1),
    ],
    ProjectType.DESKTOP_APP: [
        (r"\b(desktop|windows app|macos app|gui|tkinter|qt|electron)\b", 5),
    ],
    ProjectType.MOBILE_APP: [
        (r"\b(mobile|ios|android|iphone|smartphone|react native|flutter)\b", 5),
        (r"\bapp store|play store\b", 3),
    ],
}
_COMPILED = {t: [(re.compile(p, re.I), w) for p, w in cues] for t, cues in _CUES.items()}


def score_types(text: str) -> dict[ProjectType, float]:
    """A score per project type; cues near the start of the text count more."""
    head = text[:400]
    scores: dict[ProjectType, float] = {}
    for ptype, cues in _COMPILED.items():
        total = 0.0
        for pattern, weight in cues:
            if pattern.search(head):
                total += weight
            elif pattern.search(text):
                total += weight * 0.5
        scores[ptype] = total
    return scores


def classify(text: str) -> tuple[ProjectType, float]:
    """The most likely project type and a confidence in [0, 1]. Default: rest_api."""
    scores = score_types(text)
    best = max(scores, key=lambda t: scores[t])
    total = sum(scores.values())
    if scores[best] == 0:
        return ProjectType.REST_API, 0.0
    return best, round(scores[best] / total, 2)
