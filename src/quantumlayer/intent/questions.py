"""Clarifying questions, and answers that update the idea.

Each question has a stable key (``entities``, ``cloud``, ``performance`` ...). An answer is turned
into a sentence the extractors read like the rest of the idea ("It runs on AWS.") and appended to
it; the Spec is then analysed again. ``quantumlayer plan --interactive`` asks in the terminal;
``--answers FILE`` reads a JSON object ``{"<key>" or "<question number>" or "<question text>":
"<answer>"}``. An empty or negative answer ("no", "none", "skip") closes the question without
changing the idea.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from quantumlayer.errors import UserError


@dataclass(frozen=True)
class Question:
    key: str
    text: str


# How an answer to each question reads as part of the idea.
_FRAMES = {
    "entities": "The main records: {answer}.",
    "cloud": "It runs on {answer}.",
    "deploy": "Deploy it on {answer}.",
    "performance": "Performance target: {answer}.",
    "scalability": "Scale target: {answer}.",
    "availability": "Availability target: {answer} uptime.",
    "roles": "Roles: {answer}.",
    "payments_provider": "Payments go through {answer}.",
    "type": "{answer}",
    "english": "{answer}.",
}
KEYS = tuple(_FRAMES)
_NEGATIVE = re.compile(
    r"^\s*(no|none|n/?a|nope|skip|-|nothing|not needed|don't know|dunno)?\s*[.!]?\s*$", re.I
)
MAX_ANSWER_CHARS = 2000


def frame(key: str, answer: str) -> str | None:
    """The sentence an answer adds to the idea; None for an empty or negative answer."""
    if key not in _FRAMES:
        raise UserError(f"unknown question {key!r}; known: {', '.join(KEYS)}")
    answer = " ".join(answer.split())
    if len(answer) > MAX_ANSWER_CHARS:
        raise UserError(f"the answer to {key!r} is longer than {MAX_ANSWER_CHARS} characters")
    if _NEGATIVE.match(answer):
        return None
    return _FRAMES[key].format(answer=answer.rstrip("."))


def resolve_keys(answers: Mapping[str, str], questions: list[Question]) -> dict[str, str]:
    """Answers keyed by question key; keys may also be 1-based numbers or the question's text."""
    by_text = {q.text.strip().lower(): q.key for q in questions}
    out: dict[str, str] = {}
    for raw_key, answer in answers.items():
        if not isinstance(answer, str):
            raise UserError(f"the answer to {raw_key!r} must be text")
        key = str(raw_key).strip()
        if key.isdigit():
            index = int(key) - 1
            if not 0 <= index < len(questions):
                raise UserError(f"there is no question {key}; there are {len(questions)}")
            key = questions[index].key
        elif key.lower() in by_text:
            key = by_text[key.lower()]
        if key not in _FRAMES:
            raise UserError(
                f"unknown question {raw_key!r}; use a key ({', '.join(KEYS)}) or a number"
            )
        out[key] = answer
    return out


def load_answers(path: Path) -> dict[str, str]:
    """A JSON object of answers from a file; UserError with the reason when it is not one."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise UserError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise UserError(f'{path} must hold a JSON object such as {{"cloud": "AWS"}}')
    return {str(k): v for k, v in data.items()}
