"""Word classes for the extractors: what can be a noun, a verb; function words; people; generic.

Parts of speech come from lemminflect's lookup table (the NLM SPECIALIST lexicon: ~80,000 English
word forms with their lemmas per part of speech; MIT licence, shipped inside the package, nothing
is downloaded). Without lemminflect installed the lexicon falls back to spelling rules, which are
weaker on words that are both nouns and verbs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quantumlayer.domain.names import singularize

try:  # pragma: no cover - exercised by whichever environment runs the tests
    from lemminflect.core.Lemmatizer import Lemmatizer as _Lemmatizer
except ImportError:  # pragma: no cover
    _Lemmatizer = None


_Table = dict[str, dict[str, tuple[str, ...]]]


@lru_cache(maxsize=1)
def _tables() -> tuple[_Table, _Table]:
    """lemminflect's lemma table and its overrides, loaded on first use (~0.15 s)."""
    assert _Lemmatizer is not None
    lemmatizer = _Lemmatizer()
    return lemmatizer._getLemmaDict(), lemmatizer._getOverridesDict()


@lru_cache(maxsize=65536)
def _table_lemmas(word: str, upos: str | None = None) -> dict[str, tuple[str, ...]]:
    """lemminflect's lemmas of a lower-case word by part of speech, as its getAllLemmas gives
    them, read from its table directly (getAllLemmas deep-copies the entry on every call, a
    twentieth of the analyser's time on new words). Callers only read the result."""
    table, overrides = _tables()
    lemmas = dict(table.get(word, {}))
    lemmas.update(overrides.get(word, {}))
    return {
        pos: tuple(form.lower() for form in forms)
        for pos, forms in lemmas.items()
        if upos is None or pos == upos
    }


_lemmas = _table_lemmas if _Lemmatizer is not None else None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that never belong to a noun phrase naming a thing: determiners, pronouns, prepositions,
# conjunctions, auxiliaries, frequent adverbs.
FUNCTION = _words(
    """while whilst whereas although though unless because since
    a an the this that these those their its our your my his her them they it we you i he she us
    me him who whom whose which what where when why how whether if then than so as also too very
    just only even still each every any all some no not none both either neither other another
    such same own more most less least much many few several various of in on at by for with
    without within from to into onto over under about above below between among across through
    during before after until since via per against along around behind beyond up down out off
    upon near and or but nor yet plus versus vs is are was were be been being am do does did
    done doing has have had having can could will would shall should may might must need needs
    let lets like unlike etc e.g i.e eg ie there here now always never often sometimes once
    twice again already soon later ahead back away together else instead rather quite almost
    well really maybe perhaps please thanks one two three four five six seven eight nine ten
    first second third last next previous whose whatever whichever everyone everything anyone
    anything someone something nobody nothing who's it's that's they're don't can't won't given
    using based via including within whenever wherever itself themselves himself herself
    ourselves yourself yourselves gotta gonna wanna inside outside oh ooh hey hiya hi yeah yep
    okay ok anyway cannot"""
)
# Frequent verbs that a noun-phrase chunker must not swallow ("agents post properties").
VERBS = _words(
    """refresh refreshes text texts want wants need wish audit audits forward forwards expire
    expires drink
    accept accepts access add adds allow allows analyse analyze annotate answer answers append
    appends apply approve archive assign assigns attach attend authenticate back backs bid block
    book books borrow borrows browse build builds buy buys calculate cancel capture change
    charge chat check checks choose claim cross crosses raise raises rotate rotates navigate
    navigates explain explains come comes arrive arrives happen happens appear appears classify
    clean click collect collects combine comment compare compute computes configure confirm
    connect consume consumes contact contain contains convert converts copy count create creates
    deduplicate define delete deliver deploy describe detect diff diffs display dodge download
    downloads drag draw edit edits email enable encrypt enrol enroll enter escalate estimate
    expect explore export exports expose extract extracts fetch fight file fill filter find
    finish fix flag follow follows forecast forecasts generate generates get gets give go handle
    handles hand hands help helps hide host hosts identify import imports index indexes ingest
    install invite issue join joins keep keeps learn leave leaves lend let link lint lints list
    lists listen listens load loads lock log logs look make makes manage manages map maps mark
    match measure merge message migrate monitor monitors move moves notify offer open order
    orders organise organize own parse pay pays pick place plan play plays plot post posts
    predict prepare print process produce provide prune publish pull pulls purchase push put
    query queue rank rate read reads receive receives recommend record records redirect refund
    register registers reject remind reminds remove rename render renders rent scale scales
    reorder repair reply report reports request requests reserve reset resize restore retrain
    retry return returns review reviews run runs save saves scaffold scaffolds scan schedule
    score scores search searches see sees select sell sells send sends serve serves set share
    shares ship show shows sign sort start stop store stores stream submit subscribe suggest
    summarise summarize support sync syncs take takes test track tracks train transfer translate
    trigger turn unlock update updates upload uploads use uses validate validates verify
    verifies view views visit vote wait watch watches work works wrap wraps write writes
    ask tell know maintain comply grow donate earn speak reassign achieve satisfy hear
    reconcile prefer renew survive resolve rebuild sit require acknowledge remember restart
    expand solve outbid die exceed"""
)
# Words that name the software, its parts or its qualities, not a thing it manages.
GENERIC = _words(
    """system systems app apps application applications api apis service services microservice
    microservices platform platforms data database databases interface interfaces thing things
    tool tools website websites site sites backend frontend ui ux web rest restful json endpoint
    endpoints crud feature features way ways support management kind kinds type types
    idea ideas solution solutions software program programs functionality information info stuff
    time number numbers option options ability everything anything something cloud aws gcp azure
    kubernetes docker jwt auth authentication authorisation authorization login logins signin
    signup uptime traffic performance scale scalability security latency mobile desktop access
    python javascript typescript go golang java node react vue angular postgres postgresql mysql
    redis sqlite mongodb graphql grpc http https stripe paypal sms cli command commands terminal
    utility utilities script scripts library libraries package packages sdk module modules
    framework frameworks game games clone bot bots chatbot chatbots assistant assistants engine
    engines pipeline pipelines etl worker workers daemon consumer models portal portals
    dashboard dashboards homepage microsite area areas section sections screen screens view
    views button buttons form forms field fields value values process processes workflow
    workflows step steps flow flows operation operations functions function method methods
    object objects format formats environment environments requirement requirements constraint
    constraints goal goals purpose use case cases scenario scenarios design implementation
    example examples test tests testing readme documentation docs doc mode modes setting
    settings configuration problem problems error errors exception exceptions output outputs
    input inputs string strings integer integers boolean lists array arrays dict dictionary row
    rows entity entities resource resources response responses notification notifications search
    searching analytics reporting export exports import imports upload uploads download
    downloads integration integrations monitoring logging tracing alerting caching limit limits
    limiting functionality capability capabilities behaviour behavior experience quality speed
    reliability availability compliance usability maintainability portability observability cost
    costs company companies business businesses organisation organization organisations
    organizations people person persons individual individuals everyone someone anyone world
    internet network online offline local remote real world end start today tomorrow yesterday
    week weeks day days hour hours minute minutes second seconds month months year years night
    morning evening ms percent percentile p95 p99 gb mb kb tb k million millions billion
    thousand thousands hundred hundreds dozen pounds dollars euros quid bucks gbp usd eur"""
)
# Words that name a collection or view of the real thing: "product catalogue" is about products.
CONTAINERS = _words(
    """catalogue catalog history histories list lists table tables gallery galleries collection
    collections area areas archive archives directory directories registry feed feeds queue
    queues log logs store management tracking tracker overview details detail page pages screen
    screens view views section panel dashboard portal inventory backlog pipeline set sets bucket
    buckets lake chain chains hub data preview fight fights battle mode control controls
    analytics statistics stats reporting notifications map maps reference references index"""
)
# Nouns that describe a property of a thing rather than a thing: they become fields.
ATTRIBUTES = _words(
    """status statuses state states name names title titles description descriptions date dates
    deadline deadlines time times timestamp price prices cost amount amounts total totals count
    counts quantity quantities number numbers id ids email emails phone phones colour color
    colours colors size sizes weight weights height width length priority priorities rank
    position duration age birthday dob bio url urls slug code codes sku skus isbn balance
    balances salary progress percentage currency language timezone capacity kind flag flags
    visibility pace speed distance temperature pricing dimension dimensions"""
)
# People: entities that act ("members borrow books"); the subject of a verb is usually one.
PEOPLE = _words(
    """user users member members customer customers buyer buyers seller sellers vendor vendors
    merchant merchants shopper shoppers guest guests visitor visitors attendee attendees student
    students teacher teachers instructor instructors trainer trainers tutor tutors learner
    learners parent parents child children kid kids employee employees staff manager managers
    admin admins administrator administrators moderator moderators editor editors viewer viewers
    author authors writer writers reader readers owner owners tenant tenants landlord landlords
    agent agents broker brokers driver drivers rider riders passenger passengers patient
    patients doctor doctors dentist dentists nurse nurses vet vets therapist therapists
    clinician clinicians player players coach coaches athlete athletes runner runners fan fans
    subscriber subscribers follower followers contributor contributors developer developers
    volunteer volunteers donor donors applicant applicants candidate candidates recruiter
    recruiters organiser organisers organizer organizers speaker speakers sponsor sponsors
    couple couples technician technicians mechanic mechanics courier couriers supplier suppliers
    partner partners assignee assignees reviewer reviewers approver approvers lead leads
    listener listeners traveller travellers traveler travelers tourist tourists resident
    residents citizen citizens farmer farmers photographer photographers freelancer freelancers
    contractor contractors operator operators dispatcher dispatchers accountant accountants
    lawyer lawyers caregiver caregivers professional professionals friend friends teammate
    teammates colleague colleagues people"""
)
# Adjectives that only qualify ("a new order") and never belong in an entity's name.
QUALIFIERS = _words(
    """new old simple small large big little basic main whole entire full single multiple different
    various several own local global online offline internal external public private personal
    custom real virtual daily weekly monthly yearly nightly hourly annual next previous last
    latest current recent upcoming past future same other more most many few certain specific
    given existing known typical common general special important relevant related available due
    overdue
    possible potential additional optional mandatory required unique typed automatic manual
    lightweight light heavy quick fast slow easy hard good better best great nice cool modern
    responsive secure reliable robust flexible scalable interactive live realtime real-time
    cross-platform open-source handmade multi-tenant transactional separate collectible cheap
    expensive valid invalid right wrong correct incorrect likely hybrid straight"""
)
_SUFFIX_ADJ = re.compile(r"(able|ible|ical|ive|ous|ful|less|ish|ary)$")
_SUFFIX_VERB_FORM = re.compile(r"(ed|ing)$")


# Nouns the word table lists only as verbs.
_NOUNS_TOO = frozenset(
    ["questionnaire", "template", "bar", "commit", "log", "override", "retry", "spend", "vet",
     "audio", "pour", "deploy", "undo"]
)


@lru_cache(maxsize=65536)
def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech `word` can have: subset of {NOUN, VERB, ADJ, ADV}; empty if unknown."""
    word = word.lower()
    if _lemmas is not None:
        found = {p for p in _lemmas(word) if p in {"NOUN", "VERB", "ADJ", "ADV"}}
        if word in _NOUNS_TOO or (word.endswith("s") and word[:-1] in _NOUNS_TOO):
            found.add("NOUN")
        # The table lists some regular plurals only as verb forms ("templates"): ask the singular.
        if "NOUN" not in found and word.endswith("s") and len(word) > 3:
            single = singularize(word)
            if single != word and "NOUN" in set(_lemmas(single)):
                found.add("NOUN")
        if not found and len(word) > 4:
            # Unknown words: spelling tells verbs ("sessionise") and adjectives ("idempotent").
            if word.endswith("ly"):
                found.add("ADV")
            elif re.search(r"(ise|ize|ify)$", word):
                found.add("VERB")
            elif re.search(r"(ent|ous|ive|able|ible|ical)$", word):
                found.add("ADJ")
        return frozenset(found)
    # Fallback: spelling only.
    if word in VERBS:
        return frozenset({"VERB", "NOUN"})
    if word.endswith("ly"):
        return frozenset({"ADV"})
    if re.search(r"(ise|ize|ify)$", word):
        return frozenset({"VERB"})
    if _SUFFIX_ADJ.search(word):
        return frozenset({"ADJ"})
    return frozenset()


@lru_cache(maxsize=65536)
def noun_lemma(word: str) -> str:
    """The singular of a noun ("properties" -> "property", "quizzes" -> "quiz")."""
    word = word.lower()
    if "-" in word:
        head, _, last = word.rpartition("-")
        return f"{head}-{noun_lemma(last)}"
    if word.endswith("ves") and not (single := singularize(word)).endswith("ve"):
        return single  # "leaves" -> "leaf" (the table reads it as the noun "leave")
    if _lemmas is not None:
        found = _lemmas(word, upos="NOUN")
        if found.get("NOUN"):
            return str(found["NOUN"][0]).lower()
    return singularize(word)


def is_plural(word: str) -> bool:
    """True when `word` reads as a plural noun ("members", "quizzes", "children")."""
    low = word.lower()
    return noun_lemma(low) != low and not low.endswith("ss")


@lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """True when the word table knows `word` (not just its spelling)."""
    low = word.lower()
    if _lemmas is None:
        return low in VERBS
    return bool(_lemmas(low)) or (low.endswith("s") and bool(_lemmas(singularize(low))))


def can_be_noun(word: str) -> bool:
    pos = parts_of_speech(word)
    return not pos or "NOUN" in pos or "-" in word


def is_verb_only(word: str) -> bool:
    """A verb that is no noun ("encrypts", "validates", "sessionise").

    The lexicon lists some nouns only as verbs ("template"), so its word alone is not enough:
    the word must also be a form of a frequent verb, or look like one ("-ise", "-ify").
    """
    pos = parts_of_speech(word)
    if not pos or not pos <= {"VERB"}:
        return False
    low = word.lower()
    return verb_base(low) is not None or bool(re.search(r"(ise|ize|ify)(s|d)?$", low))


def is_adverb_only(word: str) -> bool:
    pos = parts_of_speech(word)
    return bool(pos) and pos <= {"ADV"}


def is_adjective(word: str) -> bool:
    """A word that is (also) an adjective and not a noun: "golden", "public", "note-taking"."""
    low = word.lower()
    if low in QUALIFIERS:
        return True
    if "-" in low:
        return bool(
            re.search(
                r"-(based|driven|first|like|friendly|ready|free|taking|facing|only|safe|aware)$",
                low,
            )
        )
    pos = parts_of_speech(low)
    return "ADJ" in pos and "NOUN" not in pos


def _own_base(word: str, base: str) -> bool:
    """True when the word table says `word` is no form of `base` ("seed" is not "see" + d)."""
    if _lemmas is None:
        return False
    lemmas = _lemmas(word)
    return bool(lemmas) and not any(base in forms for forms in lemmas.values())


@lru_cache(maxsize=65536)
def verb_base(word: str) -> str | None:
    """The base form if `word` is a form of a frequent verb ("posts" -> "post"), else None."""
    low = word.lower()
    if low in VERBS:
        return low[:-1] if low.endswith("s") and low[:-1] in VERBS else low
    for suffix, repl in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
    ):
        if low.endswith(suffix):
            base = low[: -len(suffix)] + repl
            if base in VERBS and not _own_base(low, base):
                return base
    if low.endswith("ing") and len(low) > 5 and low[-4] == low[-5] and low[:-4] in VERBS:
        return low[:-4]  # "shipping" -> "ship"
    return None


_NOT_PEOPLE = _words(
    """order folder number container computer server printer router filter marker timer poster
    layer cluster paper water letter header footer banner sticker meter counter monitor sensor
    factor vector error colour color door floor chapter character register parameter cover power
    tower charger adapter trailer scanner"""
)
_PERSON_SUFFIX = re.compile(r"(er|or|ist|ian|ee|eer|ant|ent)$")
_SPECIALIST = re.compile(r"\w{3}(ologist|ographer|iatrist|ician|apist|ometrist)$")


def looks_like_person(noun: str) -> bool:
    """A noun for people: a known one, or an agent noun ("hikers", "radiologists")."""
    low = noun.lower()
    if low in PEOPLE or low + "s" in PEOPLE:
        return True
    if _SPECIALIST.search(low) and low not in _NOT_PEOPLE:
        return True  # "audiologist", "podiatrist": specialists the word table may not know
    return (
        bool(_PERSON_SUFFIX.search(low))
        and low not in _NOT_PEOPLE
        and "NOUN" in parts_of_speech(low)
    )


@lru_cache(maxsize=65536)
def verb_lemma(word: str) -> str | None:
    """The base form of `word` as a verb, from the lexicon; None if it is no verb."""
    low = word.lower()
    if _lemmas is not None:
        found = _lemmas(low, upos="VERB")
        if found.get("VERB"):
            return str(found["VERB"][0]).lower()
        return None
    return verb_base(low)
