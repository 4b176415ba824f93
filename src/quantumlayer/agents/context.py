"""Context management: what goes into one call so that it fits the model's context window.

Every call has a token budget (the window, less the answer's max tokens, less a margin). Files go
in whole or not at all — never cut mid-file; the most relevant come first (the files the agent
edits, then those about the same entity, then its dependencies), and those that do not fit are
named so the agent knows they exist. Retries grow the conversation; older turns are summarised
and then dropped before anything else is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from quantumlayer.agents.messages import ChatMessage
from quantumlayer.domain import Spec, Task

# Conservative: code averages 3-4 characters a token in the common BPE vocabularies; counting 3
# overestimates, so a selection that fits by this count fits the model.
CHARS_PER_TOKEN = 3
MESSAGE_OVERHEAD_TOKENS = 8
SAFETY_MARGIN = 0.05


def estimate_tokens(text: str) -> int:
    """An upper estimate of the tokens of `text` (no tokenizer needed, same for every model)."""
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def conversation_tokens(messages: Iterable[ChatMessage]) -> int:
    return sum(estimate_tokens(m.content) + MESSAGE_OVERHEAD_TOKENS for m in messages)


def prompt_budget(context_tokens: int, max_output_tokens: int) -> int:
    """Tokens the prompt may use: the window less the answer's room, less a safety margin."""
    return max(0, int(context_tokens * (1 - SAFETY_MARGIN)) - max_output_tokens)


@dataclass(frozen=True)
class ContextFile:
    path: str
    content: str

    @property
    def tokens(self) -> int:
        # The block around the content: "FILE: path", the fences, blank lines.
        return estimate_tokens(self.content) + estimate_tokens(self.path) + 6


@dataclass
class ContextSelection:
    editable: list[ContextFile] = field(default_factory=list)
    readonly: list[ContextFile] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)
    omitted_editable: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return sum(f.tokens for f in (*self.editable, *self.readonly)) + sum(
            estimate_tokens(p) + 1 for p in (*self.omitted, *self.omitted_editable)
        )


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", text.lower()) if len(w) > 2}


def _entity_terms(spec: Spec, name: str | None) -> tuple[set[str], set[str]]:
    """Terms naming the task's entity, and terms naming the entities related to it."""
    if not name:
        return set(), set()
    own = {name.lower(), _snake(name)}
    related: set[str] = set()
    for entity in spec.entities:
        targets = {r.target for r in entity.relations}
        if entity.name == name:
            related |= {t.lower() for t in targets} | {_snake(t) for t in targets}
        elif name in targets:
            related |= {entity.name.lower(), _snake(entity.name)}
    return own, related - own


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def rank_files(
    files: Mapping[str, str],
    *,
    spec: Spec,
    task: Task,
    direct: Iterable[str] = (),
    mentioned: Iterable[str] = (),
) -> list[str]:
    """Paths of `files`, most relevant to `task` first.

    Scores: named in the failure output or the requirements (`mentioned`) 8; the task's entity in
    the path 4 (its related entities 2); written by a task this one depends on directly
    (`direct`) 3; the entity named in the content 1; words of the task's title in the path 1.
    Ties go to the shorter file, then by path, so the order is stable.
    """
    own, related = _entity_terms(spec, task.entity)
    direct_set, mentioned_set = set(direct), set(mentioned)
    title_words = _words(task.title)

    def score(path: str) -> int:
        lower = path.lower()
        stem_words = _words(lower)
        value = 8 if path in mentioned_set else 0
        if own and any(term in lower for term in own):
            value += 4
        elif related and any(term in lower for term in related):
            value += 2
        if path in direct_set:
            value += 3
        if task.entity and task.entity in files[path]:
            value += 1
        if title_words & stem_words:
            value += 1
        return value

    return sorted(files, key=lambda p: (-score(p), len(files[p]), p))


def select_context(
    *,
    editable: Mapping[str, str],
    readonly: Mapping[str, str],
    ranked_readonly: list[str],
    budget_tokens: int,
) -> ContextSelection:
    """Whole files, editable ones first then read-only ones by rank, while they fit."""
    selection = ContextSelection()
    left = budget_tokens
    for path, content in editable.items():
        item = ContextFile(path, content)
        if item.tokens <= left:
            selection.editable.append(item)
            left -= item.tokens
        else:
            selection.omitted_editable.append(path)
            left -= estimate_tokens(path) + 1
    for path in ranked_readonly:
        if path in editable:
            continue
        item = ContextFile(path, readonly[path])
        if item.tokens <= left:
            selection.readonly.append(item)
            left -= item.tokens
        else:
            selection.omitted.append(path)
            left -= estimate_tokens(path) + 1
    return selection


def fit_conversation(messages: list[ChatMessage], budget_tokens: int) -> list[ChatMessage]:
    """The conversation, shortened to fit: earlier retry turns summarised, then dropped.

    The first system and user messages (the task and its files) are kept whole; so is the last
    user message (what to do now). Between them are earlier answers and the feedback on them:
    first each earlier answer is replaced by a one-line stand-in, then earlier feedback is
    reduced to its first line, then the middle is dropped for a note saying so.
    """
    if conversation_tokens(messages) <= budget_tokens or len(messages) <= 3:
        return messages
    head, middle, last = messages[:2], messages[2:-1], messages[-1]
    shortened = [
        ChatMessage(m.role, "[an earlier answer of yours, left out to fit the context window]")
        if m.role == "assistant"
        else m
        for m in middle
    ]
    if conversation_tokens([*head, *shortened, last]) <= budget_tokens:
        return [*head, *shortened, last]
    summary = [
        ChatMessage(m.role, m.content.split("\n", 1)[0][:300]) if m.role == "user" else m
        for m in shortened
    ]
    if conversation_tokens([*head, *summary, last]) <= budget_tokens:
        return [*head, *summary, last]
    note = ChatMessage(
        "assistant", f"[{len(middle)} earlier messages left out to fit the context window]"
    )
    return [*head, note, last]


def mentioned_paths(text: str, paths: Iterable[str]) -> list[str]:
    """The paths (of `paths`) that `text` names, in the order of first mention."""
    found: dict[str, int] = {}
    for path in paths:
        at = text.find(path)
        if at >= 0:
            found[path] = at
    return sorted(found, key=found.__getitem__)
