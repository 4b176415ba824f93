"""The strict answer format of refining and repairing agents, parsed and checked.

An answer is a sequence of blocks, and nothing else but blank lines:

    SUMMARY: one line saying what changed and why
    FILE: app/models/book.py            <- the complete new content of a file
    ```python
    ...
    ```
    DIFF: app/routers/book.py           <- a unified diff against the content the agent was shown
    ```diff
    @@ -1,3 +1,4 @@
    ...
    ```

A block closes with the fence that opened it (so content with ``` lines uses ````). Anything that
does not fit — stray prose, an unclosed block, a path outside the project, a file the agent may
not touch, a diff that does not apply, Python that does not compile, JSON or TOML that does not
parse — rejects the whole answer with a message that is sent back to the agent.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field

from quantumlayer.agents.diffs import DiffError, apply_unified_diff
from quantumlayer.domain import safe_relative_path

MAX_FILE_CHARS = 400_000
MAX_PATH_CHARS = 1024
_HEADER = re.compile(r"^(FILE|DIFF):\s*(.+?)\s*$")
_FENCE = re.compile(r"^(`{3,})\s*([\w.+-]*)\s*$")
_FORBIDDEN_PREFIXES = (".git/",)


class OutputRejected(ValueError):
    """The answer breaks the format or the rules; str(err) is the feedback for the agent."""


@dataclass(frozen=True)
class Edit:
    kind: str  # "file" | "diff"
    path: str
    body: str


@dataclass
class ParsedAnswer:
    summary: str = ""
    edits: list[Edit] = field(default_factory=list)


def parse_answer(text: str) -> ParsedAnswer:
    """The blocks of an answer; OutputRejected listing every problem found."""
    answer, problems = _parse(text)
    if problems:
        raise OutputRejected("the answer does not follow the format:\n- " + "\n- ".join(problems))
    return answer


def check_answer(
    text: str, files: dict[str, str], *, may_write: WritePolicy | None = None
) -> dict[str, str]:
    """Parse and apply an answer: the changed files, or OutputRejected listing every problem
    (format and content alike, so one round of feedback can fix them all)."""
    answer, problems = _parse(text)
    try:
        changed = apply_answer(answer, files, may_write=may_write or allow_all)
    except OutputRejected as err:
        problems += str(err).split("\n- ")[1:]
        changed = {}
    if problems:
        raise OutputRejected("the answer was rejected:\n- " + "\n- ".join(problems))
    return changed


def _parse(text: str) -> tuple[ParsedAnswer, list[str]]:
    answer = ParsedAnswer()
    problems: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.upper() in ("NO CHANGES", "NO CHANGES."):
            i += 1
            continue
        if stripped.startswith("SUMMARY:"):
            answer.summary = (answer.summary + " " + stripped[8:].strip()).strip()
            i += 1
            continue
        header = _HEADER.match(stripped)
        if header is None:
            if _FENCE.match(stripped):
                problems.append(
                    f"line {i + 1}: a ``` block without a FILE: or DIFF: line before it"
                )
            else:
                problems.append(
                    f"line {i + 1}: text outside a FILE/DIFF block ({stripped[:60]!r}); "
                    "put explanations in the one SUMMARY: line"
                )
            i = _skip_block(lines, i)
            continue
        kind, raw_path = header.group(1).lower(), header.group(2).strip("`*'\" ")
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        fence = _FENCE.match(lines[j].strip()) if j < len(lines) else None
        if fence is None:
            problems.append(
                f"line {i + 1}: {kind.upper()}: {raw_path} must be followed by a ``` fence line"
            )
            i += 1
            continue
        close = fence.group(1)
        k = j + 1
        while k < len(lines) and lines[k].strip() != close:
            k += 1
        if k >= len(lines):
            problems.append(
                f"line {j + 1}: the block of {raw_path} is never closed with {close} "
                "(if the content has ``` lines, open and close the block with ````)"
            )
            break
        body = "\n".join(lines[j + 1 : k])
        if kind == "file":
            body += "\n"
        answer.edits.append(Edit(kind, raw_path, body))
        i = k + 1
    return answer, problems


def _skip_block(lines: list[str], i: int) -> int:
    """After a stray line: if a fence opens here, skip to its end so one mistake is one problem."""
    fence = _FENCE.match(lines[i].strip())
    if fence is None:
        return i + 1
    k = i + 1
    while k < len(lines) and lines[k].strip() != fence.group(1):
        k += 1
    return k + 1


def check_path(path: str) -> str:
    """The normalised project-relative path; OutputRejected if it leaves the project."""
    try:
        norm = safe_relative_path(path)
    except ValueError as err:
        if "escapes" in str(err):
            raise OutputRejected(
                f"{path!r} is outside the project: paths are relative to the project root, "
                "never absolute and never with '..'"
            ) from None
        raise OutputRejected(f"{path!r} is not a valid path: use '/' between folders") from None
    if len(norm) > MAX_PATH_CHARS or norm.startswith(_FORBIDDEN_PREFIXES) or norm == ".git":
        raise OutputRejected(f"{path!r} is not a path agents may write")
    return norm


def check_content(path: str, content: str) -> None:
    """Reject content that cannot be right for its file type."""
    if len(content) > MAX_FILE_CHARS:
        raise OutputRejected(f"{path} is longer than {MAX_FILE_CHARS} characters")
    if "\x00" in content:
        raise OutputRejected(f"{path} contains a NUL character")
    if path.endswith(".py"):
        try:
            compile(content, path, "exec", dont_inherit=True)
        except SyntaxError as err:
            raise OutputRejected(
                f"{path} is not valid Python: {err.msg} (line {err.lineno})"
            ) from None
    elif path.endswith(".json"):
        try:
            json.loads(content)
        except ValueError as err:
            raise OutputRejected(f"{path} is not valid JSON: {err}") from None
    elif path.endswith(".toml"):
        try:
            tomllib.loads(content)
        except tomllib.TOMLDecodeError as err:
            raise OutputRejected(f"{path} is not valid TOML: {err}") from None


# `may_write(path, exists)` returns None if the agent may write the path, else the reason not.
WritePolicy = Callable[[str, bool], str | None]


def allow_all(_path: str, _exists: bool) -> str | None:
    return None


def apply_answer(
    answer: ParsedAnswer, files: dict[str, str], *, may_write: WritePolicy = allow_all
) -> dict[str, str]:
    """The files the answer changes, path -> new content (unchanged ones left out).

    `files` is what the agent was shown (the project as it stands). Every edit is checked before
    any is returned: one bad edit rejects the answer, with every problem listed.
    """
    changed: dict[str, str] = {}
    problems: list[str] = []
    for edit in answer.edits:
        try:
            path = check_path(edit.path)
            current = changed.get(path, files.get(path))
            refusal = may_write(path, current is not None)
            if refusal:
                raise OutputRejected(refusal)
            if edit.kind == "diff":
                if current is None:
                    raise OutputRejected(
                        f"DIFF: {path} — there is no such file; send new files with FILE:"
                    )
                try:
                    content = apply_unified_diff(current, edit.body, path=path)
                except DiffError as err:
                    raise OutputRejected(str(err)) from None
            else:
                content = edit.body
            check_content(path, content)
            changed[path] = content
        except OutputRejected as err:
            problems.append(str(err))
    if problems:
        raise OutputRejected("the answer was rejected:\n- " + "\n- ".join(problems))
    return {p: c for p, c in changed.items() if files.get(p) != c}
