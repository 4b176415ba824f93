"""Entity extraction: the things an idea manages, with fields and relations inferred from words.

How it reads a text (offline, deterministic, no model):

1. tokens, each marked as a function word, a verb (by the lexicon and its position: "agents
   *post* properties", "*browse* menus, *order* ahead"), or a content word;
2. noun phrases: runs of content words; the head is the last word ("loyalty points" -> point,
   named "loyalty point"); a collection word hands the head back to the thing it holds
   ("product catalogue" -> product); a property word makes a field ("claim status");
3. evidence per candidate: plural, listed with others, subject or object of a verb, named with
   fields in brackets, repeated, a familiar domain noun; words that name the software, its
   qualities or units never count. Candidates with enough evidence become entities (the strongest
   first, at most MAX_ENTITIES);
4. fields from brackets, "with" phrases, possessives and the usual fields of familiar nouns, their
   types from their names (due date -> date, price -> decimal, photos -> file, status -> enum
   with the values the text gives); relations from verbs ("members borrow books" -> a Loan links
   Member and Book), "X with Ys", possessives and familiar pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from quantumlayer.domain import Entity, EntityField, Relation
from quantumlayer.domain.names import RESERVED, to_class_name, to_identifier
from quantumlayer.domain.names import words as _words_uncached
from quantumlayer.intent import lexicon as lx


@lru_cache(maxsize=65536)
def _words_cached(text: str) -> tuple[str, ...]:
    return tuple(_words_uncached(text))


def words(text: str) -> list[str]:
    return list(_words_cached(text))


MAX_ENTITIES = 15
MIN_SCORE = 1.0

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
    "tag": [_F(name="name", unique=True)],
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
    "reply": [_F(name="body", type="text")],
    "employee": [
        _F(name="name"),
        _F(name="email", type="email", unique=True),
        _F(name="hired_on", type="date", required=False),
    ],
    "department": [_F(name="name", unique=True)],
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
    "issue": [
        _F(name="title"),
        _F(name="description", type="text", required=False),
        _F(name="status", type="enum", values=["open", "in_progress", "closed"]),
    ],
    "student": [_F(name="name"), _F(name="email", type="email", unique=True)],
    "teacher": [_F(name="name"), _F(name="email", type="email", unique=True)],
    "course": [_F(name="title"), _F(name="code", unique=True)],
    "lesson": [_F(name="title"), _F(name="content", type="text", required=False)],
    "room": [_F(name="name"), _F(name="capacity", type="integer")],
    "booking": [_F(name="starts_at", type="datetime"), _F(name="ends_at", type="datetime")],
    "reservation": [_F(name="starts_at", type="datetime"), _F(name="party_size", type="integer")],
    "enrolment": [_F(name="enrolled_on", type="date")],
    "rental": [_F(name="starts_on", type="date"), _F(name="ends_on", type="date")],
    "note": [_F(name="title"), _F(name="body", type="text")],
    "recipe": [
        _F(name="title"),
        _F(name="instructions", type="text"),
        _F(name="servings", type="integer", required=False),
    ],
    "ingredient": [_F(name="name"), _F(name="quantity", required=False)],
    "vehicle": [_F(name="plate", unique=True), _F(name="model")],
    "car": [_F(name="plate", unique=True), _F(name="model")],
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
    "photo": [_F(name="image", type="file"), _F(name="caption", required=False)],
    "image": [_F(name="image", type="file"), _F(name="caption", required=False)],
    "document": [_F(name="file", type="file"), _F(name="title")],
    "file": [_F(name="file", type="file"), _F(name="filename")],
    "property": [
        _F(name="title"),
        _F(name="address"),
        _F(name="price", type="decimal"),
    ],
    "listing": [_F(name="title"), _F(name="price", type="decimal")],
    "venue": [_F(name="name"), _F(name="address")],
    "budget": [_F(name="name"), _F(name="amount", type="decimal"), _F(name="month", type="date")],
    "subscription": [
        _F(name="plan"),
        _F(name="status", type="enum", values=["active", "past_due", "cancelled"]),
    ],
    "message": [_F(name="body", type="text"), _F(name="sent_at", type="datetime")],
    "quiz": [_F(name="title")],
    "question": [_F(name="text", type="text")],
    "grade": [_F(name="score", type="decimal")],
    "ride": [
        _F(name="requested_at", type="datetime"),
        _F(name="status", type="enum", values=["requested", "accepted", "completed", "cancelled"]),
    ],
    "fare": [_F(name="amount", type="decimal")],
    "location": [_F(name="latitude", type="float"), _F(name="longitude", type="float")],
    "address": [_F(name="street"), _F(name="city"), _F(name="postcode")],
    "reading": [_F(name="value", type="float"), _F(name="recorded_at", type="datetime")],
    "device": [_F(name="name"), _F(name="serial_number", unique=True)],
    "prediction": [
        _F(name="label"),
        _F(name="score", type="float"),
        _F(name="created_at", type="datetime"),
    ],
}

# Nouns that are usually things a system keeps records of (a little evidence on their own).
DOMAIN_NOUNS = frozenset(KNOWN_FIELDS) | lx._words(
    """budget claim policy menu restaurant cart ticket venue ingredient workspace board card
    column lesson quiz grade score match move level coin item stock shop store branch trip route
    flight hotel room guest contract lead deal opportunity campaign supplier purchase refund
    charge receipt shift schedule timetable session class course module chapter character
    novel asset incident alert sensor device reading metric threshold job report record leave
    request approval expense report vote poll survey response plan pet visit owner dose
    medication prescription diagnosis result sample measurement annotation label habit streak
    puzzle player enemy weapon potion map level wave snake piece tile deck paddle brick tower
    monster dungeon quest asteroid leaderboard scoreboard quota cardholder bill invoice"""
)

# Verbs whose action is itself a record linking the subject and the object.
LINK_VERBS = {
    "borrow": "loan",
    "lend": "loan",
    "book": "booking",
    "reserve": "reservation",
    "rent": "rental",
    "enrol": "enrolment",
    "enroll": "enrolment",
    "attend": "attendance",
    "subscribe": "subscription",
    "apply": "application",
    "bid": "bid",
    "vote": "vote",
    "purchase": "purchase",
    "order": "order",
    "review": "review",
    "rate": "rating",
}
# child -> parents it usually belongs to (many_to_one), applied only when both are in the Spec.
KNOWN_RELATIONS: dict[str, list[str]] = {
    "loan": ["member", "book", "user"],
    "book": ["author"],
    "order": ["customer", "user", "member", "buyer"],
    "review": ["product", "book", "user", "customer", "venue", "event"],
    "comment": ["post", "task", "ticket", "issue", "recipe", "user"],
    "reply": ["thread", "post", "comment"],
    "appointment": ["patient", "doctor", "dentist"],
    "booking": ["room", "customer", "member", "user", "session", "event"],
    "reservation": ["customer", "table", "room", "member", "car"],
    "task": ["project"],
    "issue": ["project"],
    "project": ["workspace"],
    "invoice": ["customer", "order"],
    "payment": ["invoice", "order"],
    "product": ["category"],
    "ingredient": ["recipe"],
    "shipment": ["order", "warehouse", "vehicle"],
    "transaction": ["account", "category"],
    "post": ["author", "user"],
    "ticket": ["customer", "user", "project", "event"],
    "employee": ["department"],
    "course": ["teacher"],
    "lesson": ["course"],
    "quiz": ["course", "lesson"],
    "grade": ["student", "quiz", "course"],
    "event": ["venue"],
    "ride": ["rider", "driver"],
    "fare": ["ride"],
    "reading": ["device", "station", "sensor"],
    "alert": ["device", "threshold"],
    "episode": ["show"],
    "visit": ["pet", "vet", "patient"],
    "pet": ["owner"],
    "card": ["column", "board"],
    "column": ["board"],
    "photo": ["property", "item", "listing", "recipe"],
    "address": ["customer"],
    "lab_result": ["patient"],
    "leave_request": ["employee"],
    "budget": ["category"],
    "thread": ["forum"],
    "vote": ["thread", "reply", "post"],
}
# Kinds of thing that many others share ("posts with tags"): many-to-many, not a parent.
_SHARED = frozenset({"tag", "category", "label", "genre", "skill", "topic", "keyword"})

# Field name -> type.
_FIELD_TYPE_RULES: list[tuple[str, str]] = [
    (r"(^|_)e_?mail($|_)", "email"),
    (r"(^|_)(url|website|link|homepage)($|_)", "url"),
    (
        r"(^|_)(price|amount|cost|total|balance|salary|fee|fare|budget|revenue|tax|discount)s?($|_)",
        "decimal",
    ),
    (
        r"(^|_)(lat|lng|latitude|longitude|weight|temperature|distance|pace|confidence)($|_)",
        "float",
    ),
    (r"(date|birthday|dob|deadline|_on|day)s?$", "date"),
    (r"(_at|time|timestamp)s?$", "datetime"),
    (
        r"(^|_)(count|quantity|qty|age|year|capacity|stock|number_of|size|servings|duration|minutes|hours|points|rating|stars|seats)($|_)",
        "integer",
    ),
    (
        r"(^|_)(photo|image|picture|avatar|file|attachment|document|audio|video|pdf|signature|scan|logo|thumbnail)s?($|_)",
        "file",
    ),
    (
        r"^(is|has|can)_|(^|_)(active|enabled|returned|paid|published|done|completed|verified|archived|approved)$",
        "boolean",
    ),
    (r"(^|_)(status|state|priority|stage|role|level|tier|severity)(es|s)?($|_)", "enum"),
    (
        r"(^|_)(description|body|notes?|bio|content|comment|instructions|summary|transcript|text)($|_)",
        "text",
    ),
    (r"(^|_)(uuid|guid)($|_)", "uuid"),
]
_UNIQUE_FIELDS = re.compile(
    r"(^|_)(email|username|sku|isbn|iban|serial_number|code|slug|plate|tracking_number|license_number)$"
)


def field_type_for(name: str) -> str:
    """The most plausible field type for a field name (default: string)."""
    for pattern, ftype in _FIELD_TYPE_RULES:
        if re.search(pattern, name):
            return ftype
    return "string"


# -- tokens ---------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\b[Ww]/[Oo]?(?![\w/])|[A-Za-z]\.\d+(?:\.\d+)*|[^\W\d_](?:\w|[-'’](?=\w))*|\d+(?:[.,]\d+)*%?|[^\w\s]"
)
# Shorthand written into notes: "recipes w/ versioning", "runs w/o internet", "guests shd be
# able to", "ppl can message us", "u can unlock hats".
_SHORTHAND = {
    "w/": "with",
    "w/o": "without",
    "u": "you",
    "ur": "your",
    "ppl": "people",
    "shd": "should",
    "shld": "should",
    "shud": "should",
    "thru": "through",
    "msg": "message",
    "msgs": "messages",
    "pls": "please",
    "plz": "please",
    "thier": "their",
    "bc": "because",
    "cuz": "because",
    "seperate": "separate",
    "definately": "definitely",
    "recieve": "receive",
    "notif": "notification",
    "notifs": "notifications",
    "prob": "probably",
    "reqs": "requirements",
    "cant": "can't",
    "dont": "don't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "arent": "aren't",
    "shouldnt": "shouldn't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "didnt": "didn't",
    "fav": "favourite",
    "favs": "favourites",
    "mgr": "manager",
    "mgrs": "managers",
    "appt": "appointment",
    "appts": "appointments",
    "meds": "medications",
    "govt": "government",
    "b4": "before",
    "obv": "obviously",
    "poss": "possibly",
    "yr": "year",
    "yrs": "years",
    # common misspellings
    "colect": "collect",
    "colects": "collects",
    "aprove": "approve",
    "aproves": "approves",
    "adress": "address",
    "adresses": "addresses",
    "calender": "calendar",
    "maintainance": "maintenance",
    "managment": "management",
    "reciept": "receipt",
    "reciepts": "receipts",
    "shedule": "schedule",
    "sheduled": "scheduled",
    "untill": "until",
    "wich": "which",
    "wether": "whether",
    "becuase": "because",
    "neccessary": "necessary",
    "accomodation": "accommodation",
    "tommorow": "tomorrow",
    "convo": "conversation",
    "convos": "conversations",
    "txn": "transaction",
    "txns": "transactions",
    "pref": "preference",
    "prefs": "preferences",
    "calc": "calculate",
    "calcs": "calculations",
    "statment": "statement",
    "statments": "statements",
    "prescripton": "prescription",
    "prescriptons": "prescriptions",
}
# A letter and numbers joined by dots ("E.164", "H.264") name a standard, like a number does.
_CODE = re.compile(r"[A-Za-z]\.\d")
_BREAK_PUNCT = frozenset('.!?;:()[]{}"“”<>|=*#`')
_CLAUSE_WORDS = frozenset(
    [
        "to",
        "can",
        "could",
        "will",
        "would",
        "must",
        "should",
        "may",
        "might",
        "shall",
        "who",
        "that",
        "which",
        "where",
        "then",
        "also",
        "lets",
        "let",
        "help",
        "helps",
        "and",
        "or",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "without",
        "within",
        "from",
        "to",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "via",
        "per",
        "through",
        "across",
        "after",
        "before",
        "during",
        "against",
        "between",
        "among",
        "around",
    ]
)
_PRONOUNS = frozenset(["it", "they", "we", "he", "she", "you", "i"])
# Verbs with two objects, a person or thing given to and the thing given ("give it a track").
_GIVING_VERBS = frozenset(["give", "hand", "show", "offer", "pass", "feed"])
_SOMEONE = frozenset(["someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody", "whoever"])
# Words after which a verb has its object or clause: pronouns, subordinators.
_OPENERS = frozenset(
    [
        "them",
        "it",
        "us",
        "him",
        "her",
        "me",
        "you",
        "when",
        "if",
        "after",
        "before",
        "until",
        "while",
        "whenever",
    ]
)
_DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "their",
        "its",
        "our",
        "your",
        "my",
        "his",
        "her",
        "each",
        "every",
        "any",
        "all",
        "some",
        "no",
        "both",
        "either",
        "several",
        "many",
        "few",
        "multiple",
    ]
)


@dataclass
class Token:
    text: str
    low: str
    start: int
    end: int
    kind: str  # "w" word, "n" number, "p" punctuation
    possessive: bool = False
    verb: bool = False
    function: bool = False
    proper: bool = False  # a product or place name ("SendGrid", "Google Cloud Storage")
    line_start: bool = False
    in_brackets: bool = False
    modifier: bool = False  # a verb used as a noun modifier ("every grow room")


_CONTRACTION = re.compile(
    r"^(i|you|we|they|he|she|it|there|that|who|what|here|let)'(ll|re|d|ve|m|s)$|^\w+n't$"
)


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        if raw[0].isdigit() or _CODE.match(text, m.start()):
            kind = "n"
        elif raw[0].isalpha() or raw[0] == "_":
            kind = "w"
        else:
            kind = "p"
        low = raw.lower().replace("’", "'")
        if low in _SHORTHAND and not (raw.isalpha() and raw.isupper()):  # "U.S.", "MSG"
            kind, low = "w", _SHORTHAND[low]
        possessive = False
        if kind == "w" and _CONTRACTION.match(low):
            kind = "p"  # "they've", "we're", "don't", "what's": no thing is named there
        elif kind == "w" and (low.endswith("'s") or low.endswith("s'")):
            possessive = True
            low = low[:-2] if low.endswith("'s") else low[:-1]
        if kind == "w" and not words(low):
            kind = "p"  # a script we cannot name things in: a separator for our purposes
        tok = Token(raw, low, m.start(), m.end(), kind, possessive)
        tok.line_start = not out or "\n" in text[out[-1].end : m.start()]
        if kind == "w" and raw[0].isupper() and not raw.isupper() and out:
            prev = out[-1]
            initial = prev.text in ".!?:;" or "\n" in text[prev.end : m.start()]
            acronym = raw.endswith("s") and raw[:-1].isupper()  # "PDFs", "RSVPs"
            inner_cap = any(ch.isupper() for ch in raw[1:])
            letter_prefix = len(raw) > 2 and raw[1] == "-"  # "X-ray", "T-shirt": common nouns
            tok.proper = (
                not initial
                and not acronym
                and not letter_prefix
                # "Shopify", "Spotify": a capitalised word the table does not know is a name,
                # whatever its spelling suggests
                and (inner_cap or not lx.parts_of_speech(low) or not lx.is_known(low))
            )
        out.append(tok)
    depth = 0
    for tok in out:
        if tok.text in "([":
            depth += 1
        elif tok.text in ")]":
            depth = max(depth - 1, 0)
        elif depth:
            tok.in_brackets = True
    return out


# Stands before the first token and after the last one.
_EDGE = Token(text="\x00", low="\x00", start=-1, end=-1, kind="edge")


# Words that open a clause of its own: "whenever a video lands", "every time a pallet moves".
_CLAUSE_OPENERS = frozenset(
    ["when", "whenever", "if", "once", "time", "as", "after", "before", "until", "unless", "where"]
)
_SINGLE_DETERMINERS = frozenset(["a", "an", "the", "each", "every", "any", "one", "this", "that"])
_MODALS = frozenset(
    ["to", "can", "could", "will", "would", "must", "should", "may", "might", "shall", "gotta",
     "gonna", "wanna", "cannot"]
)
_ADVERBS = frozenset(
    ["ever", "never", "not", "also", "only", "always", "still", "just", "then", "automatically",
     "easily", "quickly", "even"]
)


def _next_is_noun(tokens: list[Token], i: int) -> bool:
    """True when the word after token i reads as a noun that continues a compound."""
    if i + 1 >= len(tokens) or tokens[i + 1].kind != "w":
        return False
    pos = lx.parts_of_speech(tokens[i + 1].low)
    return pos == frozenset({"NOUN"})


# Verbs followed by what someone goes on doing: "keep taking payments", "stop sending".
_GERUND_VERBS = frozenset(
    ["keep", "keeps", "kept", "stop", "stops", "start", "starts", "avoid", "avoids", "finish",
     "finishes", "continue", "continues", "resume", "resumes", "quit", "quits"]
)
# Verbs whose object then acts: "help students learn", "let members vote".
_CAUSATIVE = frozenset(
    ["help", "let", "make", "have", "see", "watch", "hear", "get", "bid", "allow", "enable"]
)
_BE_HAVE = frozenset(["are", "is", "were", "was", "have", "has", "had"])
_PRONOUN_CONTRACTION = re.compile(r"(we|they|i|you|he|she)['’](d|ll|ve)$")
_PRODUCT_NOUNS = frozenset(
    ["cli", "tool", "app", "service", "script", "bot", "worker", "job", "library", "package", "api",
     "daemon", "consumer", "pipeline", "module", "sdk", "crate", "plugin", "utility"]
)
# Words that rank or place rather than name: "high scores", "best times", "low and high estimates".
_RANK_WORDS = frozenset(["high", "low", "top", "bottom", "best", "worst"])
_OBJECT_PRONOUNS = frozenset(["them", "it", "him", "her", "us", "me"])
_POSSESSIVE_DETERMINERS = frozenset(["our", "their", "my", "your", "its", "his", "her"])


# Words after which a noun phrase starts, never a verb.
_NOUN_OPENERS = frozenset(["a", "an", "every", "each", "per", "our", "their", "my", "your", "its"])
_PARTICLES = frozenset(["off", "up", "out", "down", "back", "in", "on", "over"])


# Less frequent verbs that still open an action in a list: "..., tag expenses, and export".
_LIST_ACTIONS = frozenset(["request", "tag", "trim", "drop", "highlight", "total", "swap", "snap"])


def _action_in_run(tokens: list[Token], i: int, prev_item_had_verb: bool | None) -> bool:
    """True when token `i` starts the next action of a list of them.

    "read offline, highlight passages and sync notes", "see the rota, tick off which ...",
    "..., and lose points for mistakes", "smart plugs: pair devices, group them by room";
    but "manage members, class timetables and check-ins" lists things.
    """
    if i == 0 or i + 1 >= len(tokens):
        return False
    low, prev, nxt = tokens[i].low, tokens[i - 1], tokens[i + 1]
    if (
        nxt.kind != "w"
        or "VERB" not in lx.parts_of_speech(low)
        or lx.noun_lemma(low) != low
        or low.endswith(("ing", "ed"))
    ):
        return False
    if (
        prev.low in {"and", "or"}
        and i >= 2
        and tokens[i - 2].verb
        and lx.verb_base(tokens[i - 2].low) == tokens[i - 2].low
        and not nxt.function
    ):
        return True  # "start and pause room timers": two verbs sharing their object
    if not (prev.text in {",", ":", "-", "\u2013", "\u2014"} or prev.low in {"and", "or"}):
        return False
    opens_object = (
        nxt.low in _DETERMINERS
        or nxt.low in _OBJECT_PRONOUNS
        or nxt.low in _PARTICLES and i + 2 < len(tokens) and tokens[i + 2].kind == "w"
    )
    plural_object = not nxt.function and len(nxt.low) > 2 and lx.is_plural(nxt.low)
    if prev_item_had_verb:
        if prev.low in {"and", "or"} and i >= 2 and tokens[i - 2].text == "," and not nxt.function:
            return True  # "..., and lose points": the last action of the run
        # "upload receipts and bank statements, and see ...": a plural after a word that is
        # rarely a verb continues the list of things
        frequent = lx.verb_base(low) == low or lx.is_verb_only(low) or low in _LIST_ACTIONS
        # "parse files, transpose songs to another key, and ...": a plural and then where it goes
        sent_on = (
            plural_object
            and i + 2 < len(tokens)
            and tokens[i + 2].low in {"to", "into", "onto", "as"}
            and prev.text == ","
            and _next_item_acts(tokens, i)
        )
        return opens_object or plural_object and frequent and _next_item_acts(tokens, i) or sent_on
    if prev_item_had_verb is None and prev.text in {",", ":"}:
        # "Every morning, scrape the listings"; "smart plugs: pair devices, group them"
        return opens_object or prev.text == ":" and plural_object and _next_item_acts(tokens, i)
    return False


# What opens an object after an action word and never goes on a noun ("upgrade the farmhouse").
_LIST_OBJECT_OPENERS = frozenset(
    ["a", "an", "the", "each", "every", "all", "any", "its", "their", "your", "his", "them", "it"]
)
# ... and, after an -s verb, its object or its way ("walks through a checklist", "quotes a price").
_RUN_OBJECT_OPENERS = _LIST_OBJECT_OPENERS | frozenset(
    ["our", "through", "into", "onto", "across", "over", "up", "out", "off"]
)


# -s verbs of being somewhere, rarely plural nouns: "the data stays in the EU".
_STATE_VERBS = frozenset(["stays", "remains", "lives", "sits", "lands", "arrives", "expires", "lapses"])
_WHEN_WORDS = frozenset(["when", "if", "as", "once", "until", "unless", "whenever"])


def _in_when_clause(tokens: list[Token], i: int) -> bool:
    """True when token `i` follows the subject of a "when"/"if" clause with no verb yet ("when a
    run fails.", "when a gym member's card payment fails we ...")."""
    for k in range(i - 2, max(-1, i - 9), -1):
        tok = tokens[k]
        if tok.kind == "p" and tok.text != "'" or tok.verb:
            return False
        if tok.low in _WHEN_WORDS:
            # its subject opens with a determiner ("when a ...", not "when someone uploads")
            opener = tokens[k + 1].low
            return opener in _DETERMINERS or opener in _POSSESSIVE_DETERMINERS
    return False


def _third_person_run(tokens: list[Token], i: int) -> bool:
    """True when token `i` is an -s verb form that goes on a run of them in its sentence
    ("it reads the settings, walks through a checklist"), followed by what it acts on."""
    low, nxt = tokens[i].low, tokens[i + 1] if i + 1 < len(tokens) else _EDGE
    if (
        not low.endswith("s")
        or low.endswith("ss")
        or "VERB" not in lx.parts_of_speech(low)
        or lx.verb_lemma(low) in {None, low}
        or nxt is _EDGE
        or nxt.low not in _RUN_OBJECT_OPENERS
    ):
        return False
    for k in range(i - 1, -1, -1):
        tok = tokens[k]
        if tok.text in {".", "!", "?", ";", ":"}:
            return False
        if tok.verb and tok.low.endswith("s") and lx.verb_lemma(tok.low) not in {None, tok.low}:
            return True
    return False


def _next_item_acts(tokens: list[Token], i: int) -> bool:
    """True when the list item after token `i` starts with a verb ("..., sync notes")."""
    starts = _item_starts(tokens, i, skip=frozenset(["and", "or", "then"]))
    if not starts or tokens[starts[0]].kind != "w":
        return False
    j = starts[0]
    word = tokens[j].low
    on_them = j + 1 < len(tokens) and tokens[j + 1].low in {"them", "it"}  # "group them"
    return not lx.is_plural(word) and (
        lx.verb_base(word) == word or lx.is_verb_only(word) or on_them or word in _LIST_ACTIONS
    )


_ITEM_OPENERS = frozenset(["and", "or", "then", "also"])


def _item_starts(tokens: list[Token], i: int, skip: frozenset[str] = _ITEM_OPENERS) -> list[int]:
    """Where the list items after token `i` start (past the `skip` words after each comma, "and"
    or "or"), up to the end of its sentence; brackets are passed over."""
    starts = []
    depth = 0
    for j in range(i + 1, len(tokens)):
        tok = tokens[j]
        if tok.text in "([":
            depth += 1
        elif tok.text in ")]":
            depth = max(depth - 1, 0)
        elif not depth and tok.kind == "p" and tok.text in ".!?;:":
            break
        elif not depth and (tok.text == "," or tok.low in {"and", "or"}):
            k = j + 1
            while k < len(tokens) and tokens[k].low in skip:
                k += 1
            if k < len(tokens):
                starts.append(k)
    return starts


def _next_item_is_plural(tokens: list[Token], i: int) -> bool:
    """True when the list item after token `i` starts with a plural noun ("..., checklists")."""
    starts = [j for j in _item_starts(tokens, i) if tokens[j].kind == "w"]
    return bool(starts) and lx.is_plural(tokens[starts[0]].low) and not tokens[starts[0]].function


def _later_item_acts(tokens: list[Token], i: int) -> bool:
    """True when a later list item of the sentence starts with a verb ("..., pass through")."""
    for j in _item_starts(tokens, i):
        word, after = tokens[j].low, tokens[j + 1] if j + 1 < len(tokens) else _EDGE
        if (
            tokens[j].kind == "w"
            and not lx.is_plural(word)
            and "VERB" in lx.parts_of_speech(word)
            and after.kind == "w"
            and (not after.function or after.low in _DETERMINERS or after.low in _PREPOSITIONS)
        ):
            return True  # "..., pass through slalom gates", "..., design enclosures"
    return False


def _after_article(tokens: list[Token], i: int) -> bool:
    """True when only nouns stand between "a"/"an" and token `i`: one noun phrase."""
    for k in range(i - 1, max(-1, i - 6), -1):
        tok = tokens[k]
        if tok.kind == "w" and tok.low in {"a", "an"}:
            return True
        if tok.kind != "w" or tok.function or tok.verb:
            return False
    return False




def _time_adverbial(tokens: list[Token], comma: int) -> bool:
    """True when the words before the comma at `comma` only say when ("Every night,")."""
    k = comma - 1
    seen = 0
    while k >= 0 and tokens[k].text not in {".", "!", "?", ";", ":", ","}:
        if tokens[k].kind == "w" and tokens[k].low not in _TIME_WORDS:
            return False
        seen += 1
        k -= 1
    return seen > 0


def _sentence_start(tokens: list[Token], i: int) -> Token:
    """The first token of the sentence that token `i` stands in."""
    k = i
    while k > 0 and tokens[k - 1].text not in {".", "!", "?", ";", ":"}:
        k -= 1
    return tokens[k]


def _subject_starts_clause(tokens: list[Token], i: int) -> bool:
    """True when "The company" or "The Research Office" opens the clause before token `i`."""
    k = i - 1
    names = 0
    while k >= 1 and tokens[k].kind == "w" and not tokens[k].function and names < 3:
        if k < i - 1 and not tokens[k].text[0].isupper():
            return False  # only a name runs to more than one word here
        names += 1
        k -= 1
    if k < 0 or tokens[k].low not in _SINGLE_DETERMINERS | _POSSESSIVE_DETERMINERS:
        return False
    return k == 0 or tokens[k - 1].kind == "p" or tokens[k - 1].low in _CLAUSE_OPENERS


def _participle(word: str) -> bool:
    """A word in -ed that is a verb form ("signed", "archived"), not a noun ("seed", "feed")."""
    return word.endswith("ed") and (
        "NOUN" not in lx.parts_of_speech(word) or lx.verb_base(word) is not None
    )


def _agent_of(tokens: list[Token], p: Phrase) -> bool:
    """True when `p` follows "by" after a verb form ("written by", "approved by", "set by")."""
    i = p.first_token - 1
    while i >= 0 and (
        tokens[i].low in _SINGLE_DETERMINERS or tokens[i].low in _POSSESSIVE_DETERMINERS
    ):
        i -= 1
    if i < 1 or tokens[i].low != "by":
        return False
    word = tokens[i - 1].low
    if word in _ARRANGED:
        return False  # "sorted by customer" names a dimension
    return _participle(word) or lx.parts_of_speech(word) == {"VERB"}


# Words that finish a short clause after its verb: "if a tank drifts above", "stays below".
_COMPLEMENTS = frozenset(
    ["above", "below", "over", "under", "longer", "more", "less", "beyond", "outside", "offline",
     "online", "late", "empty", "full", "silent", "idle"]
)
# What may follow the verb that closes a when-clause ("if parsing fails and ...").
_CLAUSE_CLOSERS = _COMPLEMENTS | frozenset(["and"])
# Words for the people of a place together ("the team", "its crew"), unless they are groups.
_COLLECTIVES = frozenset(["team", "crew", "cast"])
# Irregular past participles ("posts written in", "files sent by"); -ed ones by _participle.
_IRREGULAR_PARTICIPLES = frozenset(
    ["written", "sent", "made", "built", "taken", "given", "shown", "drawn", "kept", "held", "left"]
)
# Ways and means after "by" ("pay by card", "by law"): no dimension of the data.
_MEANS = frozenset(
    ["card", "cash", "cheque", "check", "hand", "law", "email", "e-mail", "phone", "post", "sms",
     "text", "default", "design", "debit", "direct_debit", "transfer", "bank_transfer", "typing",
     "scanning", "hash", "regex", "path", "exif", "paper", "name", "voice", "mistake", "accident",
     "itself", "invoice", "courier", "mail", "fax", "qr", "nfc", "bluetooth", "webhook", "api"]
)
# Verb forms before "by" that arrange or split, not act: "sorted by", "grouped by".
_ARRANGED = frozenset(
    ["sorted", "grouped", "filtered", "ordered", "ranked", "broken", "split", "indexed", "keyed",
     "organised", "organized", "categorised", "categorized", "partitioned", "searchable", "segmented"]
)


def _adjective(word: str) -> bool:
    """A word that stands before nouns rather than acting: "high", "best", "new", "daily"."""
    return word in lx.QUALIFIERS or word in _RANK_WORDS or lx.is_adjective(word)


def _base_verb_before(tokens: list[Token], i: int) -> bool:
    """True when the last verb of the sentence before `i` is a bare base form ("pull").

    "pull orders and refunds into BigQuery": a verb joined to "pull" by "and" would be bare
    too, so an -s word there is a plural noun ("scans parcels and uploads them" stays a verb).
    """
    for k in range(i - 1, -1, -1):
        tok = tokens[k]
        if tok.kind == "p" and tok.text in ".!?;:":
            return False
        if tok.verb:
            return tok.low == lx.verb_base(tok.low) and not tok.low.endswith("s")
    return False


def _closing_action(tokens: list[Token], i: int) -> bool:
    """True when token `i` is a bare verb after "let them" ("lets them report a fault") or one
    that ends its sentence after another action ("rate and comment.", "grade them and
    comment.")."""
    low = tokens[i].low
    if i < 2 or lx.verb_base(low) != low:
        return False
    prev, before = tokens[i - 1].low, tokens[i - 2]
    if prev in _OBJECT_PRONOUNS and before.low in {"let", "lets", "help", "helps"}:
        return True  # "lets them report a breakdown", anywhere in the sentence
    if i + 1 < len(tokens) and tokens[i + 1].text not in ".!?;":
        return False
    if prev in {"and", "or"}:
        return before.verb or before.low in _OBJECT_PRONOUNS or before.low == "like"
    return False


_COUNT_WORDS = frozenset(
    ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "fifty",
     "hundred", "dozen"]
)
_CLAUSE_GOES_ON = frozenset(["and", "or", "to", "with", "via", "using", "through", "once", "then"])


def _acts_after_noun(tokens: list[Token], i: int) -> bool:
    """True when an -s word after a noun is its verb: before a particle that ends the clause
    ("the practice logs in and sees"), or before a determiner ("a chamber exceeds its limit")."""
    low = tokens[i].low
    if i == 0 or i + 1 >= len(tokens) or not low.endswith("s") or low.endswith("ss"):
        return False
    prev, nxt = tokens[i - 1], tokens[i + 1]
    if prev.kind != "w" or prev.function or prev.verb or lx.is_plural(prev.low):
        return False
    if "VERB" not in lx.parts_of_speech(low) or lx.verb_lemma(low) is None:
        return False
    if nxt.low in {"in", "out", "on", "up", "off"}:
        after = tokens[i + 2] if i + 2 < len(tokens) else _EDGE
        return after is _EDGE or after.kind == "p" or after.low in _CLAUSE_GOES_ON
    return nxt.low in {"its", "their", "his", "her", "our", "your", "my"}


def _acts_by_context(tokens: list[Token], i: int) -> bool:
    """True when the words around token `i` make it act, whatever the run of the sentence says:
    a bare verb closing a sentence ("rate and comment."), after "let them", on a pronoun
    ("..., and books one"), after a modal ("it's gotta keep going"), before a count ("..., return
    ten series"), or an -s verb after a noun ("the practice logs in and ...")."""
    if _closing_action(tokens, i) or _acts_after_noun(tokens, i):
        return True
    low = tokens[i].low
    base = lx.verb_base(low)
    if base is None:
        return False
    prev = tokens[i - 1] if i else _EDGE
    nxt = tokens[i + 1] if i + 1 < len(tokens) else _EDGE
    if nxt.low in {"one", "it", "them"} and prev.low in {"and", "or", ","}:
        return True
    if base != low:
        return False
    if prev.low in _MODALS and prev.low != "to":
        return True
    return (
        (prev is _EDGE or prev.text in {",", ":", ";"} or prev.low in {"and", "then"})
        and (nxt.kind == "n" or nxt.low in _COUNT_WORDS)
        and i + 2 < len(tokens)
        and tokens[i + 2].kind == "w"
        and lx.can_be_noun(tokens[i + 2].low)
    )


def _unlike_last_verb(tokens: list[Token], i: int) -> bool:
    """True when token `i` ("training") follows "and"/"or" and the sentence's last verb before
    it is no -ing form ("upload"): the two cannot be actions side by side."""
    if i < 2 or tokens[i - 1].low not in {"and", "or"}:
        return False
    for k in range(i - 2, -1, -1):
        tok = tokens[k]
        if tok.kind == "p" and tok.text in ".!?;:":
            return False
        if tok.verb:
            return not tok.low.endswith("ing")
    return False


_ASKING_DETERMINERS = frozenset(["which", "what", "whichever"])


def _asked_about(tokens: list[Token], i: int) -> bool:
    """ "tells parents which classes still have spaces", "learn which bin it goes in": after
    "which" asked by a verb or a person, a noun followed by the rest of its clause (a
    determiner, a pronoun, "still") is the thing asked about, not an action."""
    if i < 2 or i + 1 >= len(tokens) or tokens[i - 1].low not in _ASKING_DETERMINERS:
        return False
    asker, nxt, low = tokens[i - 2], tokens[i + 1], tokens[i].low
    if asker.kind != "w" or "NOUN" not in lx.parts_of_speech(low):
        return False
    if not (
        asker.verb
        or asker.low in {"out", "about", "know", "see", "decide", "choose", "check"}
        or asker.low in _OBJECT_PRONOUNS  # "telling them which courts are free"
        or lx.is_plural(asker.low) and lx.looks_like_person(lx.noun_lemma(asker.low))
    ):
        return False  # "a service which stores the files": a verb of the clause
    return (
        nxt.low in _DETERMINERS
        or nxt.low in _POSSESSIVE_DETERMINERS
        or nxt.low in _PRONOUNS
        or nxt.low in {"still", "already", "each", "every"}
        # "see which plots are free", "which rooms can take a projector"
        or lx.is_plural(low) and (nxt.low in _BE_HAVE or nxt.low in _MODALS and nxt.low != "to")
    )


_NUMBER_WORDS = frozenset(["all", "both", "some", "many", "several", "few", "new", "any", "no"])


def _inside_object(tokens: list[Token], i: int) -> bool:
    """ "collects the daily dispensing files our branches drop", "email us CSV price lists every
    morning": an -s word that goes on the noun phrase a verb of its clause has just opened is a
    plural noun (a clause has no second verb without "and", "that" or a comma)."""
    low = tokens[i].low
    if not low.endswith("s") or low.endswith("ss") or "NOUN" not in lx.parts_of_speech(low):
        return False
    prev = tokens[i - 1] if i else None
    if prev is None or prev.kind != "w" or prev.function or prev.verb or prev.possessive:
        return False
    k = i - 1
    while k >= 0:
        tok = tokens[k]
        if tok.kind == "p" or tok.low in _CLAUSE_OPENERS or tok.low in {"and", "or", "but", "that", "which", "who", "to"}:
            return False
        if tok.verb:
            opener = tokens[k + 1].low
            return (
                k < i - 2
                and not tok.low.endswith(("ed", "ing"))
                and (opener in _DETERMINERS or opener in _OBJECT_PRONOUNS or opener in _NUMBER_WORDS)
            )
        if tok.function and not (
            tok.low in _DETERMINERS or tok.low in _OBJECT_PRONOUNS or tok.low in _NUMBER_WORDS
        ):
            return False
        k -= 1
    return False


def _after_arrow(tokens: list[Token], i: int) -> bool:
    """True when token `i` opens a step after an arrow ("->", "=>", "→")."""
    prev = tokens[i - 1] if i else _EDGE
    if prev.text == "→":
        return True
    return prev.text == ">" and i >= 2 and tokens[i - 2].text in {"-", "="}


_HOW_WORDS = frozenset(["how", "why", "where", "whether"])


def _asked_how_it_acts(tokens: list[Token], i: int) -> bool:
    """True when token `i` is the -s verb closing "how the waiting list works", "where each
    van stops": a question about a thing, whose last word acts."""
    low = tokens[i].low
    nxt = tokens[i + 1] if i + 1 < len(tokens) else _EDGE
    if not (
        low.endswith("s")
        and not low.endswith("ss")
        and (nxt is _EDGE or nxt.kind == "p" or nxt.low in {"and", "or"})
        and "VERB" in lx.parts_of_speech(low)
        and lx.verb_lemma(low) not in {None, low}
    ):
        return False
    k = i - 1
    while k > 0 and i - k <= 3 and tokens[k].kind == "w" and not (tokens[k].function or tokens[k].verb):
        k -= 1
    return (
        k < i - 1
        and k >= 1
        and tokens[k].low in _SINGLE_DETERMINERS | _POSSESSIVE_DETERMINERS
        and tokens[k - 1].low in _HOW_WORDS
    )


# Verbs that take a thing "to" somewhere: the word after that "to" is where, not an action
# ("maps wells to sample IDs", "matches payments to invoices").
_TO_VERBS = frozenset(
    ["map", "match", "link", "assign", "attach", "convert", "pin", "tie", "allocate", "route",
     "send", "move", "copy", "forward", "push", "post", "write", "save", "sync", "export", "add"]
)


def _to_of_a_moving_verb(tokens: list[Token], i: int) -> bool:
    """True when the "to" before token `i` follows "<map> <its object>" (a preposition)."""
    for k in range(i - 2, max(-1, i - 6), -1):
        tok = tokens[k]
        if tok.kind != "w":
            return False
        if tok.verb:
            return k < i - 2 and (lx.verb_lemma(tok.low) or tok.low) in _TO_VERBS
    return False


def _relative_that(tokens: list[Token], k: int) -> bool:
    """True when token `k` is "that"/"which" opening a clause about the word before it ("matches
    that can be resumed", "orders that we ship"), not a determiner ("... pulls that file")."""
    if tokens[k].low not in {"that", "which"} or k + 1 >= len(tokens):
        return False
    nxt = tokens[k + 1]
    return nxt.low in _MODALS or nxt.low in _BE_HAVE or nxt.low in _PRONOUNS or nxt.low in {"need", "needs"}


def mark_verbs(tokens: list[Token]) -> None:
    """Decide, left to right, which content words act as verbs here."""
    prev_item_had_verb: bool | None = None  # the previous comma-item of the sentence
    item_has_verb = False  # since the last comma or "and"
    comma_item_verb = False  # since the last comma ("look up price and condition, ...")
    last_item_verb: bool | None = None  # whether the item just before had a verb of its own
    outer: list[tuple[bool | None, bool, bool]] = []  # the item state outside open brackets
    for i, tok in enumerate(tokens):
        if tok.kind != "w":
            if tok.text in "([":
                outer.append((prev_item_had_verb, item_has_verb, comma_item_verb))
                prev_item_had_verb, item_has_verb, comma_item_verb = None, False, False
                continue
            if tok.text in ")]" and outer:
                # "readings (flow, pressure, level) into BigQuery": the item goes on
                prev_item_had_verb, item_has_verb, comma_item_verb = outer.pop()
                continue
            if tok.text in ".!?;:" or tok.text in {"-", "\u2013", "\u2014"}:
                # a dash opens a list or an aside like a colon: "GPX files - tracks, routes"
                prev_item_had_verb, item_has_verb, comma_item_verb = None, False, False
                last_item_verb = None
            elif tok.text == ",":
                last_item_verb = item_has_verb
                prev_item_had_verb = item_has_verb or comma_item_verb
                if not prev_item_had_verb and _time_adverbial(tokens, i):
                    prev_item_had_verb = None  # "Every night, join ...": no list item
                item_has_verb = comma_item_verb = False
            continue
        low = tok.low
        tok.function = low in lx.FUNCTION and not tok.possessive
        if tok.function:
            if low in {"and", "or"}:
                last_item_verb = item_has_verb
                comma_item_verb = comma_item_verb or item_has_verb
                prev_item_had_verb, item_has_verb = item_has_verb or bool(prev_item_had_verb), False
            continue
        prev = tokens[i - 1] if i else _EDGE
        nxt = tokens[i + 1] if i + 1 < len(tokens) else _EDGE
        base = lx.verb_base(low)
        clause_verb = False
        if (
            base is None
            and prev is not _EDGE
            and prev.low in _MODALS
            and "VERB" in lx.parts_of_speech(low)
            and lx.noun_lemma(low) == low
            and not _to_of_a_moving_verb(tokens, i)
        ):
            base = low  # "aims to represent", "users can rate": any verb in its base form
        elif (
            base is None
            and prev is not _EDGE
            and prev.kind == "p"
            and _PRONOUN_CONTRACTION.match(prev.low)
            and "VERB" in lx.parts_of_speech(low)
        ):
            base = lx.verb_lemma(low) or low  # "We'd love customers to ...", "they'll pick"
            clause_verb = True
        elif (
            base is None
            and prev is not _EDGE
            and prev.low == "to"
            and not lx.is_known(low)
            and nxt is not _EDGE
            and nxt.kind == "w"
            and (not nxt.function or nxt.low in _DETERMINERS)
        ):
            base = low  # "a tool to redact names": a verb the word table does not know
        elif base is None and _action_in_run(tokens, i, prev_item_had_verb):
            # "read offline, highlight passages and sync notes": an action in a run of them
            # ("manage members, class timetables and check-ins": things)
            base = low
        elif (
            base is None
            and prev_item_had_verb
            and (prev.text == "," or prev.low in {"and", "or"})
            and _third_person_run(tokens, i)
        ):
            # "it reads the settings, walks through a checklist": the next action of the run
            base = lx.verb_lemma(low)
        elif (
            base is None
            and (prev is _EDGE or prev.text in {".", "!", "?"})
            and "VERB" in lx.parts_of_speech(low)
            and lx.noun_lemma(low) == low
            and nxt is not _EDGE
            and nxt.low in _DETERMINERS | _POSSESSIVE_DETERMINERS
        ):
            base = low  # "Drive a car round the town.": an imperative
        elif (
            base is None
            and low.endswith("s")
            and not low.endswith("ss")
            and "VERB" in lx.parts_of_speech(low)
            and i >= 2
            and prev.kind == "w"
            and not prev.function
            and not prev.verb
            and not lx.is_plural(prev.low)
            and _subject_starts_clause(tokens, i)
            and nxt is not _EDGE
            and nxt.low in _DETERMINERS
            and (lemma := lx.verb_lemma(low)) not in {None, low}
        ):
            base = lemma  # "The company requires an online platform"
        elif (
            prev is not _EDGE
            and prev.kind == "w"
            and not prev.function
            and not prev.verb
            and lx.is_plural(prev.low)
            and "VERB" in lx.parts_of_speech(low)
            and lx.noun_lemma(low) == low
            and low not in lx.PEOPLE
            and i + 2 < len(tokens)
            and nxt.low in _PARTICLES | {"from", "into", "onto", "across", "through", "past"}
            and (
                tokens[i + 2].low in _DETERMINERS
                or tokens[i + 2].kind == "n"
                or tokens[i + 2].low in _COUNT_WORDS  # "notes scroll down four lanes"
            )
            and (i < 2 or tokens[i - 2].kind == "p" or tokens[i - 2].low in _CLAUSE_OPENERS)
        ):
            # "bottles fall down the screen", "words fall from the top": things doing something
            base = low
            clause_verb = True
        elif base is None and prev is not _EDGE and prev.low in {"that", "which", "who"}:
            lemmas = lx.verb_lemma(low)
            asks = prev.low == "which" and nxt is not _EDGE and (
                nxt.kind == "p" or nxt.low in _PRONOUNS or nxt.low in _BE_HAVE
            )  # "which manoeuvres they've mastered", "which games are free": which + noun
            if lemmas and lemmas != low and low.endswith("s") and not asks:
                base = lemmas  # "a tool that audits", "a bot that forwards": a verb
            elif (
                not lemmas
                and prev.low != "which"  # "which podcasts a listener should try"
                and not lx.parts_of_speech(low)
                and low.endswith("s")
                and not low.endswith("ss")
                and not asks
                and nxt is not _EDGE
                and (nxt.low in _DETERMINERS or nxt.kind == "w" and lx.is_plural(nxt.low))
            ):
                base = low[:-1]  # "a package that redacts names": a verb the table lacks
        elif (
            base is None
            and prev is not _EDGE
            and "VERB" in lx.parts_of_speech(low)
            and (
                prev.low in _PRONOUNS - {"you", "i"}  # "it eats an apple", "they draw"
                and not prev.text.isupper()  # "IT questions"
                and not _next_is_noun(tokens, i)
                or prev.low in {"you", "i", "we", "they"}  # "where you plant grapes"
                and i >= 2
                and tokens[i - 2].low in _CLAUSE_OPENERS
                or prev.low in _ADVERBS
                and i >= 2
                and tokens[i - 2].low in _MODALS  # "should ever leave", "can also export"
                or low.endswith("s")  # "one player draws on their phone"
                and not low.endswith("ss")
                and (prev.low in lx.PEOPLE or prev.low + "s" in lx.PEOPLE)
                and not lx.is_plural(prev.low)
                and (lx.verb_lemma(low) or low) not in DOMAIN_NOUNS
            )
        ):
            base = lx.verb_lemma(low) or low
        elif (
            low.endswith("s")
            and not low.endswith("ss")
            and i >= 2
            and prev.kind == "w"
            and not prev.function
            and not lx.is_plural(prev.low)
            and (
                tokens[i - 2].low in _SINGLE_DETERMINERS
                and i >= 3
                and tokens[i - 3].low in _CLAUSE_OPENERS
                or i >= 4
                and tokens[i - 3].low in _SINGLE_DETERMINERS
                and tokens[i - 2].low == "new"
                and tokens[i - 4].low in _CLAUSE_OPENERS
            )
            and nxt is not _EDGE
            and nxt.low in {"in", "into", "on", "onto", "between", "from", "to", "through", "out", "up"}
            and "VERB" in lx.parts_of_speech(low)
            and (lemma := lx.verb_lemma(low)) not in {None, low}
            and lx.noun_lemma(low) not in DOMAIN_NOUNS
        ):
            # "every time a pallet moves between bays", "whenever a new video lands in the bucket"
            base = lemma
            clause_verb = True
        if (
            _after_arrow(tokens, i)
            and "VERB" in lx.parts_of_speech(low)
            and nxt is not _EDGE
            and nxt.low in _DETERMINERS | _POSSESSIVE_DETERMINERS
        ):
            base = base or lx.verb_lemma(low) or low  # "type the order -> pulls the address"
            clause_verb = True
        elif _asked_how_it_acts(tokens, i):
            base = lx.verb_lemma(low)  # "read how the waiting list works"
            clause_verb = True
        nxt_opens = nxt is not _EDGE and (
            nxt.kind == "n"
            or (
                nxt.kind == "w"
                and (
                    nxt.low in _DETERMINERS
                    or not nxt.function
                    or nxt.low in _PREPOSITIONS
                    or nxt.low in _OPENERS
                )
            )
        )
        nxt_content = nxt is not _EDGE and nxt.kind == "w" and nxt.low not in lx.FUNCTION
        if (
            base is None
            and prev is not _EDGE
            and prev.kind == "w"
            and not prev.function
            and not prev.possessive
            and (
                lx.is_plural(prev.low)
                and lx.looks_like_person(lx.noun_lemma(prev.low))
                or prev.low in {"people", "children", "kids", "folks", "staff", "everyone"}
            )
            and "VERB" in lx.parts_of_speech(low)
            and (low.endswith("ing") or lx.noun_lemma(low) == low)
            and (
                nxt_content
                or nxt is not _EDGE
                and (
                    nxt.low in _DETERMINERS
                    # "backers pledge by card", "members vote on motions"
                    or nxt.low in {"by", "on", "with", "for", "in", "to"}
                    and not low.endswith("ing")
                )
            )
        ):
            # "supervisors close defects", "students drill vocabulary", "workers scouting fields":
            # people followed by a verb form and its object, even a verb the table rarely sees.
            base = low
        at_item_start = (
            prev is _EDGE
            or (prev.kind == "p" and prev.text in ",.;:!?(-*+\u2022\u2013\u2014")
            or (prev.kind == "w" and prev.low in {"and", "or", "then"})
            or tok.line_start
        )
        is_verb = False
        verb_pos = "VERB" in lx.parts_of_speech(low)
        if tok.proper or (
            tok.text[0].isupper()
            and prev is not _EDGE
            and prev.kind == "w"
            and prev.text[0].isupper()
            and not tok.text.isupper()
        ):
            is_verb = False  # "Stripe Connect", "Google Ads": a name of two capitalised words
        elif (
            prev is not _EDGE
            and prev.low == "to"
            and low.endswith("s")
            and not low.endswith("ss")
            and base not in {None, low}
            and lx.is_plural(low)
        ):
            is_verb = False  # "assigns carers to visits": an -s form after "to" is a noun
        elif low in {"hand", "hands"} and nxt is not _EDGE and nxt.low in {"over", "off", "back"}:
            is_verb = True  # "hands over to a human"
        elif (
            nxt is not _EDGE
            and nxt.low == "them"
            and not tok.possessive
            and prev is not _EDGE
            and (
                prev.text in {",", ":", ";"}
                or prev.low in {"and", "or", "then", "that", "which", "who", "to"}
            )
        ):
            is_verb = True  # "..., OCRs them, extracts ...": an action on what came before
        elif (
            verb_pos
            and not tok.possessive
            and nxt is not _EDGE
            and (
                nxt.low in _OBJECT_PRONOUNS  # "group them into sessions"
                or nxt.low in {"out", "back"}  # "print out the invoice", "get back the score"
                and i + 2 < len(tokens)
                and (tokens[i + 2].low in _DETERMINERS or tokens[i + 2].low in {"them", "it"})
                and low not in lx.PEOPLE
            )
            and not (prev is not _EDGE and prev.low in _DETERMINERS)
        ):
            is_verb = True
        elif (
            verb_pos
            and low.endswith("s")
            and not low.endswith("ss")
            and prev is not _EDGE
            and prev.kind == "w"
            and not prev.function
            and not lx.is_plural(prev.low)
            and not prev.verb
            and lx.verb_lemma(low) not in {None, low}
            and (
                nxt is not _EDGE
                and nxt.low in {"which", "what", "whether", "how"}
                # "when a run fails.", "as traffic grows,", "if any fridge stays above 8C": a
                # clause of its own
                or (nxt is _EDGE or nxt.kind == "p" or nxt.low in _CLAUSE_CLOSERS)
                and any(tokens[k].low in _WHEN_WORDS for k in range(max(0, i - 4), i - 1))
                # "when a gym member's card payment fails we want ...": a clause and the next
                or nxt.low in {"we", "they", "i", "you"}
                and _in_when_clause(tokens, i)
            )
        ):
            is_verb = True  # "says which slide", "shows how many": a verb before its question
        elif lx.is_verb_only(low) and not low.endswith(("ing", "ed")) and low not in lx.PEOPLE:
            is_verb = True
        elif (
            low in _STATE_VERBS
            and prev is not _EDGE
            and prev.kind == "w"
            and not prev.verb
            and nxt is not _EDGE
            and (nxt.low in _PREPOSITIONS or nxt.low in _COMPLEMENTS or nxt.low == "there")
        ):
            is_verb = True  # "the data stays in the EU", "the file lands in the bucket"
        elif (
            (
                base == low
                or verb_pos  # "every 15 min grab the reads": a word the table rarely sees acting
                and lx.noun_lemma(low) == low
                and nxt.low in _DETERMINERS | _POSSESSIVE_DETERMINERS
            )
            and i >= 2
            and nxt is not _EDGE
            and nxt.kind == "w"
            and (not nxt.function or nxt.low in _DETERMINERS | _POSSESSIVE_DETERMINERS)
            and _time_adverbial(tokens, i)
            and _sentence_start(tokens, i).low in {"every", "each", "once"}
        ):
            is_verb = True  # "Every 15 min pull readings": an order after when it happens
        elif base is not None and not tok.possessive:
            prev_word = prev is not _EDGE and prev.kind == "w"
            if (
                prev_word
                and (
                    prev.low in _CLAUSE_WORDS - {"and", "or"}
                    or prev.low in _PRONOUNS
                    or prev.low in _SOMEONE and low != base  # "when someone uploads a video"
                    or (prev.low in _ADVERBS and i >= 2 and tokens[i - 2].low in _MODALS)
                )
                and not prev.verb
            ):
                is_verb = True
                if prev.low == "that" and (nxt is _EDGE or nxt.kind == "p"):
                    is_verb = False
            elif (
                at_item_start
                and prev is not _EDGE
                and (prev.low in {"and", "or", "then"} or prev.text == ",")
                and low == base
                and nxt is not _EDGE
                and nxt.low in {"a", "an"}
            ):
                is_verb = True  # "..., and print a list of tanks": a noun is not followed by "a"
            elif at_item_start:
                joined = prev is not _EDGE and (prev.text == "," or prev.low in {"and", "or"})
                list_of_nouns = joined and prev_item_had_verb is False
                container_next = (
                    nxt_content
                    and (nxt.low in lx.CONTAINERS or nxt.low in lx.ATTRIBUTES)
                    # "scan ISBN barcodes": the property word qualifies the noun after it
                    and not (
                        i + 2 < len(tokens)
                        and tokens[i + 2].kind == "w"
                        and not tokens[i + 2].function
                        and lx.is_plural(tokens[i + 2].low)
                    )
                )
                things_listed = (
                    # "technicians: work orders and checklists", "usage records, bills and
                    # support tickets": a noun before the plural that closes an item, in a list
                    # of things (not of actions: "dodge trees and rocks, pass through gates")
                    (
                        prev.text == ":"
                        and _next_item_is_plural(tokens, i)
                        and not _later_item_acts(tokens, i)
                        or prev.low in {"and", "or"}
                        and last_item_verb is False
                        and lx.is_plural(tokens[i - 2].low)
                    )
                    and low in {base, None}  # not "..., converts currencies"
                    and "NOUN" in lx.parts_of_speech(low)
                    and nxt_content
                    and lx.is_plural(nxt.low)
                    and (
                        i + 2 >= len(tokens)
                        or tokens[i + 2].kind == "p"
                        or tokens[i + 2].low in lx.FUNCTION
                        or tokens[i + 2].low.endswith("ly")  # "... and support tickets nightly"
                    )
                )
                if things_listed:
                    is_verb = False
                elif low.endswith("ing") and nxt_opens:
                    # "shipments, parcels and tracking events": a modifier in a list of things;
                    # "upload certificates and training records": no action beside "upload"
                    is_verb = not (
                        (
                            list_of_nouns
                            or _unlike_last_verb(tokens, i)
                            # "store chargers, charging sessions and tariffs": one of the objects
                            or i >= 2
                            and lx.is_plural(tokens[i - 2].low)
                            and tokens[i - 2].low not in _TIME_WORDS
                            and i + 2 < len(tokens)
                            and (tokens[i + 2].text == "," or tokens[i + 2].low in {"and", "or"})
                            and _next_item_is_plural(tokens, i + 1)
                        )
                        and nxt_content
                        and lx.is_plural(nxt.low)
                        and nxt.low != low
                    )
                elif low != base and low.endswith("s") and not list_of_nouns:
                    # "..., syncs when online": a verb when the sentence is a run of actions.
                    is_verb = (
                        bool(prev_item_had_verb)
                        and nxt is not _EDGE
                        and nxt.low not in {"and", "or", "of"}  # "..., refunds of credit"
                        # "matches them to routes and stops.": two plurals joined, then the end
                        and not (
                            nxt.kind == "p"
                            and prev.low in {"and", "or"}
                            and tokens[i - 2].kind == "w"
                            and not tokens[i - 2].function
                            and not tokens[i - 2].verb
                            and lx.is_plural(tokens[i - 2].low)
                        )
                    )
                    is_verb = (
                        is_verb
                        or (prev is _EDGE or prev.text != ",")
                        and nxt_opens
                        and nxt.kind != "p"
                        and not (
                            # "a library: books and authors;" (but "syncs and uploads photos")
                            nxt.low in {"and", "or"}
                            and (i + 3 >= len(tokens) or tokens[i + 3].kind == "p")
                        )
                    ) and not _base_verb_before(tokens, i)
                elif (
                    list_of_nouns
                    and low != base
                    and low.endswith("s")
                    and nxt is not _EDGE
                    and nxt.low in {"a", "an", "the", "their", "each", "every", "them", "it"}
                ):
                    is_verb = True  # "supplier, date and VAT, and posts a draft bill"
                elif list_of_nouns or (container_next and not prev_item_had_verb):
                    is_verb = False
                else:
                    is_verb = nxt_opens
            elif prev_word and not prev.function and not prev.verb and not prev.possessive:
                prev_plural = lx.is_plural(prev.low) or prev.low in lx.PEOPLE
                if low == base and prev_plural and (nxt_opens or nxt is _EDGE or nxt.kind == "p"):
                    is_verb = not _after_article(tokens, i)  # "an end-of-day takings report"
                elif (
                    low.endswith("ing") and lx.is_plural(prev.low) and nxt_opens and nxt.kind == "w"
                ):
                    is_verb = nxt.low not in _PREPOSITIONS
                elif (
                    low != base
                    and low.endswith("s")
                    and not lx.is_plural(prev.low)
                    and not _adjective(prev.low)  # "high scores", "best times": a thing
                    and (
                        nxt_content
                        or (
                            nxt is not _EDGE
                            and nxt.low in _DETERMINERS
                            and not _relative_that(tokens, i + 1)  # "saved matches that can be"
                        )
                        # "one player draws on their phone" (but "patient records" are records)
                        or (prev.low in lx.PEOPLE or prev.low + "s" in lx.PEOPLE)
                        and base not in DOMAIN_NOUNS
                        and lx.noun_lemma(low) not in DOMAIN_NOUNS
                        and nxt is not _EDGE
                        and nxt.low in _PREPOSITIONS
                    )
                ):
                    is_verb = True
            elif prev_word and prev.low in _PREPOSITIONS and low.endswith("ing"):
                is_verb = nxt_opens
        if (
            not is_verb
            and low.endswith("ing")
            and (base or lx.is_verb_only(low) or "VERB" in lx.parts_of_speech(low))
            and nxt is not _EDGE
        ):
            # "a website showing the menu", "a module offering a cache"
            is_verb = nxt.kind == "w" and nxt.low in _DETERMINERS - {"each", "every", "all", "no"}
            is_verb = is_verb or (
                # "a CLI importing consignment CSVs": what the product does
                prev is not _EDGE
                and prev.low in _PRODUCT_NOUNS
                and nxt.kind == "w"
                and not nxt.function
            ) or (
                # "terminals debiting wristband balances", "keep taking payments"
                prev is not _EDGE
                and prev.kind == "w"
                and (
                    lx.is_plural(prev.low)
                    and not prev.function
                    and not prev.verb
                    and nxt.kind == "w"
                    and not nxt.function
                    or prev.low in _GERUND_VERBS
                )
            )
        if (
            not is_verb
            and prev is not _EDGE
            and prev.low in {"and", "or"}
            and i >= 2
            and tokens[i - 2].verb
            and low.endswith("s")
            and not low.endswith("ss")
            and tokens[i - 2].low.endswith("s")
            and "VERB" in lx.parts_of_speech(low)
            and lx.verb_lemma(low) not in {None, low}
        ):
            is_verb = True  # "validates and formats phone numbers": two verbs of one object
        if (
            is_verb
            and at_item_start
            and low not in _CAUSATIVE
            and i + 2 < len(tokens)
            and lx.is_plural(nxt.low)
            and lx.looks_like_person(lx.noun_lemma(nxt.low))
            and tokens[i + 2].kind == "w"
            and not tokens[i + 2].function
            and "VERB" in lx.parts_of_speech(tokens[i + 2].low)
            and not lx.is_plural(tokens[i + 2].low)
            and "NOUN" in lx.parts_of_speech(low)
        ):
            is_verb = False  # "support agents reply", "Field engineers log jobs": a role
        if (
            is_verb
            and low.endswith("s")
            and not low.endswith("ss")
            and "NOUN" in lx.parts_of_speech(low)
            and nxt is not _EDGE
            and (nxt.low in _IRREGULAR_PARTICIPLES or _participle(nxt.low))
            and i + 2 < len(tokens)
            and tokens[i + 2].low in {"in", "by", "on", "with", "from", "for", "to", "at"}
        ):
            is_verb = False  # "news posts written in Markdown": things something was done to
        is_verb = is_verb or clause_verb or _acts_by_context(tokens, i)
        if (
            is_verb
            and prev.low in _NOUN_OPENERS
            and not (_participle(low) or low in _IRREGULAR_PARTICIPLES)
            and nxt.kind == "w"
            and not nxt.function
            and lx.can_be_noun(nxt.low)
        ):
            is_verb = False  # "every grow room", "a grow bag": a noun modifier, no action
            tok.modifier = True
        if is_verb and (_asked_about(tokens, i) or _inside_object(tokens, i)):
            is_verb = False
        tok.verb = is_verb
        item_has_verb = item_has_verb or is_verb
        # "add, list, complete and delete tasks": the bare words listed before a verb are verbs.
        if is_verb and prev is not _EDGE and prev.low in {"and", "or"}:
            k = i - 2
            while (
                k >= 0
                and tokens[k].kind == "w"
                and (
                    lx.verb_base(tokens[k].low) == tokens[k].low
                    or "VERB" in lx.parts_of_speech(tokens[k].low)
                )
            ):
                before = tokens[k - 1] if k else None
                if before is not None and not (
                    before.text == "," or before.low in _CLAUSE_WORDS or before.text in ":;"
                ):
                    break
                tokens[k].verb = True
                if before is None or before.text != ",":
                    break
                k -= 2
    _mark_action_lists(tokens)


_LIST_BREAKS = frozenset([".", "!", "?", ";", ":"])
_ITEM_JOINS = frozenset(["and", "or", "then"])


def _mark_action_lists(tokens: list[Token]) -> None:
    """A list whose items are mostly actions makes its other items actions too: "plant and
    harvest crops, raise animals, sell produce and upgrade the farmhouse" (the last item's verb
    is plain from "the"; "raise animals" alone could be a thing)."""
    start = 0
    for end in range(len(tokens) + 1):
        if end == len(tokens) or tokens[end].text in _LIST_BREAKS:
            _mark_action_list(tokens, start, end)
            start = end + 1


def _action_word(tok: Token) -> bool:
    low = tok.low
    return (
        tok.kind == "w"
        and not tok.function
        and not tok.verb
        and not tok.possessive
        and not tok.proper
        and not tok.text[:1].isupper()
        and not low.endswith(("ing", "ed"))
        and not lx.is_plural(low)
        and low not in lx.PEOPLE
        and "VERB" in lx.parts_of_speech(low)
        and lx.noun_lemma(low) == low
    )


def _mark_action_list(tokens: list[Token], a: int, b: int) -> None:
    starts: list[int] = []
    k = a
    while k < b:
        while k < b and tokens[k].low in _ITEM_JOINS:
            k += 1
        if k < b:
            starts.append(k)
        while k < b and not (tokens[k].text == "," or tokens[k].low in _ITEM_JOINS):
            k += 1
        k += 1
    if len(starts) < 3:
        return
    acting = 0
    strong: list[int] = []
    weak: list[int] = []
    for k in starts:
        tok, nxt = tokens[k], tokens[k + 1] if k + 1 < b else None
        if tok.verb:
            acting += 1
        elif nxt is not None and _action_word(tok):
            after = tokens[k + 2] if k + 2 < b else None
            if nxt.low in _LIST_OBJECT_OPENERS or (
                # "look up missing cover art", "pull out names" (not "route up from the valley")
                nxt.low in {"up", "out", "off", "down", "back"}
                and after is not None
                and after.kind == "w"
                and (not after.function or after.low in _LIST_OBJECT_OPENERS)
            ):
                strong.append(k)
            elif (
                lx.verb_base(tok.low) == tok.low
                and tok.low not in DOMAIN_NOUNS
                and nxt.kind == "w"
                and lx.is_plural(nxt.low)
                and not nxt.function
                and (k + 2 >= b or tokens[k + 2].kind == "p" or tokens[k + 2].function)
            ):
                weak.append(k)  # "..., raise animals, ...": a frequent verb and a bare plural
            elif nxt.low in {"and", "or"} and k + 2 < b and _action_word(tokens[k + 2]):
                weak.append(k)  # "plant and harvest crops": two actions sharing their object
    for k in strong:
        if k > starts[0]:
            tokens[k].verb = True  # "..., and upgrade the farmhouse": no thing is followed by "the"
    if acting + len(strong) < 2 or acting + len(strong) + len(weak) < len(starts) - 1:
        return
    for k in weak:
        tokens[k].verb = True


# -- noun phrases ---------------------------------------------------------------------------------


_UNSET_FIELD: object = object()


@dataclass
class Phrase:
    words: list[str]  # lower-case surface words, qualifiers stripped
    start: int
    end: int
    index: int  # token index of the head
    first_token: int
    plural: bool
    possessive: bool = False
    before: str = ""  # the function word or verb just before (after determiners)
    det: str = ""  # the determiner nearest the noun ("a", "the", "each", ...), if any
    after: str = ""  # the token just after
    subject: bool = False
    passive: bool = False  # the subject of "is booked", "is ready": acted on, not acting
    object_of: str | None = None
    listed: bool = False
    verb_after: str | None = None
    paren: str | None = None
    proper: bool = False
    in_brackets: bool = False
    each: bool = False
    possessed: bool = False
    rate: bool = False
    negated: bool = False
    modifiers: frozenset[str] = frozenset()  # verbs used as noun modifiers ("grow" room)
    senses: frozenset[str] = frozenset()  # generic words the idea's domain makes things
    named: object = _UNSET_FIELD


def _is_content(tok: Token) -> bool:
    if tok.kind != "w" or tok.function or tok.verb:
        return False
    if tok.modifier or len(tok.text) >= 2 and tok.text.isupper() and tok.text.isalpha():
        return True  # "FITS images", "PLC events": an acronym names or qualifies a thing
    low = tok.low
    if lx.is_adverb_only(low):
        return False
    return not (lx.is_verb_only(low) and not low.endswith(("ing", "ed")))


def _trailing_modifier(tok: Token) -> bool:
    """Words that qualify but cannot end a noun phrase ("fares *charged*", "must be *observable*")."""
    low = tok.low
    if low in lx.CONTAINERS:
        return False
    if re.match(r"(in|on|off|over|under|out|up)-[a-z]+$", low):
        return True  # "buy ebooks in-app", "pay on-site": where or how, not a thing
    if low.endswith("ed") and "NOUN" not in lx.parts_of_speech(low):
        return True
    if low.endswith("ing") and lx.verb_base(low) and "NOUN" not in lx.parts_of_speech(low):
        return True
    pos = lx.parts_of_speech(low)
    # "doses *taken*", "must be *observable*"; plurals stay ("templates": the lexicon has gaps).
    return bool(pos) and "NOUN" not in pos and not (low.endswith("s") and lx.is_plural(low))


_TIME_UNITS = frozenset(
    [
        "second",
        "seconds",
        "sec",
        "s",
        "minute",
        "minutes",
        "min",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "night",
    ]
)
# What a time adverbial is made of ("Every night,", "On the first Monday,").
_TIME_WORDS = _TIME_UNITS | frozenset(
    ["every", "each", "once", "twice", "a", "an", "the", "at", "on", "in", "morning", "evening",
     "afternoon", "weekend", "nightly", "daily", "weekly", "monthly", "hourly", "yearly", "today",
     "tonight", "then", "first", "later", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "am", "pm", "midnight", "noon"]
)


_IN_VERBS = frozenset(["fill", "fills", "filling", "hand", "hands", "handing", "type", "types", "key"])


# Records named by how often they come: "a weekly summary", "daily logs", "monthly statements".
_PERIODS = frozenset(["daily", "weekly", "monthly", "nightly", "hourly", "yearly", "annual"])
_PERIODIC = frozenset(
    ["report", "summary", "statement", "consumption", "log", "aggregate", "rollup", "digest",
     "snapshot", "total", "reward", "challenge", "quiz", "streak"]
)


def _periodic(run: list[Token], k: int) -> bool:
    """True when run[k] says how often the record just after it comes ("weekly summary")."""
    if run[k].low not in _PERIODS:
        return False
    if k == len(run) - 3 and run[k + 1].low in _FORMATS:
        k += 1  # "a weekly PDF summary"
    return k == len(run) - 2 and lx.noun_lemma(run[k + 1].low) in _PERIODIC


_STATES = frozenset(
    ["ready", "due", "late", "overdue", "available", "done", "missing", "open", "closed", "full",
     "free", "cancelled", "canceled", "approved", "rejected", "confirmed", "finished", "complete"]
)


# ... not what is needed or felt ("puzzles of increasing difficulty are required", "my lad is
# obsessed with trains").
_STATE_OF_MIND = frozenset(
    ["required", "needed", "expected", "allowed", "supposed", "obsessed", "interested", "based",
     "located", "called", "named", "used", "worried", "excited", "tired", "bored", "pleased",
     "involved", "concerned", "limited", "designed", "meant", "intended"]
)


def _passive_subject(tokens: list[Token], k: int) -> bool:
    """ "an alteration is booked in", "their street was last cleared", "a repair is ready": the
    thing before a form of "be" and a participle or a state is what the clause is about."""
    if k + 1 >= len(tokens) or tokens[k].low not in {"is", "are", "was", "were", "gets", "get"}:
        return False
    after = tokens[k + 1]
    if after.low in {"last", "first", "then", "now", "already", "just", "fully"} and k + 2 < len(tokens):
        after = tokens[k + 2]
    return (
        after.kind == "w"
        and after.low not in _STATE_OF_MIND
        and (_participle(after.low) or after.low in _IRREGULAR_PARTICIPLES or after.low in _STATES)
    )


# Words that name no record on their own: verbs, states, days and chat spellings read as nouns.
_NOT_ALONE = frozenset(
    ["keep", "qr", "plain", "stuck", "duplicate", "read", "tonight", "weekend", "sunday",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "decade", "fortnight",
     "everybody", "anybody", "somebody", "nobody", "yes", "okay", "ok", "dont", "wont", "cant",
     "doesnt", "isnt", "ive", "youre", "theyre", "thats", "theres", "shes", "hes",
     "fail", "free", "waiting", "matching", "dev", "ua", "poll", "nogo", "no-go",
     # language codes in "EN/FR/DE"
     "en", "fr", "de", "es", "nl", "pt", "pl", "cy", "gd", "ga", "sv", "da", "fi", "el", "ru",
     "zh", "ja", "ko"]
)
_DRAWN_OUT = re.compile(r"([a-z])\1\1")  # "pleeease", "sooo"


# Words that may stand inside a run of content words without being part of one name.
_NOT_IN_A_NAME = frozenset(
    ["round", "past", "over", "near", "like", "via", "per", "across", "along", "around",
     "million", "thousand", "hundred", "dozen", "couple", "few", "lot", "number"]
)


# Generic words that name a thing of the domain when the idea is about it: "fields" on a farm,
# "problems" on a bouldering wall, "strings" of a harp, "boxes" in a packing room.
_DOMAIN_SENSES = {
    "field": re.compile(
        r"\b(farms?|farmers?|crops?|agronom\w*|soil|harvest\w*|graz\w*|flocks?|sheep|hops|"
        r"potato\w*|ndvi|irrigat\w*|vineyards?|orchards?|livestock|plough\w*|spraying|lambs?)\b"
    ),
    "problem": re.compile(r"\b(boulder\w*|climb\w*|setters?|ascents?)\b"),
    "string": re.compile(
        r"\b(harps?|guitars?|violins?|cellos?|instruments?|tun(e|ing)|marionettes?|puppets?)\b"
    ),
    "box": re.compile(r"\b(pack(s|ing|ed)?|parcels?|shipp\w*|warehouses?|couriers?|removals?)\b"),
    "service": re.compile(
        r"\b(salons?|stylists?|barbers?|groom\w*|plumb\w*|beauty|spa|massages?|nails?|hair\w*|"
        r"handym[ae]n|masons?|valet\w*|tattoo\w*|therap\w*)\b"
    ),
    "control": re.compile(r"\b(orienteer\w*|split times?|course maps?)\b"),
    "landing": re.compile(r"\b(fish\w*|vessels?|skippers?|quay|pilots?|logbooks?|aircraft)\b"),
    "term": re.compile(r"\b(schools?|pupils?|enrol\w*|tuition|semesters?|nurser(y|ies))\b"),
    "object": re.compile(r"\b(museums?|exhibitions?|curators?|galler(y|ies)|artefacts?)\b"),
}


# Senses kept only for the word alone, counted: a salon's "services", "a service" (but "the
# service" or "a machine learning service" is the product).
_SENSES_ALONE = frozenset(["service"])


def _senses(tokens: list[Token]) -> frozenset[str]:
    """The generic words of `_DOMAIN_SENSES` that this idea's domain makes things."""
    joined = " ".join(t.low for t in tokens if t.kind == "w")
    return frozenset(w for w, cue in _DOMAIN_SENSES.items() if w in joined and cue.search(joined))


def _word_by_word(tokens: list[Token], i: int) -> bool:
    """True when token `i` opens "room by room", "segment by segment" (a phrase of its own)."""
    return i + 2 < len(tokens) and tokens[i + 1].low == "by" and tokens[i + 2].low == tokens[i].low


def phrases(tokens: list[Token]) -> list[Phrase]:
    """Noun phrases with what surrounds them (verbs, lists, brackets)."""
    out: list[Phrase] = []
    senses = _senses(tokens)
    i, n = 0, len(tokens)
    while i < n:
        if not _is_content(tokens[i]):
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and _is_content(tokens[j + 1])
            and not tokens[j].possessive
            and not tokens[j + 1].line_start
            and not _word_by_word(tokens, j + 1)  # "the assessment form | room by room"
        ):
            j += 1
        if (
            i < j <= i + 2
            and i > 0
            and tokens[i - 1].low in {"a", "an", "each", "every"}
            and lx.is_plural(tokens[j].low)
            and tokens[j].low not in _SINGULAR_S
            and tokens[j].low not in {"goes", "does", "has", "is", "was", "says"}
            and not tokens[j].text.isupper()
            and not any(
                lx.is_plural(t.low)
                or t.low.endswith(("ing", "ed"))
                or t.low in _NOT_IN_A_NAME
                for t in tokens[i:j]
            )
        ):
            # "save it as a project file colleagues can open", "each time a pallet moves": "a"
            # needs a singular head, so the -s word opens a clause of its own or is its verb.
            lemma = lx.verb_lemma(tokens[j].low)
            if lemma not in {None, tokens[j].low}:
                tokens[j].verb = True
            j -= 1
        run = tokens[i : j + 1]
        while len(run) > 1 and _trailing_modifier(run[-1]):
            run = run[:-1]
        end_index = i + len(run) - 1
        # Leading qualifiers ("new", "public", participles) are not part of a name.
        k = 0
        while k < len(run) - 1 and (
            run[k].low in lx.QUALIFIERS
            or _participle(run[k].low)
            or run[k].low in _IRREGULAR_PARTICIPLES
        ):
            if _periodic(run, k):
                run[k].modifier = True
                break
            k += 1
        kept = run[k:]
        head = kept[-1]
        # "inspection checklists offline": the number is the noun's, not the qualifier's
        number_word = next((t for t in reversed(kept) if t.low not in lx.QUALIFIERS), head)
        phrase = Phrase(
            words=[t.low for t in kept],
            start=run[0].start,
            end=head.end,
            index=end_index,
            first_token=i,
            plural=lx.is_plural(number_word.low) and not number_word.text.isupper(),
            possessive=head.possessive,
            proper=head.proper,
            in_brackets=head.in_brackets,
            modifiers=frozenset(t.low for t in kept if t.modifier),
            senses=senses,
        )
        # What precedes, skipping determiners, numbers and possessive pronouns.
        b = i - 1
        while b >= 0 and (
            tokens[b].low in _DETERMINERS
            or tokens[b].kind == "n"
            or tokens[b].low in {"most", "least"}  # "the most likely disease"
            # "1-5 star ratings", "2–3 photos": a range of numbers
            or (tokens[b].text in {"-", "–", "/"} and b > 0 and tokens[b - 1].kind == "n")
        ):
            if tokens[b].low in {"each", "every", "all"}:
                phrase.each = True
            if tokens[b].low in _DETERMINERS and not phrase.det:
                phrase.det = tokens[b].low
            if tokens[b].low == "no":
                phrase.negated = True
            b -= 1
        if b >= 0 and tokens[b].low in {"without", "not"}:
            phrase.negated = True
        if b >= 1 and tokens[b].low in {"back", "out", "up", "off"} and tokens[b - 1].verb:
            b -= 1  # "get back the disease", "print out the invoice": the verb's object
        elif b >= 1 and tokens[b].low == "in" and tokens[b - 1].low in _IN_VERBS:
            tokens[b - 1].verb = True
            b -= 1  # "fill in checklists", "hand in homework"
        elif (
            b >= 1
            and tokens[b].low in _OBJECT_PRONOUNS
            and tokens[b - 1].verb
            and (lx.verb_base(tokens[b - 1].low) or tokens[b - 1].low) in _GIVING_VERBS
        ):
            b -= 1  # "give it a GPX track", "show them the rota": the thing given
        if b >= 0:
            prev = tokens[b]
            phrase.before = prev.low if prev.kind == "w" else prev.text
            if prev.verb:
                phrase.object_of = lx.verb_base(prev.low) or prev.low
            if prev.possessive and b == i - 1:
                phrase.possessed = True
        if end_index + 1 < n:
            nxt = tokens[end_index + 1]
            phrase.after = nxt.low if nxt.kind == "w" else nxt.text
            if nxt.verb:
                phrase.subject = True
                phrase.verb_after = lx.verb_base(nxt.low) or nxt.low
            elif nxt.kind == "w" and nxt.low in {
                "can",
                "must",
                "should",
                "will",
                "may",
                "could",
                "need",
                "get",
                "want",
            }:
                if end_index + 2 < n and tokens[end_index + 2].verb:
                    phrase.subject = True
                    phrase.verb_after = (
                        lx.verb_base(tokens[end_index + 2].low) or tokens[end_index + 2].low
                    )
            elif _passive_subject(tokens, end_index + 1):
                # "when an alteration is booked in", "a repair is ready": what the clause is
                # about, though it does nothing
                phrase.subject = phrase.passive = True
            elif nxt.text == "(":
                close = next(
                    (
                        x
                        for x in range(end_index + 2, min(n, end_index + 40))
                        if tokens[x].text == ")"
                    ),
                    None,
                )
                if close is not None:
                    phrase.paren = " ".join(t.text for t in tokens[end_index + 2 : close])
            # "3,000 requests per second": a rate, not a thing.
            if phrase.after in {"per", "a", "an", "each", "every", "/"} and end_index + 2 < n:
                counted = (
                    i > 0
                    and tokens[i - 1].kind == "n"
                    or (i > 1 and tokens[i - 1].low in lx.GENERIC and tokens[i - 2].kind == "n")
                )
                phrase.rate = counted and tokens[end_index + 2].low in _TIME_UNITS
        out.append(phrase)
        i = j + 1
    _mark_lists(out, tokens)
    return out


def _mark_lists(found: list[Phrase], tokens: list[Token]) -> None:
    """A phrase is listed when a separator (",", "and", "or", "&", "/") joins it to another."""
    sep_words = {"and", "or", "&", "/", ",", "plus"}
    for a, b in zip(found, found[1:], strict=False):
        between = tokens[a.index + 1 : b.first_token]
        kinds = [t.low if t.kind == "w" else t.text for t in between]
        core = [k for k in kinds if k not in _DETERMINERS]
        if a.object_of and b.subject:
            continue  # "venues publish events, users buy tickets": two clauses, not a list
        if core and all(k in sep_words for k in core):
            a.listed = b.listed = True


# -- candidates -----------------------------------------------------------------------------------


@dataclass
class Candidate:
    key: str  # snake_case singular name
    head: str
    score: float = 0.0
    mentions: int = 0
    source: str = ""
    first: int = 0
    fields: list[str] = field(default_factory=list)
    person: bool = False
    made: bool = False  # someone leaves/writes/submits one: a record, even if a feature word


_SOFT = frozenset(
    [
        "payment",
        "checkout",
        "notification",
        "reminder",
        "search",
        "login",
        "signup",
        "upload",
        "download",
        "export",
        "import",
        "analytics",
        "statistic",
        "alert",
        "message",
        "email",
        "comment",
        "review",
        "rating",
        "chat",
        "support",
        "help",
        "access",
        "update",
        "change",
        "history",
        "feedback",
        "question",
        "answer",
        "information",
        "channel",
    ]
)
# Words that are never entities in their own right: qualities, measures, formats, places in UI,
# platforms and regulations.
_PLATFORMS = frozenset(
    [
        "ios",
        "android",
        "iphone",
        "ipad",
        "windows",
        "macos",
        "linux",
        "mac",
        "browser",
        "safari",
        "firefox",
        "chrome",
        "chromebook",
        "ipados",
        "watchos",
        "alexa",
        "slack",
        "discord",
        "telegram",
        "whatsapp",
        "admin",
    ]
)
# Units, regimes and languages: they neither name a thing nor narrow one ("GDPR candidate data").
_NOT_QUALIFIERS = frozenset(
    ["sec", "secs", "min", "mins", "hr", "hrs", "sign-on", "sign-in", "log-in", "gdpr", "hipaa",
     "ccpa", "ferpa", "pci", "wcag", "english", "french", "spanish", "german", "italian",
     "portuguese", "dutch", "polish", "welsh", "arabic", "japanese", "chinese", "korean",
     "fps", "rps", "qps", "hz", "max", "uk", "us", "eu", "usa", "cms", "lms", "dms", "kilo", "kilos",
     "tonne", "tonnes", "litre", "litres", "g", "kg", "km", "cm", "mm", "m3", "µg", "ug"]
)
_NEVER = lx.GENERIC | _PLATFORMS | _NOT_QUALIFIERS | frozenset(
    [
        "pdf",
        "csv",
        "excel",
        "xml",
        "yaml",
        "html",
        "markdown",
        "sql",
        "ocr",
        "gps",
        "sso",
        "ssl",
        "tls",
        "2fa",
        "mfa",
        "saas",
        "paas",
        "elt",
        "etl",
        "gtfs",
        "api",
        "kpi",
        "sla",
        "tps",
        "rps",
        "qps",
        "rpo",
        "rto",
        "ui",
        "ux",
        "id",
        "uuid",
        "url",
        "ms",
        "http",
        "https",
        "websocket",
        "websockets",
        "webhook",
        "oauth",
        "oauth2",
        "jwt",
        "preview",
        "control",
        "keyboard",
        "mouse",
        "colour",
        "color",
        "speed",
        "background",
        "foreground",
        "style",
        "theme",
        "layout",
        "way",
        "end",
        "start",
        "top",
        "bottom",
        "left",
        "right",
        "middle",
        "side",
        "half",
        "kind",
        "sort",
        "minimum",
        "maximum",
        "default",
        "standard",
        "basis",
        "case",
        "approach",
        "strategy",
        "logic",
        "rule",
        "reason",
        "purpose",
        "goal",
        "benefit",
        "problem",
        "spike",
        "peak",
        "load",
        "failure",
        "loss",
        "downtime",
        "backoff",
        "retry",
        "retries",
        "storage",
        "pagination",
        "hero",
        "footer",
        "header",
        "sidebar",
        "tab",
        "drag",
        "drop",
        "landing",
        "launch",
        "content",
        "contents",
        "model",
        "admin",
        "admins",
        "push",
        "rss",
        "box",
        "bar",
        "button",
        "role",
        "roles",
        "permission",
        "permissions",
        "sign-in",
        "sign-up",
        "log-in",
        "login-in",
        "deduplication",
        "validation",
        "verification",
        "encryption",
        "authentication",
        "authorization",
        "moderation",
        "sharing",
        "matchmaking",
        "syncing",
        "compliant",
        "gdpr",
        "hipaa",
        "pci",
        "dss",
        "soc",
        "iso",
        "ccpa",
        "kafka",
        "rabbitmq",
        "sqs",
        "celery",
        "s3",
        "gcs",
        "bigquery",
        "snowflake",
        "salesforce",
        "shopify",
        "github",
        "en",
        "english",
        "french",
        "german",
        "spanish",
        "italian",
        "japanese",
        "chinese",
        "portuguese",
        "dutch",
        "aim",
        "aims",
        "objective",
        "objectives",
        "goal",
        "goals",
        "purpose",
        "insight",
        "insights",
        "strength",
        "strengths",
        "weakness",
        "weaknesses",
        "trade-off",
        "trade-offs",
        "tradeoff",
        "choice",
        "choices",
        "practice",
        "practices",
        "term",
        "terms",
        "line",
        "lines",
        "overview",
        "introduction",
        "conclusion",
        "criterion",
        "criteria",
        "acceptance",
        "requirement",
        "requirements",
        "constraint",
        "constraints",
        "dependency",
        "dependencies",
        "flexibility",
        "simplicity",
        "reliability",
        "efficiency",
        "accuracy",
        "clarity",
        "customization",
        "customisation",
        "enhancement",
        "enhancements",
        "improvement",
        "improvements",
        "understanding",
        "handling",
        "usage",
        "instance",
        "instances",
        "aspect",
        "aspects",
        "detail",
        "details",
        "manner",
        "means",
        "scope",
        "context",
        "concept",
        "concepts",
        "description",
        "explanation",
        "overview",
        "change",
        "modification",
        "update",
        "hi",
        "hello",
        "hey",
        "im",
        "lol",
        "pls",
        "plz",
        "thanks",
        "thx",
        # chat shorthand: "tho", "rn", "btw", "2 wks", "zero deps"
        "tho",
        "rn",
        "btw",
        "fyi",
        "imo",
        "asap",
        "wk",
        "wks",
        "deps",
        # Libraries, frameworks and tools named as the means, not the domain.
        "curses",
        "ncurses",
        "pygame",
        "tkinter",
        "pyqt",
        "qt",
        "electron",
        "flutter",
        "django",
        "flask",
        "fastapi",
        "react",
        "vue",
        "angular",
        "svelte",
        "redis",
        "postgres",
        "postgresql",
        "mysql",
        "mongodb",
        "sqlite",
        "docker",
        "kubernetes",
        "terraform",
        "jekyll",
        "hugo",
        "mkdocs",
        "numpy",
        "pandas",
    ]
)
# Software words that are things of the domain when listed as such: "tools, borrowers, loans",
# "manage our cases", "each case has a client".
_LISTABLE_GENERIC = frozenset(
    ["tool", "service", "object", "case", "performance", "worker", "box", "tab", "package",
     "application", "environment", "resource", "rule", "error", "database", "queue", "model",
     "component", "workflow", "step", "test", "line", "form", "update", "request", "field",
     "goal", "section", "area", "site", "game", "company", "business", "organisation",
     "organization", "team", "instance", "world", "terminal"]
)
# Records that are kept wherever they are named, even after a preposition.
_STANDING = frozenset(["leaderboard", "scoreboard"])
# Verbs whose object is a record people create: "leave a review", "submit applications".
_MAKING_VERBS = frozenset(
    ["leave", "write", "post", "submit", "give", "add", "create", "file", "send", "approve"]
)
# Units a rate is counted in: "per kilometre" names no record.
_MEASURES = frozenset(
    ["kilometre", "kilometer", "km", "mile", "kg", "kilo", "gram", "litre", "liter", "unit",
     "piece", "head", "cent", "dollar", "euro", "pound", "mb", "gb", "request", "call", "seat"]
)
# Words that name the product, not the domain: "an expense *app*".
_PRODUCT_WORDS = frozenset(["app", "tracker", "game", "bot", "planner", "manager", "logger"])
# ... and those that, after a record, name a product about it ("a booking website").
_RECORD_PRODUCTS = _PRODUCT_WORDS | frozenset(
    ["website", "site", "portal", "platform", "system", "api", "service", "software", "tool"]
)
_MANAGEMENT_PRODUCTS = _PRODUCT_WORDS | frozenset(
    ["system", "platform", "tool", "software", "sim", "simulator", "service", "portal", "api",
     "suite", "solution", "dashboard"]
)
# Heads that keep their format word: "Markdown files", "CSV exports" (a "PDF report" is a report).
_FORMAT_KEEPING = frozenset(["file", "export", "document", "dump", "attachment", "extract"])
# File formats: "invoice PDFs" are invoices.
_FORMATS = frozenset(
    ["pdf", "csv", "json", "xml", "yaml", "yml", "docx", "xlsx", "xls", "dicom", "jpg", "jpeg",
     "png", "txt", "html", "markdown", "parquet", "avro", "svg", "geojson", "dxf", "ifc", "zpl"]
)
# Track and activity formats also name the kind of record ("GPX tracks" are labelled so).
_TRACK_FORMATS = frozenset(["gpx", "kml", "fit", "tcx"])
# Properties that, plural and listed as things, are records: "promo codes", "ticket types".
# Container words that, after a single noun, name a thing of their own.
_MEDIA = frozenset(
    ["photo", "image", "picture", "scan", "x_ray", "video", "recording", "drawing", "sketch"]
)
_MEDIA_VERBS = {"photograph": "photo", "film": "video"}
# Verbs whose object, asked for or told about, is kept as a request or report: "request leave"
# is a leave request, "report a fault" a fault report (base forms only: "it reports errors").
_ASKING_VERBS = frozenset(["request", "report"])
# Records whose name goes on with "of": "proof of delivery", "bill of quantities".
_NAMED_WITH_OF = frozenset(["proof", "bill", "certificate"])
# Properties that, counted, are records of their own: "SKUs", "barcodes", "serial numbers".
# Codes printed on a thing, a field of it when named after it ("the parcel barcode").
_OWNED_CODES = frozenset(["barcode"])
_RECORD_ATTRIBUTES = frozenset(["sku", "barcode", "variant", "version", "tag", "category"])
_LOGGED_EVENTS = frozenset(
    ["flight", "trip", "dive", "ride", "run", "walk", "climb", "sail", "voyage", "journey",
     "training", "workout", "feeding", "treatment", "visit", "shift", "patrol", "delivery",
     "incident", "maintenance", "repair", "inspection", "fishing", "catch", "session", "call"]
)
_THINGS_NOT_VIEWS = frozenset(
    ["list", "lists", "index", "collection", "collections", "map", "maps", "feed", "feeds",
     "registry", "log", "logs", "schedule", "timetable", "agenda", "rota", "roster", "wall"]
)
# ... and these, after a plain noun ("desk bookings", "inspection checklists", "animal profiles":
# desks, inspections and animals are kept too; not "Google Calendar", "coloured profiles").
_ASPECTS = frozenset(
    ["calendar", "checklist", "booking", "profile", "occupancy", "summary", "spec", "specification",
     "outline", "resource", "recommendation", "position"]
)
_THING_ATTRIBUTES = frozenset(
    ["codes", "types", "levels", "tiers", "rates", "categories", "dates", "times", "windows",
     "prices", "counts", "totals", "balances", "deadlines", "positions"]
)
# ... and those that stay records after a longer name ("UN/LOCODE port codes"; "lift pass prices"
# are a property of lift passes).
_KIND_ATTRIBUTES = frozenset(["codes", "types", "tiers", "categories", "levels"])
# "audit log", "activity trail": a feature (audit_log), not a record type of the domain.
_LOG_WORDS = frozenset(["log", "logs", "trail", "trails", "history"])
_LOGGED = frozenset(["audit", "activity", "change", "access", "event"])
_ABSTRACT = re.compile(r"(ity|ness|ism)$")
# The last word before a property that names the property, not a thing ("due date").
_FIELD_PREFIX = frozenset(
    [
        "due",
        "start",
        "end",
        "serial",
        "birth",
        "first",
        "last",
        "full",
        "unit",
        "opening",
        "closing",
        "release",
        "expiry",
        "expiration",
        "publication",
        "phone",
        "zip",
        "postal",
        "tracking",
        "license",
        "licence",
        "registration",
    ]
)
# Other names for the same thing.
_SYNONYMS = {
    "pdf": "document",
    "upvote": "vote",
    "downvote": "vote",
    "pic": "picture",
    "repo": "repository",
    "pr": "pull_request",
    "imagery": "image",
    "doc": "document",
}
# Generic words that still tell one thing from another when they qualify it ("time entries",
# "network ports", "docker images", "support tickets", "workflow runs").
_QUALIFYING_GENERIC = frozenset(
    [
        "time", "day", "week", "month", "year", "network", "docker", "kubernetes", "error",
        "access", "test", "tests", "security", "support", "service", "database", "workflow",
        "integration", "search", "login", "cloud", "feature", "environment", "process", "storage",
        "retry", "maintenance", "form", "field", "traffic", "quality", "game", "case", "cost",
        "data", "availability", "site", "monitoring", "compliance",
    ]
)
_VENDORS = frozenset(
    ["microsoft", "aws", "amazon", "google", "gcp", "azure", "java", "python", "dotnet", ".net",
     "oracle", "sap", "salesforce", "apple", "linux", "windows", "mac", "react", "rails"]
)
# Plural words that name a kind of role: "claims handlers", "accounts clerks".
_PLURAL_MODIFIERS = frozenset(
    ["claims", "accounts", "operations", "parts", "communications", "systems", "events", "arts",
     "sports", "payments", "returns", "admissions", "records", "benefits", "collections"]
)
# Words that look plural but name one thing ("customs documents", "species lists").
_SINGULAR_S = frozenset(
    ["sales", "goods", "news", "customs", "species", "series", "premises", "earnings", "savings",
     "headquarters", "logistics", "physics", "economics", "ethics", "maths", "analytics", "means",
     "gps", "dns",
     # plural forms that stay plural before a noun: "rights holders", "sports club"
     "rights", "sports", "arts", "arms", "clothes", "glasses", "admissions", "careers"]
)
# Containers that are records of a competition: "the league table updates live".
_STANDINGS = frozenset([("league", "table"), ("division", "table"), ("points", "table")])
# Generic heads that a noun before them makes a record of its own: "production line", "fraud
# rules", "consent forms", "incident updates", "benefit applications", "feature flags".
_SPECIFIABLE = frozenset(
    ["line", "rule", "form", "update", "application", "flag", "environment", "error", "policy",
     "term", "change", "request", "step", "test", "case", "resource", "service", "peak", "limit",
     "event", "company", "organisation", "organization", "business", "database", "practice",
     "game", "site", "website", "type", "goal", "style", "object", "screen", "section", "string",
     "script", "cloud"]
)
# ... these only when counted: "a space shooter game" is the product, "board games" are records.
_SPECIFIABLE_WHEN_PLURAL = frozenset(["game", "site", "website"])


def _describes(word: str) -> bool:
    """True for a word that describes ("high", "best", "international") rather than names."""
    pos = lx.parts_of_speech(word)
    return (
        (
            lx.is_adjective(word)
            or word in _RANK_WORDS
            or "ADJ" in pos and word.endswith(("al", "ic", "ous", "ive", "ible", "able", "ese", "ern"))
        )
        and word not in DOMAIN_NOUNS
        and not lx.looks_like_person(word)
        and word not in lx.QUALIFIERS - {"best", "top", "fast"}
        and not word.endswith("ing")
    )


def _qualifies(mod: str) -> bool:
    """True when `mod` before a noun is a noun that narrows it ("time" entry, "fraud" rule)."""
    return (
        (mod not in lx.GENERIC or mod in _QUALIFYING_GENERIC)
        and mod not in lx.QUALIFIERS
        and mod not in _PLATFORMS
        and mod not in _NOT_QUALIFIERS
        and len(mod) > 1
        and not (mod.endswith("ly") and lx.is_adjective(mod))  # "the most likely disease"
        and (not lx.is_verb_only(mod) or mod.endswith("ing") or lx.verb_base(mod) is None)
        and bool(words(mod))
        and not (lx.is_plural(mod) and mod not in _SINGULAR_S)
    )


def _name_of(p: Phrase) -> tuple[str, str, list[str]] | None:
    """(name, head, field words) for a phrase, or None when it names no entity."""
    if p.named is _UNSET_FIELD:
        p.named = _name_of_phrase(p)
    return p.named  # type: ignore[return-value]


# Words generic in software talk that are things of a domain when counted: a court "case", a
# dental "practice", a harp "design", "harp strings", theatre "performances", lifeboat "launches".
_COUNTED_SENSES = frozenset(
    ["case", "practice", "design", "string", "environment", "method", "sign-up", "performance",
     "launch"]
)
_CODE_SENSES = frozenset(["string", "method", "environment"])
_UNCOUNTED_BEFORE = frozenset(
    ["use", "best", "good", "great", "high", "responsive", "in", "any", "poor", "clean", "modern",
     "simple", "overall", "strong", "fast", "better", "low", "minimal", "mobile", "web", "ux",
     "visual", "graphic", "graphical", "system", "software", "peak", "app", "site"]
)


def _counted_sense(p: Phrase, ws: list[str], head: str) -> bool:
    """ "each case", "practices", "hat designs" (not "use case", "best practice", "good
    performance", "in case of"): a generic word counted as a thing of the domain."""
    if head not in _COUNTED_SENSES or p.before in _UNCOUNTED_BEFORE:
        return False
    if len(ws) >= 2:
        mod = ws[-2]
        return mod not in _UNCOUNTED_BEFORE and mod not in _NEVER and not (
            lx.is_adjective(mod) and head in _CODE_SENSES
        )
    if head in _CODE_SENSES:
        return False  # alone, "strings", "methods", "an environment" are talk about code
    return p.plural or p.det in _SINGLE_DETERMINERS or p.before == "per"


def _domain_sense(p: Phrase, head: str) -> bool:
    """ "fields" on a farm, "each field" (not "out in the field", "in the fields"): a generic
    word the idea's domain makes a thing."""
    if head not in p.senses:
        return False
    if head in _SENSES_ALONE and (len(p.words) > 1 or not (p.plural or p.det in {"a", "an", "each"})):
        return False
    return not (p.before in {"in", "into", "from", "at", "out"} and p.det in {"the", ""})


def _peoples_availability(p: Phrase, head: str) -> bool:
    """ "each teacher's availability", "walkers set their availability" (not "99.9%
    availability", "berth availability"): when people are free is a record of theirs."""
    return head == "availability" and bool(
        p.possessed
        or p.det in _POSSESSIVE_DETERMINERS - {"our", "my", "its"}
        or len(p.words) >= 2 and lx.looks_like_person(lx.noun_lemma(p.words[-2]))
    )


_LOT_CLAUSES = frozenset(["that", "which", "they", "they're", "we", "you", "i", "is", "opens", "goes"])


def _plural_of_a_noun(last: str, head: str) -> bool:
    """True when `last` is the plural of a noun that is also a function word ("wells": "as
    well" makes "well" a function word, but a plate has wells)."""
    return (
        last != head
        and last.endswith("s")
        and last not in lx.FUNCTION
        and last not in _PRONOUN_PLURALS
        and "NOUN" in lx.parts_of_speech(last)
    )


# Plurals of function words that stand for something named elsewhere ("the urgent ones").
_PRONOUN_PLURALS = frozenset(["ones", "others", "whats", "ups", "downs", "wills", "ins", "outs"])


def _name_of_phrase(p: Phrase) -> tuple[str, str, list[str]] | None:
    ws = [w for w in p.words if words(w)]
    # Qualifiers after the noun ("checklists available offline") are not part of its name.
    keep = len(ws)
    while keep > 1 and ws[keep - 1] in lx.QUALIFIERS:
        keep -= 1
    if keep < len(ws) and ws[keep - 1] not in lx.QUALIFIERS:
        ws = ws[:keep]
    if not ws or p.proper or p.rate or p.after in {"limit", "limits", "limiting", "limited"}:
        return None
    if len(ws) == 2 and ws[-1] == "shop" and ws[-2] in _VENDORS:
        return None  # "we're a Microsoft shop": what they use, not a shop
    if re.match(r"(us|eu|ap|sa|ca|me|af|uk)-[a-z]+-\d$", ws[-1]):
        return None  # "eu-west-1": a region
    if ws[-1] in {"shop", "store", "site", "app", "portal"} and any(
        w in {"web", "online", "e-commerce", "mobile", "app", "webshop"} for w in ws[:-1]
    ):
        return None
    if p.negated or (p.object_of == "keep" and p.words == ["track"]):
        return None  # "no payments"; "keeps track of" is not about tracks
    if ws == ["lot"] and (
        p.det == "a" and p.after not in _LOT_CLAUSES
        or p.det == "the" and not p.possessive and (p.after in _PREPOSITIONS or p.after == ".")
    ) or ws[-1] == "lots" and p.after == "of":
        # "lots of photos", "helps a lot", "export the lot to CSV" (but "each lot", "sold lots")
        return None
    if (
        len(ws) == 1
        and p.after == "of"
        and (ws[0] in lx.CONTAINERS or lx.noun_lemma(ws[0]) in lx.CONTAINERS)
    ):
        return None  # "a gallery of projects" is about the projects
    if (
        len(ws) >= 2
        and ws[-1] in _RECORD_PRODUCTS
        and ws[-2] in DOMAIN_NOUNS
        and not p.proper
        and not (ws[-1] == "manager" and (p.each or p.subject or p.plural or p.possessive))
    ):
        # "an expense app", "a habit tracker", "a snake game": the product named by its record
        # ("each location manager", "managers approve": people, not a product).
        return ws[-2], ws[-2], []
    if (
        len(ws) >= 3
        and ws[-2] == "management"
        and ws[-1] in _MANAGEMENT_PRODUCTS
        and "NOUN" in lx.parts_of_speech(ws[-3])
        and not ws[-3].endswith("ing")
        and ws[-3] not in _NEVER
    ):
        # "a vineyard management sim", "fleet management software": the thing managed.
        head = lx.noun_lemma(ws[-3])
        return head, head, []
    if len(ws) >= 2 and lx.noun_lemma(ws[-1]) in _FORMATS and ws[-2] not in _FORMATS:
        ws = ws[:-1]  # "handbook PDFs" are handbooks ("Markdown files" stay files)
    elif (
        len(ws) >= 2
        and ws[-2] in _FORMATS
        and lx.noun_lemma(ws[-1]) not in _FORMAT_KEEPING
        and lx.noun_lemma(ws[-1]) not in _FORMATS
    ):
        ws = [*ws[:-2], ws[-1]]  # "a PDF report", "a PDF statement": the format is a detail
    if (
        (len(ws) == 2 or len(ws) > 2 and ws[-1] in _KIND_ATTRIBUTES)
        and p.plural
        and ws[-1] in _THING_ATTRIBUTES
        and (p.listed or p.object_of or p.subject or p.before == "into")
        and ws[-2] not in _FIELD_PREFIX
        and not lx.looks_like_person(ws[-2])
    ):
        # "promo codes", "ticket types" listed as things: records of their own.
        return "_".join([ws[-2], lx.noun_lemma(ws[-1])]), lx.noun_lemma(ws[-1]), []
    if ws[-1] in _LOGGED and p.after in _LOG_WORDS or (
        len(ws) >= 2 and ws[-1] in _LOG_WORDS and ws[-2] in _LOGGED
    ):
        return None
    attrs: list[str] = []
    if len(ws) >= 2 and ws[-2] in _FIELD_PREFIX and lx.noun_lemma(ws[-1]) in lx.ATTRIBUTES:
        attrs.append(f"{ws[-2]}_{lx.noun_lemma(ws[-1])}")
        ws = ws[:-2]
        if not ws:
            if p.plural and (p.object_of or p.listed or p.subject) and p.before != "with":
                # "validating phone numbers": nothing owns them here, they are the thing
                return attrs[0], lx.noun_lemma(p.words[-1]), []
            return None
    # A property word at the end makes a field of what precedes ("claim status").
    before_attrs = ws
    while (
        len(ws) >= 2
        and (
            ws[-1] in lx.ATTRIBUTES
            or lx.noun_lemma(ws[-1]) in lx.ATTRIBUTES
            or lx.noun_lemma(ws[-1]) in _OWNED_CODES and not _describes(ws[-2])
        )
        # "feature flags": a generic word owns no property, the two name a thing
        and not (ws[-2] in lx.GENERIC and lx.noun_lemma(ws[-1]) in _SPECIFIABLE)
    ):
        attrs.insert(0, lx.noun_lemma(ws[-1]))
        ws = ws[:-1]
    if (
        attrs
        and (p.plural or p.listed or p.object_of or p.subject or p.after in {"table", "list"})
        and all(_describes(w) for w in ws)
    ):
        # "high scores", "best times", "international phone numbers": nothing is left to own
        # the property, so the property with its describing words is the thing.
        kept = [*ws, *words(attrs[0])]
        return "_".join(kept), lx.noun_lemma(before_attrs[-1]), []
    shifted = False
    own_thing = False
    before_shift = ws
    while (
        len(ws) >= 2
        and (ws[-1] in lx.CONTAINERS or lx.noun_lemma(ws[-1]) in lx.CONTAINERS)
        and (ws[-2], lx.noun_lemma(ws[-1])) not in _STANDINGS
    ):
        ws = ws[:-1]
        shifted = True
    if shifted and (ws[-1] in _NEVER or lx.noun_lemma(ws[-1]) in _NEVER):
        ws, shifted = before_shift, False  # "site logs" are logs: "site" alone names nothing
    elif (
        shifted
        and len(before_shift) == len(ws) + 1
        and before_shift[-1] in _THINGS_NOT_VIEWS
        and (
            ws[-1] not in DOMAIN_NOUNS
            # "flight logs", "trip logs": a log of what happens is a record of its own
            or before_shift[-1] in {"log", "logs"} and lx.noun_lemma(ws[-1]) in _LOGGED_EVENTS
        )
        and not lx.looks_like_person(lx.noun_lemma(ws[-1]))
    ):
        # "the shopping list", "a bin collection", "the vegetation index": the thing itself,
        # not a view of shoppings or bins (a product list is about products).
        ws, shifted = before_shift, False
        own_thing = True
    last = ws[-1]
    if "-" in last:  # "next-piece" -> piece, "power-ups" -> power-up
        pieces = [w for w in last.split("-") if w not in lx.QUALIFIERS]
        last = "-".join(pieces) if pieces else last
    head = _SYNONYMS.get(lx.noun_lemma(last), lx.noun_lemma(last))
    if len(ws) == 1 and not lx.parts_of_speech(last):
        head = _spelled(head)
    listed_thing = head in _LISTABLE_GENERIC and (
        p.each
        or (p.plural and (p.listed or p.object_of is not None or p.subject))
        or p.before == "per"  # "checklists per site": a dimension counted
    ) or (
        len(ws) >= 2
        and not shifted
        and head in _SPECIFIABLE
        and (p.plural or head not in _SPECIFIABLE_WHEN_PLURAL)
        and (ws[-2] not in _NEVER or ws[-2] in _QUALIFYING_GENERIC)
        and _qualifies(ws[-2])
        and ("NOUN" in (lx.parts_of_speech(ws[-2]) or {"NOUN"}) or ws[-2].endswith("ing"))
        and not lx.is_adjective(ws[-2])
    )
    if (head in _NEVER or last in _NEVER) and not (
        listed_thing
        or own_thing
        or _counted_sense(p, ws, head)
        or _domain_sense(p, head)
        or _peoples_availability(p, head)
    ) or len(head) < 2 or head in lx.FUNCTION and not _plural_of_a_noun(last, head):
        return None
    if (
        head in lx.QUALIFIERS
        and not (last != head and lx.is_plural(last) and "NOUN" in lx.parts_of_speech(head))
        or lx.is_adjective(head)
        and not lx.can_be_noun(head)
        # an adjective takes no plural: "unlock accessories", "the essentials" are things
        and not (p.plural and ws[-1] != head and not ws[-1].endswith(("ss", "us", "is")))
    ):
        return None  # "new", "live" (but "manuals", "traffic lights" are things)
    if len(ws) == 1 and (head in _NOT_ALONE or ws[0] in _NOT_ALONE or _DRAWN_OUT.search(head)):
        return None  # "keeps working", "scan its QR code", "gets stuck", "dont"
    if len(ws) == 1 and head in _RANK_WORDS - {"best"}:
        return None  # "low and high estimates": describing words left alone
    if _ABSTRACT.search(head) and not p.plural and not _peoples_availability(p, head):
        return None  # "flexibility", "awareness": qualities, not things
    pos = lx.parts_of_speech(last)
    if len(ws) == 1 and pos and "NOUN" not in pos and not lx.is_plural(last):
        return None  # "built", "taken": not a thing
    if (
        head in lx.ATTRIBUTES
        and len(ws) == 1
        and not (head == "email" and (p.object_of or p.subject))
        and not (head in _RECORD_ATTRIBUTES and p.plural)  # "stock per SKU", "our SKUs"
        # "flags with percentage rollouts": listed with properties of their own, a record
        and not (p.plural and p.after == "with" and (p.listed or p.object_of))
    ):
        return None
    if last.endswith("ed") and "NOUN" not in lx.parts_of_speech(last):
        return None
    modifier = ""
    if len(ws) >= 2 and not shifted or len(ws) >= 2 and ws[-2] not in lx.CONTAINERS:
        mod = ws[-2]
        if _qualifies(mod) or mod in p.modifiers:
            modifier = mod
        elif lx.looks_like_person(head) and mod in _PLURAL_MODIFIERS:
            modifier = lx.noun_lemma(mod)  # "claims handlers", "accounts clerks": a role
    outer = ws[-3] if modifier and len(ws) >= 3 else ""
    if outer and not (
        _qualifies(outer)
        and "NOUN" in lx.parts_of_speech(outer)
        and not lx.is_adjective(outer)
        and not outer.endswith(("ing", "ed"))
        and not lx.looks_like_person(outer)
        and outer not in _NEVER
    ):
        outer = ""  # "soil moisture readings" keep both qualifiers; "incoming claim forms" not
    parts = [*words(outer), *words(modifier), *words(head)] if modifier else words(head)
    name = "_".join(parts)
    if name in _NOT_QUALIFIERS or re.fullmatch(r"[a-z][0-9]?", name):
        return None  # "m³", "µg": a unit
    return name, head, attrs


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=4096)
def _spelled(word: str) -> str:
    """A familiar record noun one typo away from an unknown word ("apointment" -> appointment),
    else the word. Only for words of six letters or more, where a slip is unlikely to make
    another real word."""
    if not 6 <= len(word) <= 20 or word in DOMAIN_NOUNS:
        return word
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    edits |= {a + c + b for a, b in splits for c in _LETTERS}
    known = sorted(e for e in edits if e in DOMAIN_NOUNS or e in lx.PEOPLE)
    return known[0] if len(known) == 1 else word


def _bracketed_lists(found: list[Phrase], text: str) -> set[int]:
    """Indexes of phrases in brackets that list things: "a league (teams, players, fixtures)".

    Brackets that hold two or more plural nouns, none of them a property, name records of their
    own; other brackets hold fields ("(name, date)") or kinds ("emails (welcome, receipts)").
    """
    groups: dict[int, list[int]] = {}
    for idx, p in enumerate(found):
        if p.in_brackets:
            groups.setdefault(text.rfind("(", 0, p.start), []).append(idx)
    out: set[int] = set()
    for members in groups.values():
        phrases_in = [found[i] for i in members]
        if len(phrases_in) >= 2 and all(
            q.plural
            and q.words
            and (
                lx.noun_lemma(q.words[-1]) not in lx.ATTRIBUTES
                or lx.noun_lemma(q.words[-1]) in _RECORD_ATTRIBUTES
            )
            for q in phrases_in
        ):
            out.update(members)
    return out


def find_candidates(text: str) -> tuple[list[Candidate], list[Phrase]]:
    """Every noun phrase that may name an entity, with the evidence for it."""
    cands, found, _ = _candidates(text)
    return cands, found


# Generic words after which the noun before them is the thing: "desk availability", "event info",
# "carrier APIs", "schema validation" (not "an inventory API", "a booking system": the product).
_GENERIC_AFTER_THING = frozenset(
    ["availability", "info", "information", "apis", "usage", "validation", "sql", "details",
     "upload", "uploads"]
)


def _thing_behind_generic(cands: dict[str, Candidate], p: Phrase, text: str) -> None:
    """A candidate for the noun before a generic word that names nothing on its own."""
    if len(p.words) < 2 or p.words[-1] not in _GENERIC_AFTER_THING or p.proper:
        return
    mod = p.words[-2]
    if not _qualifies(mod) or mod in _NEVER or "NOUN" not in lx.parts_of_speech(mod):
        return
    lemma = lx.noun_lemma(mod)
    if not words(lemma) or lemma in _NEVER or _ABSTRACT.search(lemma):
        return  # (not "accessibility info")
    cand = _candidate(cands, lemma, lemma, p, text)
    cand.score += 1.0


# Property words that name records of their own when listed with things (measured: prices,
# dates, phones listed so are labelled records in 3 of 40 ideas; these in 9 of 12).
_LISTABLE_PROPERTIES = frozenset(["deadline", "balance", "salary", "title"])


def _listed_property(cands: dict[str, Candidate], found: list[Phrase], idx: int, text: str) -> None:
    """A property word listed among things is one of them: "matters, clients, deadlines and
    court dates", "employees, salaries, pay runs" (but "names, emails and phones" are fields)."""
    p = found[idx]
    if not (p.listed and p.plural and len(p.words) == 1 and not p.in_brackets):
        return
    head = lx.noun_lemma(p.words[0])
    if head not in _LISTABLE_PROPERTIES:
        return
    things = [
        q
        for q in (found[idx - 1] if idx else None, found[idx + 1] if idx + 1 < len(found) else None)
        if q is not None
        and q.listed
        and q.words
        and lx.noun_lemma(q.words[-1]) not in lx.ATTRIBUTES
        and _name_of(q) is not None
    ]
    if things:
        cand = _candidate(cands, head, head, p, text)
        cand.score += 3.5  # as a listed plural thing would score


def _format_sharing_a_head(found: list[Phrase], idx: int) -> Phrase:
    """A format before "and"/"or" shares the next format's head ("GPX and FIT files" are GPX
    files and FIT files), and so does a compound before readings or events ("soil moisture +
    rain gauge readings")."""
    p = found[idx]
    nxt = found[idx + 1] if idx + 1 < len(found) else None
    if nxt is None or nxt.start - p.end > 6 or not nxt.plural or p.plural:
        return p
    head = lx.noun_lemma(nxt.words[-1])
    if (
        len(p.words) == 1
        and (p.words[0] in _FORMATS or p.words[0] in _TRACK_FORMATS)
        and p.after in {"and", "or", "/", "+", "&"}
        and len(nxt.words) == 2
        and head in _FORMAT_KEEPING
    ) or (
        # "soil moisture + rain gauge readings": moisture readings and rain gauge readings
        len(p.words) >= 2
        and not p.det
        and p.after in {"and", "+", "&"}
        and len(nxt.words) >= 2
        and head in _FROM_A_SOURCE
    ):
        return replace(p, words=[*p.words, nxt.words[-1]], plural=True, named=_UNSET_FIELD)
    return p


_CHECK_FORMS = frozenset(["check", "checks", "checking", "checked"])


def _checked_in(tokens: list[Token], cands: dict[str, Candidate], text: str) -> None:
    """People who check in ("check in with a QR code", "the desk checks them in", "children
    checked in by a parent") leave a record of it: a check-in (not "check in on a neighbour")."""
    for i, tok in enumerate(tokens[:-1]):
        if tok.low not in _CHECK_FORMS:
            continue
        k = i + 1
        if tokens[k].low in _OBJECT_PRONOUNS or (
            tokens[k].kind == "w"
            and lx.is_plural(tokens[k].low)
            and lx.looks_like_person(lx.noun_lemma(tokens[k].low))
        ):
            k += 1  # "check them in", "check members in" (books checked in and out are loans)
        if k >= len(tokens) or tokens[k].low != "in":
            continue
        after = tokens[k + 1] if k + 1 < len(tokens) else _EDGE
        if after.low == "a" and k + 2 < len(tokens) and tokens[k + 2].low == "row":
            continue  # "fails two checks in a row"
        if after.low == "on" or after.low == "with" and any(
            lx.looks_like_person(lx.noun_lemma(t.low)) for t in tokens[k + 2 : k + 4] if t.kind == "w"
        ):
            continue  # "check in on their neighbours", "check in with the coach"
        cand = cands.get("check_in")
        if cand is None:
            cand = cands["check_in"] = Candidate(
                key="check_in", head="check_in", first=tok.start, source=text[tok.start : tokens[k].end]
            )
        cand.mentions += 1
        cand.score += 2.0


_OWNERS_DETERMINERS = frozenset(["their", "its", "your"])


def _candidates(text: str) -> tuple[list[Candidate], list[Phrase], list[Token]]:
    tokens = tokenize(text)
    mark_verbs(tokens)
    found = phrases(tokens)
    cands: dict[str, Candidate] = {}
    users_managed = False
    people_of: set[str] = set()
    groups: set[str] = set()
    for idx in range(len(found)):
        found[idx] = _format_sharing_a_head(found, idx)
    listed_in_brackets = _bracketed_lists(found, text)
    for idx, p in enumerate(found):
        if p.in_brackets and idx not in listed_in_brackets:
            continue  # brackets after a noun hold its fields or kinds, read with that noun
        named = _name_of(p)
        if named is None:
            _thing_behind_generic(cands, p, text)
            _listed_property(cands, found, idx, text)
            continue
        name, head, attrs = named
        if name in _MEDIA and p.after == "of" and idx + 1 < len(found):
            # "a photo of a houseplant leaf" is a leaf photo (the leaf stays a thing of its own)
            subject = _name_of(found[idx + 1])
            if subject is not None and found[idx + 1].start - p.end <= 16:
                name = f"{subject[1]}_{head}".replace("-", "_")
        elif head in _NAMED_WITH_OF and p.after == "of" and idx + 1 < len(found):
            # "a proof of delivery", "the bill of materials": one record, named with its "of"
            nxt_phrase = found[idx + 1]
            subject = _name_of(nxt_phrase)
            if nxt_phrase.start - p.end <= 5 and nxt_phrase.words:
                # "quantities", "materials" name no record alone, but they finish this name
                of_what = subject[0] if subject else lx.noun_lemma(nxt_phrase.words[-1])
                name = f"{name}_of_{of_what}"
        # What is photographed, asked for or told about is kept as a photo, request or report
        # of it ("farmers photograph a leaf": leaves and leaf photos), beside the thing itself.
        if p.object_of in _MEDIA_VERBS and head not in _MEDIA:
            kept_as: str | None = f"{name}_{_MEDIA_VERBS[p.object_of]}"
        elif (
            p.before in _ASKING_VERBS
            and p.object_of == p.before
            and not lx.looks_like_person(head)
            and head not in _ASKING_VERBS
        ):
            kept_as = f"{name}_{p.before}"
        else:
            kept_as = None
        # A person that qualifies a thing ("customer addresses"): both are entities.
        parts = name.split("_")
        if (
            len(parts) == 2
            and parts[0] in lx.PEOPLE
            and parts[1]
            not in {
                "record", "detail", "account", "data", "support", "company", "organisation",
                "organization", "business", "firm", "club", "group", "team", "charity", "shop",
                "store", "school", "clinic", "practice", "venue", "site", "hospital", "agency",
                "restaurant", "cafe", "gym", "library", "museum", "network", "portal", "handbook",
                "manual", "guide", "policy", "contract", "directory", "newsletter", "survey",
            }
            and parts[1] not in lx.PEOPLE
        ):
            person = _candidate(cands, parts[0], parts[0], p, text)
            person.score += 1.5
            person.person = True
        cand = _candidate(cands, name, head, p, text)
        if name in _COLLECTIVES:
            if not p.plural and (p.det == "the" or p.det in _POSSESSIVE_DETERMINERS):
                people_of.add(name)  # "meet the team", "the boat and its crew"
            else:
                groups.add(name)  # "teams", "a crew", "each team": groups of their own
        cand.fields.extend(a for a in attrs if a not in cand.fields)
        if attrs:
            cand.score += 1.0  # it has properties of its own ("claim status"): a record
        # A familiar record named as a qualifier ("appointment reminders") is one too, and so
        # is the thing a map, feed or registry is of ("trail maps": trails and their maps).
        if (
            len(parts) == 2
            and parts[1] in _THINGS_NOT_VIEWS
            and parts[0] != head
            and parts[0] not in _PERIODS
            and (parts[0] not in _NEVER or parts[0] in lx.GENERIC)  # not "the GTFS feed"
            and not (parts[0].endswith("ing") and not lx.can_be_noun(parts[0]))  # "waiting list"
        ) or (
            len(parts) == 2
            and parts[1] in _ASPECTS
            and not p.proper
            and "NOUN" in lx.parts_of_speech(parts[0])
            and not lx.is_adjective(parts[0])
            and not parts[0].endswith(("ing", "ed"))
            and parts[0] not in _PLATFORMS
        ):
            qualifier = _candidate(cands, parts[0], parts[0], p, text)
            qualifier.score += 1.5
        elif len(parts) == 2 and parts[0] in DOMAIN_NOUNS and parts[0] != head:
            qualifier = _candidate(cands, parts[0], parts[0], p, text)
            qualifier.score += 1.0
        if head in _FROM_A_SOURCE and p.plural:
            # "smart-meter readings", "shipment milestone events", "vessel arrivals": the thing
            # the records come from is kept too.
            # (a participle is stripped from the name: "shipment-created events" are events)
            surface = [t.low for t in tokens[p.first_token : p.index] if t.kind == "w"]
            for source in _sources(p.words[:-1] or surface):
                _candidate(cands, source, source, p, text).score += 1.5 if p.words[:-1] else 2.5
        cand.person = cand.person or _is_person(name)
        cand.made = cand.made or p.object_of in _MAKING_VERBS
        shifted = len(p.words) >= 2 and lx.noun_lemma(p.words[-1]) in lx.CONTAINERS
        score = 0.0
        if p.plural:
            score += 2.0
        if p.det in _OWNERS_DETERMINERS and not p.plural:
            # "boats book their berth", "each van and its route": a thing someone owns is kept
            # (measured: 27 labels for 34 junk names over the labelled ideas)
            score += 1.0
        if p.before == "next":
            score += 1.0  # "the next sailing", "skip to the next song": one of many kept

        if p.listed:
            score += 1.5
        if p.subject:
            score += 2.0
        if p.object_of:
            score += 1.5
        if p.paren is not None:
            score += 3.0
        if shifted:
            score += 1.5
        if len(p.words) >= 2 and p.words[-1] in _PRODUCT_WORDS or (
            len(p.words) >= 3 and p.words[-2] == "management" and p.words[-1] in _MANAGEMENT_PRODUCTS
        ):
            score += 1.5  # "an expense app", "a fleet management tool": about these records
        if p.each or p.possessed or p.possessive:
            score += 1.5  # "each member", "a member's loans": records owning or owned
        if p.before == "which" and not p.plural:
            score += 2.5  # "says which slide", "which disease it has": the thing asked about
        if p.before == "per" and head not in _TIME_UNITS and head not in _MEASURES:
            score += 1.5  # "quota per species", "hours per subcontractor": a dimension kept
        elif p.before == "by" and p.plural and lx.looks_like_person(head) and _agent_of(tokens, p):
            pass  # "programmes written by coaches": the people who make them
        elif (
            p.before == "by"
            and not p.plural
            and head not in _MEANS
            and head not in _TIME_UNITS
            and head not in _MEASURES
            and not _agent_of(tokens, p)
        ):
            score += 1.0  # "sales by branch", "search by ingredient": a dimension kept
        elif p.before in {"by", "per"}:
            score -= 2.0
        elif p.before in {"for", "like"} and not (p.plural or shifted or p.each):
            score -= 1.5
        elif p.before in {
            "to",
            "into",
            "from",
            "in",
            "on",
            "via",
            "through",
            "over",
            "at",
        } and not (p.plural or p.listed or p.each):
            score -= 1.0
        if (
            not p.plural
            and lx.looks_like_person(head)
            and head not in {"user", "person", "people", "someone", "anyone", "everyone"}
            and (
                p.before in {"with", "to"}
                and p.det in _PERSON_DETERMINERS
                or p.object_of in _REACHED
            )
        ):
            # "chat with their adjuster", "email it to the policyholder", "emails the donor":
            # a person the product keeps in touch with is one of its records.
            score += 2.5
        if cand.key == "user":
            # Users are the audience unless the idea makes them records it manages.
            managed = (
                p.listed
                or p.paren is not None
                or p.possessive  # "remembers each user's dietary restrictions"
                or p.object_of
                in {
                    "manage",
                    "create",
                    "invite",
                    "add",
                    "delete",
                    "list",
                    "register",
                    "ban",
                    "block",
                    "edit",
                }
            )
            score = 3.0 if managed else 0.0
            users_managed = users_managed or bool(managed)
        cand.score += score
        if kept_as:
            _candidate(cands, kept_as, kept_as.rsplit("_", 1)[1], p, text).score += score
    if len(text) >= DOCUMENT_CHARS:
        _document_identifiers(text, cands)
    _checked_in(tokens, cands, text)
    for cand in cands.values():
        if cand.mentions > 1:
            cand.score += min(cand.mentions - 1, 2)
        if cand.head in DOMAIN_NOUNS:
            cand.score += 1.0
        if cand.head in _SOFT and not cand.made:
            cand.score -= 1.5
        if cand.head in _STANDING:
            cand.score = max(cand.score, MIN_SCORE)  # "goes up on a leaderboard"
    if "user" in cands and not users_managed:
        cands["user"].score = 0.0  # the audience, however often named
    people = [k for k in cands if k == "staff" or k.endswith("_staff")] + sorted(people_of - groups)
    for key in people:
        # "staff", "the team" name the people together; a record is one of them: a staff member.
        cand = cands.pop(key)
        cand.key = f"{key}_member"
        cands.setdefault(cand.key, cand)
    if "score" in cands:
        kind = score_kind(text)
        if kind and f"{kind}_score" not in cands:
            # "scores loan applications for default risk ... explains each score": a risk score
            cand = cands.pop("score")
            cand.key = f"{kind}_score"
            cands[cand.key] = cand
    return list(cands.values()), found, tokens


_SCORE_KINDS = re.compile(
    r"\b(fraud|risk|churn|credit|lead|health|sentiment|propensity)[- ]scor(?:e|es|ing)\b|"
    r"\bscor(?:e|es|ing)\b[^.;]{0,60}?\bfor (?:[\w-]+ )?(fraud|risk|churn)\b"
)


def score_kind(text: str) -> str | None:
    """What a score in the idea measures, when it says ("fraud scoring", "score ... for risk")."""
    match = _SCORE_KINDS.search(text.lower())
    if match is None:
        return None
    return match.group(1) or match.group(2)


_PERSON_DETERMINERS = frozenset(["the", "their", "a", "an", "his", "her", "your", "our", "its", "each"])
_REACHED = frozenset(
    ["email", "text", "notify", "message", "call", "remind", "alert", "invoice", "page", "contact"]
)

DOCUMENT_CHARS = 800
_CAMEL = re.compile(
    r"\b[A-Z][A-Za-z0-9]*[a-z0-9][A-Z][A-Za-z0-9]*\b|\b[A-Z]{2,}[a-z][A-Za-z0-9]*\b"
)
_CLASS_CUE = re.compile(
    r"\b(?P<names>[A-Z]\w*(?:\s*(?:,|and)\s*[A-Z]\w*)*)\s+(?:base |abstract |derived |main )?class(?:es)?\b"
    r"|\bclass(?:es)?\s+(?:called\s+|named\s+)?(?P<name>[A-Z]\w*)"
)
# Names of products, languages and formats that are written in CamelCase but are no classes.
_PRODUCT_NAMES = frozenset(
    [
        "javascript",
        "typescript",
        "github",
        "gitlab",
        "postgresql",
        "mysql",
        "mongodb",
        "sqlite",
        "nosql",
        "graphql",
        "oauth",
        "pypi",
        "numpy",
        "scipy",
        "pytorch",
        "tensorflow",
        "fastapi",
        "bigquery",
        "dynamodb",
        "cloudfront",
        "youtube",
        "linkedin",
        "whatsapp",
        "iphone",
        "ipad",
        "ios",
        "macos",
        "sendgrid",
        "pagerduty",
        "huggingface",
        "openai",
        "chatgpt",
        "powerpoint",
        "jetbrains",
        "intellij",
        "vscode",
        "devops",
        "websocket",
        "websockets",
        "junit",
        "pytest",
        "gtest",
        "cmake",
        "readme",
        "mkdocs",
        "docusaurus",
        "nodejs",
        "reactjs",
        "vuejs",
        "nextjs",
        "jquery",
        "webpack",
        "unittest",
        "markdown",
        "jsonschema",
        "restapi",
        "api",
        "apis",
        "html",
        "css",
        "url",
        "urls",
        "uuid",
        "json",
        "yaml",
        "xml",
        "csv",
        "pdf",
    ]
)


def _document_identifiers(text: str, cands: dict[str, Candidate]) -> None:
    """In a long document, names written as identifiers ("RedisConfig", "the Shape class")
    are the things the document designs."""
    counts: dict[str, int] = {}
    firsts: dict[str, int] = {}
    for match in _CAMEL.finditer(text):
        counts[match.group(0)] = counts.get(match.group(0), 0) + 1
        firsts.setdefault(match.group(0), match.start())
    for match in _CLASS_CUE.finditer(text):
        raw = match.group("names") or match.group("name") or ""
        for name in re.split(r"\s*(?:,|and)\s*", raw):
            if name and name.lower() not in {"the", "a", "this", "each", "base", "main"}:
                counts[name] = counts.get(name, 0) + 2
                firsts.setdefault(name, match.start())
    for name, count in counts.items():
        key = "_".join(words(name))
        if not key or name.lower() in _PRODUCT_NAMES or key in _NEVER or name.isupper():
            continue
        cand = cands.get(key)
        if cand is None:
            cand = cands[key] = Candidate(
                key=key, head=key.rsplit("_", 1)[-1], first=firsts[name], source=name
            )
        cand.score += 2.5 + (2.5 if count >= 2 else 0)
        cand.mentions += count


# Records that come from a thing named before them.
_FROM_A_SOURCE = frozenset(
    ["reading", "measurement", "event", "ping", "sample", "arrival", "departure", "observation"]
)


# What happened, named before "events": "click events", "parcel scan events".
_EVENT_KINDS = frozenset(["click", "tap", "scroll", "view", "page", "search", "swipe", "key", "scan"])


def _sources(qualifiers: list[str]) -> list[str]:
    """The noun qualifying a record that names the thing it comes from ("meter" readings)."""
    out: list[str] = []
    if len(qualifiers) == 2 and qualifiers[1] in _EVENT_KINDS:
        qualifiers = qualifiers[:1]  # "parcel scan events" come from parcels
    if len(qualifiers) != 1:
        return out  # "soil moisture readings" come from no thing
    for word in qualifiers:
        parts = word.split("-")
        if len(parts) == 2 and (_participle(parts[1]) or parts[1] in _IRREGULAR_PARTICIPLES):
            parts = parts[:1]  # "shipment-created events" come from shipments
        for part in parts[-1:]:
            lemma = lx.noun_lemma(part)
            pos = lx.parts_of_speech(part)
            if (
                pos
                and "NOUN" in pos
                and "ADJ" not in pos
                and lemma not in _NEVER
                and lemma not in lx.ATTRIBUTES
                and lemma not in lx.QUALIFIERS
                and lemma not in _FROM_A_SOURCE
                and lemma not in _EVENT_KINDS
                and not part.endswith(("ing", "ed"))
                and len(lemma) > 2
                # "shipment", "payment" only spell like people ("student", "agent")
                and not (lx.looks_like_person(lemma) and not lemma.endswith("ment"))
            ):
                out.append(lemma)
    return out


def _candidate(
    cands: dict[str, Candidate], name: str, head: str, p: Phrase, text: str
) -> Candidate:
    cand = cands.get(name)
    if cand is None:
        cand = cands[name] = Candidate(
            key=name, head=head, first=p.start, source=text[p.start : p.end]
        )
    cand.mentions += 1
    return cand


# -- entities -------------------------------------------------------------------------------------


@dataclass
class EntityDraft:
    key: str
    source: str
    score: float
    fields: list[EntityField] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)


def select(cands: list[Candidate], *, limit: int = MAX_ENTITIES) -> list[Candidate]:
    """The candidates with enough evidence, merged by head, in order of first mention."""
    # A bare head mentioned alongside a qualified form is the same thing ("sessions" after
    # "workout sessions"); keep the qualified name.
    by_head: dict[str, list[Candidate]] = {}
    for c in cands:
        by_head.setdefault(c.head, []).append(c)
    merged: list[Candidate] = []
    for group in by_head.values():
        bare = next((c for c in group if c.key == "_".join(words(c.head))), None)
        qualified = [c for c in group if c is not bare]
        if bare is not None and qualified:
            best = max(qualified, key=lambda c: (c.score, -c.first))
            if best.score + bare.score >= MIN_SCORE and len(qualified) == 1:
                best.score += bare.score
                best.mentions += bare.mentions
                best.first = min(best.first, bare.first)
                best.fields.extend(f for f in bare.fields if f not in best.fields)
                merged.extend(qualified)
                continue
        merged.extend(group)
    keep = [c for c in merged if c.score >= MIN_SCORE]
    keep.sort(key=lambda c: (-c.score, c.first))
    keep = keep[:limit]
    keep.sort(key=lambda c: c.first)
    return keep


_ENUM_LIST = re.compile(
    r"\b(?P<attr>status|state|priority|stage|role|level|tier|severity|type|kind)(?:es|s)?\b"
    r"\s*(?:\(|:|\bof\b|\bis one of\b|\bcan be\b|\beither\b|\bsuch as\b|\blike\b|[-\u2013\u2014])\s*"
    r"(?P<values>[\w -]+(?:\s*(?:,|/|\bor\b|\band\b)\s*[\w -]+){1,9})",
    re.I,
)


def _enum_values(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in _ENUM_LIST.finditer(text):
        raw = re.split(r"\s*(?:,|/|\bor\b|\band\b)\s*", m.group("values"))
        values = []
        for item in raw:
            ident = to_identifier(item) if words(item) else ""
            if ident and len(item.split()) <= 3 and ident not in values:
                values.append(ident)
        if 2 <= len(values) <= 10:
            found.setdefault(m.group("attr").lower(), values)
    return found


def _field(name: str, enum_values: dict[str, list[str]]) -> EntityField:
    ident = to_identifier(name, fallback="field")
    ftype = field_type_for(ident)
    values: list[str] = []
    if ftype == "enum":
        values = next((v for k, v in enum_values.items() if k in ident), [])
    return EntityField(
        name=ident,
        type=ftype,
        unique=bool(_UNIQUE_FIELDS.search(ident)),
        values=values,
    )


def _paren_fields(paren: str) -> list[str]:
    paren = _ENUM_LIST.sub(lambda m: m.group("attr"), paren)  # "status: a, b or c" -> status
    items = [x.strip() for x in re.split(r"\s*(?:,|;|\band\b|/)\s*", paren) if x.strip()]
    out = []
    for item in items:
        ws = [w for w in words(item) if w not in lx.FUNCTION]
        if 1 <= len(ws) <= 4:
            out.append("_".join(ws))
    return out


@dataclass
class EntityAnalysis:
    entities: list[Entity]
    sources: dict[str, str]  # entity class name -> the words of the text it comes from
    actors: list[tuple[str, str]]  # people acting in the idea: (noun, span)
    verb_starts: list[int] = field(default_factory=list)  # offsets of the verbs in the text


def extract_entities(text: str, *, limit: int = MAX_ENTITIES) -> list[Entity]:
    """The entities of an idea, with fields and relations (see the module docstring)."""
    return analyse_entities(text, limit=limit).entities


# Verbs whose use alone means the idea keeps that record ("order ahead", "book a table").
_RECORD_VERBS = {
    "comment": "comment",
    "review": "review",
    "reply": "reply",
    "vote": "vote",
    "order": "order",
    "book": "booking",
    "reserve": "reservation",
    "rent": "rental",
    "borrow": "loan",
    "enrol": "enrolment",
    "enroll": "enrolment",
    "grade": "grade",
    "rate": "rating",
    "message": "message",
    "sell": "sale",
    "donate": "donation",
    "bid": "bid",
    "subscribe": "subscription",
    "remind": "reminder",
    "sessionise": "session",
    "sessionize": "session",
    "apply": "application",
    "annotate": "annotation",
    "register": "registration",
    "renew": "renewal",
    "redact": "redaction",
    "enter": "entry",
    "transcribe": "transcript",
    "refund": "refund",
    "pledge": "pledge",
    "tip": "tip",
    "score": "score",
}
# ... only when these words follow: "apply for a permit" (but "PCI DSS applies").
_RECORD_VERB_OBJECTS = {
    "apply": frozenset(["for", "to", "online", "now", "by", "through", "via", "with", "in", "here"]),
    # "fencers enter competitions" (not "enter marks", "enter the data")
    "enter": frozenset(
        ["competitions", "competition", "races", "race", "shows", "show", "events", "tournaments",
         "tournament", "contests", "contest", "classes", "trials"]
    ),
}
_ACTING_AFTER = frozenset(
    {"for", "let", "lets", "allow", "allows", "help", "helps", "where", "enable", "enables"}
)


def analyse_entities(text: str, *, limit: int = MAX_ENTITIES) -> EntityAnalysis:
    """Entities with fields and relations, where each comes from, and the people who act."""
    cands, found, tokens = _candidates(text)
    actors: list[tuple[str, str]] = []
    for p in found:
        if not p.words:
            continue
        head = lx.noun_lemma(p.words[-1])
        acting = p.subject and not p.passive or (
            p.plural and p.before in _ACTING_AFTER and p.after in {"to", ":", "who", "that", "can"}
        )
        if (
            acting
            and lx.looks_like_person(head)
            and head not in {"user", "people", "person", "team"}
        ):
            actors.append((head, text[p.start : p.end]))
        elif acting and head in {"user", "people", "person"}:
            actors.append(("user", text[p.start : p.end]))
    chosen = select(cands, limit=limit)
    enum_values = _enum_values(text)
    keys = [c.key for c in chosen]
    key_set = set(keys)
    heads = {c.head: c.key for c in chosen}

    def resolve(word_or_name: str) -> str | None:
        named = "_".join(words(word_or_name))
        if named in key_set:
            return named
        return heads.get(lx.noun_lemma(named.rsplit("_", 1)[-1]))

    drafts = {c.key: EntityDraft(key=c.key, source=c.source, score=c.score) for c in chosen}
    # Explicit fields: brackets, "X with <property words>", "X's <property>", "X status".
    for cand in chosen:
        for attr in cand.fields:
            drafts[cand.key].fields.append(_field(attr, enum_values))
    for idx, p in enumerate(found):
        named = _name_of(p)
        owner = resolve(named[0]) if named else None
        if owner is None:
            continue
        if p.paren:
            fields = _paren_fields(p.paren)
            # Brackets that list kinds of the thing ("emails (welcome, receipts)") are values.
            if (
                fields
                and sum(field_type_for(f) != "string" or f in lx.ATTRIBUTES for f in fields) * 2
                >= len(fields)
                or any(
                    "_" in f
                    and (f.rsplit("_", 1)[-1] in lx.ATTRIBUTES or field_type_for(f) != "string")
                    for f in fields
                )
                and len(fields) >= 2
            ):
                for f in fields:
                    drafts[owner].fields.append(_field(f, enum_values))
            elif len(fields) >= 2 and all(
                lx.is_plural(f.rsplit("_", 1)[-1]) and lx.noun_lemma(f.rsplit("_", 1)[-1]) != f
                for f in fields
            ):
                # "a league (teams, players, fixtures)": records of the league
                for f in fields:
                    child = resolve(f)
                    if child and child != owner:
                        drafts[child].parents.append(owner)
            elif len(fields) >= 2:
                drafts[owner].fields.append(
                    EntityField(
                        name="kind",
                        type="enum",
                        values=[to_identifier(_singular_last(f)) for f in fields],
                    )
                )
        # "X with A, B and C": property words become fields, things become children.
        if p.after == "with" or (
            idx + 1 < len(found)
            and found[idx + 1].before == "with"
            and found[idx + 1].start - p.end < 8
        ):
            for q in found[idx + 1 : idx + 6]:
                if q.start - p.end > 120:
                    break
                if q is not found[idx + 1] and not q.listed:
                    break
                qname = _name_of(q)
                q_words = [lx.noun_lemma(w) for w in q.words]
                if (
                    q_words
                    and q_words[-1] in lx.ATTRIBUTES
                    or (qname is None and q_words and field_type_for("_".join(q_words)) != "string")
                ):
                    drafts[owner].fields.append(_field("_".join(q_words), enum_values))
                    continue
                child = resolve(qname[0]) if qname else None
                if child and child != owner:
                    if lx.noun_lemma(child.rsplit("_", 1)[-1]) in _SHARED:
                        drafts[owner].shared.append(child)
                    else:
                        drafts[child].parents.append(owner)
        # "agents post properties": the thing belongs to the person who acts on it.
        if p.subject and p.verb_after:
            obj = next((q for q in found[idx + 1 : idx + 3] if q.object_of == p.verb_after), None)
            oname = _name_of(obj) if obj else None
            target = resolve(oname[0]) if oname else None
            if obj is not None and target and target != owner:
                link = LINK_VERBS.get(p.verb_after)
                if link and link not in (owner, target):
                    if link not in drafts:
                        drafts[link] = EntityDraft(
                            key=link, source=text[p.start : obj.end], score=MIN_SCORE
                        )
                        keys.append(link)
                        key_set.add(link)
                    drafts[link].parents.extend([owner, target])
                elif owner in heads.values() and _is_person(owner) and not _is_person(target):
                    drafts[target].parents.append(owner)
        if p.possessive and idx + 1 < len(found) and found[idx + 1].start - p.end <= 2:
            q = found[idx + 1]
            qname = _name_of(q)
            q_words = [lx.noun_lemma(w) for w in q.words]
            if q_words and q_words[-1] in lx.ATTRIBUTES:
                drafts[owner].fields.append(_field("_".join(q_words), enum_values))
            elif qname and (child := resolve(qname[0])) and child != owner:
                drafts[child].parents.append(owner)
    # Person-qualified things ("customer addresses") belong to the person.
    for key in keys:
        first, _, rest = key.partition("_")
        if rest and first in key_set and _is_person(first):
            drafts[key].parents.append(first)
    # Familiar pairs.
    for key in keys:
        base = key.rsplit("_", 1)[-1]
        for parent in KNOWN_RELATIONS.get(key, []) + KNOWN_RELATIONS.get(base, []):
            target = parent if parent in key_set else heads.get(parent)
            if target and target != key:
                drafts[key].parents.append(target)
    # A verb whose action is a record: "customers order ahead" keeps orders.
    for i, tok in enumerate(tokens):
        verb = lx.verb_base(tok.low) or tok.low
        record = _RECORD_VERBS.get(verb) if tok.verb else None
        after = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if (
            verb in _RECORD_VERB_OBJECTS
            and after not in _RECORD_VERB_OBJECTS[verb]
            and not (tok.low == verb and after in {",", ".", ";", "and", "or"})
        ):
            record = None  # "GDPR applies": no application (but "candidates ... apply, and ...")
        if record == "score" and (kind := score_kind(text)):
            record = f"{kind}_score"  # "score every transaction for fraud": a fraud score
        if record and record not in key_set and heads.get(record) is None and len(keys) < limit:
            drafts[record] = EntityDraft(key=record, source=tok.text, score=MIN_SCORE)
            keys.append(record)
            key_set.add(record)
    # Two things that point at each other: the one mentioned later belongs to the earlier one.
    order = {k: i for i, k in enumerate(keys)}
    for key in keys:
        draft = drafts[key]
        draft.parents = [
            p
            for p in dict.fromkeys(draft.parents)
            if p != key and not (key in drafts[p].parents and order[p] > order[key])
        ]
    entities = [_build(drafts[k], enum_values) for k in keys]
    sources = {e.name: drafts[k].source for e, k in zip(entities, keys, strict=True)}
    return EntityAnalysis(
        entities=entities,
        sources=sources,
        actors=actors,
        verb_starts=[t.start for t in tokens if t.verb],
    )


def _singular_last(name: str) -> str:
    """"password_resets" -> "password_reset", "receipts" -> "receipt"."""
    head, _, last = name.rpartition("_")
    return f"{head}_{lx.noun_lemma(last)}" if head else lx.noun_lemma(last)


def _is_person(key: str) -> bool:
    head = key.rsplit("_", 1)[-1]
    return head in lx.PEOPLE or head + "s" in lx.PEOPLE


def _build(draft: EntityDraft, enum_values: dict[str, list[str]]) -> Entity:
    head = draft.key.rsplit("_", 1)[-1]
    fields: list[EntityField] = []
    seen: set[str] = set()
    known = {f.name: f for f in KNOWN_FIELDS.get(draft.key) or KNOWN_FIELDS.get(head) or []}
    for f in draft.fields + [f.model_copy() for f in known.values()]:
        if f.name in seen or f.name in RESERVED:
            continue
        seen.add(f.name)
        if f.type == "enum" and f.name in enum_values:
            f = f.model_copy(update={"values": enum_values[f.name]})  # the text's values first
        elif f.type == "enum" and not f.values and f.name in known and known[f.name].values:
            f = known[f.name].model_copy()  # the usual values when the text names none
        fields.append(f)
    if (
        not any(f.type not in {"file"} and f.name in {"name", "title"} for f in fields)
        and not fields
    ):
        fields = [
            EntityField(name="name"),
            EntityField(name="description", type="text", required=False),
        ]
    relations: list[Relation] = []
    targets: set[str] = set()
    for parent in draft.parents:
        if parent in targets:
            continue
        targets.add(parent)
        relations.append(Relation(kind="many_to_one", target=to_class_name(parent)))
    for shared in draft.shared:
        if shared not in targets and shared != draft.key:
            targets.add(shared)
            relations.append(Relation(kind="many_to_many", target=to_class_name(shared)))
    return Entity(name=to_class_name(draft.key), fields=fields, relations=relations)
