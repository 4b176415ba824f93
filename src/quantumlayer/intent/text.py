"""Input checks and normalisation shared by the extractors."""

from __future__ import annotations

import re
import unicodedata

from quantumlayer.errors import UserError

DEFAULT_MAX_CHARS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_intent(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Validate and normalise an idea; raise UserError with a clear message when it is unusable."""
    if not isinstance(text, str):
        raise UserError("the idea must be text")
    if len(text) > max_chars:
        raise UserError(
            f"the idea is {len(text):,} characters long; the limit is {max_chars:,} "
            "(set QL_MAX_INTENT_CHARS to change it, or pass the key parts of the document)"
        )
    text = unicodedata.normalize("NFC", text)
    control = len(_CONTROL.findall(text))
    if control and control > 0.05 * len(text):
        raise UserError("the idea looks like binary data, not text: describe the project in words")
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    letters = sum(ch.isalpha() for ch in text)
    if not text:
        raise UserError(
            "the idea is empty: describe the project you want, e.g. "
            '"a REST API for a library with books, members and loans"'
        )
    if letters < 3:
        raise UserError("the idea has no words in it: describe the project you want in a sentence")
    return text


def sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their start offsets (a simple splitter: ., !, ?, ;, newlines)."""
    out: list[tuple[int, str]] = []
    for match in re.finditer(r"[^.!?;\n]+[.!?;]?", text):
        chunk = match.group(0)
        stripped = chunk.strip()
        if stripped:
            out.append((match.start() + chunk.index(stripped[0]), stripped))
    return out
