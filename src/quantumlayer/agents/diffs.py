"""Unified diffs: apply an agent's diff to a file strictly, and make one to show a reviewer.

Applying is content-based, as `patch` does: hunk line numbers only say where to look first, and
the context and removed lines must be found in the file (exactly, else ignoring trailing
whitespace). A hunk that matches nowhere is an error, never a guess.
"""

from __future__ import annotations

import difflib
import re

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_HEADER_PREFIXES = ("--- ", "+++ ", "diff --git ", "index ", "new file mode", "deleted file mode")


class DiffError(ValueError):
    """A diff that does not parse or does not apply; the message says which hunk and why."""


def _hunks(diff: str) -> list[tuple[int, list[str], list[str]]]:
    """(old start line, old lines, new lines) of every hunk."""
    hunks: list[tuple[int, list[str], list[str]]] = []
    current: tuple[int, list[str], list[str]] | None = None
    for number, line in enumerate(diff.splitlines(), start=1):
        match = _HUNK.match(line)
        if match:
            current = (int(match.group(1)), [], [])
            hunks.append(current)
            continue
        if current is None:
            if line.startswith(_HEADER_PREFIXES) or not line.strip():
                continue
            raise DiffError(f"line {number} comes before the first @@ hunk header: {line[:80]!r}")
        if line.startswith("\\"):  # "\ No newline at end of file"
            continue
        tag, text = (line[0], line[1:]) if line else (" ", "")
        if tag == " ":
            current[1].append(text)
            current[2].append(text)
        elif tag == "-":
            current[1].append(text)
        elif tag == "+":
            current[2].append(text)
        else:
            raise DiffError(
                f"line {number} of the diff starts with {tag!r}; hunk lines start with ' ', "
                "'-' or '+'"
            )
    if not hunks:
        raise DiffError("the diff has no @@ hunk")
    return hunks


def _same(line: str) -> str:
    return line


def _find(lines: list[str], block: list[str], near: int, start: int) -> int | None:
    """Index where `block` occurs in lines[start:], the occurrence nearest `near`."""
    for normalise in (_same, str.rstrip):
        wanted = [normalise(b) for b in block]
        found = [
            i
            for i in range(start, len(lines) - len(block) + 1)
            if [normalise(x) for x in lines[i : i + len(block)]] == wanted
        ]
        if found:
            return min(found, key=lambda i: abs(i - near))
    return None


def apply_unified_diff(original: str, diff: str, *, path: str = "the file") -> str:
    """`original` with `diff` applied; DiffError if any hunk does not apply."""
    lines = original.splitlines()
    trailing_newline = original.endswith("\n") or not original
    cursor = 0
    for index, (old_start, old, new) in enumerate(_hunks(diff), start=1):
        if not old:
            at = min(max(old_start, 0), len(lines))  # pure insertion after line old_start
        else:
            found = _find(lines, old, max(old_start - 1, 0), cursor)
            if found is None:
                preview = "\n".join(old[:3])
                raise DiffError(
                    f"hunk {index} does not apply to {path}: these lines are not in it:\n"
                    f"{preview}"
                )
            at = found
        lines[at : at + len(old)] = new
        cursor = at + len(new)
    text = "\n".join(lines)
    return text + "\n" if trailing_newline and text else text


def unified_diff(path: str, before: str | None, after: str) -> str:
    """A unified diff from `before` (None: a new file) to `after`, for reviewers and logs."""
    return "".join(
        line if line.endswith("\n") else line + "\n"
        for line in difflib.unified_diff(
            (before or "").splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile="/dev/null" if before is None else f"a/{path}",
            tofile=f"b/{path}",
        )
    )
