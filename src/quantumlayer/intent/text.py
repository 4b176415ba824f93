"""Input checks and normalisation shared by the extractors."""

from __future__ import annotations

import re
import re._constants as _sre_constants  # the parser behind `re` (Python 3.11+)
import re._parser as _sre_parser
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

try:
    import ahocorasick as _ahocorasick
except ImportError:  # pragma: no cover - a dependency; the plain `in` tests work without it
    _ahocorasick = None

from quantumlayer.errors import UserError

DEFAULT_MAX_CHARS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_THREE_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_].*?[^\W\d_]", re.S)  # three letters anywhere


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
    has_words = _THREE_LETTERS.search(text) is not None
    if not text:
        raise UserError(
            "the idea is empty: describe the project you want, e.g. "
            '"a REST API for a library with books, members and loans"'
        )
    if not has_words:
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


_FENCE = re.compile(r"(```|~~~).*?(\1|\Z)", re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_COMMAND = re.compile(r"[a-z][\w.-]*( [a-z][\w.-]*| --?[\w-]+(=\S+)?| <[^>]+>| \[[^\]]+\])+")
_COMMAND_ARG = re.compile(r"(?<!\S)(--?[\w-]+(=\S+)?|<[^>]+>|\[[^\]]+\])")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SCRIPT = re.compile(r"<(script|style)\b.*?(</\1\s*>|\Z)", re.S | re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
# Sentences that talk to a model rather than describe a project ("ignore previous instructions").
_INJECTION_CUE = re.compile(
    r"\b(?:ignore|disregard|forget|override|system prompt|you are now|pretend to be|jailbreak|"
    r"developer mode)\b",
    re.I,
)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,80}"
    r"\b(?:instructions?|prompts?|rules|guidelines|context)\b"
    r"|\b(?:system prompt|you are now|pretend to be|jailbreak|developer mode)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(.*)$", re.M)


# Programs whose command lines say how to build or run something, not what the product is.
_TOOLING = frozenset(
    ["npm", "npx", "pip", "pipx", "docker", "git", "yarn", "pnpm", "make", "go", "cargo", "poetry",
     "brew", "apt", "apt-get", "kubectl", "helm", "terraform", "python", "python3", "node", "uv",
     "curl", "ssh", "sudo", "cd", "ls", "java", "dotnet", "ruby", "php", "perl", "bash", "sh"]
)


# A command line with any arguments ("scaff calc --height 12 --lifts 6").
_COMMAND_LINE = re.compile(
    r"[a-z][\w.-]*( [a-z][\w.-]*| --?[\w-]+(=\S+)?| <[^>]+>| \[[^\]]+\]| ~?[\w./,:-]+| '[^']*'"
    r"| \"[^\"]*\")+"
)


# A file name, a path, a quoted value or a number given to a command ("import entries.csv",
# "sort ~/Pictures", "add 'B' 440").
_ARGUMENT = re.compile(r" [\w-]+\.\w+\b| '[^']*'| \"[^\"]*\"| \d| ~?/[\w./-]+")


def command_lines(text: str) -> int:
    """How many inline command lines the text spells out (`archive ingest <folder>`, `choirs
    plan` beside `choirs export`): a sign of a command-line tool. A line counts when it has an
    argument or option, or when its program has another subcommand in the text; build tooling
    (`npm install`) does not count, nor quoted values of two words (`normal user`)."""
    lines: list[tuple[str, bool]] = []
    for match in _INLINE_CODE.finditer(text):
        inner = match.group(0)[1:-1]
        if len(inner) > 80 or not _COMMAND_LINE.fullmatch(inner) or " " not in inner:
            continue
        program = inner.split(" ", 1)[0]
        if program not in _TOOLING:
            argued = bool(
                _COMMAND_ARG.search(inner)
                or _ARGUMENT.search(inner)
            )
            lines.append((program, argued))
    programs = [program for program, _ in lines]
    return sum(1 for program, argued in lines if argued or programs.count(program) > 1)


# How a package is installed, written as code: "just `pip install` it", "`npm i`".
_INSTALL = re.compile(
    r"(pip3?|npm|yarn|pnpm|gem|cargo|go|composer|dotnet) (install|i|add|get|require)"
)


def prose(text: str) -> str:
    """The text the extractors read, with what is not the idea blanked out (same length, so
    spans stay valid): fenced code and inline code (a lone `Identifier` stays, and so do the
    subcommands of a short command line: `brew-log export --all`), HTML tags and scripts, and
    sentences addressed to a model ("ignore previous instructions and ...")."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    def inline(match: re.Match[str]) -> str:
        inner = match.group(0)[1:-1]
        if _IDENTIFIER.fullmatch(inner) or _INSTALL.fullmatch(inner):
            # `RedisConfig` names a thing, `pip install` says how the package comes: keep the
            # words, drop the ticks
            return f" {inner} "
        if len(inner) <= 40 and _COMMAND.fullmatch(inner):
            # `brew-log export --all`: the subcommands of a command line say what the tool does;
            # keep them (not the program's name, nor its options and arguments)
            program = inner.split(" ", 1)[0]
            rest = _COMMAND_ARG.sub(lambda m: " " * len(m.group(0)), inner[len(program) :])
            return ";" + " " * len(program) + rest + ";"  # a clause of its own
        return blank(match)

    text = _INLINE_CODE.sub(inline, _FENCE.sub(blank, text))
    text = _TAG.sub(lambda m: "\n" + blank(m)[1:], _SCRIPT.sub(blank, text))
    return _without_injection(text)


def _without_injection(text: str) -> str:
    """Blank every sentence that addresses a model; linear in the length of the text."""
    spans = []
    for cue in _INJECTION_CUE.finditer(text):
        start = max(
            (m.end() for m in _SENTENCE_END.finditer(text, max(0, cue.start() - 300), cue.start())),
            default=max(0, cue.start() - 300),
        )
        end_match = _SENTENCE_END.search(text, cue.end(), cue.end() + 300)
        end = end_match.end() if end_match else min(len(text), cue.end() + 300)
        if _INJECTION.search(text, start, end):
            spans.append((start, end))
    for start, end in spans:
        text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
    return text


def without_headings(text: str) -> str:
    """The text without Markdown heading lines ("# Introduction")."""
    return _HEADING.sub("", text)


def lowered(text: str) -> str:
    """`text` in lower case with every character at the same offset (so spans map back)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def literal_keys(pattern: str) -> tuple[str, ...]:
    """Strings of which every match of `pattern` contains at least one.

    A quick, sound filter for the cue patterns of the extractors: a text that contains none of
    them cannot match, and the (slower) regular expression need not run. They are read from the
    parsed pattern: a sequence needs what its most telling part needs, an alternation what each
    of its branches needs; optional parts and character classes need nothing. An empty tuple
    means "no filter".
    """
    try:
        tree = _sre_parser.parse(pattern)
    except Exception:  # pragma: no cover - every cue pattern compiles; be safe anyway
        return ()
    needed = _needed(list(tree))
    if not needed:
        return ()
    keys = tuple(sorted(needed))
    _register(keys)
    _HANDED_OUT[id(keys)] = keys
    return keys


def _needed(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """What a sequence of parsed regex items needs: the best of its parts (None: nothing)."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(option: frozenset[str] | None) -> None:
        nonlocal best
        if option and (best is None or _quality(option) > _quality(best)):
            best = option

    for op, arg in items:
        if op is _sre_constants.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            consider(frozenset(["".join(run)]))
            run = []
        if op is _sre_constants.SUBPATTERN:
            consider(_needed(list(arg[-1])))
        elif op is _sre_constants.BRANCH:
            branches = [_needed(list(branch)) for branch in arg[1]]
            if all(branches):
                consider(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT) and arg[0] >= 1:
            consider(_needed(list(arg[2])))
    if run:
        consider(frozenset(["".join(run)]))
    return best


def _quality(keys: frozenset[str]) -> tuple[int, int]:
    """Longer, fewer keys filter better: rank by the shortest key, then by how few there are."""
    return (min(len(k.strip()) for k in keys), -len(keys))


class Cue:
    """A cue pattern that, for a given text, leaves out the top-level alternatives whose literal
    keys the text lacks (they cannot match anywhere in it), so the regular expression that runs
    is smaller. The matches are exactly those of the whole pattern: an alternative that cannot
    match changes no match, and the order of the others is kept. Patterns with named groups or
    back-references, or of another shape than `PREFIX(A|B|...)SUFFIX`, always run whole.
    """

    __slots__ = ("_branches", "_cache", "_head", "_tail", "keys", "pattern")

    def __init__(self, source: str) -> None:
        self.pattern = re.compile(source)
        self.keys = literal_keys(source)
        self._cache: dict[tuple[int, ...], re.Pattern[str]] = {}
        self._branches: list[tuple[str, tuple[str, ...]]] | None = None
        self._head = self._tail = ""
        split = None if "(?P" in source or re.search(r"\\\d", source) else _alternation(source)
        if split is not None:
            self._head, branches, self._tail = split
            self._branches = [(branch, literal_keys(branch)) for branch in branches]

    def for_text(self, low: str) -> re.Pattern[str] | None:
        """The pattern to run on the lower-case text, or None when it cannot match there."""
        if not may_match(self.keys, low):
            return None
        if self._branches is None:
            return self.pattern
        present = keys_in(low)
        if present is None:
            return self.pattern
        chosen = tuple(
            i
            for i, (_, keys) in enumerate(self._branches)
            if not keys or not present.isdisjoint(keys)
        )
        if len(chosen) == len(self._branches):
            return self.pattern
        if not chosen:
            return None
        pattern = self._cache.get(chosen)
        if pattern is None:
            if len(self._cache) >= 512:
                self._cache.clear()
            body = "|".join(self._branches[i][0] for i in chosen)
            pattern = self._cache[chosen] = re.compile(self._head + body + self._tail)
        return pattern


def _alternation(source: str) -> tuple[str, list[str], str] | None:
    """(head up to and with the opening bracket, alternatives, tail from the closing bracket) of
    a pattern `PREFIX(A|B|...)SUFFIX` whose prefix and suffix have no alternatives of their own;
    None for any other shape."""
    start = source.find("(")
    if start < 0 or "|" in source[:start] or "[" in source[:start]:
        return None
    opener_end = start + 1
    if source.startswith("(?:", start):
        opener_end = start + 3
    elif source.startswith("(?", start):
        return None  # a look-around or a flag group first
    cut, branches = opener_end, []
    for i, ch, depth in _top_level(source):
        if i <= start:
            continue
        if ch == "|" and depth == 1:
            branches.append(source[cut:i])
            cut = i + 1
        elif ch == ")" and depth == 0:
            branches.append(source[cut:i])
            tail = source[i:]
            if tail[1:2] in {"?", "*", "+", "{"} or any(
                ch == "|" and depth == 0 for _, ch, depth in _top_level(tail[1:])
            ):
                return None  # an optional group, or alternatives outside it: run whole
            return (source[:opener_end], branches, tail) if len(branches) > 1 else None
    return None


def _top_level(source: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, bracket depth) of each character of a pattern, escapes and character
    classes passed over; a bracket has the depth outside it."""
    depth, i = 0, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            j = i + 1
            if j < len(source) and source[j] == "^":
                j += 1
            if j < len(source) and source[j] == "]":
                j += 1
            while j < len(source) and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            continue
        if ch == ")":
            depth -= 1
        yield i, ch, depth
        if ch == "(":
            depth += 1
        i += 1


def may_match(keys: tuple[str, ...], low: str) -> bool:
    """False when the lower-case text contains none of `keys` (see literal_keys)."""
    if not keys:
        return True
    if id(keys) not in _HANDED_OUT and not _KEYS.issuperset(keys):
        _register(keys)  # keys that did not come from literal_keys
    present = keys_in(low)
    if present is None:
        return any(map(low.__contains__, keys))  # the loop runs in C
    return not present.isdisjoint(keys)


# Every key literal_keys has handed out, in one Aho-Corasick automaton: a single pass over a text
# finds the keys of all the cue patterns of all the extractors (testing each pattern's keys with
# `in` was a tenth of the analyser's time). Without the pyahocorasick package, `in` it is.
_KEYS: set[str] = set()
# The key tuples literal_keys handed out, by id (each kept alive here, so an id is never reused):
# their keys are registered, which spares the per-call subset test.
_HANDED_OUT: dict[int, tuple[str, ...]] = {}
_automaton: Any = None


def _register(keys: Iterable[str]) -> None:
    global _automaton
    new = set(keys) - _KEYS
    if new:
        _KEYS.update(new)
        _automaton = None
        keys_in.cache_clear()


@lru_cache(maxsize=8)
def keys_in(low: str) -> frozenset[str] | None:
    """The registered keys (see literal_keys) that the lower-case text contains; None when the
    automaton is not available."""
    global _automaton
    if _automaton is None:
        if _ahocorasick is None:
            return None
        automaton = _ahocorasick.Automaton()
        for key in _KEYS:
            automaton.add_word(key, key)
        automaton.make_automaton()
        _automaton = automaton
    return frozenset(key for _, key in _automaton.iter(low)) if _KEYS else frozenset()
