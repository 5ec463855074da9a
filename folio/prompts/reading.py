"""Reading a message into a structured query or request (agent/reading): the instructions of the one
grammar-constrained model call per message, and the wording of answers built from its result.

The system prompt is these instructions plus the portfolio's catalogue and vocabulary: it changes only
when the content changes, so llama-server's prompt cache keeps it and a message costs only its own
tokens. The examples here are made up for the instructions; none comes from an evaluation set."""

VISITOR_READ_PROMPT = """\
You turn a visitor's message to a developer's portfolio chat into a JSON query. Do not answer it.
Fill a field only with what the message says: most lists stay empty.
Fields, in order:
- search: the message's subject as a short English phrase (translate it when the message is not English).
- intent: describe (tell about one item), list (which items match), count (how many items of the \
portfolio match), yes_no (does the portfolio show X), when (dates, or what was going on in a year), duration \
(how long something took, how many years or months of experience), compare (which of several is first, last, \
older, newer, longer, shorter), similar (items most like a given item), detail (a specific fact written \
inside one item's text: a setting, a number or amount, a step, a recommendation, a reason), profile (the developer \
themself: who they are, "about yourself", where based, open to work), contact (how to reach them, or the visitor leaves their details), \
greeting, off_topic (not about the developer or their work).
- kinds: the kinds of items asked about: project, post (blog posts, articles), certification, experience \
(jobs, roles, employers, work history). Empty when any kind.
- items: catalogue keys of the items the message names or means (by title or by description), including \
items of the earlier conversation it refers to ("it", "those", "the second one"). Usually empty.
- terms: vocabulary entries (technologies, topics, organisations, issuers) the message names. Usually empty.
- match: "all" when every term must hold at once ("A and B together"), otherwise "any" ("A or B").
- unknown: things the message asks about that are NOT in the vocabulary (a technology, company or skill).
- property: none unless the message asks for it: has_live_url (a live site or demo), has_repo (source \
code), valid_now (certifications still valid), expired, featured (highlighted), current (ongoing), \
finished (ended: roles left, projects completed), hidden (drafts and unpublished items).
- year: a year the message names ("this year" is {year}, "last year" {last_year}), or null. month: the month number (1-12) when it names a month of \
that year, else null.
- order: oldest (first, earliest), newest (last, latest, most recent), longest, shortest, ends_first (ends, \
expires or runs out soonest), ends_last (ends or stays valid latest), or none.
- language: the language the message is written in.
- name: the visitor's own name when they leave their contact details, otherwise "".
Examples (made up; keys and terms of another portfolio):
"got anything built in Go or Elixir?" -> {{"search": "projects built in Go or Elixir", "intent": "list", \
"kinds": ["project"], "items": [], "terms": ["go", "elixir"], "match": "any", "unknown": [], "property": \
"none", "year": null, "month": null, "order": "none", "language": "en", "name": ""}}
"Wie viele Jahre hat sie für Initech gearbeitet?" -> {{"search": "how long at Initech", "intent": "duration", "kinds": \
["experience"], "items": [], "terms": ["initech"], "match": "any", "unknown": [], "property": "none", \
"year": null, "month": null, "order": "none", "language": "de", "name": ""}}
"which of the certs are still valid?" -> {{"search": "certifications still valid", "intent": "list", \
"kinds": ["certification"], "items": [], "terms": [], "match": "any", "unknown": [], "property": \
"valid_now", "year": null, "month": null, "order": "none", "language": "en", "name": ""}}
"what chunk size does the search post recommend?" -> {{"search": "recommended chunk size", "intent": \
"detail", "kinds": ["post"], "items": ["post:search-notes"], "terms": [], "match": "any", "unknown": [], \
"property": "none", "year": null, "month": null, "order": "none", "language": "en", "name": ""}}
"¿sabe programar en Haskell?" -> {{"search": "Haskell experience", "intent": "yes_no", "kinds": [], \
"items": [], "terms": [], "match": "any", "unknown": ["Haskell"], "property": "none", "year": null, \
"month": null, "order": "none", "language": "es", "name": ""}}
"Which of his jobs lasted the longest?" -> {{"search": "job that lasted longest", "intent": "compare", \
"kinds": ["experience"], "items": [], "terms": [], "match": "any", "unknown": [], "property": "none", \
"year": null, "month": null, "order": "longest", "language": "en", "name": ""}}
"Quand a-t-il obtenu la certification Azure, et jusqu'à quand est-elle valable ?" -> {{"search": "when the \
Azure certification was earned and until when it is valid", "intent": "when", "kinds": ["certification"], \
"items": [], "terms": ["azure"], "match": "any", "unknown": [], "property": "none", "year": null, "month": \
null, "order": "none", "language": "fr", "name": ""}}
"anything else in the spirit of the weather app?" -> {{"search": "projects like the weather app", "intent": \
"similar", "kinds": ["project"], "items": ["project:weather-app"], "terms": [], "match": "any", "unknown": [], \
"property": "none", "year": null, "month": null, "order": "none", "language": "en", "name": ""}}
"where does he live, and is he looking for work?" -> {{"search": "where he lives and whether he is open to \
work", "intent": "profile", "kinds": [], "items": [], "terms": [], "match": "any", "unknown": [], "property": \
"none", "year": null, "month": null, "order": "none", "language": "en", "name": ""}}

CATALOGUE (key | title | what it is):
{catalogue}

VOCABULARY:
{vocabulary}"""

VISITOR_READ_INPUT = """{earlier}Message: {message}"""
EARLIER_ITEMS = "Earlier in this conversation the answer was about: {items}\n"

# Composing: the model phrases only what the fact sheet and the passages say.
COMPOSE_PROMPT = """\
You write the answer of a developer's portfolio chat to a visitor. Use ONLY the facts and passages given: \
never add an item, name, number, date or link that is not in them. Keep item titles exactly as given. \
Refer to the developer in the third person. Be brief: at most 5 sentences, or a short list. \
Write the whole answer in {language}."""
COMPOSE_INPUT = """Facts:
{facts}
{passages}
Question: {question}
Answer in {language}:"""
PASSAGES_HEAD = "Passages from {title}:\n{passages}\n"

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "de": "German", "fr": "French", "pt": "Portuguese",
                  "it": "Italian", "nl": "Dutch", "other": "the language of the question"}

# Fact sheets, built in code (agent/answering/facts.py). English; the model translates them when needed.
FACT_LIST = "The portfolio shows {count} {what}{about}:"
FACT_LIST_NONE = "The portfolio doesn't show any {what}{about}."
FACT_COUNT = "The portfolio shows {count} {what}{about}."
FACT_YES = "Yes: the portfolio shows {subject} in:"
FACT_NO = "The portfolio doesn't show {subject}."
FACT_CLOSEST = "The closest items it shows:"
FACT_NOT_SHOWN = "The portfolio doesn't show that."
FACT_ACTIVE_IN = "In {year} the portfolio shows:"
FACT_NOTHING_IN = "The portfolio shows nothing dated in {year}."
FACT_DURATION = "{title}: {span} ({length})."
FACT_TOTAL = "In total about {length} ({spans}), overlaps counted once."
FACT_TOTAL_WITH = "With {subject}: about {length} ({spans}), overlaps counted once."
FACT_ORDER = "By {key}, {first_word} is {title} ({value})."
FACT_SIMILAR = "Most like {title} (shared technologies and topics):"
FACT_NO_SIMILAR = "Nothing else in the portfolio shares technologies or topics with {title}."
FACT_DETAIL_FROM = "From {title}:"
FACT_NO_PROFILE = "The portfolio has no profile of the developer yet."
FACT_OFF_TOPIC = ("Sorry, I can only answer questions about this developer's portfolio: the projects, blog "
                  "posts, certifications and work history.")
FACT_GREETING = ("Hi! Ask me about the developer's projects, blog posts, certifications and work history.")
FACT_SOURCES = "(Sources: {links})"
# When the portfolio doesn't show what was asked, the answer is built in code in the visitor's language
# (nothing for the model to phrase, so nothing it could add).
NOT_SHOWN_IN = {
    "en": "The portfolio doesn't show that.",
    "es": "El portafolio no muestra eso.",
    "de": "Das Portfolio zeigt das nicht.",
    "fr": "Le portfolio ne montre pas cela.",
    "pt": "O portfólio não mostra isso.",
    "it": "Il portfolio non mostra questo.",
    "nl": "Het portfolio laat dat niet zien.",
}
CLOSEST_IN = {
    "en": "The closest items it shows:",
    "es": "Lo más parecido que muestra:",
    "de": "Am nächsten kommt:",
    "fr": "Les éléments les plus proches :",
    "pt": "O mais próximo que mostra:",
    "it": "Gli elementi più vicini:",
    "nl": "Het dichtstbijzijnde:",
}
OFF_TOPIC_IN = {
    "es": "Lo siento, solo puedo responder preguntas sobre el portafolio de este desarrollador.",
    "de": "Entschuldigung, ich beantworte nur Fragen zum Portfolio dieser Person.",
    "fr": "Désolé, je ne peux répondre qu'aux questions sur le portfolio de ce développeur.",
    "pt": "Desculpe, só posso responder a perguntas sobre o portfólio deste desenvolvedor.",
    "it": "Mi dispiace, posso rispondere solo a domande sul portfolio di questo sviluppatore.",
    "nl": "Sorry, ik beantwoord alleen vragen over het portfolio van deze ontwikkelaar.",
}
ANSWER_FELL_BACK = "In short, from the portfolio's data:"

# The owner's requests (agent/requests).
OWNER_READ_PROMPT = """\
You turn the owner's message to their portfolio assistant into a JSON request. Do not answer it.
Fields:
- operation: create (a new item: "add", "I just got", "new role at"), set (change fields of an existing item: \
dates, links, rename, summary, location, renew), add_values / remove_values (add or remove tags, technologies \
or highlights of an item, keeping the others), replace_text (fix a typo or reword a phrase in an item's text), \
publish, unpublish (back to draft), hide, show, feature, unfeature, delete (remove an item entirely), \
profile (change the owner's own profile: headline, location, bio, open to work, availability, links), \
question (the owner asks something; nothing changes), inbox (what visitors asked or left, how \
visits went: questions, answers, leads), \
draft_new (write a new blog post draft), draft_revise (change the draft being written), draft_save, \
draft_publish, draft_discard.
- kind: project, post, certification, experience (jobs, roles), profile.
- target: the catalogue key of the existing item meant (by title or description), "new" for create, \
"none" when unclear or not needed.
- fields: each field to set, with its value copied from the message (dates in the owner's words).
- values: for add_values/remove_values, the values to add or remove; list: which list (tags, tech, highlights).
- find / replace: for replace_text, the exact wrong text and its replacement.
Never invent a value the message does not give. A question is never a write.
Examples (made up; keys of another portfolio):
"add a project called Beacon, Go and NATS, repo github.com/me/beacon" -> {{"operation": "create", "kind": \
"project", "target": "new", "fields": [{{"field": "title", "value": "Beacon"}}, {{"field": "tech", "value": \
"Go, NATS"}}, {{"field": "repo_url", "value": "github.com/me/beacon"}}], "list": "none", "values": [], \
"find": "", "replace": ""}}
"tag beacon with observability and cli" -> {{"operation": "add_values", "kind": "project", "target": \
"project:beacon", "fields": [], "list": "tags", "values": ["observability", "cli"], "find": "", "replace": ""}}
"my vault cert was renewed, it now expires 3 March 2029" -> {{"operation": "set", "kind": "certification", \
"target": "certification:vault-associate", "fields": [{{"field": "expires_on", "value": "3 March 2029"}}], \
"list": "none", "values": [], "find": "", "replace": ""}}
"make beacon one of my featured projects" -> {{"operation": "feature", "kind": "project", "target": \
"project:beacon", "fields": [], "list": "none", "values": [], "find": "", "replace": ""}}
"the word recieve in my caching post should be receive" -> {{"operation": "replace_text", "kind": "post", \
"target": "post:caching-notes", "fields": [], "list": "none", "values": [], "find": "recieve", "replace": \
"receive"}}
"do I still have unpublished projects?" -> {{"operation": "question", "kind": "project", "target": \
"none", "fields": [], "list": "none", "values": [], "find": "", "replace": ""}}
"update my headline to Staff engineer, data platforms" -> {{"operation": "profile", "kind": "profile", \
"target": "none", "fields": [{{"field": "headline", "value": "Staff engineer, data platforms"}}], "list": \
"none", "values": [], "find": "", "replace": ""}}

CATALOGUE (key | title | what it is):
{catalogue}"""
OWNER_READ_INPUT = """{draft}Message: {message}"""
OWNER_DRAFT_OPEN = "A draft post is being written in this chat: \"{title}\".\n"
# With a draft open, a message that reads as a change to some post is first asked about the draft itself.
OWNER_DRAFT_STEP_PROMPT = """\
The owner is writing a blog post draft in this chat, titled "{title}". Which step does their message ask for?
- revise: change this draft: anything to add, remove, shorten, lengthen, split, rename, reword or end differently
- save_draft: keep this draft as a draft
- publish: publish this draft
- discard: throw this draft away
- new_post: start another post, on a subject different from this draft's
- other: not about this draft (another project, role or certification, the profile, a question)
First say in a few words what the message asks, then the step.
Examples (another draft, "Notes on caching"):
"call it Lessons from a rewrite" -> {{"asks": "a new title", "step": "revise"}}
"less formal please" -> {{"asks": "another tone", "step": "revise"}}
"finish on a summary of the trade-offs" -> {{"asks": "a different ending", "step": "revise"}}
"add a paragraph on testing" -> {{"asks": "more text in the draft", "step": "revise"}}
"include a snippet of the config file" -> {{"asks": "a code example", "step": "revise"}}
"break it up into smaller parts" -> {{"asks": "more sections", "step": "revise"}}
"drop the bit about pricing" -> {{"asks": "a section removed", "step": "revise"}}
"wrap up with advice for beginners" -> {{"asks": "a different ending", "step": "revise"}}
"keep it as a draft" -> {{"asks": "to save it", "step": "save_draft"}}
"put it live" -> {{"asks": "to publish it", "step": "publish"}}
"delete this draft" -> {{"asks": "to throw it away", "step": "discard"}}
"next, a post on Redis streams" -> {{"asks": "a second post, on Redis streams", "step": "new_post"}}
"which certifications expire this year?" -> {{"asks": "a question", "step": "other"}}
"change my location to Lisbon" -> {{"asks": "a profile change", "step": "other"}}"""

OWNER_POST_STATUS_PROMPT = """\
The owner gives a new blog post in their message. Should it be published now, or stored as a draft?
- publish_now: the message asks for the post to go out now (published, live, public, on the blog today)
- draft: the message asks to keep it unpublished, or does not say
First say in a few words what the message asks, then the status.
Examples:
"new post 'Notes on caching', tags redis, publish it right away" -> {{"asks": "a post, published now", \
"status": "publish_now"}}
"add a post called Lessons from a rewrite with this excerpt: ..." -> {{"asks": "a post", "status": "draft"}}
"store a post titled Q3 review, not public yet" -> {{"asks": "a post kept private", "status": "draft"}}
"make it visible to everyone today: a post named Hello again" -> {{"asks": "a post, public now", \
"status": "publish_now"}}"""

OWNER_ASK_FIELD = "I understood: {understood}. {missing}"
OWNER_MISSING = "What is its {fields}?"
OWNER_NOT_UNDERSTOOD = ("I couldn't tell what to change. Name the item and what should change, e.g. "
                        "\"set the repo of <project> to <url>\".")
OWNER_NOTHING_TO_ADD = "The {kind} {title} already has {values}."
OWNER_NOT_IN_LIST = "The {kind} {title} has no {values} in its {field}."
OWNER_TEXT_NOT_FOUND = "I couldn't find \"{find}\" in the {kind} {title}."

# A second, narrower reading of the owner's message when the first found no usable value
# (agent/requests/fields.py): only the kind's own field names are allowed.
OWNER_FIELDS_CHANGE = """\
The owner's message changes their {kind} "{title}". Its fields now:
{current}
Return each field the message changes, with the new value copied from the message (dates in the \
owner's words: a day, a month, "today", "last month"). To empty a field, give the value "none". Only fields the message changes."""
OWNER_WHICH_PROMPT = """\
The owner of a developer portfolio wrote the message below about one of their items. Which item is it \
about? Items (key | title | what it is):
{items}
Answer with its key, or "none" when the message is about none of them."""
OWNER_WHICH_ROLE_PROMPT = """\
The owner of a developer portfolio wrote the message below about one of their jobs. How does it point at the job?
- by_name: it names the company or the job title
- current_job: the job they have now
- first_job: their first or earliest job
- previous_job: the job before the current one
- unclear: it doesn't say which
Their jobs:
{items}"""
OWNER_FIELDS_NEW = """\
The owner's message adds a new {kind}. Its fields: {fields}.
Return each field the message gives a value for, with the value copied from the message (dates in the \
owner's words: a day, a month, "yesterday", "last month"). Lists (tags, technologies) as one comma-separated value. Only values the message gives."""

# Readings asked again as a choice (agent/answering/settle.py).
SETTLE_COUNT_PROMPT = """\
A visitor asked a developer's portfolio chat the question below. Say what it asks for:
- how_many_items: how many projects, blog posts, certifications, jobs or employers the portfolio has;
- number_in_text: a number written inside one item's text (a measurement, a setting, a size, a score, \
how many users, stars, records or servers);
- length_of_time: how long something lasted, or how many years or months of experience;
- oldest, newest, longest, shortest: which item is the first, the latest, the longest or the shortest."""
SETTLE_DURATION_PROMPT = """\
A visitor asked a developer's portfolio chat the question below about an item. Say what it asks for:
- how_long_it_lasted: how long the item itself went on (a job held, a project worked on, from start to end);
- time_in_text: a time written inside the item's text (how long a run, a job, a query or a step takes)."""
SETTLE_LIST_PROMPT = """\
A visitor asked a developer's portfolio chat the question below, naming an item. Say what it asks for:
- about_the_item: what the named item is, what was done in it, its details;
- items_like_it: other items most similar to the named one;
- list_of_items: a list of several items (the named ones among them)."""
SETTLE_ORDER_PROMPT = """\
A visitor asked a developer's portfolio chat the question below, about the first or last of several items. \
Say which:
- started_first: the one that started, was issued or was published first (the oldest, the first one);
- started_last: the one that started, was issued or was published last (the newest, the latest, the current one);
- lasted_longest: the one that went on the longest time;
- lasted_shortest: the one that went on the shortest time;
- ends_first: the one whose end or expiry date comes first (expires next, runs out soonest);
- ends_last: the one whose end or expiry date comes last (left most recently, valid the longest).
First say in a few words what decides it (a start date, an end or expiry date, a length of time), then which.
Examples (another portfolio):
"which licence lapses soonest?" -> {"decided_by": "the expiry date", "asks": "ends_first"}
"her most recent employer?" -> {"decided_by": "the start date", "asks": "started_last"}
"which job did he quit last?" -> {"decided_by": "the end date", "asks": "ends_last"}
"the shortest gig?" -> {"decided_by": "the length of time", "asks": "lasted_shortest"}"""
SETTLE_DETAIL_PROMPT = """\
A visitor asked a developer's portfolio chat the question below about one item. Say what it asks for:
- written_in_its_text: something the item's text tells: a number, a setting, a reason, a problem solved, \
a result, a lesson, how something was done or measured;
- the_items_facts: only a listed fact of the item: its technologies or stack, tags, links, dates, employer, \
issuer or place.
Examples (another portfolio):
"what cache size did the Orbit post suggest?" -> {"asks": "written_in_its_text"}
"what was hard about building Quarry?" -> {"asks": "written_in_its_text"}
"what is Quarry written in?" -> {"asks": "the_items_facts"}
"which tags are on the Orbit post?" -> {"asks": "the_items_facts"}"""
SETTLE_INPUT = """Question: {question}
(In English: {search})"""
