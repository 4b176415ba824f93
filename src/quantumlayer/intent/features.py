"""Feature detection (canonical ids), cloud and deployment hints.

A feature is found from what the text says ("log in", "Stripe", "websockets") or from what it
implies: roles need accounts (rbac -> auth), so do tenants and admin areas; people who act in a
multi-user app ("buyers pay", "riders request rides") need to sign in. Every detection keeps the
span of the text it comes from, so requirements can cite their source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quantumlayer.domain import ProjectType
from quantumlayer.intent.text import Cue, lowered

_LANG = (
    r"(english|german|french|spanish|italian|portuguese|dutch|polish|swedish|danish|norwegian|"
    r"finnish|japanese|chinese|mandarin|korean|arabic|hindi|russian|turkish|greek|hebrew|czech|welsh|irish|"
    r"gaelic|catalan|basque|ukrainian|romanian|hungarian|vietnamese|thai|indonesian|urdu|bengali|swahili|tagalog|"
    r"pashto|dari|farsi|persian|tigrinya|somali|amharic|tamil|punjabi|gujarati|cantonese|malay|lithuanian|"
    r"latvian|estonian|slovak|croatian|serbian|bulgarian|slovenian|icelandic|kurdish|bsl)"
)
_FEATURE_CUES: dict[str, list[str]] = {
    "auth": [
        r"\b(log(s|ging)? ?in(to (it|the app|the site|the portal|with))?|logins|log-in|logged[- ]in|signed[- ]in|sign(s|ing)? ?(in|up(?! for))|sign-(in|up)|signup(?! (funnels?|rates?|conversions?))|jwt|oauth ?2?|sso|single sign-on|authenticat\w*|2fa|mfa|two-factor)\b",
        r"\b((user|player|member|customer|student|patient|client|staff|employee) accounts?|(need|needs|have|has|get|gets|create|creates|with) (an |their own |their |own )?accounts? (with|to|so|and)\b|their (own )?accounts?|my account|create an account|(?<!['’]s )registration(?! (marks?|numbers?|plates?|codes?|fees?|(has|is|are|was) ))|users? register|registered (customers|users|members|clients|pharmacies|shops|businesses|accounts)|token refresh|refresh tokens?|passwords? (hash\w*|login)|face id|touch id|biometric login|members[- ]only|registered [\w-]+ (should |can |may )?(get in|log in|sign in)|registered (buyers|sellers|vendors|bidders|traders|dealers|hauliers|practices))\b",
        r"\b(their own|only their|profiles?|favou?rites?|wishlists?|follow each other|followers|follow (their |your )?(friends|other \w+|people)|(you|they|users|members) follow\b|with (their own )?accounts\b|(see|view|check)s? (their |your )?past (rides|orders|trips|bookings|purchases|workouts|runs|visits|sessions)|order history|loyalty|(view|see|manage|track|edit|download|check)s? (all )?their (own )?\w+)\b",
    ],
    "rbac": [
        r"\b(decide (which|who) [^.;]{0,40}\bcan (do|see|access|edit|use)|can only (read|view) (them|it)\b|allowed to (see|view|access|edit|open)|roles|rbac|role-based|permissions?(?! slips?)|access control|admins? (vs\.?|and|or|versus) (viewers?|users?|editors?|members?)|(user|admin|staff|editor|viewer|manager|moderator|owner|member|guest) roles?|roles? (and|or) permissions?)\b",
        r"\bonly (the )?([\w-]+ )?(admins?|managers?|owners?|team leads?|moderators?|editors?|teachers?|staff|hr|[a-z]+(er|or|ist|ant|ent)s?) (can|may|are allowed to|shall be able to|will be able to|are able to)\b",
        r"\bsee [^.;]{0,60}\b(while|whereas|but) ([\w-]+ ){1,2}(can )?(only )?see (only )?their own\b|"
        r"\b(need to |can |should )?see different (things|data|screens|views|information)\b|\((not|but not) [a-z]+s?\) (can|may)\b",
        r"\bonly (the )?([\w-]+ )?(group|team|department|office|board) (can|may)\b|\b(may|can) only (move|edit|see|view|access|change|approve) [^.;]{0,40}\btheir own\b",
        r"\bonly (the )?([\w-]+ ){0,2}[a-z]+s (can|may|are allowed to) (edit|approve|publish|delete|change|close|sign|lock|vote|review|see|view|access|manage)\b",
        r"\b[a-z]+s can only (see|view|edit|access|change) their own\b",
        # "Only dispatchers shall be permitted to reassign", "Pharmacists, and only pharmacists, can"
        r"\bonly ([\w-]+ ){0,2}[a-z]+s,? (shall|will|are|is) (be )?(permitted|allowed|authori[sz]ed) to\b|"
        r"\b[a-z]+s,? and only (the )?[a-z]+s,? (can|may|shall|will|are allowed to)\b",
        r"\b(managers?|supervisors?|staff|leads?|coaches|teachers|instructors) (can )?(see|view|edit|access) only (their|its|his|her) "
        r"(own )?(location|branch|site|team|store|shop|region|class|group|department)s?\b",
        r"\b[a-z]+s can only (see|view|edit|access|change) (?!(their|its|his|her) own\b)[a-z]+",
        r"\bonly (my|our|the) [a-z]+ (can|may) (write off|approve|delete|edit|refund|void|change|sign off)\b",
        r"\b(can|may) (edit|see|view|change|access|approve|delete) only (their|his|her) own\b|"
        r"\b(may|can) (read|view|see) [^.;]{0,40}\bbut (never|not) (edit|change|write|modify|delete)\b",
        r"\b(approves? or rejects?|accepts? or rejects?|approve or decline|sees? (every|all) [a-z]+s?, [a-z]+s? only)\b",
        r"\b(editors?|admins?|dispatchers?|coordinators?|team leads?|leads) (can )?(re)?assign\b",
        r"\b(has|have|needs?|need) to approve\b|\bmust approve\b",
        r"\b(editors?|reviewers?|moderators?|supervisors?|managers?|admins?|leads?|leaders?|coordinators?|trustees?|"
        r"teachers?|partners?|organi[sz]ers?|owners?|approvers?) "
        r"(\w+ ){0,4}(approve|approves|sign off|signs off|accept or reject|accepts or rejects|approve or reject|approves or rejects)\b",
        r"\bdifferent (edit |editing |access |user )?(rights|permissions|access levels|privileges)\b",
        r"\b((?<!public and )(?<!public, )read-?only\b(?! ([\w-]+ )?(file|files|filesystem|disk|mount|volume|replica|database|copy|commands?|queries|mode|apis?|dashboards?|views?|sites?|endpoints?|mirror))|(can|may) (only )?(read|view), (the )?\w+ (can|may) (write|edit)|(sees?|views?|accesses) everything)\b",
        r"\b(manager|supervisor|admin|lead)s? (approves?|approve|can approve|signs? off)\b",
        r"\b(moderators?|moderation|approval by|manager approval|approv(e|es|al) (by|from) (a |the |their )?(manager|admin|lead))\b",
        r"\b(viewers? and editors?|editors? and viewers?)\b",
        # "access is granted per role", "a PI role that can lock entries", "only senior engineers are allowed to"
        r"\b((granted|assigned|restricted|scoped) (per|by) role|an? [\w-]+ role (that|who|which) (can|may)|"
        r"only ([\w-]+ ){1,3}(are|is) allowed to)\b",
        # "Each role must only see and edit what it is allowed to", "restrict write access to clerks"
        r"\b(each|every) role (must |can |should |shall |may )?only (see|edit|access|view|change)\b|"
        r"\brestrict(s|ed)? (write |edit |read )?access to [a-z]+s\b",
    ],
    "multi_tenancy": [
        r"\b(multi-?tenan\w*|white-?label)\b",
        r"\beach (company|organi[sz]ation|customer|team|school|practice|clinic|client|workspace|branch|store|shop|site|franchise|agency|department)(['’]s)?( data)? (is |are |kept |must be |should be |shall be )?(fully |completely |strictly )?(isolated|separate|private)",
        r"\b(per-(organi[sz]ation|tenant|company)|data isolat\w*|isolated per)\b",
        r"\beach ([\w-]+ ){0,5}(gets?|has|have) (its|their) own (isolated |separate |private )?(workspace|space|tenant|instance|database|account)\b",
        r"\beach ([\w-]+ ){0,2}[a-z]+\b[^.;]{0,60}\b(only (ever )?sees?|sees? only) (its|their) own\b",
        r"\b(companies|organi[sz]ations|agencies|firms|clients|tenants|businesses|schools|practices|clinics|branches|"
        r"stores|shops|gyms|labs) (\w+ ){0,2}only (ever )?see (their|its) own\b",
        r"\btenants?(?! ids?\b)\b",  # weak: see _UNLESS
        r"\beach (company|organi[sz]ation|tenant|business|agency|school|clinic|gym|shelter|store|restaurant group|practice) sees (only )?(its|their)\b",
        r"\b(can'?t|cannot|can not|never) see (the )?(others'?|each other'?s|another [\w-]+'s) (data|records|animals|customers|users)\b",
        r"\beach ([\w-]+ )?[\w-]+['’]s [^.;]{0,40}\b(kept|is|are|be|stays?) (fully |completely |strictly )?(separate|isolated|private)\b",
        # "each charity gets its own branded space"
        r"\b(each|every) [\w-]+ (gets|has) (its|their) own ([\w-]+ )?(space|workspace|subdomain|instance|portal)\b",
        # "each client company has staff accounts that see only that company's orders"
        r"\b(only (ever )?sees?|sees? only) (that|the same) (company|organi[sz]ation|firm|agency|school|club|practice|"
        r"clinic|customer|client|business)['’]s\b",
    ],
    "payments": [
        r"\b(stripe|paypal|braintree|adyen|apple pay|google pay|mollie|gocardless)\b",
        r"\b(payments?(?! statements?)|(?<!late )(?<!early )(?<!express )checkout(?! (time|date|day|desk|process for guests))|check(s|ing)? out by card|by card|card payments?|(?<!for )billing(?! statements?)(?! (questions?|quer(y|ies)|enquir(y|ies)|issues?|support|address(es)?|exports?|systems?|data|team|department|codes?|records?|and))|(?<!gross )(?<!net )(?<!take-home )(?<!we )(?<!holiday )(?<!sick )(?<!overtime )(?<!'s )(?<!’s )pay(s|ing|out|outs)?(?! (period|slips?|roll|grade|scale|rate|cheques?|gaps?|summar(y|ies)))|(?<!are )(?<!is )(?<!were )(?<!was )(?<!been )paid(?! ?/ ?unpaid)(?! or (not|unpaid))(?! (sessions?|status|parking))|(?<!battery )(?<!phone )(?<!ev )(?<!full )(?<!in )(?<!reverse )(?<!penalty )(?<!state of )(?<!set )charged?(?! ([\w-]+ ){0,3}to (each |the |a |an |their |its )?([\w-]+ ){0,2}(grant|cost cent(re|er)|budget|department|research group|lab|account code)s?\b)(?! (windows?|levels?|rates?|cycles?|points?|controllers?|state|current))|(?<!battery )charges|bills? (the |our |their |each |every )?([\w-]+ ){0,2}(members|customers|clients|users|patients|tenants|guests|subscribers)|(?<!past )(?<!previous )(?<!their )(?<!each )(?<!every )purchas(e|es|ed|ing)(?! history| orders?| requests?)|(?<!we )(?<!i )(?<!they )buy(s|ing)?(?! from suppliers)(?! links?)(?! buttons?)|tip (them|the|your|their|[a-z]+(ers|ors|ists)\b)|(?<!fly-)(?<!fly )tipping|(with|pay|pays|paying|take|takes|taking|leave|leaves) (a |the )?deposits?\b|card deposits?\b|in-app (store|purchases?|shop)|(send|sends|give|gives|leave|leaves) (me |us |them )?tips?\b|subscribe (monthly|yearly|annually)|paid subscriptions?|subscription (fees?|plans?)|rent (single )?(films?|movies?|episodes?)|refunds?|fares? charged|give online|online giving|sells? (\w+ )?tickets|(card )?top-?ups?\b|bought (inside|in) the app|donat(e|ions?) online|tith(e|es|ing))\b",
    ],
    "search": [
        r"\b((postcode|post code|zip|zip code|address|chip|number|plate|reference) look-?ups?|search\w*|full-?text|fuzzy (match|search)\w*|retrieval|rag\b|filter(s|ing)? by|look ?up (\w+ ){0,4}by|find \w+ by|elasticsearch|opensearch|solr|algolia|meilisearch)\b"
    ],
    "file_upload": [
        r"\b(upload\w*(?! (when|once|later|as soon))|attachments?|attach\w* ([\w-]+ )?(files?|documents?|photos?|images?|scans?|spectra|pdfs?|receipts?|screenshots?)|attached (?!to\b)[\w-]+|(photos?|files?|documents?|images?|scans?) attached|submit\w* [^.;]{0,40}\bwith (a |an |their )?([\w-]+ ){0,3}(scans?|photos?|images?|x-rays?|pdfs?|documents?|files?|attachments?)|(pdfs?|files?|images?|documents?|csvs?) (\w+ ){0,2}lands? in|(dropped|land|lands|landing|arrive|arrives) (in|into|on) (an? |the |our )?([\w-]+ ){0,2}(bucket|container|s3|blob|folder|inbox|sftp)|(files?|pdfs?|scans?|images?|csvs?) (\w+ )?dropped (on|in|into)|watch(es|ing)? (an? |the |our )?(s?ftp|shared|network|upload|inbox) folder|file (storage|uploads?|sharing)|files? (in|into|to) (an? )?(s3|gcs|blob|storage|bucket))\b",
        r"\b(photos?|images?|pictures?|avatars?|audio(?![- ]guides?)|(?<!over )videos?(?! (calls?|sessions?|lessons?|chats?))|photograph(s|ing)?|snap (a |the )?(receipt|document|form|label)s?)\b",
        r"\b(post|posts|send|sends|upload|uploads) (it |us )?an? ([\w'’-]+ ){0,2}(tile|tiff|geotiff|image|photo|scan|pdf|clip|recording|file)\b(?! (events?|results?|records?|data))|\bposts? photo (updates?|messages?)\b",
    ],
    "notifications_email": [
        r"\b(e-?mail (notifications?|alerts?|reminders?|digests?|receipts?|confirmations?)|(send|sends|sending|get|gets|getting|receive|receives|receiving) ([\w-]+ ){0,3}e-?mails?|(?<!the )(?<!an )(?<!their )(?<!your )\be-?mail (when|whenever|as soon as|each time|every time)\b|e-?mail (updates?|notices?)|(?<!the )(?<!an )(?<!their )\be-?mail (the |their |all |every |each )?[a-z]+(ers|ors|ants|ents|ists|ians|ees)\b|e-?mail (at|on|after) (every|each)|by e-?mail|via e-?mail|e-?mails? (them|it|the|users|customers|members|subscribers|clients)|transactional e-?mails?|sendgrid|mailgun|amazon ses|(send|sends|sending) (\w+ ){0,2}newsletters?|e-?mailed|(a |an )?(text( message)?|sms) and an e-?mail\b|e-?mails? (a|an|the) ([\w-]+ ){0,3}(link|code|receipt|invoice|certificate|confirmation|copy|pdf)\b|(?<!the )(?<!an )(?<!their )\be-?mail (the )?([\w-]+ )?(master|manager|supervisor|office|officer|owner|treasurer|lead|coordinator|admin|desk)s?\b|e-?mails? (every|each|all) |an? e-?mail (when|if|whenever|each time|every time|as soon as)|(confirmation|reminder|welcome|summary|receipt) e-?mails?|e-?mail (summary|digest|report)|(?<!the )(?<!an )(?<!their )(?<!your )\be-?mail (me|us) (a|an|the|when|if)\b|e-?mail (everyone|all|every)|e-?mails (parents|staff|members|customers|users|clients|students|subscribers|owners|drivers|volunteers|donors|everyone|them|me|us|you|finance|ops|support|accounts|admins|the team)\b|e-?mails? (a |an |the )?([\w-]+ ){0,3}(report|summary|digest|list) to|(?<!incoming )(?<!inbound )(?<!support )(?<!the )(?<!their )(?<!our )(?<!reads )(?<!read )(?<!new )\be-?mails (the|their|each|every|a|an) [a-z]\w*)\b",
        r"\bby (sms|text|push) ?(and|&|\+|or|/) ?e-?mail\b",
        r"\b(form|it|bot|app|site) (that |which )?e-?mails (him|her|me|us|them)\b",
    ],
    "notifications_push": [
        r"\b(push (notifications?|notifs?|alerts?|reminders?|messages?)|(sms|text|e-?mail) ?(\+|&|/|and) ?push\b(?! (it|them|into|data|updates|changes|events|results)\b)(?! to (the )?(database|warehouse|queue|server|api|bigquery|s3|kafka|topic|repo|github|git)\b)|(ping|buzz)(es)? (every ?(body|one)['’]?s?|their|your|my) phones?|gets? a push\b(?! (to|of|into)\b))\b",
        r"\b(nudges?|remind(s|ers?)? (people|users|them|you|members|me|us)|reminders? on (their|your|my) phones?|(daily|weekly) reminders|(?<!e-mail )(?<!email )(?<!sms )(?<!text )(?<!webhook )(?<!webhooks )(?<!webhook shall )(?<!webhook will )(?<!webhook to )(?<!webhook that )notif(y|ies|ied|ications?)(?! ([\w-]+ ){0,2}by (e-?mail|sms|text)))\b",
        r"\bpushed to (the |their |your )?([\w'-]+ ){0,2}(phones?|devices?)\b|\bpushed to (them|you|riders|drivers|staff|members)\b|"
        r"\bpush-notif\w*",
        r"\bpush(es)? (the |a |an |their )?([\w'’-]+ ){0,3}to (the |their |a |each )?([\w'’-]+ ){0,2}phones?\b|"
        r"\b(sms|e-?mail|text)/push\b|\bpush/(sms|e-?mail|text)\b|\bget (a|the) buzz\b",
        r"\b(an?|gets?|get) push (on|to|when|if|as soon as|before|whenever)\b|(,|;) push (when|whenever|if)\b",
    ],
    "notifications_sms": [
        r"\b(sms|text messages?|text (reminders?|alerts?|confirmations?|notifications?)|twilio|(gets?|receives?|sends?) (them |him |her )?an? texts?\b|texts? (our|the|their|a|him|her|them|me|us|every|each|all|whoever|whoever's|anyone|everyone|customers?|users?|members?|staff)\b|texts? (\w+ )?[a-z]+(ers|ors|ants|ents|ists|ians|ees)\b|(e-?mail|sms) (and|or) text\b|texts (and|or) e-?mails\b|(by|via) text)\b"
    ],
    "realtime": [
        r"\b(stream(s|ing)? (each |the |their |every )?([\w'-]+ ){0,2}(locations?|positions?)|(positions?|locations?|progress|scores?|results?) (streamed|shown|updated|updating) live|(sees?|see|watch|watches|follow|follows) ([\w'-]+ ){1,2}live\b|live (departure|arrival) boards?|(come|comes|coming|arrive|arrives|arriving) in live|live ([\w-]+ )?(views?|availability|brackets?|results|leaderboards?|telemetry|bidding|auctions?|progress|floor plans?|tracking|scores|locations?|positions?)|as (it|they) happens?|live-?plot\w*|watch(es)? the (riders?|drivers?|couriers?|bus|buses|vehicles?) on a map|(?<!recorded )(?<!upload )(?<!uploaded )(?<!record )video (calls?|chats?|consultations?|visits?|appointments?)|over video|(?<!gtfs-)(?<!gtfs )real-?time(?! (scoring|inference|predictions?|decisions?|fraud|pricing|quotes?|endpoints?))|websockets?|live (updates?|tracking|location|map|moves?|scores?|feed|chat|dashboard|data|cursor|multiplayer|collaboration|editing|readings?|output|availability|scoring|departure times?|arrival times?|departures|arrivals|(gps )?(route|location|position)|lists? of|(\w+ ){0,2}(readings|values|status|positions|prices|temperature|counts?|levels|queue|output|times|timings|standings))|(?<!replies )(?<!reply )(?<!answers )instantly|server-sent events|sse|in real time|(compete|play|playing|collaborate|edit|chat)\w* live|(updates?|updated|updating|refresh(es|ed|ing)?|moving|moves|show up|shows up|appears?) live|(follow|track|watch)s? (the |their |a )?([\w-]+ ){1,2}live|(plots?|plotting|draws?|graphs?|charts?) ([\w-]+ ){0,3}live|(see|sees|watch|watches) (\w+ ){0,3}live (on|in)\b|push(es)? [\w-]+ to (a |the |each |every )?([\w'’-]+ ){0,2}screens?\b|live on (a|the) map|for everyone at the same time|(free|available|open) right now|pushed (live )?to (the |their |all )?(apps?|clients|browsers|screens|dashboards?)\b|join a room|(positions?|locations?|status) live|multiplayer)\b",
        # "a live board of line status that updates as operators book time"
        r"\b(boards?|dashboards?|screens?|views?|maps?|tables?) ([\w-]+ ){0,5}(that |which )?updates? (live |instantly )?"
        r"as (soon as )?([\w-]+ ){0,2}[a-z]+s (book|log|scan|enter|submit|record|move|change|score|finish)\b",
    ],
    "chat": [
        r"\b(in-app (messages?|messaging|chat)|message (the |a |their |your )([\w'’-]+ ){0,2}[a-z]+(er|or|ant|ent|ist|ian)s?\b|message [a-z]+(er|or|ant|ent|ist|ian)s\b|chat\w*|messaging|direct messages?|instant messages?|conversations?|(send|sends|exchange|exchanges|receive|receives|read|reads) (\w+ )?messages|messages (from|between) (\w+ )?(users|members|teachers|parents|customers|friends|players|people|each other|staff)|message (the |a |their |other |each )?(sellers?|buyers?|hosts?|guests?|drivers?|riders?|owners?|tenants?|landlords?|tutors?|teachers?|students?|members?|customers?|other|clients?|patients?|parents?))\b"
    ],
    "admin_panel": [
        r"\b(admin (panel|area|dashboard|interface|ui|console|portal|site|pages?|section|backend|screens?|view|tool|bit|side)|back-?office|(a|an|its own|their own) back office|administration (panel|area)|admin pages)\b",
    ],
    "reporting": [
        r"\b(?<!where to )(?<!trip )(?<!match )(?<!damage )(?<!condition )(?<!property )(?<!incident )(?<!fault )(?<!bug )(?<!leak )(?<!care )(?<!accident )(?<!crash )(?<!error )(?<!abuse )(?<!injury )(?<!sighting )(?<!hazard )(?<!snow )(?<!weather )(?<!surf )(?<!avalanche )(?<!traffic )(reports?|reporting)\b(?!(?<=reporting) (every|each)\b)(?!(?<=reports) (an?|that)\b)(?!(?<=report) (an?)\b)(?! (an? |the |their )?([\w-]+ ){0,2}(results?|scores?|accidents?|thefts?|outages?|bugs?|issues?|problems?|incidents?|abuse|errors?|missed|lost|damaged|potholes?|faults?|hazards?|sightings?|repairs?|leaks?|damage|noise|defects?|absent|sick|ill|late))|\b(e-?mail (\w+ ){0,3}a summary|summary (e-?mail|report)s?|looker|power bi|tableau|metabase|superset|(hourly|daily|weekly|monthly|nightly) ([\w-]+ ){0,2}(summary|summaries|digest|breakdown)|summary (each|every) (morning|day|week|month|evening|night|monday|friday)|(produce|generate|build)s? (a|an|the) ([\w-]+ ){0,2}summar(y|ies)|(plus|and|with) (a|an|one) ([\w-]+ ){0,2}summary of|\b(a|the|an?) ([\w-]+ )?reports? (of|on) |e-?mails? (the |our )?([\w-]+ ){0,2}(an? |the )?([\w-]+ ){0,3}summary)\b"
    ],
    "analytics": [
        r"\b(analytics|statistics|stats|insights|charting|analysts? (can )?(study|analy[sz]e|explore|query|dig)|kpis?|metrics dashboard|funnels?|graphs? of)\b"
    ],
    "export_csv": [
        r"\b((?<!shakeable )(?<!shakable )(?<!named )(?<!module )export\w*(?!\s+from\b)(?!\s+(an? )?(mp3|mp4|pdf|png|jpe?g|videos?|audio|images?|gif|svg|xliff|dxf|dwg|stl|g-?code|geojson|kml|gpx|ics)\b)(?!\s+(?:[\w-]+\s+){0,3}?(?:as|to|into)\s+(?:an? )?(?:[\w-]+\s+)?(?:pdfs?|png|jpe?g|images?|json|html|markdown|word|docx|xliff|xml|srt|ics|gpx|svg|mp3|mp4|videos?|qr codes?|dublin core|marc|dxf|g-?code)\b)|csv reports?|download(s|ed)? as (csv|excel)|downloadable as (pdf or |excel or )?csv|(drops?|puts?|saves?|writes?) (a |an |the )?([\w-]+ ){0,2}csv\b|writes? (the )?([\w'’-]+ ){0,5}(to|into) (a |an |the )?(new )?csv\b|turns? [^.;]{0,50}\binto (a |an )?([\w-]+ ){0,4}csv\b|(dumps?|produces?|emits?) (a|the) csv\b|(spits? out|outputs?|writes? out|produces?|generates?|publish(es)?) (a |an |the )?([\w-]+ ){0,2}(csv|spreadsheet)|to excel|(as|to|into) (a )?(csv|spreadsheets?)|downloadable csvs?|(pull|get|download)s? (a|an) csv of|dumps? ([\w-]+ ){0,3}to (a )?csv|csv downloads?|(report|summary|list)s?,? (in |as )?csv)\b|(?<![\w-])--csv\b",
    ],
    "import_csv": [
        r"\b(import\w* (from )?(a |the )?(csv|excel|spreadsheets?|files?|bank)|csv import|bulk import|(convert|converts|reads?|parse|parses|upload(s|ing|ed)?|process(es)?) (\w+ ){0,2}csv|from (an? |the |our |their )?([\w-]+ ){0,2}csv|from [\w-]+\.csv)\b",
        r"\b((reads?|takes?|accepts?)(?! time)|input:?) (?:(?!\b(?:writes?|outputs?|produces?|saves?|exports?|generates?)\b)[^.;]){0,80}\bcsv\b|\bimport\w* [^.;]{0,60}\b(csv|excel) (format|files?)\b|\b(csv|excel) (files? )?(dropped|uploaded|arrive|arrives|lands?)\b",
        r"\b(csv|excel|spreadsheet|bulk|data) exports? ?(and|&|/|or) ?imports?\b|\bimports? ?(and|&|/|or) ?exports?\b",
        r"\b(receives?|gets?) (\w+ ){0,3}(as|in) (csv|excel|spreadsheets?)\b",
        r"\bimport\w* [\w-]+\.(csv|xlsx?)\b",
        r"\b(e-?mail|send|give)s? us\b[^.;]{0,40}\b(csv|excel|spreadsheets?)\b",
        r"\bsend (\w+ ){0,3}(as|in) (csv|excel)\b",
        r"\b(drop|upload|put|leave)s? [^.;]{0,40}\bcsv files? (on|in|into|to)\b",
        r"\b(dumps?|drops?) (\w+ ){0,2}csv (exports?|files?|dumps?)\b",
        r"\b(import\w*|check\w*|validat\w*|pars\w*|process\w*|ingest\w*|load\w*) ([\w-]+ ){0,2}(csvs|csv files)\b|\b(ingest\w*|import\w*|load\w*|pull\w*) [^.;]{0,60}\(csv\b",
        r"\b(feed|give|pass|hand)s? it (an? |the )?([\w'-]+ ){0,6}(csv|spreadsheet)\b|\bturns? (our|the|a|an|my) ([\w-]+ ){0,2}(spreadsheet|csv)\b|\b(csv|excel) files? (over|via|from|on) (an? |the |our )?s?ftp\b|\breconcil\w* (an? |the |our )?([\w-]+ ){0,3}csv\b",
        r"\b(import\w*|ingest\w*|load\w*|pull\w*)(?! (a|an) csv of\b) ((?!(writes?|produces?|outputs?|generates?|exports?) )[\w'-]+ ){0,4}"
        r"(from )?(an? |the |our |their )?((?!(writes?|produces?|outputs?|generates?|exports?) )[\w'-]+ ){0,3}"
        r"(csv|excel|spreadsheet)\b",
    ],
    "scheduling": [
        r"\b(scheduling|scheduled(?! (visits?|appointments?|flights?|departures?|arrivals?|deliver\w*|classes|lessons?|shifts?|services|trains?|buses|times?|dates?|stops?|sessions?|matches|games|events?|calls?|pickups?|routes?|teaching|slots?|downtime|works))|scheduler|on a schedule|remind\w* (\w+ ){0,4}schedules?|schedul(e|es) (a |an |the |their |your )?(posts?|jobs?|tasks?|reports?|messages?|emails?|backups?|runs?|meetings?|appointments?|visits?|interviews?|shifts?|sessions?|classes|lessons?|calls?|deliver\w*|pickups?)|cron|(each|every) (quarter|night|morning|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|every ((\d+|two|three|four|five|six|seven|ten|few) )?(hour|day|night|morning|evening|week|month|minute|minutes|mins?|hrs?|hours|days|weeks|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|weekend)|nightly|recurring(?! (gifts?|donations?|payments?|billing|charges?|subscriptions?|revenue))|reminders? \d+ (hours|days|minutes) (ahead|before))\b",
        r"\b(retrain\w*|sync\w*|load\w*|run\w*|import\w*|export\w*|send\w*|publish\w*|generat\w*|creat\w*|produc\w*|bill\w*|back(s|ed)? up|backups?) (the |a |an )?(\w+ ){0,2}(daily|weekly|hourly|nightly|monthly)\b",
        r"\b(hourly|daily|nightly|weekly|monthly)\b(?=\s*(?:[,.;:)!]|$|and\b|at\b|on\b|from\b|via\b|with\b|to\b|into\b|using\b|in\b))",
        # "once a week it grabs the sheets", "hourly occupancy rollups per pontoon"
        r"(?<!happens )(?<!happen )(?<!meets )(?<!meet )(?<!held )(?<!open )(?<!opens )(?<!place )(?<!visits )(?<!visit )(?<!comes )(?<!come )\bonce a (week|day|night|month|fortnight|quarter)\b|\bhourly (rollups?|summar(y|ies)|exports?|snapshots?)\b",
        r"\b(airflow|cron jobs?|dags?)\b",
        r"\b(daily|nightly|weekly) \d{1,2}(:\d\d)? ?(am|pm)\b|"
        r"\b\d{1,2}(:\d\d ?(am|pm)?| ?(am|pm)) (daily|digest|summary|report|run|job|e-?mail)\b",
        r"\b(hourly|daily|nightly|weekly|monthly) ([\w-]+ )?(etl|jobs?|imports?|syncs?|backups?|runs?|batch(es)?|refresh(es)?|retrain\w*|pipelines?|loads?|extracts?|reconciliations?|snapshots?|dumps?|harvests?)\b",
        r"\bremind(s|ing)? (me|you|them|users|people|members|parents|staff) to\b",
        r"\b(get|gets|send|sends|receive|receives) (a |an )?reminders? (when|before|if)\b",
        r"\b(texts?|e-?mails?) (them|him|her|me|you|us) (a |an )?reminders? (when|before|if)\b",
        r"\b(at (the right|set|fixed|scheduled) times?)\b",
        r"\b(daily|weekly|monthly) ([\w-]+ ){0,2}(reports?|summar(y|ies)|digests?|statements?) (by|via) e-?mail\b",
        r"\breminders? at (a|whatever|any) time|at (a|whatever|any) time (you|they|users?|members?) (pick|choose|set)\b",
        r"\b(at \d{1,2}(:\d\d)? ?(am|pm)|at \d{1,2}:\d\d|automatically after \d+|deletes? (\w+ ){0,3}after \d+ (days|hours|weeks|months))\b",
        r"\b(the (day|evening|night|morning|week)|an? (hour|day|week)|\d+ ?(minutes|mins?|hours|hrs|days)) before\b",
        r"\bon the (1st|first|15th|last day|last working day) of (each|every|the) month\b",
        r"\bautomatically at the end of (each|every|the) (month|week|day)\b|\bovernight (worker|job|batch|run|process)\b",
        r"\bschedul(e|es|ing) (the |a |each )?(cutovers?|migrations?|maintenance|releases?|deploy\w*|publication|posts?)\b",
        r"\b((expires?|expire|lapses?|closes?) automatically|automatically (expires?|expire|lapses?|closes?))\b",
        r"\breminders? (the (day|night|morning|week) before|an? (hour|day|week) before|\d+ (minutes|hours|days) before)\b",
    ],
    "audit_log": [
        r"\b(tamper[- ](evident|proof|resistant)|immutable|append-only) (\w+ )?(logs?|trails?|records?|history|ledger)\b",
        r"(?<!soc 2 )(?<!soc2 )(?<!27001 )(?<!our )(?<!annual )(?<!external )(?<!'s )(?<!’s )\b(audit(ed|ing)?( log| trail)?(?! (requirements?|standards?|rules|regime))|who changed what|change history|access logs?|(log(s|ged)?|logs? of) who [\w-]+ (what|which)\b|(?<!not )auditable|history of ([\w-]+ ){0,2}changes|activity log|log(s|ged)? every ([\w-]+ )?(change|access|action|read|view|write|edit|login|download)|log(s|ged)? who ([\w-]+ ){0,3}(and|&) when|history of every (edit|change)|(every|each|all) (change|update|edit|action|decision|access|read|view|download|login)\b[^.;]{0,40}\b(logged|audited|recorded)|keeps? a record of (every|each|all)|(every|each) (change|edit|update) (is |are )?(kept|stored) in a history|who made (it|them|each)|a log of (every|each|all)|lineage for (the )?auditors|for the auditors|(every|each|all) \w+ (is |are )?(kept|stored|retained|archived) for (the )?(regulators?|audits?|auditors)|(every|each|all) (?!(run|job|load|import|sync|batch)\b)([\w-]+ ){0,4}(must be |is |are |gets? |should be |has to be |have to be |needs? to be )?logged)\b",
    ],
    "i18n": [
        r"\b(i18n|l10n|multi-?lingual|multiple languages|several languages|(ui|interface|app|site|content) translations?|translated (into|to) \w+|locali[sz](ed|ation)|internationali[sz]\w*|locales?|(in )?(their|your|the [\w-]+['’]s) own language|in (\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple) ([\w-]+ )?languages|(?<!in )\b(\d+|two|three|four|five|six|seven|eight|nine|ten) (spoken |ui |interface )?languages\b|in any language)\b",
        rf"\b{_LANG}(,? (and|or) | and |, | ?\+ ?| ?/ ?| ?& ?| as well as ){_LANG}\b",
        rf"\b(a|an) {_LANG} version\b",
        # "EN/NL/DE": language codes side by side
        r"\b(en|fr|de|nl|es|pt|pl|sv|da|fi|cy|ga|ar|zh|ja|ko|it)((/| ?\+ ?| ?& ?)(en|fr|de|nl|es|pt|pl|sv|da|fi|cy|ga|ar|zh|ja|ko|it))+\b",
    ],
    "maps": [
        r"\b((?<!seat )(?<!seating )(?<!floor )(?<!mind )(?<!thickness )(?<!heat )(?<!depth )(?<!contour )(?<!density )maps?(?! to (ours|theirs|yours)\b)(?! (them|it) (to|onto|into)\b)(?! (\w+ ){0,3}to (the |a |an |our )?(\w+ ){1,2}(vocabulary|schema|codes?|fields?|format|taxonomy|categories|list|lists|ids?|catalogue|table|names))(?! ([\w-]+ ){0,2}codes? to)|geolocation|geocod\w*|(?<!exif )gps|nearby|coordinates?|nearest(?! (penny|pence|pound|cent|dollar|euro|whole|integer|decimal|minute|hour|second|day|week|month))|near (me|you|them)|geo-?spatial|directions|location tracking|by location|geofenc\w*|distance from|where you are( right now)?|bounding box(es)?|\d+[- ]?(mile|km|kilometre|kilometer) radius|within \d+ ?(km|miles?|mi)\b)\b",
        r"\b(drop(s|ping)? (a |the )?pins?|satellite (images?|imagery|view|maps?))\b",
        # "find the partner florist closest to the delivery address"
        r"\b(closest|nearest) to (the|their|its|each|a|an) ([\w-]+ )?(address|location|postcode|customer|site|venue|job)\b",
    ],
    "ratings": [
        r"\b(star ratings?|(?<!elo )(?<!-style )(?<!efficiency )(?<!glicko )(?<!glicko-2 )(?<!chess )(?<!credit )(?<!energy )(?<!power )(?<!premium )(?<!speed )(?<!load )(?<!fire )(?<!safety )(?<!age )(?<!hygiene )ratings?(?! (rules?|engines?|factors?|tables?|periods?|decay|deviation|curves?|changes?|database|lists?|points?))|"
        r"(?<!-)rate (products?|books?|drivers?|them|it|sellers?|recipes?|each other|(the |their |other )?[a-z]+s\b(?<!limits)(?<!plans)(?<!cards)(?<!tables))|(?<!bright )(?<!shooting )(?<!and )(?<!of )stars|"
        r"(?<!qa )(?<!code )(?<!pr )(?<!peer )(?<!store )reviews(?! requests?)(?! (the|it|each|every|them|their|all|applications|submissions|documents|claims|cases|uploads)\b)(?! (queue|process|workflow))|(leave|leaves|write|writes|post|posts|read) (a |their |an? )?([\w-]+ )?reviews?|(have|has|they've|they) rated|(?<!-)rate (the|their|other|each|every|a|an) |out of (five|5|ten|10) stars?|(?<!-)\brates?,? (and|or) (comment|review|share|save|clone|follow|bookmark)\w*|\b(comment|review|like|share|save|follow)s?,? (and |or )?rate\b(?! limit)|(five|5)[- ]star)\b",
    ],
    "comments": [
        r"\b((?<!doc )(?<!code )(?<!xml )(?<!source )comments?|commenting|replies(?! (in|with|within)\b)|reply to|(agents?|staff|support|moderators?) (can )?reply|discussion threads?|(?<!slack )(?<!the )threads?(?![-\w]| (samples?|counts?|colou?rs?|density|weights?|types?|spools?|sizes?)))\b"
    ],
    "recommendations": [
        r"\b(recommend\w*|(you )?might also like|suggest(s|ions)?(?! (tags|a category|categories|labels|names|titles|replies|words|completions|corrections))|similar (products|items|songs|books|articles)|you may also like|personali[sz]ed)\b",
    ],
    "caching": [r"\b(cach\w*|memcached|cdn)\b"],
    "rate_limiting": [
        r"\bmax(imum)? (of )?\d[\d,]* (requests?|calls?) (a|an|per|/) ?(second|minute|hour|day|min|sec)\b",
        # "each partner gets their own token + a limit of 100 req/min"
        r"\b(a |the )?(limit|cap|quota) of \d[\d,]* ?(requests?|reqs?|calls?)\b",
        r"\b\d[\d,]* (requests?|reqs?|calls?|messages?) ?(per|a|an|/) ?(second|minute|hour|day|min|sec|s) per ([\w-]+ )?(key|user|client|ip|account|tenant|customer|partner|token|operator|dealer|merchant|app|integration|agent|agency|shop|store)\b",
        r"\b(rate[- ]limit\w*|throttl\w*|(limit|cap|throttle)s? (each|every|per) ([\w-]+ ){0,2}(key|user|client|ip|account|tenant|partner) to \d[\d,]*|(limited|capped) (to|at) \d[\d,]* (requests?|calls?|messages?)|limit (each|every) ([\w-]+ ){0,2}to (a |an |one |two |three |a couple of |a few |\d+ )([\w-]+ )?(requests?|calls?|messages?|queries|searches|posts)|(api|request|usage|call|daily|monthly) quotas?|quotas? (per|for each) (api )?(key|user|client|tenant|customer|account))\b"
    ],
    "webhooks": [r"\b(webhooks?|callback (urls?|endpoints?)|calls? back (into|to)|call us back|callbacks? to (their|your|a|the) ([\w-]+ )?url)\b", r"\burls? (they|partners|clients|customers|subscribers) register\b|\bregister (a|their|its) (callback |webhook )?urls?\b"],
}
_COMPILED = {
    fid: [(cue.pattern, cue) for cue in map(Cue, pats)] for fid, pats in _FEATURE_CUES.items()
}

# Features that make no sense for a type: a game's "maps" are levels, a CLI's photos are files.
_NOT_FOR: dict[str, set[ProjectType]] = {
    "scheduling": {ProjectType.GAME},  # "sell to customers every Saturday" is game time
    "rbac": {ProjectType.WORKER, ProjectType.DATA_PIPELINE, ProjectType.LIBRARY},
    "maps": {ProjectType.GAME},
    "file_upload": {ProjectType.GAME, ProjectType.STATIC_SITE},
    "ratings": {ProjectType.GAME},
    "auth": {ProjectType.CLI, ProjectType.STATIC_SITE},
    "payments": {ProjectType.GAME},
    "realtime": {ProjectType.LIBRARY},
    "comments": {ProjectType.CHATBOT},  # a bot's replies are its answers
}
# ... unless these words say so all the same.
_ALSO_FOR = {"payments": re.compile(r"\bin-app (store|purchases?|shop)\b|\breal money\b")}
# Types where people acting in the idea means they sign in.
_MULTI_USER = {ProjectType.WEB_APP, ProjectType.REST_API, ProjectType.MOBILE_APP}


def _cue(fid: str, marker: str) -> tuple[str, int]:
    """The key of the one cue of `fid` whose pattern contains `marker` (a cue moved or added in
    front of it does not move the rule that refers to it)."""
    found = [i for i, pattern in enumerate(_FEATURE_CUES[fid]) if marker in pattern]
    if len(found) != 1:
        raise ValueError(f"{marker!r} names {len(found)} cues of {fid}")
    return fid, found[0]


# Cue words whose match alone is weak: they need the type to agree.
_WEAK = {
    _cue("file_upload", "|avatars?|"): {
        ProjectType.WEB_APP,
        ProjectType.REST_API,
        ProjectType.MOBILE_APP,
        ProjectType.ML_SERVICE,
        ProjectType.CHATBOT,
    },
    _cue("auth", "|profiles?|"): _MULTI_USER,
    # "refunds", "sales", "billing" in a pipeline's data are records, not a payment feature
    _cue("payments", "checkout(?! (time"): set(ProjectType)
    - {ProjectType.DATA_PIPELINE, ProjectType.GAME, ProjectType.ML_SERVICE},
    _cue("notifications_push", "(nudges?|"): {
        ProjectType.WEB_APP,
        ProjectType.MOBILE_APP,
        ProjectType.REST_API,
        ProjectType.DESKTOP_APP,
    },
}
_NEGATION = re.compile(r"\b(no|not|without|never|don't|doesn't|no need for)\s+(\w+\s+){0,2}$")
# Cue words that say nothing in some surroundings: "council tenants report repairs" are people
# renting homes, not tenants of a SaaS.
_UNLESS = {
    _cue("multi_tenancy", "tenants?(?! ids?"): re.compile(
        r"\b(landlords?|flats?|apartments?|leases?|rent|rents|rental|repairs?|housing|council|"
        r"propert(y|ies)|buildings?|co-?op|caretakers?|letting|"
        r"(azure|aws|cloud|microsoft|entra|m365|office 365|google workspace|okta) tenant)\b"
    ),
}
# Words before a cue that make it someone else's: "ingest the CSV exports from our instruments".
_OTHERS = {
    "export_csv": re.compile(
        r"\b(from|e-?mails? us|sends? us|send|drops?|dumps?|ingest\w*|import\w*(?!\s*(/|and|&|or)\s*$)|load\w*|pull\w*|reads?|reading|takes?|taking|parses?|parsing|diff\w*|compar\w*|reconcil\w*|against|feed it|give it|pass it|arriv\w*|comes?|coming)\b[^.;,]{0,60}$|[a-z]['’]s\s+$"
    ),
}


# ... unless the match says the product writes it: "pulls timesheets and writes a payroll CSV".
_WRITES = re.compile(r"(writes?|produces?|outputs?|generates?|spits?)\b")
_AND_THEN = re.compile(r"\b(and|then)\s+$")
_VERB_FORM = re.compile(r"exports?\b")


@dataclass(frozen=True)
class FeatureMatch:
    feature: str
    span: str  # the words of the text it comes from
    implied: bool = False


def detect_features(
    text: str,
    *,
    project_type: ProjectType | None = None,
    actors: list[tuple[str, str]] | None = None,
) -> list[FeatureMatch]:
    """Every feature the text asks for or implies, with the span it comes from.

    `actors` are (person noun, span) pairs for people the text has acting ("buyers pay");
    two kinds of them, or one paying/booking, in a multi-user app imply sign-in.
    """
    found: dict[str, FeatureMatch] = {}
    low = lowered(text)
    for fid, patterns in _COMPILED.items():
        if project_type is not None and project_type in _NOT_FOR.get(fid, set()):
            also = _ALSO_FOR.get(fid)
            match = also.search(low) if also is not None else None
            if match is not None:  # "an in-app store for gems": real money in a game
                found[fid] = FeatureMatch(fid, text[match.start() : match.end()])
            continue
        for index, (_, cue) in enumerate(patterns):
            pattern = cue.for_text(low)
            if pattern is None:
                continue
            allowed = _WEAK.get((fid, index))
            if allowed is not None and project_type is not None and project_type not in allowed:
                continue
            unless = _UNLESS.get((fid, index))
            if unless is not None and unless.search(low):
                continue
            match = _first_affirmed(pattern, low, _OTHERS.get(fid))
            if match:
                found[fid] = FeatureMatch(fid, text[match.start() : match.end()])
                break
    if project_type is ProjectType.CHATBOT and "chat" not in found:
        found["chat"] = FeatureMatch("chat", _first_words(text), implied=True)
    for cause in ("rbac", "multi_tenancy", "admin_panel"):
        if cause in found and "auth" not in found and _allows("auth", project_type):
            found["auth"] = FeatureMatch("auth", found[cause].span, implied=True)
    # People who rate and comment in a multi-user product do it under their own name.
    for cause in ("ratings", "comments"):
        if (
            cause in found
            and "auth" not in found
            and project_type in _MULTI_USER
            and (actors or project_type is not ProjectType.REST_API)
        ):
            found["auth"] = FeatureMatch("auth", found[cause].span, implied=True)
    if "auth" not in found and project_type in _MULTI_USER and actors:
        kinds = {noun for noun, _ in actors}
        paying = "payments" in found or "scheduling" in found
        personal = project_type is not ProjectType.REST_API  # an app in people's hands
        if len(kinds) >= 2 or paying or personal:
            found["auth"] = FeatureMatch("auth", actors[0][1], implied=True)
    order = {fid: i for i, fid in enumerate(_FEATURE_CUES)}
    return sorted(found.values(), key=lambda m: order[m.feature])


def _allows(fid: str, project_type: ProjectType | None) -> bool:
    return project_type is None or project_type not in _NOT_FOR.get(fid, set())


def _first_affirmed(
    pattern: re.Pattern[str], text: str, others: re.Pattern[str] | None = None
) -> re.Match[str] | None:
    """The first match not negated just before ("no payments", "without login").

    `others` marks a match as about someone else's thing when it matches the words before it.
    """
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 50) : match.start()]
        if _NEGATION.search(before[-30:]) or (
            others is not None
            and others.search(before)
            and not _WRITES.match(match.group(0))
            # "loads them into PostgreSQL and exports a CSV summary": the next action is ours
            and not (_AND_THEN.search(before) and _VERB_FORM.match(match.group(0)))
        ):
            continue
        return match
    return None


def _first_words(text: str) -> str:
    return " ".join(text.split()[:6])


_CLOUDS = {
    "aws": r"\b(aws|amazon web services|ec2|ecs|eks|lambda|s3|rds|dynamodb|sqs|sns|sagemaker|cloudfront|fargate|aurora|redshift|athena|kinesis|cognito|api gateway|elastic beanstalk|route 53)\b",
    "gcp": r"\b(gcp|google cloud( platform| storage| run| functions)?|gke|cloud run|bigquery|firebase|firestore|pub/sub|vertex ai|app engine|gcs|cloud sql|dataflow|spanner)\b",
    "azure": r"\b(azure|aks|microsoft cloud|cosmos ?db|blob storage|app service|synapse)\b",
}
_CLOUD_RE = {cloud: re.compile(p) for cloud, p in _CLOUDS.items()}


def detect_clouds(text: str) -> list[str]:
    """Every cloud the text names, in order of first mention ("Google sign-in" is no cloud)."""
    hits = []
    low = lowered(text)
    for cloud, pattern in _CLOUD_RE.items():
        match = _first_affirmed(pattern, low)
        if match:
            hits.append((match.start(), cloud))
    return [c for _, c in sorted(hits)]


_HINTS = {
    "kubernetes": r"\b(kubernetes|k8s|eks|gke|aks|helm|kubectl)\b",
    "terraform": r"\b(terraform|infrastructure as code|iac|opentofu|pulumi)\b",
    "serverless": r"\b(serverless|lambda|cloud functions?|cloud run|azure functions|scal(e|es|ing) to zero|fargate)\b",
    "docker": r"\b(docker|containers?|containeri[sz]ed)\b",
    "autoscaling": r"\b(auto-?scal\w*|scale out automatically|horizontal pod autoscal\w*)\b",
    "cdn": r"\b(cdn|cloudfront|edge cache)\b",
}
_HINT_RE = {hint: re.compile(p) for hint, p in _HINTS.items()}


def deployment_hints(text: str) -> list[str]:
    """Deployment technologies and shapes the text names."""
    low = lowered(text)
    return [hint for hint, pattern in _HINT_RE.items() if _first_affirmed(pattern, low)]
