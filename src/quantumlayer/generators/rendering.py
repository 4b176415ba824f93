"""Rendering generated files: the Jinja environment and the filters that make untrusted text safe.

Two rules keep user text (titles, summaries, enum values, original names) from becoming code:

* names reach code only after `blueprint` has checked them against a strict pattern;
* free text reaches Python (and TOML) source only as a string literal built here (`pyrepr`,
  `pystr`, `tomlstr`), and Markdown only through `md`, which escapes what Markdown would interpret.

The helpers also lay out long literals, calls and import lists so that the generated code stays
within the line length its own ruff configuration checks, and imports come out in ruff's order.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

LINE_LENGTH = 100
INDENT = "    "


def clean_text(text: str) -> str:
    """`text` without control characters (tabs and newlines kept) or lone surrogates."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\t" or category not in {"Cc", "Cs", "Cf"}:
            out.append(char)
    return "".join(out)


def one_line(text: str) -> str:
    """`clean_text` on a single line: runs of whitespace become one space."""
    return " ".join(clean_text(text).split())


# --- Python literals ---------------------------------------------------------------------------


def pyrepr(value: Any) -> str:
    """A Python literal for `value`; strings are double-quoted, ASCII-only and fully escaped."""
    if isinstance(value, str):
        # JSON string syntax is a subset of Python's; ensure_ascii escapes every odd character.
        return json.dumps(value, ensure_ascii=True)
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(pyrepr(item) for item in value) + "]"
    raise TypeError(f"no Python literal for {type(value).__name__}")


def _chunks(value: str, width: int) -> list[str]:
    """`value` cut into pieces whose literals fit in `width` characters, preferably after spaces."""
    pieces: list[str] = []
    current: list[str] = []
    size = 2  # the quotes
    last_space = -1
    for char in value:
        cost = len(json.dumps(char, ensure_ascii=True)) - 2
        if current and size + cost > width:
            if 0 < last_space < len(current) - 1:
                pieces.append("".join(current[: last_space + 1]))
                current = current[last_space + 1 :]
            else:
                pieces.append("".join(current))
                current = []
            size = 2 + sum(len(json.dumps(c, ensure_ascii=True)) - 2 for c in current)
            last_space = -1
        current.append(char)
        size += cost
        if char == " ":
            last_space = len(current) - 1
    if current or not pieces:
        pieces.append("".join(current))
    return pieces


def pystr(value: str, indent: int = 0, used: int = 0) -> str:
    """A string literal for `value` that fits a line already holding `used` other characters.

    When it does not fit, the literal becomes a parenthesised run of implicitly concatenated
    pieces, one per line, indented one level deeper than `indent` (the line's own indentation).
    """
    literal = pyrepr(value)
    if used + len(literal) <= LINE_LENGTH:
        return literal
    inner = " " * (indent + len(INDENT))
    width = max(LINE_LENGTH - len(inner), 24)
    lines = [f"{inner}{pyrepr(piece)}" for piece in _chunks(value, width)]
    return "(\n" + "\n".join(lines) + "\n" + " " * indent + ")"


def call(
    head: str, args: Sequence[str], indent: int = 0, suffix: str = "", used: int | None = None
) -> str:
    """`head(arg, ...)suffix` on one line if it fits, else one argument per line.

    `indent` is the indentation of the line, `used` how many characters precede `head` on it
    (the indentation by default).
    """
    single = f"{head}({', '.join(args)}){suffix}"
    if (indent if used is None else used) + len(single) <= LINE_LENGTH or not args:
        return single
    inner = " " * (indent + len(INDENT))
    body = "".join(f"{inner}{arg},\n" for arg in args)
    return f"{head}(\n{body}{' ' * indent}){suffix}"


def pylist(values: Sequence[Any], indent: int = 0, used: int = 0) -> str:
    """A list literal of `values` on one line if it fits, else one item per line."""
    return _display(values, "[]", indent, used)


def pytuple(values: Sequence[Any], indent: int = 0, used: int = 0) -> str:
    """A tuple literal of `values` on one line if it fits, else one item per line."""
    return _display(values, "()", indent, used)


def _display(values: Sequence[Any], brackets: str, indent: int, used: int) -> str:
    items = [pyrepr(value) for value in values]
    opening, closing = brackets[0], brackets[1]
    trailer = "," if brackets == "()" and len(items) == 1 else ""
    single = opening + ", ".join(items) + trailer + closing
    if used + len(single) <= LINE_LENGTH:
        return single
    inner = " " * (indent + len(INDENT))
    body = "".join(f"{inner}{item},\n" for item in items)
    return f"{opening}\n{body}{' ' * indent}{closing}"


def tomlstr(value: str) -> str:
    """A TOML basic string for `value` (single line)."""
    return json.dumps(one_line(value), ensure_ascii=True)


# --- Markdown ----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def capitalize_first(text: str) -> str:
    """`text` with its first letter in upper case (the rest unchanged)."""
    return text[:1].upper() + text[1:]


def code(name: str) -> str:
    """A checked identifier as Markdown inline code."""
    return f"`{name}`"


def md(value: Any) -> str:
    """`value` as inert Markdown inline text: one line, markup characters escaped, no raw HTML."""
    text = one_line(str(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


# --- imports, in the order ruff's isort expects -------------------------------------------------


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Natural-order key: runs of digits compare as numbers and sort before other characters."""
    return tuple(
        (0, int(run)) if run.isdigit() else (1, run) for run in re.findall(r"\d+|\D+", text)
    )


def member_key(name: str) -> tuple[Any, ...]:
    """ruff's order for imported names: CONSTANTS, then Classes, then variables, each natural."""
    if len(name) > 1 and name.isupper():
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, _natural(name.lower()), name


def module_key(module: str) -> tuple[Any, ...]:
    return _natural(module.lower()), module


def from_import(module: str, names: Iterable[str], indent: int = 0) -> str:
    """`from module import a, b` with names sorted, wrapped the way ruff wraps long lines."""
    ordered = sorted(set(names), key=member_key)
    pad = " " * indent
    single = f"{pad}from {module} import {', '.join(ordered)}"
    if len(single) <= LINE_LENGTH:
        return single
    body = "".join(f"{pad}{INDENT}{name},\n" for name in ordered)
    return f"{pad}from {module} import (\n{body}{pad})"


def from_imports(imports: Mapping[str, Iterable[str]], indent: int = 0) -> str:
    """Several `from` imports of one section, sorted by module."""
    return "\n".join(
        from_import(module, imports[module], indent) for module in sorted(imports, key=module_key)
    )


# --- the environment ---------------------------------------------------------------------------


@cache
def environment() -> SandboxedEnvironment:
    """The template environment: sandboxed, strict about undefined names, no autoescaping (code)."""
    env = SandboxedEnvironment(
        loader=PackageLoader("quantumlayer.generators", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        pyrepr=pyrepr, pystr=pystr, pylist=pylist, pytuple=pytuple, tomlstr=tomlstr, md=md,
        code=code, capitalize_first=capitalize_first,
    )
    env.globals.update(call=call, from_import=from_import, from_imports=from_imports)
    return env


def render(template: str, **context: Any) -> str:
    """Render the template at `template` (relative to templates/) with `context`."""
    return environment().get_template(template).render(**context)
