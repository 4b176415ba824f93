"""Project-type classification by weighted cue phrases (offline, deterministic).

Every type has cue phrases with a weight: explicit names weigh most ("CLI", "REST API"), indirect
cues less ("players", "retrain nightly"). Where a cue stands matters as much as what it says: the
first sentence names the product, while "a landing page *for a mobile app*" or "*like* a
lightweight Jira" name something else, so cues after "for/like/of a" count less, and cues in the
first sentence more than cues further down a long document.
"""

from __future__ import annotations

import re

from quantumlayer.domain import ProjectType
from quantumlayer.intent.lexicon import looks_like_person, noun_lemma
from quantumlayer.intent.text import Cue, command_lines, lowered, prose, without_headings

T = ProjectType
# (pattern, weight) per type. A negative weight marks a platform word ("for phones"): it counts
# with its absolute value and is never discounted for following "for".
_CUES: dict[ProjectType, list[tuple[str, float]]] = {
    T.REST_API: [
        (
            r"\b((rest(ful)?|graphql|grpc)( [\w-]+)?|json|http) (api|server|service|backend|endpoints?)\b",
            6,
        ),
        # "API keys" and "API calls" are something the product uses, not what it is.
        (r"\bapi\b(?! (keys?|tokens?|calls?|limits?|quotas?|credentials)\b)", 3),
        (
            r"\bper api key\b|\bapi keys? (for|per) (each |every )?(client|customer|consumer|partner)s?\b|"
            r"\b(partner|client|customer|consumer)s?['’]?s? api keys?\b",
            2.5,
        ),
        (r"\b(all )?over (json|https?|rest|grpc)\b|\bjson over https?\b", 4),
        # "something their practice software calls over HTTP with JSON"
        (r"\bover https? with json\b|\bwith json over https?\b", 3),
        # "partners' booking systems must be able to query ... programmatically, receiving JSON"
        (r"\bprogrammatic(ally)?\b|\b(receiving|returning|return|returns) json( responses?)?\b|"
         r"\bsystems (must|can|should|shall) (be able to )?(query|call|fetch|create|push|pull)\b", 4),
        # "a backend service that ticket kiosks and our mobile app call": others' programs use it
        (
            r"\b(backend|back-end|back end|server|service) (service )?((for|of) [^.;]{0,40}? )?that ([\w'’-]+ ){1,12}"
            r"((call|query|poll|hit) (it|over|via|into|to|for)\b|((can|could|will) )?(both|all) (call|query|use|talk to)\b)",
            6,
        ),
        # "want their own computer systems to pull our job status"
        (
            r"\b(their|your|its) own ([\w-]+ )?systems (to|can|could|should) (pull|fetch|call|query|push|get|read)\b|"
            r"\bclient credentials\b",
            5,
        ),
        # "The API shall expose ...": named first, decisive
        (r"^\W*(the|an?|our) (rest |json |http |public |internal )?api (shall|will|must|should)\b", -8),
        (r"\bheadless (cms|api|commerce|backend)\b", 6),
        (r"\bauthenticate with (their own |an? |our )?api keys?\b|\bpush (\w+ ){0,3}to us\b|\b(pings?|calls?|posts? to|sends?) us\b", 3),
        (
            r"\bexposes? (our |the )?[\w -]{0,40}\b(for|to) (partner|other|third-party|mobile) (apps|systems|services)\b|"
            r"\bpartner apps\b",
            4,
        ),
        # Asking for the API in so many words is decisive wherever it stands (a platform cue).
        (
            r"\b(need|want|build|make|write|provide|expose|offer)s? (an|a|our|the|one) ([\w-]+ )?(rest |http |json )?api\b"
            r"(?! (keys?|client|wrapper))",
            -8,
        ),
        (r"\b(endpoints?|(api|http|rest) routes)\b", 2),
        # "managed through endpoints that our mobile app and the office screens call": the apps
        # are clients of the thing to build
        (r"\bendpoints? (that|which) ([\w'’-]+ ){0,10}(call|use|hit|consume)\b", 8),
        (r"^\W*((crud|rest|http|json|api) )?endpoints? (for|to|that|exposing)\b", 6),
        # "Endpoints: GET /books" lists routes; "a model endpoint:" names what stands behind one.
        (
            r"(?<!\ban )(?<!\bthe )(?<!\bmodel )(?<!scoring )(?<!prediction )(?<!inference )(?<!classification )"
            r"\bendpoints?\s*:",
            6,
        ),
        (
            r"\b(microservice|back-?end( service| api)?|web service|http service|api server|service layer)\b",
            3,
        ),
        (r"\bcrud\b", 2),
        (r"\b(openapi|swagger|fastapi|express|django rest|flask)\b", 2),
        (
            r"\b(service|server|backend)s? (with|exposing|that exposes?) (\w+ )?(endpoints|routes|an api)\b",
            6,
        ),
        (r"\bwebhook (api|endpoint|receiver)\b", 3),
        (r"^\W*([\w-]+ ){0,3}back-?end\s*[:,-]|^\W*back-?end for\b", 6),
        # "Tracking API for our courier startup", "Quote API: given ...": named first, decisive
        (
            r"^\W*(an? |the |our )?((?!recommend|predict|scor|classif|forecast|detect|infer|model)[\w&+-]+ ){0,4}"
            r"(rest |http |json )?api(?=\s*(:|,|-|→|–|—|for\b|over\b|used by\b|behind\b))",
            -8,
        ),
        # "SDKs poll it", "a feature-flag service: projects, environments, flags": a service
        # other programs call.
        (r"\b(sdks?|clients?|apps|services|systems) (poll|call|query|hit)s? (it|the service|the api|us)\b", 4),
        (
            r"\bcan (call|query|hit) (it )?from (their|our|its) (own )?(systems|apps|software|backends?|erps?|tills?)\b|"
            r"\b(apps|systems|websites?|sites) (\w+ ){0,3}can (pull|fetch|query|read|get) [^.;]{0,60}\bfrom\b|"
            r"\bapi (\w+ ){0,3}can call\b|"
            r"\b(each|every) (partner|client|customer|consumer|developer|integrator|club|app)s? (gets?|has|have) "
            r"(its|their) own api keys?\b",
            5,
        ),
        (r"\b(internal |micro)?[\w-]+ service:", 3),
        # "each till authenticates with its own client certificate over mutual TLS"
        (r"\b(mutual tls|mtls|client certificates?)\b", 4),
        # "our online storefronts and the tills in our shops all need one shared place to ..."
        (
            r"\b(storefronts|tills|apps|systems|websites|sites|kiosks|terminals|services)\b[^.;]{0,50}\b(all )?needs? "
            r"(one|a) (shared|central|single|common) (place|service|backend|source)\b",
            6,
        ),
        # "a lookup service for the hospital's prescribing and pharmacy systems": other programs'
        (r"\bservice (for|used by) (the|our|their|other) ([\w'’-]+ ){0,4}(systems|apps|services|backends)\b", 5),
        (r"\b(the|an?) (api|backend) (part|side|layer)\b|\b(build|write|do|make) (the|an?|our) (api|backend)\b", 6),
    ],
    T.WEB_APP: [
        (r"\b(?<!static )web ?(app|application|shop|store|portal|platform|tool)\b", 6),
        # "nothing to install, just a link they open"
        (r"\bnothing to install\b|\b(just|only) a link\b|\blinks? (they|people|staff|we) (open|click|tap)\b", 5),
        (r"\bweb (front-?end|client|ui|based|browser) (app|application|interface)\b", 6),
        (
            r"\b(website|web ?site|site|portal|platform|app|application|wiki|something|somewhere|place) (online )?where\b",
            5,
        ),
        (
            r"\bwhere (\w+ ){0,2}(students|customers|users|members|people|employees|staff|teams|clients|patients|parents|fans|buyers|sellers|volunteers|guests|visitors) (can|could|will|get to)\b",
            3,
        ),
        (r"\b(online|wiki|intranet|cms|cmms|crm|hris|lms|helpdesk|help desk|knowledge base|erp)\b", 2),
        (r"\b(book|order|pay|apply|register|sign up|shop|enrol|enroll) online\b", 3),
        (r"\b(dashboard|portal|admin panel|back-?office)\b", 2.5),
        (r"\b(e-?commerce|online (shop|store|marketplace)|marketplace|web shop)\b", 4),
        (r"\b(saas|browser-based|in the browser|single-page|spa)\b", 3),
        # "something the office can use from a browser", "opened in a browser at the lodge"
        (
            r"\b(use|used|open|opened|run|runs|work|works|access|accessed|reach) (it )?(from|in|through|via) "
            r"(a|any|the|their|our|every) (web )?browser\b",
            6,
        ),
        (
            r"\b(listings? site|community|forum|social network|learning platform|booking platform|crm|lms|intranet)\b",
            3,
        ),
        (r"\b(platform|system)\b", 1),
        (r"\b(front-?end|react|vue|angular|next\.js|django|rails|laravel)\b", 1.5),
        (r"\b(log in|sign in|sign up|users?|members?|customers?)\b", 0.5),
        (r"\b(kanban|calendar view|drag and drop)\b", 1.5),
        (r"\binternal (tool|app|application|system)\b", 3),
        (r"\bcollaborative (workspace|platform|tool|editor|space)\b", 4),
        (r"\b(referral|ticketing|booking|case management|membership) (system|portal|platform)\b", 4),
        (r"\bbooking (web ?site|site|page|app)\b", 5),
        (r"\b[\w-]+ management (for|system|portal|platform|app)\b", 3),
        (r"\b(website|web ?site|site|page|form|survey|quiz|app|store|shop) builder\b", 6),
        # A league or club is run through an application: fixtures, tables, team managers.
        (r"\b(fixtures|league tables?|league management|referees|team managers?|club members?)\b", 2.5),
        (r"\bfantasy (football|league|sports|baseball|basketball|cricket)\b|\bleague (site|website|app)\b", 4),
        (
            r"\b(website|site|portal|platform) [^.;]{0,40}\bwhere (we|people|members|users|everyone|parents|students|"
            r"customers|staff|teams)\b",
            4,
        ),
        (
            r"\b(like|clone of|version of|alternative to) (an? )?(eventbrite|airbnb|etsy|ebay|trello|jira|asana|"
            r"notion|shopify|craigslist|reddit|yelp|zillow|udemy|coursera|linkedin|calendly|doodle|"
            r"typeform|mailchimp|zendesk|quickbooks|salesforce|hubspot|basecamp|meetup|booking\.com|"
            r"glassdoor|indeed|kickstarter|gofundme|patreon|substack|airtable|monday\.com|goodreads|letterboxd|untappd|"
            r"nextdoor)\b|\bthink [\w.]+ but for\b",
            -5,
        ),
        # "members sign in from their laptop or phone": any device, so the browser
        (
            r"\bfrom (their|your|a|any|my|our) (laptop|computer|pc|desktop) or (phone|mobile|tablet)\b|"
            r"\bfrom (their|your|a|any|my|our) (phone|mobile) or (laptop|computer|pc|desktop)\b",
            6,
        ),
    ],
    T.STATIC_SITE: [
        # "A website for a rural vet practice listing services, vets and a location map"
        (r"^\W*(an? |the |our )?(simple |small |little |basic )?(website|site) for [^.;]{0,50}\b(listing|showing|presenting)\b", 4),
        # Naming a static site is decisive wherever it stands, like asking for an API.
        (
            r"\bstatic ([\w-]+ ){0,2}(web ?)?(site|website|blog|pages?|web apps?)\b|"
            r"\b(plain |just )?static (files|html)\b|\bpre-?(built|rendered) (html|pages)\b|"
            r"\b(a set of|a few|a handful of) (simple |plain |pre-?rendered )?(html )?pages\b|\bplain html( pages| files)?\b|"
            r"\bnothing dynamic\b",
            -8,
        ),
        (r"\b(built|generated) from markdown\b", 5),
        (
            r"\b(landing page|portfolio (site|website|page)|(my|personal|online) portfolio|homepage|home page|microsite|one-page|one-pager|one pager|brochure site)\b",
            5,
        ),
        (r"\b(documentation|docs) (site|website|portal)\b", 6),
        (r"\b(jekyll|hugo|gatsby|eleventy|mkdocs|docusaurus|astro)\b", 4),
        (r"\bblog\b", 2.5),
        (r"\b(lighthouse|seo|faq)\b", 1.5),
        (r"\b(simple|small|tiny|basic|little) (web ?site|site)\b", 3),
        (r"\b(our mission|about us|impact stories|donate button|testimonials)\b", 2),
        (r"^\W*(a |my |our )?portfolio\b|\b(about|contact) page\b", 3),
        (r"\b(generated from markdown|no backend|no server|served from a cdn)\b", 3),
        (r"\b(opening (hours|times)|contact form|how to find us|find us)\b", 2),
        (r"\b(netlify|vercel|cloudflare pages)\b", 4),
        (r"\bre-?generated\b|\b(one |a )page (per|for each) [\w-]+", 4),
        (
            r"\b(site|website|pages?|blog) (is )?generated from (our |the |a |an )?([\w-]+ ){0,2}(feeds?|markdown|yaml|json|"
            r"csv|notion|spreadsheets?|content|files|repo|repository)\b|\bbrochure\b",
            5,
        ),
        (r"\b(a|one|simple|single) (web ?page|page) (to|that|which|with|for)\b", 4),
        (
            r"\b(no (login|log-in|sign-?in|accounts?|user accounts)|nobody logs? in(to anything)?|only information|"
            r"information only|informational|just information)\b",
            4,
        ),
        (
            r"\b(restaurant|company|personal|marketing|brochure|clinic|portfolio|event|wedding|band|church|school|menu|"
            r"promo|conference|festival|meetup|summit|concert) ((web ?)?site|pages)\b|\bgenerate (it|the site|the pages?|them) from\b|\b(site|website|pages|blog) (is |are )?(built|generated) from\b|\bgithub pages\b|"
            r"\bgenerates? (a |an |the |our )?([\w-]+ ){0,2}(site|website|pages|blog) from\b",
            5,
        ),
    ],
    T.CLI: [
        # "`archive ingest <folder>`, `archive export`": commands spelled out as typed
        (
            r"\b(cli|command[- ]line|cmd[- ]line|cmdline|terminal (tool|utility|app|program)|shell command|console (app|tool))\b",
            7,
        ),
        (r"\b(from|in) (the|a) (terminal|shell|command line)\b", 5),
        # "I just run it with the folder name as an argument"
        (r"\b(run|runs|call|calls) it with ([\w'’-]+ ){0,4}as (an? )?(argument|parameter)\b|\bcommand[- ]line arguments?\b", 6),
        (r"\b(terminal|shell)\b", 2),
        (
            r"\b((?<!ops )(?<!admin )(?<!web )(?<!management )(?<!support )(?<!operations )console|standard (input|output)|stdin|stdout|prompts? the user|reads? (\w+ ){0,2}commands?|"
            r"(outputs?|prints?) (\w+ ){0,3}(to the (screen|console)|\"))\b",
            2.5,
        ),
        (
            r"\b(input (and|&) output|the program (reads|outputs|prints|exits)|"
            r"reads? (an? |\d+ |the )?(strings?|lines?|integers?|numbers?) from)\b",
            2.5,
        ),
        (r"\b(commands?|menu options?|text menu)\b", 1),
        (r"\b(exit (codes?|status)|non-?zero exit|returns? (a )?non-?zero)\b", 5),
        # Native programs with no web or UI cue are usually run from a terminal.
        (r"\b(developed|written|implemented|built|programmed) (\w+ )?in (c\+\+|c|rust)(?!\w)", 2),
        (r"\b(tool|utility|script) (that|to|which)\b", 2),
        # "a script I run before…": something its owner starts by hand.
        (r"\b(scripts?|tool|utility|program) (i|we) (can )?(run|start|call|use)\b", 4),
        # "A script, run by the officers on their laptops, shall read the exports"
        (r"^\W*(an? |the )?(small |little |simple )?script,? (run|used|started) by\b", 5),
        (r"^\W*cli\s*(`?[\w.-]+`?\s*)?[:,-]", 6),  # "cli: ...", "CLI `solarctl`: ..."
        (r"\b(pre-commit|pre-push|commit-msg|git) hooks?\b", 6),
        (r"\b(kubectl|git|cargo|npm|docker|gh|terraform|helm|aws cli|gcloud|az) (plugin|extension|subcommand)s?\b", 6),
        # Housekeeping on someone's own files and disks.
        (
            r"\b(backs? up|back-?up|prunes?|renames?|dedupes?|cleans? up|tid(y|ies) up|organi[sz]es?) (my |our |the |old |all )?"
            r"([\w-]+ ){0,2}(files|photos|images|folders?|director(y|ies)|library|drives?|disks?|downloads)\b",
            3,
        ),
        (
            r"\b(developer tool|dev tool|bulk rename|flags|subcommands?|stdout|stdin)\b|(?<!\w)--[a-z]",
            1.5,
        ),
    ],
    T.LIBRARY: [
        (
            r"\b(python|py|js|ts|node|npm|javascript|typescript|java|go|rust|c\+\+|c#|\.net|dart|elixir|scala|lua|ruby|php|kotlin|swift|small|tiny|reusable|internal|open-source) (library|lib|package|module|sdk|crate|gem)\b",
            7,
        ),
        (r"\b(?<!photo )(?<!music )(?<!media )(?<!video )(?<!image )(?<!film )(?<!game )(?<!book )(?<!lending )(?<!tool )"
         r"(library|package|sdk|crate|gem) (that|for|to|wrapping|which)\b", 5),
        # a specification of the thing to build: "The library shall parse ..."
        (r"^(the )?(library|package|sdk|crate|module) (shall|must|will|should)\b", 7),
        (
            r"\b(sdk|pip install|pip-installable|pip installable|pypi|npm package|importable|reusable|go module|crate|typed clients?)\b",
            4,
        ),
        (r"\b(wraps|wrapping|wrapper for|wrapper around|bindings for)\b", 3),
        (r"\b(something|code|a module|a package|functions)\b[^.;]{0,80}\b(can|could) import\b|\breusable functions\b", 6),
        (r"\b(can|could) (just |simply )?import (it|them)\b", 6),
        # "python helpers i can import in notebooks"
        (r"\b(helpers|functions|code|utilities|utils|module|modules) (that )?(i|we|you|they|analysts|people|teams) "
         r"(can|could) (just |simply )?import\b", 6),
        (
            r"\b(typescript|javascript|python|go|java|kotlin|swift|ruby|php|rust|c#|\.net|node) (api )?client( library)?\b|"
            r"\bclient library\b",
            7,
        ),
        (
            r"\b(in|into|by|for) (various|other|their|your|existing|client|host) (\w+ )?"
            r"(applications|programs|projects|codebases|services)\b",
            3,
        ),
        (r"\b\w+\.(java|py|cpp|hpp|h|rs|go|ts|js)\b", 1),
        (
            r"\b(?<!photo )(?<!music )(?<!media )(?<!video )(?<!image )(?<!film )(?<!game )(?<!book )"
            r"(?<!lending )(?<!tool )(?<!public )(?<!school )(?<!prison )(?<!town )(?<!county )(?<!city )"
            r"(?<!community )(?<!university )(?<!college )(?<!village )(?<!law )(?<!museum )(library|package|module)\b",
            1.5,
        ),
        (r"\b(function|functions|api surface|no dependencies|thread-safe|data structure)\b", 1),
    ],
    T.WORKER: [
        # "when a lab uploads a PDF ..., something should pick it up, parse the values"
        (r"\bsomething (should|must|needs to|has to|will|that|which|to) (pick|picks) (it|them|that|those) up\b", 6),
        (r"\blong-?running (service|process|job|daemon|worker|task)\b", 6),
        (
            r"\b(background (worker|job|jobs|processor|task|service|process|daemon)|worker|job processor|queue consumer|consumer|daemon)\b",
            6,
        ),
        # "The system shall subscribe to flight status events", "Whenever a trawler sends its log,
        # check ...": something that acts on events, with no one at a screen
        (
            r"\b(the system|the service|it|something) (shall |will |must |should )?(subscribes?|listens?) to\b|"
            # (not "when a carrier's system pings us with an update, store it": a call to an API)
            r"^\W*(whenever|when|each time|every time) (a|an|the) ((?! us\b)[^,.;]){3,80}, "
            r"((the system|the service|it) (shall |will |should |must )?)?(check|send|convert|process|"
            r"transcode|resize|render|generate|extract|parse|"
            r"text|email|"
            r"notify|update|create|open|move|copy|post|flag|mark|alert|charge|refund|store|save|"
            r"forward|push|page|call)\b",
            6,
        ),
        # "Worker on Azure Functions that ...": named first, decisive (a model it runs is a tool).
        (r"^\W*(an? |the |our )?([\w-]+ ){0,2}(worker|queue consumer|daemon)\b(?! (app|portal|shifts?|rota))", -8),
        (r"\b(queue-driven|(?<!referral )(?<!work )(?<!review )(?<!support )(?<!approval )(?<!stuck in the )(?<!waiting in the )(?<!standing in the )queue|rabbitmq|kafka|sqs|celery|pub/?sub|nats|sidekiq|bullmq)\b", 3),
        (
            r"\b(listen(s|ing)? (for|to|on)|watches a folder|consumes?|off the queue|retr(y|ying|ies) (with|w/) backoff|"
            r"sits? on (the|our|a) ([\w-]+ ){0,2}(network|queue|bus|topic))\b",
            3,
        ),
        (r"\b(ingestion service|telemetry|iot)\b", 3),
        # A job on a timer is a worker or a pipeline: what it does decides (moving data: pipeline).
        (r"\b(nightly|daily|hourly|weekly|scheduled|cron|recurring) (job|task|process)s?\b", 3),
        (
            r"\b(background (job|task|process)s?|"
            r"(job|process|service|something|script|thing) (that )?(just )?(runs?|running|sits?|sitting) in the background|"
            r"(job|task|process) that (sends?|emails?|texts?|notifies|checks?|pings?|reminds?|polls?)|"
            r"(something|job|task|worker) in the background)\b",
            5,
        ),
        (
            r"\b((process|service|program|daemon|something) that (runs?|is running) (all the time|continuously|24/7|forever)|"
            r"always[- ]on|runs? (continuously|all the time)|receives? (the |our |all )?(readings|events|messages|webhooks))\b",
            5,
        ),
        (r"\b(reads?|picks? up|processes) (the |our |all |each )?([\w'’-]+ ){0,3}(events|messages)\b", 3),
        (
            r"\b(every (morning|night|day|evening|hour|week|\d+ minutes)|nightly|daily|hourly)\b[^.]{0,160}\b"
            r"(texts?|sms|e-?mails?|notif(y|ies)|reminds?|sends?)\b",
            3,
        ),
        (
            r"\b(picks? up (\w+ ){0,5}(files?|uploads?|messages?|jobs?|events?|tasks?) from|transcod\w+)\b",
            4,
        ),
        (
            r"\bwatch(es|ing)? (our |the |a |an )?([\w'’-]+ ){0,4}(folders?|buckets?|containers?|blob storage|s3|director(y|ies)|"
            r"inbox(es)?|mailbox(es)?|queues?|feeds?|chains?|blockchains?|topics?|streams?)\b|\bwatch(es|ing)? for new\b",
            4,
        ),
        # A function fired by an event: "a Lambda that fires whenever a PDF lands in the bucket".
        (
            r"\b(lambda|function|handler|worker|service|something|job)s? that (fires|runs(?! on (the|an?|our|my|their|each) )|triggers|is triggered|wakes up|kicks in)"
            r"( (whenever|when|each time|every time|on))?\b",
            5,
        ),
        (r"\b(running|runs|run) (on |as an? )?(aws |azure |google )?(lambda|cloud function|azure function)s?\b", 3),
        # "when a survey lands in the bucket ... something picks it up": work set off by an event
        (
            r"\b(something|a service|a job|a script|a bot|a worker) that watches\b|"
            r"\b(that|which|something|worker|service|job|function) picks? (it|them) up\b|"
            r"\b(something|a service|a job|a worker) (needs|has) to (pick|take) (it|them) (up|off)\b|"
            r"\b(something|a service|a job|a worker) (that )?(picking|picks|to pick) (those|these|them|it) up\b|"
            r"\b(when|whenever|each time|every time|as soon as)\b[^.;]{0,60}\blands? in\b",
            4,
        ),
        # "each trip logged on the tablets lands on a queue; pick them up one by one"
        (r"\blands? on (a|the|our) ([\w-]+ )?queue\b|[;:,.] pick (them|it|each one) up\b", 5),
        # "our booking system drops a message on a queue": the work starts from the queue
        (
            r"\b(drops?|puts?|publish(es)?|emits?|pushes) (a |an )?(messages?|events?) (on|onto|to|into) "
            r"((a|the|our) (queue|topic|bus)|rabbitmq|kafka|sqs|pub/?sub|nats)\b|"
            r"\bpick up (those|these|the|each|new) (messages|events|jobs)\b",
            5,
        ),
        # A watcher: checks something every few minutes and tells someone when a limit is crossed.
        (
            r"\b(checks?|checking|monitors?|monitoring|polls?|polling|pings?|pinging|watch(es)?)\b[^.;]{0,80}"
            r"\bevery (minute|\d+ (seconds|minutes)|few minutes|\w+ minutes)\b|"
            r"\bevery (minute|\d+ (seconds|minutes)|few minutes),? (check|poll|ping|look|scan|query)",
            4,
        ),
        (
            r"\b(when|if) (a |the |any )?(\w+ ){0,2}(thresholds?|limits?) (is |are )?(crossed|exceeded|breached|hit)\b|"
            r"\b(has been|is|goes) (down|offline|unreachable) for (more than )?(\w+ ){1,2}(minutes|seconds)\b",
            3,
        ),
        (r"\b(jobs?|tasks)\b", 0.5),
        # "whenever a shipment status message arrives on our RabbitMQ exchange"
        (r"\b(arrives?|lands?|appears?|comes? in) on (the |our |a )?([\w-]+ ){0,2}(queue|topic|exchange|stream|bus)\b", 6),
    ],
    T.DATA_PIPELINE: [
        # "candidates moving through pipeline stages", "our sales pipeline", "move deals through a
        # pipeline (lead, won, lost)": a funnel, no data
        (
            r"\b(etl|elt|data pipeline|(?<!sales )(?<!hiring )(?<!recruiting )(?<!recruitment )(?<!deal )"
            r"(?<!candidate )(?<!through a )(?<!through the )(?<!through our )"
            r"pipeline(?! (stages?|views?|boards?|columns?)))\b",
            6,
        ),
        (r"\bpublish(es|ed)? (them |it )?(as )?(an? )?(open data( ?sets?)?|data ?sets?)\b", 4),
        # "once a week it grabs all five sheets ... merges them into one table"
        (r"\bmerges? (them|it|everything|all (of )?(them|the [\w-]+)|the [\w-]+) (all )?into (one|a single) "
         r"(table|sheet|spreadsheet|data ?set|file|database)\b", 4),
        (
            r"\b(data warehouse|bigquery|snowflake|redshift|data lake|parquet|airflow|dbt|spark|beam|dagster|prefect|dag)\b",
            3,
        ),
        (
            r"\b(ingest(s|ion)?|harvest(s|ing)? (of )?(\w+ )?(metadata|records|data)|deduplicat\w*|dedupes?|golden record|aggregates?|sync(s|ed)? \w+ (data )?(from|into|to))\b",
            2.5,
        ),
        (
            r"\b(nightly|hourly|daily|once a (week|day|night|month|fortnight)|(every|each) (hour|day|night|morning|\d+ (minutes|hours)|monday|tuesday|"
            r"wednesday|thursday|friday|saturday|sunday))\b",
            1.5,
        ),
        # Where the data comes from: a store, a feed, exports of another system.
        (
            r"\b(pulls?|pulling|extracts?|fetch(es|ing)?|reads?|imports?|importing|takes?) ([\w'-]+ ){0,5}from (the |our |a |an )?"
            r"([\w'-]+ ){0,3}(warehouse|lake|database|archive|bucket|feeds?|erp|crm|csv exports?|exports?|api|portal|registry|s?ftp( server| drop)?)\b",
            3,
        ),
        (r"\b(csv|excel|spreadsheet) (exports|dumps?|extracts?)\b", 2),
        (r"\bfrom (our|the|their) [\w-]+ (system |platform )?(in)?to (our|the|their) [\w-]+ (system|platform|warehouse|erp|crm)\b", 3),
        (r"\b(resample\w*|downsampl\w*|clean(s|ing)? up(?! after)|recalculat\w+|lineage|reconcil\w+)\b", 2),
        (r"\b(quarterly|monthly|weekly|nightly|daily) (run|batch|load|refresh)\b", 3),
        (
            r"\b(every|each) (night|morning|day|hour|evening|(\d+|five|ten|fifteen|twenty|thirty) (minutes|mins|hours))\b,? "
            r"(take|pull|grab|load|ingest|collect|fetch|import|copy|sync)s?\b",
            4,
        ),
        (
            r"\b(pulls?|extracts?|loads?|appends?|syncs?|copies|copy|exports?|imports?|writes?|sends?) [\w ,'-]{0,50}?"
            r"(into|to|in) (a |an |the |our )?([\w'’]+ ){0,2}(sheets?|spreadsheets?|warehouse|database|"
            r"tables?|lake|bucket|bigquery|snowflake|redshift|postgres\w*|s3|timescale\w*|influx\w*|"
            r"clickhouse|sql|elasticsearch|opensearch)\b",
            4,
        ),
        (r"\b(runs?) (every|each|nightly|daily|hourly|weekly)\b", 1),
        (r"\b(stream processing|batch (job|load))\b", 3),
        (r"\b(transformations?|refresh(ed|es)? every|lands? in|reporting (schema|tables?|layer)|staging (area|tables?|schema))\b", 2.5),
        (r"\b(star schema|fact tables?|dimension tables?|data marts?)\b", 3),
        (
            r"\bstream(s|ed|ing)? [^.;]{0,80}\b(into|to) (a |an |the |our )?(\w+ ){0,2}(snowflake|bigquery|redshift|"
            r"warehouse|lake|clickhouse|databricks|postgres\w*)\b",
            6,
        ),
        (r"\b(enrich(ed|es|ing)? with|so (that )?(our )?analysts can|for (our )?analysts)\b", 2.5),
        (r"\b(csv files?|rows?|tables?)\b", 0.5),
    ],
    T.ML_SERVICE: [
        # "could something learn from our last two years of sales", "learned from our firing logs"
        (
            r"\b(learn|learns|learned|learnt|learning) from (past|historical|previous) [\w-]+|"
            r"\b(learn|learns|learned|learnt|learning) from (our|the|past|historical|previous|last|their|[\d,]+|"
            r"hundreds|thousands) ([\w'’-]+ ){0,4}(sales|logs|data|history|records|readings|results|bookings|orders|"
            r"years?|months?|photos|images|tests|recordings|examples)\b",
            6,
        ),
        (
            r"\b(serv(e|es|ing)|expos(e|es|ing)|deploy(s|ing)?|host(s|ing)?|wrap(s|ping)?)\b[^.;]{0,40}\bmodels?\b(?! (aircraft|airplanes?|planes?|railways?|trains?|boats?|ships?|yachts?|cars?|rockets?|kits?|makers?|shops?|clubs?|villages?|agenc(y|ies)|numbers?|years?|homes?|flying|engineering|making|building|t\b))",
            8,
        ),
        (
            r"\b(scoring|prediction|classification|detection|forecasting|ranking|recognition|transcription|"
            r"recommendation|recommender|suggestion|valuation|estimation) "
            r"(service|api|endpoint|microservice)s?\b|\b(valuation|pricing|propensity|attrition|demand|eta) models?\b",
            7,
        ),
        (
            r"\b(machine learning|ml (model|svc|service|api|endpoint)s?|model[- ]serving|inference( endpoint)?|"
            r"classifier|classification (api|model|service))\b",
            6,
        ),
        # "beekeepers send in a photo of a brood frame and it tells them whether ...": a model
        (
            r"\b(send|sends|upload|uploads|snap|snaps|take|takes|submit|submits) (in |up |it |us )?"
            r"(a|an|the|their|your) ([\w'’-]+ ){0,2}(photo|picture|image|scan|recording|clip|pic|file)s?\b"
            r"[^.?!]{0,80}?\band ((it|we|the (app|system|service|model|tool)) (tells?|says?|predicts?|"
            r"flags?|identif(y|ies)|detects?|classif(y|ies)|estimates?|works? out|guesses|suggests?)|"
            r"(get|gets|getting) back (its|their|a|an|the))\b",
            7,
        ),
        (
            r"\b(our|trained|the|a|fraud|churn|sentiment[- ]analysis|summari[sz]ation|recommendation|vision|language) models?\b(?! (aircraft|airplanes?|planes?|railways?|trains?|boats?|ships?|yachts?|cars?|rockets?|kits?|makers?|shops?|clubs?|villages?|agenc(y|ies)|numbers?|years?|homes?|flying|engineering|making|building|t\b))",
            4,
        ),
        (r"\b(using|with|runs?) (a|an|our|the) ([\w-]+ ){0,2}models?\b(?! (aircraft|airplanes?|planes?|railways?|trains?|boats?|ships?|yachts?|cars?|rockets?|kits?|makers?|shops?|clubs?|villages?|agenc(y|ies)|numbers?|years?|homes?|flying|engineering|making|building|t\b))", 5),
        (r"\b(fine-?tuned|pre-?trained|model returns|the model)\b", 3),
        (
            r"\bmodels?\b[^.;]{0,60}\bbehind an? (endpoint|api|http)\b|\bmodel (endpoint|api|server|service)\b|"
            r"\b[\w-]*(detection|classification|prediction|forecasting|scoring|ranking) models?\b",
            8,
        ),
        (
            r"\b(serv(e|es|ing)|expos(e|es|ing)) (the |our |its )?(suggestions|recommendations|predictions|scores|forecasts)\b|"
            r"\b(customers|people|users) (who bought \w+ )?also (bought|liked|viewed)\b",
            6,
        ),
        (r"\b(default|credit|fraud|churn) (risk|score|scoring|likelihood)\b", 6),
        (r"\blooks? at (an? |the |their |each )?([\w'-]+ ){0,3}(photos?|images?|pictures?|scans?)\b", 5),
        # (not "the entries our volunteers transcribed": people did the transcribing)
        (r"\b(speech[- ]to[- ]text|text[- ]to[- ]speech|(?<!volunteers )(?<!staff )(?<!we )(?<!they )(?<!i )(?<!have )(?<!has )(?<!been )transcrib\w+|object detection|image recognition|ocr model)\b", 5),
        (r"\b((served|serve|exposed) behind an? (api|endpoint)|segment(s|ation)? ([\w-]+ ){0,2}in (uploaded )?([\w-]+ )?(scans|images|photos))\b", 5),
        (r"\b(semantic search|embed (them|the|our|each|every)|embeddings?|vector (search|store|database|index))\b", 5),
        (
            r"\b(returns?|gets? back|get back|give[s]? back) (an? |the )?(estimated|predicted|likely|most likely|expected|matching)\b|"
            r"\b(gets? back|get back) (which|whether|how likely)\b|"
            r"\b(gets?|get|returns?|return) (back )?(an? |the )?([\w-]+ ){0,3}(risk|confidence|probability|likelihood) (scores?|levels?)\b",
            6,
        ),
        (r"\b(predictor|probability|likelihood|confidence (scores?|levels?|percentages?)|most likely (condition|disease|class|label|category|species|diagnosis)|(the )?chance (that|they|it|of))\b", 3),
        (
            r"\b(predict(s|ed|ion|ions|ive)?|forecast(s|ing)?|recommend(s|ation|ations|er)?|anomaly detection|churn|sentiment|classif(y|ies|ication))\b",
            3,
        ),
        (
            r"\b(scikit|sklearn|pytorch|tensorflow|keras|hugging ?face|transformers?|xgboost|sagemaker|vertex ai|onnx)\b",
            3,
        ),
        (r"\b(retrain(ed|ing)?|training data|features? store|embedding)\b", 2.5),
        (r"\btrained on (our |the |past |historical |labell?ed |\d|(two|three|four|five|six|seven|eight|nine|ten|many|several) )|\b(with|\+|and) (a )?confidence\b", 4),
        (r"\b(an? |our )(ml|machine[- ]learning|ai) (api|endpoint|service|microservice)\b", -8),
        (
            r"\b(estimated|predicted) (sale |selling |market |rental )?(prices?|values?|demand|"
            r"probability|risk|duration|eta|arrival times?)\b",
            3,
        ),
        (
            r"\b(service|api|endpoint|server|backend)s? ((that|which|to) )?(predicts?|forecasts?|recommends?|"
            r"classif(y|ies)|estimates?|detects?|scores?|ranks?)\b",
            8,
        ),
        (
            r"\btakes? (in )?(an? |the )?([\w'’-]+ ){0,3}(recordings?|photos?|images?|pictures?|audio|videos?|scans?|x-rays?|"
            r"selfies?|voice notes?) ([\w'’-]+ ){0,8}and (returns?|grades?|scores?|rates?|classif\w+|detects?|predicts?|"
            r"tells?|estimates?|labels?)\b",
            6,
        ),
        (r"\b(grades?|scores?|rates?) (\w+ ){0,5}(from|on a scale of) \d+ to \d+\b", 3),
        (r"\b(scores?|scoring)\b", 1),
        # "recs endpoint for the bookshop: ... retrain weekly"
        (r"\b(recs|recommendations?) (endpoint|api|service|engine|model)\b", 6),
    ],
    T.CHATBOT: [
        # "get answers drawn from the course documents", "riders can text our number"
        (r"\b(answers?|replies) (drawn |taken |pulled )?from (the|our|its) ([\w-]+ ){0,2}(documents?|docs|faqs?|handbooks?|manuals?|polic(y|ies)|knowledge base|wiki)\b", 5),
        (r"\b(able to|can|could) (text|message|whatsapp|sms) (our|the|a) (number|line|bot|shortcode)\b", 5),
        (r"\b(automatic|automated|auto-?) ?repl(y|ies)\b", 5),
        (r"\b(telegram|whatsapp|slack|discord|messenger) (thing|something|helper|number)\b|"
         r"\b(they|people|members|users|customers|guests|attendees) message (it|questions)\b", 5),
        # "visitors type questions like 'do you post abroad?' and get an answer straight away"
        (r"\b(type|types|ask|asks|send|sends) (in )?(their )?questions?\b[^.;]{0,80}\bget (an? )?(answer|reply)|"
         r"\binstant answers?\b", 5),
        # "people message my Facebook page ... something that replies for me automatically"
        (r"\b(something|a thing|a bot|one) (that|which) (replies|answers|responds) (for (me|us) )?automatically\b|"
         r"\b(something|a thing) (that|which) (replies|answers|responds) for (me|us)\b", 5),
        (r"\b(chat ?bot|bot|conversational|virtual assistant|voice assistant|alexa skill|chat assistant)\b", 7),
        # "WhatsApp + web widget for guests: Qs like 'what time is breakfast', answers from the FAQ"
        (r"\b(whatsapp|telegram|messenger|sms) ?(\+|and|&|/) ?(an? )?(web )?(chat )?widget\b|"
         r"\b(qs|questions) like ['‘\"]|\banswers? (come )?from (the |our )?(faqs?|knowledge base)\b", 5),
        (r"\b(slack|teams|discord|telegram|whatsapp) (assistant|app|integration)\b", 5),
        # "something for our discord server: people type /roll 2d6 and it rolls"
        (r"\b(discord|slack|telegram) (server|channel|workspace|group)\b", 3),
        (r"\b(type|types|typing|use|uses|run|runs|send|sends|with) /[a-z]{2,}\b|\bslash commands?\b", 5),
        # "The system shall hold WhatsApp conversations with prospective visitors"
        (r"\b(hold|holds|have|has|handle|handles|carry on) ([\w-]+ )?conversations with\b", 6),
        (r"\b(whatsapp|telegram|messenger|sms) (ordering|booking|bookings|orders)\b|\b(through|via|over|by) chat\b", 5),
        (
            r"\b(answers? ([\w'’]+ ){0,4}questions|faq bot|hands? over to|escalates? to a human|intents?)\b",
            3,
        ),
        (r"\b(assistant|helper)\b", 2),
        (r"\bchat ?(widget|window|bubble)\b", 5),
        (r"\b(something|a thing|an assistant|a helper)\b[^.;]{0,40}\bthat answers\b|\bin plain (language|english)\b", 4),
        # "something people can chat with", "owners can just text - 'is there a berth?'"
        (r"\b(can|could) (just )?(chat with|talk to|text|message)\b(?! (each other|one another|their|the (team|staff)))", 4),
        (
            r"\b(message|text|chat with|talk to|ask|write to) ((us|the ([\w-]+ )?[\w-]+|our ([\w-]+ )?[\w-]+|it) )?(on|via|over|through|in) "
            r"(whatsapp|telegram|messenger|slack|teams|discord|signal|sms|instagram|facebook)\b",
            5,
        ),
        (r"\b(repl(y|ies)|answers?|talks?|chats?) (in|to) (english|welsh|spanish|french|german|\w+ or \w+)\b", 2),
        # "hikers message our WhatsApp number", "something that replies to owners on WhatsApp"
        (
            r"\b(message|text|messages|texts) (our|the|a) (whatsapp|telegram|signal|sms) (number|account|line)\b|"
            r"\b(repl(y|ies)|answers?|responds?) (to [\w-]+ )?(on|via|over|in) (whatsapp|telegram|messenger|signal)\b",
            5,
        ),
        # "something in our slack where foremen can type ... and it answers"
        (r"\b(something|a thing|a tool|an assistant) (in|on|inside) (our|the|my) (slack|teams|discord)\b", 6),
        # "guests should be able to whatsapp the hotel and get answers": the app name as a verb
        (r"\b(whatsapp|telegram|dm) (us|them|me|the [\w-]+|our [\w-]+)\b", 5),
    ],
    T.GAME: [
        # "a board-game café", "the games night": a place or an evening, not a game to build.
        (
            r"\b(?<!per )(?<!each )(?<!mid-)(?<!pre-)(?<!post-)(game|games|pygame|unity|godot|phaser)\b"
            r"(?! (caf[eé]s?|club|clubs|shop|shops|store|stores|nights?|collection|library|group|evenings?|bar|pub|designers?|developers?|studios?|publishers?|masters?))",
            7,
        ),
        (
            r"\b(match-?3|endless runner|idle clicker|tetris|snake(?! (or|and) )|pong|breakout|platformer|shooter|roguelike|dungeon crawler|puzzle|arcade|chess|sudoku|wordle|minesweeper|solitaire|rpg|tower defen[cs]e)\b",
            6,
        ),
        (r"\bclone\b", 1.5),
        # "a roguelike that runs in the browser" is a browser game, not a web application
        (
            r"\b(roguelike|platformer|dungeon crawler|puzzler|shooter|rpg|game)s? (that |which )?"
            r"(runs?|plays?|is played|are played) in (the|a|any|your) (web )?browser\b",
            8,
        ),
        (
            r"\b(clicker|idle game|tap to (?!(see|view|open|check|book|pay|call|order|read|find|get|show|"
            r"start|join|add|share|browse|reorder|confirm|sign)\b)[a-z]+|played (in|on|with) (the |a )?\w+|"
            r"prestige)\b",
            4,
        ),
        (
            r"\bwhere (you|kids|children|players) (play|plant|build|run|manage|control|fight|explore|collect|race|defend|survive|"
            r"steer|fly|drive|pilot|guide|"
            r"solve|grow|breed|train|command)\b",
            5,
        ),
        (r"\b(unlock(s|ing)?|leaderboards?|simulation|simulator)\b", 2),
        # "a tamagotchi-style virtual pet you feed and play with"
        (r"\b(virtual (pet|creature)s?|tamagotchi|digital pet)\b", 5),
        (r"\b(something|a thing) (that )?(people|kids|children|players|you|visitors|fans|guests) (can )?play\b", 7),
        # "something for kids to play in the browser"; "you are a bee dodging wasps ... to level up"
        (r"\b(something|a thing) for (people|kids|children|players|pupils|visitors|fans|guests) to play\b", 7),
        (r"\b(dodg(e|es|ing) (the )?[a-z]+|level(l?ing)? up|earn(s|ing)? (\w+ )?stars for)\b", 3),
        (r"\bplayable\b|\b(beat|top) (the |a |their |your )?high[- ]?scores?\b", 4),
        (r"\b(arrow keys|wasd|play it (on|in|with))\b", 4),
        (r"\b(gamepad|joystick)s?\b|\byou (guide|steer|control|fly|drive|pilot) (a|an|the|your)\b|"
         r"\b(ten|top|five) best scores\b", 4),
        # "where you're the engine driver ... score points"
        (r"\bwhere you(['’]re| are) (the|a|an)\b|\bscor(e|es|ing) points\b", 4),
        # "a timber tycoon for the visitor centre", "Glassblowing sim for the kiosk"
        (r"\b(tycoon|[a-z]+ sim(?! (cards?|only|swaps?|numbers?|plans?))\b)", 5),
        # "points for accuracy, three difficulty settings": scoring a player's play
        (
            r"\b(points for (accuracy|speed|each|every|correct|timing)|difficulty (settings|levels|modes)|"
            r"(falling|scrolling) (down|across) the screen|tap along)\b",
            4,
        ),
        (
            r"\b((?<!embedded )(?<!audio )(?<!video )(?<!media )(?<!music )(?<!podcast )players?|levels?|high[- ]?scores?|boss|power-?ups?|enemies|sprites?|(?<!housing )(?<!food )(?<!energy )(?<!solar )(?<!farm )(?<!credit )(?<!student )(?<!printing )(?<!print )(?<!riso )(?<!bike )(?<!cycle )(?<!repair )(?<!artists' )(?<!worker )(?<!workers' )(?<!the )(?<!our )(?<!a )co-?op(?!:)|multiplayer|matchmaking)\b",
            1.5,
        ),
    ],
    T.DESKTOP_APP: [
        # "a tool for our video editors' macs", "for the office PCs"
        (r"\b(for|on) (our|their|the|my) ([\w'’-]+ ){0,2}(macs|pcs|workstations)\b", 4),
        (r"\b(desktop|gui|tkinter|pyqt|qt|electron|wpf|winforms|gtk|tauri)\b", 7),
        (
            r"\b(windows|macos|mac|linux)( and (windows|macos|mac|linux))? (app|application|program)\b",
            6,
        ),
        (
            r"\b(macos|(?<!availability )(?<!time )(?<!delivery )(?<!booking )(?<!maintenance )(?<!service )"
            r"(?<!launch )(?<!pickup )(?<!opening )(?<!crossing )(?<!tide )(?<!tidal )(?<!weather )(?<!fishing )(?<!access )(?<!slot )windows|linux)\b",
            3,
        ),
        (r"\b(menu[- ]bar|system tray|tray icon|tray app|native app)\b", 5),
        (
            r"\b(installed|install it|install them|installs?) on (the |our |their |each |every )?([\w'’/-]+ ){0,3}"
            r"(pcs?|computers?|laptops?|desktops?|workstations?|macs?)\b",
            7,
        ),
        # "Till and stock program for the shop's counter PC"
        (
            r"\b(program|software|app|application|system|tool) for (the|our|their|a) ([\w'’-]+ ){0,3}"
            r"(pcs?|computers?|laptops?|desktops?|workstations?)\b",
            6,
        ),
        # "Runs on the librarian's PC only"
        (
            r"(?<!\bi )(?<!\bwe )(?<!\byou )\bruns? (only )?on (the|our|their|a|one|each|every|my) ([\w'’-]+ ){0,2}"
            r"(pcs?|computers?|laptops?|desktops?|workstations?|macs?)\b",
            6,
        ),
        # "Something on the studio Mac that ...": where it runs, named first
        (
            r"^\W*something (that runs |to run |installed )?on (the|our|a|my|each) ([\w-]+ ){0,2}"
            r"(computers?|pcs?|laptops?|macs?|imacs?|desktops?)\b(?! where you)",
            -8,
        ),
        (
            r"\b(point[- ]of[- ]sale(?! (transactions|data|records|exports?|sales|feeds?))|touchscreen|kiosk)\b",
            3,
        ),
        (r"\b(local files?|offline-first|works? (fully )?offline|installer)\b", 1.5),
        (
            r"\b(on|for) (the |our |my |a |their |each )?([\w-]+ ){0,2}(computers?|pcs?|laptops?|desktops?|macs?|imacs?|macbooks?)\b"
            r"(?! (science|vision|graphics|engineering))",
            4,
        ),
        (r"\((mac|macos|windows|pc|linux)\)", 4),
        (r"\b(without (the )?internet|no (internet|wi-?fi)|internet (is|connection is) (bad|poor|unreliable))\b", 2),
        # "for the observatory control room PCs (win 11 + one ubuntu box): one window showing ..."
        (r"^\W*for (the|our) ([\w'’-]+ ){0,4}(pcs|computers|laptops|workstations)\b|\bwin (10|11)\b", 5),
    ],
    T.MOBILE_APP: [
        (r"\b(mobile app|ios|android|iphone|ipad|react native|flutter|swiftui|kotlin)\b", 7),
        (r"\b(smartphones?|phones?)\b(?! (numbers?|no\b|calls?|orders?|lines?|support|bookings?|pings?|tag))", -3),
        (r"\b(bluetooth|companion app|ble)\b", 4),
        # "an app where residents scan a product barcode": people scanning with their phones
        (r"\b(residents|customers|shoppers|visitors|people|members|guests|fans|parents|walkers|hikers|players) "
         r"(can |could )?(scan|snap|photograph)s? (a |an |the |their |any )?([\w-]+ )?(barcode|qr code|label|receipt|product)s?\b", 4),
        # "works offline on cheap Android tablets": the devices it runs on, wherever they stand
        (r"\b(android|ios) (phones?|tablets?|devices?|smartphones?|handsets?)\b", -7),
        (r"\bapp for (our |the )?(drivers|couriers|field (staff|engineers|workers)|technicians|inspectors|wardens|engineers)\b", 3),
        (r"\b(app store|play store|push (notifications?|reminders?|alerts?)|on the go)\b", 2),
        # Naming both phone platforms is decisive wherever it stands.
        (r"\b((ios|iphone) (and|&|/|or) android|android (and|&|/|or) (ios|iphone)|android first|(ios|iphone) first)\b", -10),
        (r"\bfield (service|sales|inspection|survey|crew|team) (app|application)\b", 6),
        (r"\bmobile (ticketing|banking|ordering|wallet|check-?in|boarding pass(es)?)\b", 5),
        (r"\b(tablet|ipad|phone) (app|application)\b", 6),
        # "members book classes from their phone and pay with Apple Pay or Google Pay"
        (r"\b(book|order|buy|pay for|check in|reserve)\b[^.;]{0,30}\b(from|on) (their|your|my) phones?\b", 6),
        (r"\bapple pay (or|and|/|&) google pay\b|\bgoogle pay (or|and|/|&) apple pay\b", 3),
        (
            r"\b((take|taking|snap|snapping|capture|capturing) ([\w'’]+ ){0,3}(photos?|pictures?|signatures?)|face id|touch id|"
            r"(no|zero|without|back in|poor|bad|patchy) (coverage|signal|reception))\b",
            2.5,
        ),
        (
            r"\b(like|clone of|version of|alternative to) (an? )?(uber|lyft|tinder|bumble|strava|duolingo|"
            r"instagram|snapchat|tiktok|whatsapp|venmo|doordash|deliveroo)\b",
            -5,
        ),
        (
            r"\b(gps|scan (a |the |each )?([\w-]+ )?(qr|barcode)|qr codes?|camera|on their phones?|capture (\w+ ){0,3}photos?|navigate|couriers?|field (staff|workers|technicians))\b",
            2.5,
        ),
    ],
}
_COMPILED = {t: [((cue := Cue(p)).pattern, w, cue) for p, w in cues] for t, cues in _CUES.items()}
# Words after which a product name describes someone else's product: "an API *for a* library".
_ABOUT_OTHER = re.compile(
    r"\b(over (?=its|their)|via (?=its|their)|through (?=its|their)|for|(?<!'d )(?<!’d )(?<!would )like|of|about|"
    r"from|behind|with|on|in(?= (our|their|the|a|an|my|your)\b)|inside|embedded in|wraps?|wrapping|launch of|manag(e|es|ing)|track(s|ing)?|"
    r"organi[sz](e|es|ing)|catalogu?(e|es|ing)?|add|list|rate|review|rent|lend|borrow|swap|sell|buy|browse)\s+(an?|the|our|my|their|its|your)?\s*([\w-]+\s+){0,2}$|"
    # "send a push notification to the maintenance team's app": somebody else's
    r"\b(to|on|into|onto) (the|their|each|every|a|an) ([\w-]+ )?[\w-]+['’]s\s+([\w-]+\s+)?$|"
    # "the patients' phone app and the nurses' tablet app both call"
    r"\b(the|their) [\w-]+s['’]\s+([\w-]+\s+)?$"
)
_FIRST_SENTENCE = re.compile(r"^\s*[^.!?\n]*[.!?\n]?")
# The sentence that asks for the product when the idea opens with its background ("We get loads
# of DMs asking the same things. We want a bot that replies for us ...").
_REQUEST_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?\n]))[^.!?\n]*\b(could (we|you) (have|get|build)|can (we|you) (have|get|build)|"
    r"we('d| would)? (need|want|like)|i('d| would)? (need|want|like)|we are looking for|"
    r"we're looking for|looking for (a|an|something)|(build|make) (us|me) )[^.!?\n]*[.!?\n]?"
)
# "the requirements for a web app" names the product itself, not someone else's.
_DOCUMENT_FOR = re.compile(
    r"\b(requirements?|document|documentation|specification|spec|prd|proposal|brief)\s+for\s+\S*\s*\S*$"
)


# People doing things in the idea ("organisers create events", "interviewers log in"): several
# kinds of them acting through the product point at an application with a user interface.
_ACTING = re.compile(
    r"\b([a-z]+(?:s|staff|people|team))\s+(?:can|could|will|should|must|may|get to|log in|sign in|"
    r"sign up|see|view|book|create|add|check|upload|leave|manage|browse|buy|sell|post|rate|review|"
    r"submit|approve|track|pay|join|chat|message|invite|edit|download|reserve|register|vote|publish|"
    r"confirm|assign|request|claim|complete|share|follow|comment|order|donate|apply|bid|accept|"
    r"reject|list|schedule|answer|grade|enrol|enroll|subscribe|curate|log|report|swap|rent|lend|borrow|"
    r"message|sign|enter|follow)\b"
)


def _acting_people(text: str) -> int:
    kinds = set()
    for m in _ACTING.finditer(text, 0, min(len(text), 3000)):
        word = m.group(1)
        last = word.split()[-1]
        lemma = noun_lemma(last)
        if lemma in {"user", "people", "person", "developer", "programmer"}:
            continue  # anyone uses anything: only named kinds of people tell
        if last in {"staff", "team"} or looks_like_person(lemma):
            kinds.add(lemma)
    return len(kinds)


# What a command line spelled out in the idea (`archive ingest <folder>`) adds to CLI.
COMMAND_WEIGHT = 6.0


def score_types(text: str, *, commands: int = 0) -> dict[ProjectType, float]:
    """A score per project type: the weights of its cues, by where each cue stands; `commands`
    is the number of command lines the idea spells out (see text.command_lines)."""
    text = lowered(text)
    first = _FIRST_SENTENCE.match(text)
    first_end = first.end() if first else len(text)
    asked_start = asked_end = 0
    if first_end < len(text) and not _REQUEST_SENTENCE.match(text):
        asked = _REQUEST_SENTENCE.search(text, first_end, min(len(text), 1500))
        if asked:
            asked_start, asked_end = asked.start(), asked.end()
    limit = min(len(text), 20_000)
    scores: dict[ProjectType, float] = {}
    for ptype, cues in _COMPILED.items():
        total = 0.0
        for _, signed, cue in cues:
            weight = abs(signed)
            best = 0.0
            pattern = cue.for_text(text)
            if pattern is None:
                continue
            for match in pattern.finditer(text, 0, limit):
                start = match.start()
                main = start < first_end or asked_start <= start < asked_end
                factor = 1.0 if main else (0.8 if signed < -7 else 0.35)
                if start < 80 and start < first_end:
                    factor = 1.5
                if weight * factor <= best:
                    continue  # cannot beat this cue's best match so far
                before = text[max(0, start - 40) : start]
                if signed > 0 and _ABOUT_OTHER.search(before) and not _DOCUMENT_FOR.search(before):
                    factor *= 0.35
                best = max(best, weight * factor)
                if best >= weight * 1.5:
                    break
            total += best
        scores[ptype] = total
    scores[ProjectType.WEB_APP] += min(_acting_people(text), 3) * 1.0
    if commands:
        scores[ProjectType.CLI] += COMMAND_WEIGHT
    return scores


def classify_idea(text: str, body: str | None = None) -> tuple[ProjectType, float]:
    """The type of a whole idea: `classify` on its prose (`body`, when the caller has it) without
    headings, with the command lines the raw text spells out."""
    body = prose(text) if body is None else body
    return classify(without_headings(body), commands=command_lines(text))


def classify(text: str, *, commands: int = 0) -> tuple[ProjectType, float]:
    """The most likely project type and a confidence in [0, 1].

    With no cue at all the idea names only its records and the people who use them ("tenants log
    repair requests, the landlord assigns a contractor"): that is most often an application with
    a user interface, so the default is web_app, with confidence 0 (the planner asks).

    The confidence is the lead over the runner-up, relative to the winner's score, scaled down
    when the evidence is thin (a winner with fewer points than one explicit name).
    """
    scores = score_types(text, commands=commands)
    best = max(scores, key=lambda t: scores[t])
    if scores[best] == 0:
        return ProjectType.WEB_APP, 0.0
    ranked = sorted(scores.values(), reverse=True)
    runner_up = ranked[1] if len(ranked) > 1 else 0.0
    margin = (scores[best] - runner_up) / scores[best]
    return best, round(margin * min(1.0, scores[best] / 6), 2)
