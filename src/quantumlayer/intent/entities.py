"""Entity extraction: the nouns an idea manages, with fields and relations inferred from words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quantumlayer.domain import Entity, EntityField, Relation
from quantumlayer.domain.names import singularize, to_class_name, words

# Words that name the software or its parts, not the things it manages.
GENERIC = frozenset(
    [
        "system",
        "systems",
        "app",
        "apps",
        "application",
        "applications",
        "api",
        "apis",
        "service",
        "services",
        "platform",
        "platforms",
        "data",
        "database",
        "databases",
        "interface",
        "interfaces",
        "thing",
        "things",
        "tool",
        "tools",
        "website",
        "websites",
        "site",
        "sites",
        "backend",
        "frontend",
        "ui",
        "ux",
        "web",
        "rest",
        "restful",
        "json",
        "endpoint",
        "endpoints",
        "crud",
        "feature",
        "features",
        "way",
        "ways",
        "support",
        "management",
        "manager",
        "lot",
        "lots",
        "kind",
        "kinds",
        "type",
        "types",
        "project",
        "projects",
        "idea",
        "ideas",
        "solution",
        "solutions",
        "software",
        "program",
        "programs",
        "product_catalogue",
        "functionality",
        "information",
        "info",
        "stuff",
        "list",
        "lists",
        "part",
        "parts",
        "time",
        "number",
        "numbers",
        "option",
        "options",
        "ability",
        "everything",
        "anything",
        "something",
        "cloud",
        "aws",
        "gcp",
        "azure",
        "kubernetes",
        "docker",
        "jwt",
        "auth",
        "authentication",
        "login",
        "admin",
        "admins",
        "people",
        "team",
        "teams",
        "company",
        "companies",
        "business",
        "businesses",
        "customers_support",
        "uptime",
        "traffic",
        "performance",
        "scale",
        "security",
        "latency",
        "server",
        "servers",
        "client",
        "clients",
        "mobile",
        "desktop",
        "version",
        "versions",
        "access",
        "python",
        "javascript",
        "typescript",
        "go",
        "java",
        "node",
        "react",
        "vue",
        "angular",
        "postgres",
        "postgresql",
        "mysql",
        "redis",
        "sqlite",
        "mongodb",
        "graphql",
        "grpc",
        "http",
        "https",
        "stripe",
        "paypal",
        "email",
        "emails",
        "sms",
    ]
)
_DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "their",
        "its",
        "our",
        "your",
        "my",
        "his",
        "her",
        "some",
        "any",
        "all",
        "each",
        "every",
        "multiple",
        "many",
        "several",
        "various",
        "own",
        "new",
        "existing",
    ]
)
_STOP_TAIL = frozenset(
    [
        "with",
        "for",
        "and",
        "or",
        "to",
        "in",
        "on",
        "of",
        "by",
        "via",
        "using",
        "that",
        "which",
        "who",
        "where",
        "when",
        "so",
        "as",
    ]
)

_F = EntityField
# Fields a competent analyst would propose for common domain nouns.
KNOWN_FIELDS: dict[str, list[EntityField]] = {
    "book": [
        _F(name="title"),
        _F(name="isbn", unique=True),
        _F(name="published_on", type="date", required=False),
    ],
    "author": [_F(name="name"), _F(name="bio", type="text", required=False)],
    "member": [_F(name="name"), _F(name="email", type="email", unique=True)],
    "loan": [
        _F(name="loaned_on", type="date"),
        _F(name="due_date", type="date"),
        _F(name="returned", type="boolean", required=False),
    ],
    "user": [_F(name="username", unique=True), _F(name="email", type="email", unique=True)],
    "customer": [
        _F(name="name"),
        _F(name="email", type="email", unique=True),
        _F(name="phone", required=False),
    ],
    "product": [
        _F(name="name"),
        _F(name="sku", unique=True),
        _F(name="price", type="decimal"),
        _F(name="description", type="text", required=False),
    ],
    "order": [
        _F(name="ordered_at", type="datetime"),
        _F(name="status", type="enum", values=["pending", "paid", "shipped", "cancelled"]),
        _F(name="total", type="decimal"),
    ],
    "category": [_F(name="name", unique=True)],
    "review": [_F(name="rating", type="integer"), _F(name="comment", type="text", required=False)],
    "task": [
        _F(name="title"),
        _F(name="description", type="text", required=False),
        _F(name="due_date", type="date", required=False),
        _F(name="status", type="enum", values=["todo", "in_progress", "done"]),
    ],
    "project": [_F(name="name"), _F(name="description", type="text", required=False)],
    "event": [
        _F(name="title"),
        _F(name="starts_at", type="datetime"),
        _F(name="location", required=False),
    ],
    "invoice": [
        _F(name="number", unique=True),
        _F(name="amount", type="decimal"),
        _F(name="due_date", type="date"),
        _F(name="paid", type="boolean", required=False),
    ],
    "payment": [_F(name="amount", type="decimal"), _F(name="paid_at", type="datetime")],
    "post": [
        _F(name="title"),
        _F(name="body", type="text"),
        _F(name="published", type="boolean", required=False),
    ],
    "comment": [_F(name="body", type="text")],
    "employee": [
        _F(name="name"),
        _F(name="email", type="email", unique=True),
        _F(name="hired_on", type="date", required=False),
    ],
    "patient": [_F(name="name"), _F(name="birth_date", type="date")],
    "doctor": [_F(name="name"), _F(name="specialty")],
    "appointment": [
        _F(name="starts_at", type="datetime"),
        _F(name="notes", type="text", required=False),
    ],
    "ticket": [
        _F(name="title"),
        _F(name="description", type="text"),
        _F(name="status", type="enum", values=["open", "in_progress", "closed"]),
    ],
    "student": [_F(name="name"), _F(name="email", type="email", unique=True)],
    "course": [_F(name="title"), _F(name="code", unique=True)],
    "room": [_F(name="name"), _F(name="capacity", type="integer")],
    "booking": [_F(name="starts_at", type="datetime"), _F(name="ends_at", type="datetime")],
    "reservation": [_F(name="starts_at", type="datetime"), _F(name="party_size", type="integer")],
    "note": [_F(name="title"), _F(name="body", type="text")],
    "recipe": [
        _F(name="title"),
        _F(name="instructions", type="text"),
        _F(name="servings", type="integer", required=False),
    ],
    "ingredient": [_F(name="name"), _F(name="quantity", required=False)],
    "vehicle": [_F(name="plate", unique=True), _F(name="model")],
    "driver": [_F(name="name"), _F(name="license_number", unique=True)],
    "shipment": [
        _F(name="tracking_number", unique=True),
        _F(name="status", type="enum", values=["created", "in_transit", "delivered"]),
    ],
    "warehouse": [_F(name="name"), _F(name="address")],
    "account": [_F(name="name"), _F(name="balance", type="decimal")],
    "transaction": [
        _F(name="amount", type="decimal"),
        _F(name="occurred_at", type="datetime"),
        _F(name="description", required=False),
    ],
}

# child -> parents it usually belongs to (many_to_one), applied only when both are in the Spec.
KNOWN_RELATIONS: dict[str, list[str]] = {
    "loan": ["member", "book", "user"],
    "book": ["author"],
    "order": ["customer", "user"],
    "review": ["product", "book", "user", "customer"],
    "comment": ["post", "task", "ticket", "user"],
    "appointment": ["patient", "doctor"],
    "booking": ["room", "customer", "member", "user"],
    "reservation": ["customer", "table", "room"],
    "task": ["project"],
    "invoice": ["customer", "order"],
    "payment": ["invoice", "order"],
    "product": ["category"],
    "ingredient": ["recipe"],
    "shipment": ["order", "warehouse", "vehicle"],
    "transaction": ["account"],
    "post": ["author", "user"],
    "ticket": ["customer", "user", "project"],
    "employee": ["department"],
    "course": ["teacher"],
}

# Words in a field name -> type.
_FIELD_TYPE_RULES: list[tuple[str, str]] = [
    (r"(^|_)email($|_)", "email"),
    (r"(^|_)(url|website|link)($|_)", "url"),
    (r"(^|_)(price|amount|cost|total|balance|salary|fee)($|_)", "decimal"),
    (r"(date|birthday|_on)$", "date"),
    (r"(_at|time|timestamp)$", "datetime"),
    (r"(^|_)(count|quantity|qty|age|year|capacity|rating|stock|number_of)($|_)", "integer"),
    (r"(^|_)(photo|image|picture|avatar|file|attachment|document)s?($|_)", "file"),
    (r"^(is|has)_|(^|_)(active|enabled|returned|paid|published|done|completed)$", "boolean"),
    (r"(^|_)(status|state)($|_)", "enum"),
    (r"(^|_)(description|body|notes?|bio|content|comment)($|_)", "text"),
]


def field_type_for(name: str) -> str:
    """The most plausible field type for a field name (default: string)."""
    for pattern, ftype in _FIELD_TYPE_RULES:
        if re.search(pattern, name):
            return ftype
    return "string"


@dataclass
class EntityMention:
    name: str  # singular, lower-case, words joined by "_"
    source: str
    fields: list[str] = field(default_factory=list)


_LIST_INTRO = re.compile(
    r"(?:\bfor (?:managing |tracking |handling )?|\bwith\b|\bmanag(?:e|es|ing)\b|\btrack(?:s|ing)?\b|"
    r"\bhandl(?:e|es|ing)\b|\bincluding\b|\bstor(?:e|es|ing)\b|\bcovering\b|\bof\b|:)\s*"
    r"(?P<list>[^.;:!?\n]+)",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,|\band\b|&|/|\bplus\b|\bor\b)\s*", re.I)
_PAREN = re.compile(r"(?P<noun>[A-Za-z][\w -]*?)\s*\((?P<fields>[^)]*)\)")


def _noun_phrase(item: str) -> str | None:
    """The head noun (plus at most one modifier) of a list item, singular; None if not a noun."""
    toks = [w for w in words(item) if w not in _DETERMINERS]
    # Cut at the first preposition/conjunction: "loans with due dates" -> "loans".
    for i, tok in enumerate(toks):
        if tok in _STOP_TAIL:
            toks = toks[:i]
            break
    if not toks or len(toks) > 3:
        return None
    if any(t.isdigit() for t in toks):
        return None
    head = singularize(toks[-1])
    if head in GENERIC or len(head) < 3:
        return None
    modifiers = [t for t in toks[:-1] if t not in GENERIC][-1:]
    return "_".join([*modifiers, head])


def find_mentions(text: str) -> list[EntityMention]:
    """Entity mentions in noun lists ("books, authors and loans") and "X (field, field)" forms."""
    mentions: dict[str, EntityMention] = {}

    for match in _PAREN.finditer(text):
        name = _noun_phrase(match.group("noun").split(",")[-1].split(" and ")[-1])
        if name:
            fields = [
                f for f in (_noun_phrase_field(x) for x in _SPLIT.split(match.group("fields"))) if f
            ]
            mention = mentions.setdefault(name, EntityMention(name=name, source=match.group(0)))
            mention.fields.extend(f for f in fields if f not in mention.fields)

    cleaned = _PAREN.sub(lambda m: m.group("noun"), text)
    for match in _LIST_INTRO.finditer(cleaned):
        items = [x for x in _SPLIT.split(match.group("list")) if x.strip()]
        plural_items = [x for x in items if _looks_plural(x)]
        # A real list names several things, mostly in the plural; one plural noun also counts.
        if not plural_items:
            continue
        for item in items:
            name = _noun_phrase(item)
            if name and (_looks_plural(item) or len(plural_items) >= 2):
                mentions.setdefault(name, EntityMention(name=name, source=item.strip()))
    return list(mentions.values())


def _noun_phrase_field(item: str) -> str | None:
    toks = [w for w in words(item) if w not in _DETERMINERS]
    if not toks or len(toks) > 4:
        return None
    return "_".join(toks)


def _looks_plural(item: str) -> bool:
    toks = [w for w in words(item) if w not in _DETERMINERS]
    for i, tok in enumerate(toks):
        if tok in _STOP_TAIL:
            toks = toks[:i]
            break
    return bool(toks) and singularize(toks[-1]) != toks[-1]


def build_entities(mentions: list[EntityMention]) -> list[Entity]:
    """Entities with fields (explicit ones first, then the usual ones) and relations among them."""
    names = [m.name for m in mentions]
    entities: list[Entity] = []
    for mention in mentions:
        base = mention.name.rsplit("_", 1)[-1]
        fields: list[EntityField] = []
        for fname in mention.fields:
            ftype = field_type_for(fname)
            fields.append(EntityField(name=fname, type=ftype))  # type: ignore[arg-type]
        known = KNOWN_FIELDS.get(mention.name) or KNOWN_FIELDS.get(base) or []
        have = {f.name for f in fields}
        fields.extend(f.model_copy() for f in known if f.name not in have)
        if not fields:
            fields = [
                EntityField(name="name"),
                EntityField(name="description", type="text", required=False),
            ]
        relations = [
            Relation(kind="many_to_one", target=to_class_name(parent))
            for parent in KNOWN_RELATIONS.get(base, [])
            if parent in names and parent != mention.name
        ]
        entities.append(
            Entity(name=to_class_name(mention.name), fields=fields, relations=relations)
        )
    return entities
