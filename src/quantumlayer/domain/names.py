"""Turning untrusted words into safe names: identifiers, class names, slugs, plural forms.

Everything that reaches generated code as a name goes through here; the result is always
`[a-z][a-z0-9_]*` (or its CamelCase form), never a Python keyword or a reserved name.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")
# Names that would shadow something the generated code relies on.
RESERVED = (
    frozenset(
        {
            "app",
            "base",
            "config",
            "db",
            "main",
            "models",
            "schemas",
            "routers",
            "session",
            "test",
            "tests",
            "id",
            "self",
            "cls",
            "type",
            "list",
            "dict",
            "str",
            "int",
            "float",
            "bool",
            "object",
            "none",
            "true",
            "false",
            "metadata",
            "query",
            "register",
            "sqlalchemy",
            "fastapi",
            "pydantic",
            "pytest",
            "os",
            "sys",
            "import",
            "builtins",
            "health",
            "openapi",
            "docs",
        }
    )
    | frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
)

_IRREGULAR_PLURALS = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "goose": "geese",
    "foot": "feet",
    "tooth": "teeth",
    "datum": "data",
    "criterion": "criteria",
    "analysis": "analyses",
    "index": "indices",
    "quiz": "quizzes",
    "ox": "oxen",
    # -f/-fe nouns whose plural is -ves ("tomato leaves" are leaves of the leaf kind)
    "leaf": "leaves",
    "shelf": "shelves",
    "half": "halves",
    "calf": "calves",
    "wolf": "wolves",
    "loaf": "loaves",
    "knife": "knives",
    "life": "lives",
    "wife": "wives",
    "thief": "thieves",
    "hoof": "hooves",
    "scarf": "scarves",
    "elf": "elves",
}
_IRREGULAR_SINGULARS = {v: k for k, v in _IRREGULAR_PLURALS.items()}
# Nouns whose singular ends in "-ie" (the "-ies" rule below would give "selfy").
_IE_SINGULARS = frozenset(
    [
        "selfie", "calorie", "smoothie", "hoodie", "brownie", "cookie", "movie", "rookie",
        "goalie", "pixie", "prairie", "genie", "foodie", "newbie", "techie", "birdie", "budgie",
        "auntie", "eyrie", "zombie", "roadie", "veggie", "sortie", "lassie",
    ]
)
_UNCOUNTABLE = frozenset(
    {
        "news",
        "series",
        "species",
        "equipment",
        "information",
        "feedback",
        "inventory",
        "staff",
        "software",
        "hardware",
        "data",
        "metadata",
        "media",
        "sheep",
        "fish",
        "status",
        "address",
        "class",
        "bus",
        "analysis",
        "access",
        "business",
        "process",
        "campus",
        "census",
        "virus",
        "canvas",
        "bonus",
        "alias",
        "atlas",
        "gas",
        "lens",
        "radius",
        "corpus",
        "focus",
        "apparatus",
        "saas",
        "paas",
        "iaas",
        "faas",
        "gtfs",
        "mars",
    }
)


def words(text: str) -> list[str]:
    """Lower-case ASCII words of `text`; accents are folded, everything else separates words."""
    return list(_words(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    # Split camelCase before lower-casing so that "LoanItem" gives ["loan", "item"].
    folded = _CAMEL_BOUNDARY.sub(" ", folded)
    return tuple(_WORD.findall(folded.lower()))


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=65536)
def to_identifier(text: str, *, fallback: str = "item") -> str:
    """A safe snake_case identifier for `text` (never a keyword or reserved name)."""
    parts = words(text)
    name = "_".join(parts)[:48].strip("_")
    if not name:
        name = "_".join(words(fallback)) or "item"
    if name[0].isdigit():
        name = f"n_{name}"
    if name in RESERVED:
        name = f"{name}_item"
    return name


@lru_cache(maxsize=65536)
def to_class_name(text: str, *, fallback: str = "Item") -> str:
    """A safe CamelCase class name for `text`."""
    ident = to_identifier(text, fallback=fallback.lower())
    return "".join(part[:1].upper() + part[1:] for part in ident.split("_") if part)


def slugify(text: str, *, fallback: str = "project", max_len: int = 40) -> str:
    """A lower-case, dash-separated slug, at most `max_len` characters, safe as a folder name."""
    slug = "-".join(words(text))[:max_len].strip("-")
    return slug or fallback


def pluralize(word: str) -> str:
    """English plural of a lower-case word (good enough for resource paths)."""
    if not word or word in _UNCOUNTABLE:
        return word
    head, _, last = word.rpartition("_")
    prefix = f"{head}_" if head else ""
    if last in _IRREGULAR_PLURALS:
        return prefix + _IRREGULAR_PLURALS[last]
    if last in _UNCOUNTABLE:
        return word
    if re.search(r"(s|x|z|ch|sh)$", last):
        return f"{word}es"
    if re.search(r"[^aeiou]y$", last):
        return f"{word[:-1]}ies"
    return f"{word}s"


def singularize(word: str) -> str:
    """English singular of a lower-case word."""
    if not word or word in _UNCOUNTABLE:
        return word
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    if word.endswith("ies") and word[:-1] in _IE_SINGULARS:
        return word[:-1]
    if word.endswith(("ous", "sis")):
        return word  # "anonymous", "famous", "analysis", "thesis": no plural -s
    rules = (
        (r"(.*[^aeiou])ies$", r"\1y"),
        (r"(.*)(ss|x|z|ch|sh)es$", r"\1\2"),
        (r"(.*)(ses)$", r"\1se"),
        (r"(.*[^s])s$", r"\1"),
    )
    for pattern, repl in rules:
        if re.fullmatch(pattern, word):
            return re.sub(pattern, repl, word)
    return word
