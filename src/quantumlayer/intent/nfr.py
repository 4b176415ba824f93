"""Non-functional requirements: category and the measurable target when the text gives one.

Targets are normalised so that they compare: latencies as "p95 < 200 ms" (no percentile named:
"< 200 ms"), throughput per second ("2000 orders per minute" -> "33.33 req/s", "10 million
redirects a day" -> "116 req/s", "50,000 devices sending a reading every 10 seconds" ->
"5000 req/s"), availability as a percentage, scale as a count ("10000 users"), money as
"$500/month", regimes by their usual names ("PCI DSS", "SOC 2"), recovery as "RPO 5 min".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from quantumlayer.intent.text import Cue, lowered

_UNIT_SECONDS = {
    "ms": 0.001,
    "millisecond": 0.001,
    "second": 1,
    "sec": 1,
    "s": 1,
    "minute": 60,
    "min": 60,
    "hour": 3600,
    "hr": 3600,
    "h": 3600,
    "day": 86400,
    "night": 86400,
    "week": 604800,
    "month": 2_592_000,
    "year": 31_536_000,
}
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mm": 1e6, "b": 1e9, "billion": 1e9}
_NUM = r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>k|thousand|m|million|b|billion)?\b"


@dataclass(frozen=True)
class NFRMatch:
    category: str
    text: str  # the span of the text it comes from
    target: str | None
    start: int = 0


def _number(raw: str, mult: str | None = None) -> float:
    value = float(raw.replace(",", ""))
    return value * _MULT.get((mult or "").lower(), 1)


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _unit_seconds(unit: str) -> float:
    u = unit.lower().rstrip(".")
    if u.endswith("s") and u not in {"s", "ms"}:
        u = u[:-1]
    return _UNIT_SECONDS.get(u, 1)


def _latency(g: dict[str, str | None]) -> str:
    words = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
             "seven": "7", "eight": "8", "nine": "9", "ten": "10", "half a": "0.5", "a": "1", "an": "1"}
    g = {**g, "ms": words.get((g["ms"] or "").lower(), g["ms"])}
    unit = (g["unit"] or "ms").lower()
    scale = 0.001 if unit in {"µs", "μs", "us"} or unit.startswith("micro") else 1
    value = _number(g["ms"] or "0") * (scale if scale < 1 else 1 if unit.startswith("m") else 1000)
    pctl = g.get("pctl") or g.get("pctl2") or ""
    pctl = pctl.lower().replace(" ", "")
    match = re.search(r"(\d{2,3}(?:\.\d+)?)", pctl)
    prefix = f"p{match.group(1)} " if match else ""
    if 0 < value < 0.1:
        return f"{prefix}< {_fmt(value * 1000)} µs"
    return f"{prefix}< {_fmt(value)} ms"


def _rate(g: dict[str, str | None]) -> str:
    per = _unit_seconds(g["per"] or "s") * _number(g.get("every") or "1")
    return f"{_fmt(_number(g['num'] or '0', g.get('mult')) / per)} req/s"


def _any_rate(g: dict[str, str | None]) -> str:
    """A rate of things not on the list of usual workloads ("500 declarations per second")."""
    return _rate(g)


def _fleet_rate(g: dict[str, str | None]) -> str:
    per = _unit_seconds(g["per"] or "s") * _number(g.get("every") or "1")
    return f"{_fmt(_number(g['num'] or '0', g.get('mult')) / per)} req/s"


def _users(g: dict[str, str | None]) -> str:
    noun = (g.get("who") or "users").lower()
    noun = noun if noun.endswith("s") or noun == "people" else noun + "s"
    return f"{_fmt(_number(g['num'] or '0', g.get('mult')))} {noun}"


def _regime(g: dict[str, str | None]) -> str:
    raw = re.sub(r"[\s-]", "", (g["reg"] or "").upper())
    return {
        "PCI": "PCI DSS",
        "PCIDSS": "PCI DSS",
        "SOC2": "SOC 2",
        "ISO27001": "ISO 27001",
        "21CFR": "21 CFR Part 11",
        "21CFRPART11": "21 CFR Part 11",
        "AIACT": "EU AI Act",
        "EUAIACT": "EU AI Act",
        "NIS2": "NIS2",
        "MIFIDII": "MiFID II",
        "EASAPART145": "EASA Part-145",
        "PART145": "EASA Part-145",
    }.get(raw, raw)


def _money(g: dict[str, str | None]) -> str:
    cur = {"usd": "$", "eur": "€", "gbp": "£", "dollars": "$", "euros": "€", "pounds": "£"}.get(
        (g.get("cur") or g.get("cur2") or "$").lower(), g.get("cur") or "$"
    )
    per = g.get("cper")
    period = {"mo": "month", "monthly": "month", "yearly": "year", "annually": "year"}.get(
        (per or "").lower(), (per or "").lower()
    )
    return f"{cur}{g['amount']}" + (f"/{period}" if period else "")


def _recovery(g: dict[str, str | None]) -> str:
    unit = (g["runit"] or "").lower()
    short = "min" if unit.startswith("min") else "h" if unit.startswith("h") else "s"
    return f"{g['kind'].upper()} {g['rval']} {short}"  # type: ignore[union-attr]


_TIME = r"(?P<per>second|sec|s|minute|min|hour|hr|h|day|night|week|month|year)s?"
_RULES: list[tuple[str, str, Callable[[dict[str, str | None]], str] | None]] = [
    # availability
    (
        "availability",
        r"(?P<pct>\d{2}(?:\.\d+)?)\s?%\s*(?:uptime|availability|available|sla|of the time)|(?:uptime|availability|sla|available)\s*(?:of|:|at|is|must be)?\s*(?:at least\s*)?(?P<pct2>\d{2}(?:\.\d+)?)\s?%",
        lambda g: f"{g.get('pct') or g.get('pct2')}%",
    ),
    (
        "availability",
        r"\b(?P<kind>rpo|rto)\b\s*(?:of|:|is|must be|under|below|<|=)?\s*(?:less than\s*)?(?P<rval>\d+)\s*(?P<runit>s|sec|seconds?|min|mins|minutes?|h|hrs?|hours?)\b",
        _recovery,
    ),
    (
        "availability",
        r"\b(high(ly)? availab\w*|always (up|on|available)|no downtime|zero[- ]downtime|fail-?over|24/7|redundan\w*|disaster recovery|multi-?region|multi-?az|surviv\w* (the )?(loss|failure|outage)|fault[- ]toleran\w*|resilien\w*|self-?healing|never (double|re)-?sends?|even if it crashes|(not|never|mustn't|cannot|can't|won't) lose (a |an |any |the )?[\w-]+|(stays?|remains?) (up|online|available)|keeps? (running|working|going|serving) ((?!offline)[\w-]+ ){0,2}(even )?(when|if)(?! (the |our |their |there'?s no )?([\w'’-]+ )?(internet|network|connection|wifi|wi-fi|signal|coverage))|(never|not|must not|may never|mustn't) drop (?!(a |an |any )?frames?\b)(a |an |any )?[\w-]+|(must|should|may|can|will) (not|never) miss (a|an|any|the)( single)? [\w-]+|survives? (a )?crash\w*|(if|when) it crashes|without crashing|retry through|keep(s)? retrying|retry on (failure|errors?)|(retry|retrying|retries|try again|trying again)( later)? (if|when|until) |trying again at |retr\w* (failed|with (exponential )?backoff)|backoff|dead[- ]letter|exactly[- ]once|at[- ]least[- ]once|idempoten\w*|never (send|charge|process|apply|import|print|book|bill|count|deliver|post)\w* (\w+ ){0,3}twice|no (data )?loss|durab\w*|(no|none of the|not a single) [\w-]+ (may|must|can|should|will) (ever )?be lost|(must|may|should|can) (never|not) be lost|retr(y|ies|ying) until|retried (up to |at most )?(\d+|two|three|four|five) times|(even )?after a crash|crash-?safe)\b",
        None,
    ),
    # Cues added by the twenty-fourth to twenty-ninth series, one rule per category.
    (
        "availability",
        r"\b(a?round) the clock|(cannot|can't|can’t|cant|must not|mustn't|must never|should never|may never|never) "
        r"crash\w*|restarts? (itself|automatically)|auto-?restart\w*|resumes? from (where it|the last)|"
        r"picks? up where it left off|(warm |hot )?standby (copy|server|replica|database|instance|node)|"
        r"if the (main |primary )?(server|database) goes down\b|"
        r"\bkeeps? (running|working|going|serving) (through|during|despite) ([\w-]+ )?(outages?|failures?|restarts?)\b|"
        r"\bretr\w* automatically\b|\bno (dupes|duplicates) ever\b|\bnever (any )?(dupes|duplicates)\b",
        None,
    ),
    (
        "compliance",
        r"\b(kept|stored|retained|archived|held) for (one|two|three|four|five|six|seven|eight|nine|ten) years\b|"
        r"\bdata security and protection toolkit\b|"
        r"\b(not|never) keep ([\w'’-]+ ){0,4}(longer|more) than \d+ (days|weeks|months|years)\b",
        None,
    ),
    (
        "security",
        r"\b(numbers|details|names|data|pii|fields|emails|addresses|identifiers) ([\w'’-]+ ){0,3}(must |should |shall "
        r"|are |is |get |will )?(be |always be |always )?masked\b|"
        r"\b(no|never) (raw )?(card numbers|pans|health (info|information|data)|medical (data|details|info)) "
        r"([\w-]+ ){0,2}(stored|kept|logged|in the logs)\b|\bnothing (\w+ )?leaves (the|our) (building|premises|"
        r"network|site)\b|\bnothing (medical|personal|sensitive|identifiable|clinical) (may|must|should|can|will|is) "
        r"(ever )?(be )?(stored|kept|logged|sent)\b",
        None,
    ),
    (
        "observability",
        r"\b(if|when) [^.;]{0,60}\b(missing|late|fails?|failed|hasn'?t arrived|hasnt arrived|stops|didn'?t send|didnt send)"
        r"\b[^.;]{0,70}\b(alert|page|notify|e-?mail me|e-?mail us|ping me|ping us|text me)|"
        r"\b(ping|e-?mail|alert|text|notify|page) (me|us|slack|teams|the [\w-]+)( [\w#-]+)? (if|when) [^.;]{0,50}\b"
        r"(is missing|missing|is late|didn'?t|did not|hasn'?t|has not|fails?|failed|stops?)\b|\balerts? (in|on|to|via) ([\w#-]+ ){1,2}(if|when)\b|"
        r"\balert (the )?on-?call\b|\bon-?call (channel|rota|pager)\b|\balerts? on (data |model |feature )?drift\b|"
        r"\bdrift (detection|alerts?|monitoring)\b|\blog everything\b(?! (for|as) (the )?(audit|auditors|compliance))",
        None,
    ),
    (
        "performance",
        r"\b\d+ ?kb (gzipped|minified|min\+gz)|\bbundle size\b|\bwithout loading (them|it|the [\w-]+|whole [\w-]+) "
        r"(fully |entirely |completely )?into memory\b|\bconstant memory\b|"
        r"\b(process|processes|processing|reprocess\w*|crunch\w*|(re)?index\w*) [^.;]{0,60}\b(in under|in less than|within|"
        r"(must |should )?takes? (less than|under|no more than)) (an?|one|\d+|two|three|four|six|twelve) "
        r"(hours?|days?|minutes?|nights?)\b",
        None,
    ),
    (
        "usability",
        r"\b(can't|can’t|cant|cannot) read yet\b|\b(lots|most|some|many) of them (can't|can’t|cant|cannot) read\b|"
        r"\bno text at all\b|"
        r"\b(touchscreen|touch|glove|gloves)[- ]friendly\b",
        None,
    ),
    (
        "portability",
        r"\b(works? on|runs? on|supports?) (python |py ?)?\d+\.\d+ (thru|through|to|-|–) \d+\.\d+\b|"
        r"\bwindows \d+ (and|&|\+|or) \d+\b|\bw/o (signal|coverage|connection|network|internet|wi-?fi)\b|"
        r"(?<!retries )(?<!retry )(?<!retrying )(?<!waits )(?<!wait )\b(while|when|whenever) (the |their |your )?"
        r"([\w-]+ )?(is|are|goes|go) offline\b|"
        r"\b(compiles?|compiled|builds?|built|targets?) (to|for) (webassembly|wasm)\b|"
        r"\bon ([\w'’-]+ ){0,3}chromebooks?\b|"
        r"\b(android|the jvm|jvm|node) and (the )?(plain )?(jvm|node)\b|"
        r"\b(mac|macos|win|windows|linux) ?/ ?(mac|macos|win|windows|linux)\b",
        None,
    ),
    (
        "scalability",
        r"\bdoubling (next year|by next year|within a year|every year)\b|\b(will |to )?double (by|within|next) ",
        None,
    ),
    # performance: latency
    (
        "performance",
        r"(?<![\w.])(?P<ms>\d+(?:\.\d+)?)\s*(?P<unit>ms|milliseconds?|s|secs?|seconds?)\s+(?P<pctl>p\d{2,3})\b",
        _latency,
    ),
    (
        "performance",
        r"(?:(?P<pctl>p\d{2,3}(?:\.\d)?|\d{2,3}(?:\.\d)?(?:th)? percentile)\s*(?:latency|response time)?\s*(?:of\s*)?)?(?:under|below|<|less than|within|in under|at most|max(?:imum)?|no more than|faster than|(?:answer|respond|reply|return)s? in)\s*(?P<ms>\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|half a|a(?= (second|millisecond)))\s*(?P<unit>ms|milliseconds?|µs|μs|us|microseconds?|s|secs?|seconds?)\b(?:\s*(?:at|for|on)\s*(?:the\s*)?(?P<pctl2>p\d{2,3}|\d{2,3}(?:th)? percentile))?",
        _latency,
    ),
    (
        "performance",
        r"\b((run|runs|play|plays|scroll|scrolls|running) smoothly|smooth (real-time )?(movement|scrolling|animations?|gameplay|frame ?rates?)|fast|low[- ]latency|latency|(?<!integrate )(?<!get started )quick(ly)?(?! (one|question|start|note|look|win)\b)|snappy|performant|high[- ]performance|swift(ly)?|efficien(t|cy)|without delays?|(?<!first-)(?<!first )(?<!scored on )(?<!average )response times?(?! (of|for|per) (each|every)\b))\b",
        None,
    ),
    (
        "performance",
        r"\b(survive (the|a) ([\w-]+ )?(rush|spike|surge|peak)|(cope|deal)s? with (the|that|this|a) (rush|spike|surge)|(multi-?gigabyte|\d+\s?(gb|tb)) files?|(without )?running out of memory|memory[- ]efficient|"
        r"never blocks? the (main|ui) thread|non-blocking|(search|load|open|find)\w* [^.;]{0,40}\binstantly|keeps? up with ((bursts|peaks|spikes) of )?(up to )?\d[\d,.]*k?|(end[- ]to[- ]end )?lag (of |under |below |less than |<\s*)?(\d|one|a\b)|without slowing( down)?|battery (drain|use|usage|life)|drains? (less than )?\d+ ?% (of )?(the )?battery|(under|within) (a|one|\d+) (minute|second)s? end[- ]to[- ]end|(never|not) falls? behind|falling behind|(finish|complete|be done|be ready)(es|ed)? (before|by) (the )?\d{1,2}(:\d\d)? ?(am|pm|o'clock)?\b|(processed|done|ready|finished|completed?|handled) (with)?in (under |less than )?\d+ (minutes?|mins?|hours?)\b|(more than|over|longer than) \d+ ?ms\b|(low|small|minimal) memory( footprint| use| usage)?|(in )?(constant|bounded|fixed|flat) memory|within (\d+|one|two|three|four|five|ten|fifteen|twenty|thirty|a few) (seconds?|minutes?|mins?) of (the|a|an|each|every|its|their|being|it)\b|last (a |the )?[\w-]+ ([\w-]+ )?on (one|a single) charge|(fast|smooth|quick|run|runs|work|works)( well| smoothly| fast)? on (cheap|low-end|old|slow) (android )?(phones|devices|laptops|hardware))\b",
        None,
    ),
    (
        "performance",
        r"\b(?P<fps>\d{2,3})\s?(?:fps|frames per second)\b",
        lambda g: f"{g['fps']} fps",
    ),
    (
        "performance",
        r"\blighthouse (?:performance |perf )?score (?:of |above |over |at least |>=? ?|≥ ?)?(?P<score>\d{2,3})\b|"
        r"\b(?P<score2>\d{2,3})\+? (?:for performance )?(?:on |in )?lighthouse\b(?! (?:accessibility|seo|best practices))",
        lambda g: f"Lighthouse {g['score'] or g['score2']}+",
    ),
    (
        "performance",
        r"\b(?:payloads?|responses?|pages?|bundles?)\s+(?:\w+\s+){0,2}?(?:under|below|less than|smaller than|at most)\s*(?P<size>\d+(?:\.\d+)?)\s?(?P<sunit>kb|mb)\b",
        lambda g: f"< {g['size']} {(g['sunit'] or '').upper()}",
    ),
    (
        "performance",
        r"\b(?:queryable|available|visible|searchable|fresh|up to date|updated|ready|processed|published|live|results?|answers?|responses?|scores?|verdicts?)\s+within\s+(?P<fresh>\d+)\s*(?P<funit>seconds?|minutes?|hours?|mins?)\b",
        lambda g: f"freshness < {g['fresh']} {(g['funit'] or 'min')[:3].replace('sec', 's').replace('hou', 'h')}",
    ),
    (
        "performance",
        r"\b(?P<mem>\d+(?:\.\d+)?)\s?(?P<munit>gb|mb)\s+(?:of\s+)?(?:ram|memory)\b",
        lambda g: f"<= {g['mem']} {(g['munit'] or '').upper()} RAM",
    ),
    (
        "performance",
        r"\b(?:finish(?:es)?|complete[sd]?|run|runs|done|through [\w\s-]{0,30}?)\s+(?:with)?in(?:side)?\s+(?:under\s+|less than\s+)?(?:one|a|an|the|\d+|two|three|four|five|six|ten|twelve)\s+(?P<window>weekend|night|hours?|days?|minutes?)\b|\bover (?:one|a|the) (?P<window2>weekend|night)\b",
        lambda g: f"within {g.get('window') or g.get('window2')}",
    ),
    # throughput: "N things per unit"
    (
        "performance",
        _NUM
        + r"\s*(?:\+\s*)?(?:[a-z][\w-]*\s+){0,2}?(?P<what>requests?|reqs?|rps|msgs?|x-rays?|photos?|parcels?|deliveries|shipments?|orders?|scores?|transactions?|messages?|events?|redirects?|writes?|reads?|queries|jobs?|uploads?|calls?|impressions?|clicks?|records?|rows?|emails?|notifications?|payments?|bookings?|readings?|images?|documents?|files?|predictions?|texts?|tickets?|visits?|page ?views?|hits?|sessions?|searches|checkouts?|sign-?ups?|logins?|check-?ins?|pings?|updates?|samples?|conversations?|chats?|points?|packets?|scans?|votes?|bids?|trades?|quotes?|lookups?|spans?|logs?|lines?)\s*(?:/|per|a|an|each|every)\s*"
        + _TIME
        + r"\b",
        _rate,
    ),
    # any plural thing per second or minute is a rate to sustain: "500 declarations per second"
    (
        "performance",
        _NUM
        + r"\s*(?:[a-z][\w-]*\s+)?(?!(?:metres|meters|miles|kilometres|kilometers|feet|litres|liters|"
        r"gallons|degrees|beats|revolutions|rotations|words|frames|steps|strokes|times)\b)"
        r"(?P<what>[a-z][\w-]*[^s\W]s)\s*(?:/|per|a|an|each|every)\s*(?P<per>second|sec|s|minute|min)\b",
        _any_rate,
    ),
    (
        "scalability",
        _NUM
        + r"\s*(?:\w+\s+){0,2}?(?P<what>devices|sensors|stations|clients|machines|vehicles|meters|agents|robots|amrs|drones|cameras|trucks|buses|scanners|terminals),?\s+(?:\w+\s+){0,3}?(?:every|each)\s*(?P<every>\d+)?\s*"
        + _TIME
        + r"\b",
        _fleet_rate,
    ),
    # a load to carry, without a rate: "on a peak Saturday it has to handle 50,000 bookings"
    *[
        (
            category,
            r"\b(?:handle|cope with|absorb|take|process)\s+(?:up to\s+|about\s+|around\s+)?"
            + _NUM
            + r"\s*(?P<what>bookings|orders|requests|transactions|visitors|messages|events|uploads|"
            r"payments|tickets|sign-?ups|applications|submissions|votes)\b"
            r"(?!\s*(?:/|per|a|an|each|every)\s*(?:second|sec|minute|min|hour|day|s)\b)",
            lambda g: f"{_fmt(_number(g['num'] or '0', g.get('mult')))} {g['what']}",
        )
        for category in ("performance", "scalability")
    ],
    (
        "scalability",
        r"\b(?:cope with|keep up with|handle|absorb|sustain)\s+(?:up to\s+|about\s+|around\s+)?"
        + _NUM
        + r"\s*(?:[a-z][\w-]*\s+)?(?P<what>[a-z][\w-]*s)\b"
        r"(?!\s*(?:/|per|a|an|each|every)\s*(?:second|sec|minute|min|hour|day|week|month|year|s)\b)",
        lambda g: f"{_fmt(_number(g['num'] or '0', g.get('mult')))} {g['what']}",
    ),
    # scale
    (
        "scalability",
        _NUM
        + r"\+?\s*(?:concurrent |active |daily |monthly |simultaneous |registered |paying |iot |connected )*(?:[a-z][\w-]* )?(?P<who>users|customers|members|players|visitors|tenants|donors|backers|devices|sensors|shoppers|subscribers|students|patients|drivers|riders|accounts|connections|sessions|homes|households|meters|citizens|residents|families|listeners|viewers|readers|learners|merchants|employees)\b(?! per (room|game|team|match|table|lobby|session|squad|party|class|race|round|court|group))",
        _users,
    ),
    (
        "scalability",
        _NUM
        + r"\+?\s*(?:concurrent|simultaneous|parallel)\s+(?P<who>[a-z]+)\b",
        _users,
    ),
    (
        "scalability",
        r"\bup to " + _NUM + r"\s*(?P<who>people|users|players|visitors|guests|devices|participants)\s+(?:can\s+)?(?:join|play|connect|use|take part)\b",
        _users,
    ),
    (
        "scalability",
        _NUM
        + r"\+?\s*(?P<who>[a-z]+s|people)\s+(?:\w+\s+){0,3}?(?:at once|at the same time|simultaneously|concurrently)\b",
        _users,
    ),
    (
        "scalability",
        r"(?P<vol>\d[\d,.]*)\s?(?P<vunit>tb|gb|pb)\s*(?:/|per|a|each)\s*(?P<vper>day|hour|month)\b",
        lambda g: f"{g['vol']} {(g['vunit'] or '').upper()}/{g['vper']}",
    ),
    (
        "scalability",
        r"\b(scal(e|es|ed|ing) (up|out|down|to(?! (other|different|any|smaller|larger) (sizes?|servings?|portions?))|with|horizontally|automatically|well|linearly|elastically)|(must|should|will|can|to) scale|scal(able|ability)|at scale|auto-?scal\w*|black friday|traffic spikes?|(cope|deal|handle|survive)s? with (that|the|this|a|an|such an?) (spike|rush|surge|peak)|(burst|spike|surge)s? of \d[\d,.]*k?|\d+\s?(million|billion|m|bn) ([\w-]+ )?(a|per) (day|month|hour)|(?<!before )rush hour|as (we|it|the (club|business|company|fleet|network)) grows?\b|thousands of (people|users|visitors|customers|fans|hikers) [^.;]{0,30}\b(at once|at the same (time|moment))|(?<!before the )(dinner|lunch|morning|evening) rush|survive (the|a) ([\w-]+ )?(rush|spike|surge|peak)|\d[\d,]* (games|matches|sessions|streams|rooms|connections|conversations|chats|calls|players|users) at once|city of \d[\d,]*|without falling over|(today|now|this year),? (and|rising to|growing to|going to) (about |around |over )?\d[\d,.]*k? (next|by|in)\b|peak (traffic|load|hours)|millions of|billions of|horizontal(ly)?|high (traffic|volume|load)|growth(?! (team|hacking|marketing|metrics))|grow (well )?(past|beyond)|without a rewrite|at peak|peaks? of \d[\d,.]*k?\b|\d[\d,]* (cameras|streams|feeds|devices) at \d+ ?(fps|hz)|elastic)\b",
        None,
    ),
    # security
    (
        "security",
        r"\b(jwt|oauth ?2?|encrypt\w*|secure(ly)?(?! (it |them |the [\w-]+ |their [\w-]+ |a [\w-]+ )?(with|by) (a |an )?(card |cash )?(deposit|payment))|security(?! (wait|waits|line|lines|queue|queues|checkpoints?|guards?|deposits?|cameras?|badges?|patrols?|staff|screening|questions?))|tls(?! certificates?)|ssl(?! certificates?)|2fa|mfa|two-factor|sso|single sign-on|verif\w* (\w+ )?signatures?|signature verification|signed (requests|payloads|urls|webhooks)|hash(ed|ing)? passwords?|hmac|request signing|tamper[- ](evidence|evident|proof)|password hash\w*|owasp|data breach\w*|known breach\w*|breach (lists?|detection|check\w*)|breached|vulnerab\w*|penetration test\w*|secrets? management|least privilege|passwords?(?! reset)|at rest|in transit|only (their|his|her) own|access control|ssh|credentials|secrets|rotat\w* (\w+ )?keys|de-?identif\w*|redact\w*|never logs? (\w+ ){0,3}(contents?|data|pii|payloads?|bodies|secrets)|pii|one-time (codes?|passwords?|passcodes?|pins?)|never (reveal|expose|show|leak)s? [^.;]{0,40}\b(another|other)\b|(never|not) (ever )?leaves? (the|our|this|my|your) ([\w-]+ )?(machine|device|network|laptop|premises|phone|computer|building)|air-?gapped|confidential|lock(s|ing)? the screen|auto-?lock\w*|(reachable|accessible|available|used) only (on|from|inside|within) (the|our) (internal|office|company|hospital|prison|school) network|pseudonymi[sz]\w*|anonymi[sz]\w*|malware|virus(es)? scan\w*|antivirus|protect ([\w'’-]+ ){0,2}privacy|nothing (may|must|should|can|will) (ever )?leave|otp|face id|touch id|biometric\w*|hsm|signing keys?|mask(s|ed|ing)? (the )?([\w-]+ ){0,2}(numbers|names|emails|pii|data|details|addresses)|kms|key vault|(never|not|must not|mustn't) leak|leak(s|ed|ing)? ([\w-]+ ){0,3}(data|secrets?|keys?|credentials|information)|strips? ([\w-]+ ){0,3}(names|pii|identifiers|personal (data|details))|never (ends? up|appears?|be written|be stored|be logged) in (the )?logs|never (keeps?|stores?|logs?|writes?) [^.;]{0,40}\bin (the )?([\w-]+ )?logs|anti-?cheat (checks?|validation|protection|measures)|(must|should|are|is) (be )?hashed|hashed before|sandbox(ed|es)?(?![- ](games?|mode|worlds?|builders?|style|environments? for (testing|developers)))|(must|should|shall|have to|has to) (stay|remain|be kept) anonymous|nothing (may|must|should|can|will) (ever )?go to the cloud|log(s|ged)? (every|each|all) ([\w-]+ ){0,2}access(es)?|(never|not) (retain|store|keep|persist)s? ([\w-]+ ){0,3}(text|data|contents?|documents?|images?|recordings?|files|messages|transcripts?) (after|once|beyond|longer))\b",
        None,
    ),
    # compliance
    (
        "compliance",
        r"\b(?P<reg>gdpr|hipaa|pci[ -]?dss|pci|soc ?2|iso ?27001|ccpa|ferpa|sox|fedramp|psd2|coppa|lgpd|dpdp|21 cfr(?: part 11)?|(?:eu )?ai act|gxp|glba|nis ?2|mifid(?: ii)?|kyc|aml|iso ?(?!20022|8601|4217|3166|639\b|9660|8859|6346|13616|9362|7816|15022|11179|19115|11783|14496|32000|26300|29500|6709|9899|14882|10646|15924|19139|19136)\d{4,5}|(?:easa |faa )?part[- ]\d{2,3}|easa|faa)\b",
        _regime,
    ),
    (
        "compliance",
        r"\b(required by (the |our )?([\w-]+ ){0,3}(scheme|regulations?|law|regulator|inspectorate|standard)|complian(t|ce)|regulat(ed|ory|ions?|ors(?! (service|servicing|records?|parts?|hoses?))|or(?! (service|servicing|records?|parts?|hoses?)))(?<!dive regulator)(?<!scuba regulator)(?<!dive regulators)(?<!scuba regulators)|retained for (\d+|one|two|three|four|five|six|seven|eight|ten) (years|yrs|months)|retain \d+ (years|yrs)|(kept|stored|retained|held) (for )?(more|longer) than \d+ (days|weeks|months|years)|(kept|stored) for \d+ years|(keep|retain|store|archive)s? (the |all |our |their )?([\w-]+ ){0,2}for (\d+|two|three|four|five|six|seven|eight|ten) years|(stays?|kept|retained|stored|archived) [^.;]{0,40}\bfor \d+ years|by law|(labour|labor|maritime|employment|safety|working[- ]time) (rules|laws|regulations)|legally required|privacy laws?|fairness (polic(y|ies)|requirements?|rules?)|audited for bias|anti-money-laundering|money laundering|legal (ratios?|limits?|minimums?)|for legal reasons|(kept|stored|retained) for (only )?(\d+|one|two|three|six|seven|ten|thirty) (days|weeks|months)( only)?|compl(y|ies) with|(must|should|may|can) not leave the (eu|uk|us|usa|country|region)\b|(can't|cannot|can’t|mustn't|must never|may never) leave the (eu|uk|us|usa|country|region)\b|deleted after \d+ (days|weeks|months|years)|(must )?never leaves? the (eu|uk|us|usa|country|region)\b|phi\b|protected health information|(data|records?|everything) (must |has to |have to |should |needs? to |shall )?(stays?|remains?|be (kept|stored|hosted)) (with)?in (the )?(eu|uk|us|usa|germany|france|canada|australia|country|region|[a-z]+ region)\b|legal requirement|data[- ]residency|dspt|dsp toolkit|cyber essentials|legal hold|retention polic\w*|anonymi[sz]\w*|pseudonymi[sz]\w*|right to be forgotten|consent(?! forms?))\b",
        None,
    ),
    (
        "usability",
        r"\b(accessib\w*(?! (questions?|info|information|details|needs))|wcag|a11y|easy to use|ease of use|user-friendly|intuitive|mobile-friendly|responsive design|simple to use|dead simple|(aren't|are not|isn't|not) (very )?(tech|technical|tech-savvy)|usability|usable (by|for|on)|non-techy|not techy|big buttons|no reading required|easy (for ([\w-]+ ){1,3})?to use|in (one|two|three|a few) taps?|screen readers?|one-click|looks? (good|great|nice) on (phones|mobile|tablets|any device)|mobile-first|non-technical|(for|by) (the )?elderly|elderly (users|people)|large (buttons|fonts?|text)|one-handed|(big|large|clear),? readable (text|fonts?|type|print)|readable (text|fonts?|type|print)|without (any )?instructions|big,? (and )?simple( buttons)?|(isn't|is not|not|aren't|are not) (very |really )?comfortable with (computers|tech|technology|phones)|not a computer person|(operable|usable) (entirely )?(from|with) the keyboard|keyboard[- ]only|(with )?no training|without (any )?training|buttons (must be |should be )?big|big enough to (use|tap|press))\b",
        None,
    ),
    (
        "maintainability",
        r"\b(maintainab\w*|clean code|well[- ]tested|test coverage|(branch|line|statement) coverage|\d+\s?% coverage|documented|modular|extensib\w*|readab\w*(?! (text|fonts?|type|print|on|for|by))|linted|type[- ]checked|code quality|test-covered|easy to maintain|fully typed|well[- ]typed|(others|anyone|volunteers|the team|we) can maintain|(solid|clear|good|proper) docs and tests|(proper|good|clear|full|thorough) (docs|documentation)|(thorough|proper|good|solid|full) tests|type hints|docstrings)\b",
        None,
    ),
    (
        "portability",
        r"\b((?<!number )portab\w*|cross-platform|runs? anywhere|(runs?|run) in (the )?(browsers?|node(\.js)?) ?(\+|and|&|/) ?(the )?(browsers?|node(\.js)?)|runs? the same (in|on)|runs? on (any|every|all|multiple|both)|vendor lock-?in|cloud lock-?in|(run|runs|host|hosted|hosting) on our own servers|(run|runs|deploy\w*|host\w*|install\w*) ([\w-]+ ){0,2}on-?prem\w*|self-?hosted|multi-?cloud|cloud-agnostic|(windows|macos|macs?|linux)\b[^.;]{0,50}\b(and|or) (on )?(the |their |our |my )?([\w'’-]+ ){0,2}(windows|macos|macs?|linux)\b|keeps? (selling|working|running|taking [\w-]+) (if|when) the ([\w'’-]+ )?(internet|network|connection|wi-?fi) (drops|goes down|is down)|(windows|macos|mac|linux|steam deck|pcs?|switch|consoles?) ?(\+|/|&) ?(windows|macos|mac|linux|steam deck|pcs?|switch|consoles?)\b|(no|without( an?)?|w/o) internet( connection)?|without (any )?(signal|connectivity)|without (a |an |any )?(network |internet |data )?connection|(the )?(internet|connection|wi-?fi|network|signal) (drops|cuts|goes) (out|off|down)|no (network )?(connection|connectivity)|offline (listening|reading|viewing|playback|access|maps?)|(works?|working) (with )?(no|zero|poor|patchy|without) (signal|coverage|reception|connection|connectivity)|back in range|back in coverage|(with )?no signal|where there'?s no (signal|coverage|connection|internet|reception)|(works?|runs?) (in|on) both [\w.-]+ and|(works?|runs?) both (in|on)|(works?|runs?) on [\w-]+ (as well as|and also) [\w-]+|offline[- ]first|(runs?|running|works?|working) (fully |entirely |completely )?offline|(runs?|works?|plays?)( unchanged| identically| the same)? (in|on) (the browser|browsers?|node(\.js)?|deno|windows|linux|macos|mac|ios|android|pcs?|switch|mobile|desktop|steam deck|consoles?|tablets?|phones?),? (and|or|as well as) (in |on )?(the browser|browsers?|node(\.js)?|deno|windows|linux|macos|mac|ios|android|pcs?|switch|mobile|desktop|steam deck|consoles?|tablets?|phones?)|(on|in) (the browser|browsers?|node(\.js)?|deno|windows|linux|macos|mac|ios|android|pcs?|switch|mobile|desktop|steam deck|consoles?|tablets?|phones?), (the browser|browsers?|node(\.js)?|deno|windows|linux|macos|mac|ios|android|pcs?|switch|mobile|desktop|steam deck|consoles?|tablets?|phones?),? (and|or) (the browser|browsers?|node(\.js)?|deno|windows|linux|macos|mac|ios|android|pcs?|switch|mobile|desktop|steam deck|consoles?|tablets?|phones?)|air-?gapped|offline (in|at|on|during)\b|when (they'?re|we'?re|it'?s|you'?re) (back )?online|(read|reads|reading|listen|listening|watch|watching|play|playing) offline|raspberry pis?|\bwin ?(7|xp|vista)\b|(on|run on|runs on) (our |their |the |some )?(old|older|ancient|crusty) windows (7|xp|vista) (box|machine|pc|laptop)s?|(no|without( an?)?|w/o) wi-?fi|(callable|usable|available) from both [\w.#+-]+ and [\w.#+-]+|(run|runs|work|works|play|plays) on ([\w'’-]+ ){0,2}chromebooks?|(run|runs|work|works) on (an? |the |our )?(old |older |ancient )?windows (xp|vista|7|8)\b|(ship|ships|release|launch)(es|ed|ing)? on (pc|windows|mac|steam|the switch|nintendo switch|switch|ps5|xbox)( and | & |, )(pc|windows|mac|steam|the switch|nintendo switch|switch|ps5|xbox)\b|(while|whilst) offline|(has|have|gets?|with) (a )?signal again|on (phones|mobile|tablets) too|keeps? (on )?working (if|when|while|during) (the )?(internet|network|connection|wifi|wi-fi|signal)|offline ([\w-]+ )?(apps?|tools?|programs?|desktop|windows|android|ios|tablets?|mobile|laptops?)\b|(works?|working|usable|use it|available) offline|offline (mode|support|use)|when offline|when (back |again )?online|back online|on any (device|os|platform)|(playable|usable|available|runs?|works?|plays?) (in|on) ([\w'’-]+ ){0,3}(touchscreens?|tablets?|phones?|browsers?|desktops?|laptops?|kiosks?|tvs?|consoles?) (and|or|as well as) (in |on )?([\w'’-]+ ){0,2}(touchscreens?|tablets?|phones?|browsers?|desktops?|laptops?|kiosks?|tvs?|consoles?)|(supports?|runs? on|works? (on|with)|compatible with) (python|node(\.js)?|java|php|ruby|\.net) \d+(\.\d+)?\s*(to|-|–|through|and|\+|or (later|newer|above))|\bpy(thon)? ?3\.\d+ ?(-|–|to|\+) ?(3\.\d+)?|(runs?|run|play|plays) on (the |a )?steam deck|offline play|no_std|android \d+(\.\d+)? ?(and up|\+|or (later|newer|above))|ios \d+(\.\d+)? ?(and up|\+|or (later|newer|above))|(supports?|runs? on|works? (on|with)|compatible with) (python|py|node(\.js)?|java|php|ruby|\.net|go|golang|rust|kotlin|swift) ?\d+(\.\d+)*\s*(\+|and (every |all )?(later|newer|up|above)|or (later|newer|above))|on (the |a )?steam deck|(old|older) (safari|browsers?|android phones|iphones|ipads|internet explorer)|internet explorer|ie ?11|without (an installer|admin(istrator)? rights)|no admin(istrator)? rights)\b",
        None,
    ),
    (
        "observability",
        r"\b((?<!reference )(?<!air )(?<!quality )monitor(ed|ing)?(?! (stations?|wells?|sites?|points?|devices?|equipment|data|network|readings?))|observab\w*|logging(?! (their|the|a|an|my|our|his|her|each|every|of|what|who|when|in|workouts?|hours?|sends?|meals?))|structured logs|tracing|(?<!gps )(?<!gpx )traces|traced|a trace (for|of) |(expose|exposes|exposing|export|exports|emit|emits|with|prometheus) ([\w-]+ (and |, )?){0,3}metrics|metrics (endpoints?|hooks?|and (tracing|traces|logs|alerts))|(?<!push )(?<!sms )(?<!email )(?<!e-mail )(?<!price )(?<!text )alert(s|ing)?(?=[^.;]{0,60}\b(fail\w*|errors?|missing|stops?|stalls?|drops?|goes down|is down|lag\w*|thresholds?|late|behind|broken|backlog\w*)\b)|(fail\w*|dead-letter|errors?)\b[^.;]{0,40}\balert(s|ing)?|page (the |our )?on-?call|alert (me |us )?(if|when) [^.;]{0,30}\b(silent|stale|goes quiet|stops)\b|(each|every) (run|job|load|import|sync) (shall|must|should|will|is|gets)( be)? logged|(appear|show) on a metrics dashboard|(alert|email|text|tell|notify|ping|warn) (me|us|the [\w-]+)[\w -]{0,20} (if|when) [^.;]{0,40}\b(hasn't|has not|hasn’t|didn't|did not|doesn't|does not|haven't|have not) (yet )?(arrived|arrive|come in|landed|run|finished|been received)|(if|when) [^.;]{0,40}\b(goes (silent|quiet|offline|dark|down)|stops? (reporting|sending|responding))\b[^.;]{0,40}\b(alert|page|text|email|notify|ping)|(e-?mail|alert|notify|text|ping|tell) (the |us|me|our)[\w -]{0,20} (if|when) (a|the|any|one) ([\w-]+ )?(run|job|load|import|sync|export) (fails|breaks|errors)|log (each|every) (run|job|import|sync|load)\b|log ([\w-]+ ){0,2}(for|on) (every|each) run\b|page (us|me|the team|someone|whoever)\b|on-?call (engineer|rota|team)|dashboards? for (ops|operations)|trace ids?|correlation ids?|(publish|send|push|emit)(es|s)? ([\w-]+ ){0,2}metrics|cloudwatch|stackdriver|application insights|azure monitor|prometheus|grafana|opentelemetry|datadog|sentry|health ?checks?|pagerduty)\b",
        None,
    ),
    (
        "cost",
        r"(?:budget|cost(?:s|ing)?|hosting|under|below|less than|<|at most|max(?:imum)?|no more than|spend|afford(?: about| around| up to)?)\s*(?:of\s*|is\s*(?:like\s*|about\s*|around\s*|roughly\s*)?|must be\s*|must stay\s*)?(?:under\s*|below\s*)?(?P<cur>\$|€|£|usd\s?|eur\s?|gbp\s?)(?P<amount>\d[\d,]*(?:\.\d+)?k?)(?:\s*(?:/|per|a|an)\s*(?P<cper>month|mo|year|day))?",
        _money,
    ),
    (
        "cost",
        r"(?:budget|cost(?:s|ing)?|hosting|under|below|less than|at most|max(?:imum)?|no more than|spend)\s*"
        r"(?:of\s*|is\s*|must be\s*|must stay\s*)?(?:under\s*|below\s*)?(?P<amount>\d[\d,]*(?:\.\d+)?k?)\s*"
        r"(?P<cur>usd|eur|gbp|pounds|dollars|euros)(?:\s*(?:/|per|a|an)\s*(?P<cper>month|mo|year|day))?\b",
        _money,
    ),
    (
        "cost",
        r"\b(cost(s)? pennies|pennies to host|budget is (basically |practically |almost |close to )?(zero|nothing|tiny|tight|minimal)|cheap(ly)?(?! (android )?(phones|devices|laptops|hardware|tablets))|low[- ]cost(?! ([\w.-]+ )?(sensors?|devices?|hardware|phones?|airlines?|carriers?))|cost[- ]effective|cost[- ]efficient|inexpensive|on a budget|tight budget|free[- ]tier|scales? to zero|(a few|few) (pounds|dollars|euros|quid|bucks) (a|per) month|we pay (for )?(every|each|per) (minute|hour|request|second)|shoestring|hosted for free|free hosting|for free\b(?! (berths?|seats?|slots?|spaces?|tables?|rooms?|places?|spots?|parking|lanes?|courts?))|"
        r"costs? (\w+ ){0,3}(close to|near) (zero|nothing)|costs? (us |me )?(basically |next to |almost |practically )?nothing|(bill|costs?) (\w+ ){0,2}(close to|near|at) (zero|nothing|nil)|as cheap as possible|(hosting|running|cloud) costs? (\w+ ){0,3}(low|minimal|down)|(no|zero|minimal|low) running costs?|cheapest (hosting|possible))\b",
        None,
    ),
]
_COMPILED = [(cat, (cue := Cue(p)).pattern, fn, cue) for cat, p, fn in _RULES]
# Words that make a number a throughput for both performance and scalability.
_THROUGHPUT = {"_rate", "_any_rate"}
# A throughput of thousands a second, or millions of anything, is also a statement of scale.
_LARGE = re.compile(r"\d\s*(m|mm|b|million|millions|billion|billions)\b")
# A number after these is a cap on clients, not a load to carry.
_LIMIT_BEFORE = re.compile(
    r"\b(limited to|capped at|throttled? ([\w-]+ ){0,3}(to|at)|limit ([\w-]+ ){0,4}to|(a |the )?limit of|at most|"
    r"no more than|max(imum)? of)\s*~?$"
)


# A modest rate is about speed; one the product must scale to is about scale too.
_LOAD_BEFORE = re.compile(
    r"\b(scales? to|scaling to|scale up to|peaks? (of|at)|peak( load| traffic)? is|at peak|peak|cope with|"
    r"absorb|expect|expects)\b[^.;,]{0,25}$"
)
# ... or when it comes at a peak: "500 bookings a minute when a big release opens".
_LOAD_AFTER = re.compile(
    r"^[^.;]{0,12}\b((at|during|on|over) ([\w-]+ ){0,2}(peaks?|rush|month-end|year-end|holidays|"
    r"launch(es)?|releases?|sales|sale days?)|when (a|the|our) ([\w-]+ ){0,3}(opens|launches|goes on sale|"
    r"drops|starts))\b"
)


# ... unless the text asks for it to be worked through ("must process 20 million a day").
_SPEED_BEFORE = re.compile(
    r"\b(process|processes|processing|serve|serves|serving|handle|handles)\b[^.;]{0,45}$"
)


_CLAUSE_END = re.compile(r"[.!?;](?=\s|$)|\n")


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a match ("it must answer within 100 ms at the 95th percentile")."""
    left = max(
        (m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 200), start)),
        default=max(0, start - 200),
    )
    right_match = _CLAUSE_END.search(text, end, end + 200)
    right = right_match.start() if right_match else min(len(text), end + 200)
    clause = " ".join(text[left:right].split())
    return clause if len(clause) <= 200 else " ".join(text[start:end].split())


_AT_ONCE = re.compile(r"concurrent|simultaneous|at once|same time|join|conversations|online")


def _a_crowd(low: str, match: re.Match[str], target: str | None) -> bool:
    """True when a count of people or devices is a load: a thousand or more, or at once."""
    if match.start() and (low[match.start() - 1].isalpha() or low[match.start() - 1] == "."):
        return False  # "PM2.5 sensors": part of a name
    try:
        count = float((target or "0").split()[0])
    except ValueError:
        return True
    return count >= 1000 or bool(_AT_ONCE.search(low, match.start(), match.end() + 30))


def find_nfrs(text: str) -> list[NFRMatch]:
    """Every NFR the text states, one per (category, target), in order of appearance.

    A vague statement of a category that also has a measurable one is dropped: "fast, under
    200 ms" is one requirement, p95 < 200 ms.
    """
    found: dict[tuple[str, str | None], NFRMatch] = {}
    low = lowered(text)
    for category, _, target_of, cue in _COMPILED:
        pattern = cue.for_text(low)
        if pattern is None:
            continue
        for match in pattern.finditer(low):
            span = _clause(text, match.start(), match.end())
            if not span:
                continue
            target = target_of(match.groupdict()) if target_of else None
            if target_of is _users and not _a_crowd(low, match, target):
                continue  # "a club of about 400 members", "PM2.5 sensors": no load to carry
            if target_of is not None and target_of.__name__ in _THROUGHPUT:
                if _LIMIT_BEFORE.search(low, max(0, match.start() - 30), match.start()):
                    continue  # "each partner is limited to 100 requests per minute": a rate limit
                rate = float(target.split()[0]) if target else 0.0
                if target_of is _any_rate and _number(match.group("num")) < 10:
                    continue  # "shoots 3 arrows per second": a rule of the thing, not a load
                load = _LOAD_BEFORE.search(
                    low, max(0, match.start() - 40), match.start()
                ) or _LOAD_AFTER.search(low[match.end() : match.end() + 80])
                slow_unit = (match.groupdict().get("per") or "s")[:1] in {"d", "n", "w", "y"} or (
                    match.groupdict().get("per") or ""
                ).startswith("mo")
                count = _number(match.group("num") or "0", match.groupdict().get("mult"))
                if slow_unit and count < 1000 and not load:
                    continue  # "maybe 200 requests a day": no load worth a requirement
                if rate < 1000 and not _LARGE.search(match.group(0)) and not load:
                    found.setdefault(
                        (category, target), NFRMatch(category, span, target, match.start())
                    )
                    continue
                # Heavy load is about speed and about scale.
                found.setdefault(
                    ("scalability", target), NFRMatch("scalability", span, target, match.start())
                )
                per = match.groupdict().get("per") or ""
                if (
                    per[:1] in {"d", "n", "w", "m", "y"}
                    and per not in {"min", "minute", "m"}
                    and not _SPEED_BEFORE.search(low, max(0, match.start() - 60), match.start())
                ):
                    continue  # "4 million scan events a day": a volume to carry, not a speed
            found.setdefault((category, target), NFRMatch(category, span, target, match.start()))
    measured = {cat for cat, tgt in found if tgt}
    kept = [m for (cat, tgt), m in found.items() if tgt or cat not in measured]
    # One vague entry per category is enough.
    seen_vague: set[str] = set()
    out = []
    for m in sorted(kept, key=lambda m: m.start):
        if m.target is None:
            if m.category in seen_vague:
                continue
            seen_vague.add(m.category)
        out.append(m)
    return out


def is_vague(match: NFRMatch) -> bool:
    """True for a statement without a number ("fast", "scalable")."""
    return match.target is None
