"""The owner's chat (chat/owner_chat.py, agent/intent.py, agent/extract.py): routing, requests,
confirmations and their wording."""

from folio.kinds import KIND_NAMES

OWNER_ROUTER_SYSTEM_PROMPT = """\
You sort the portfolio owner's chat message into one intent. Reply with JSON only, like \
{"intent": "new_draft", "topic": "HNSW indexes in pgvector"}.
Intents:
- "new_draft": the owner asks you to write or draft a new blog post. topic: what it is about.
- "revise_draft": the owner asks to change the draft being edited (shorter, longer, add a code \
example, more about X, another title...). topic: the requested change, in the owner's words.
- "save_draft": the owner asks to save the draft being edited (as a draft).
- "publish_draft": the owner asks to publish the draft being edited.
- "discard_draft": the owner wants to stop editing the draft.
- "other": anything else: questions, creating, changing, deleting or publishing projects, posts, \
certifications or roles by name, the inbox. topic: "".
When the message says no draft is being edited, answer only "new_draft" or "other"."""

OWNER_ROUTER_INPUT = "Draft being edited: {draft}\nOwner's message: {text}"

# Chat-facing wording of the owner's flows (not sent to a model).
DRAFT_BANNER = "✎ Editing draft: **{title}** · version {version} · {state}"
DRAFT_UNSAVED = "not saved yet"
DRAFT_SAVED = "saved as draft post `{slug}`"
DRAFT_PUBLISHED = "published as post `{slug}`"
DRAFT_NONE = "There is no draft being edited. Ask me to draft a post about something first."
DRAFT_DISCARDED = "Stopped editing “{title}”. {saved}"
DRAFT_DISCARDED_SAVED = "The saved draft post `{slug}` is unchanged."
DRAFT_DISCARDED_UNSAVED = "It was never saved."
DRAFT_EMPTY = "The model did not write a usable draft; please ask again."
CHANGE_PROMPT = "Check the change below and press **Confirm** to apply it, or **Cancel**."
CHANGE_NOT_PROPOSED = "Nothing was proposed: {reason}"
CHANGE_APPLIED = "Done: {verb} {kind} “{title}” ({url})."
CHANGE_CANCELLED = "Cancelled: nothing was changed."
CHANGE_REFUSED = "Not applied: {reason}"
# Every change action: how its preview is headed ("Create") and how it is reported done ("created").
CHANGE_VERBS = {"create": "created", "update": "updated", "delete": "deleted", "publish": "published"}
CHANGE_ACTIONS = {action: action.capitalize() for action in CHANGE_VERBS}

# ---- the owner's requests: what is asked, which fields, which item (agent/intent.py, agent/extract.py) ----

_OWNER_INTENT = """\
You sort the message of a portfolio's owner. Reply with JSON only: {"intent": ..., "kind": ..., "item": ...}.
intent, one of:
- "create": add a new project, certification or role of the work history (or a post whose text the owner gives).
- "update": change fields of an existing item: summary, title, tags, tech stack, links, dates, featured.
- "text_edit": fix a typo or replace some words inside an existing item's text.
- "delete": delete or remove an existing item.
- "publish": publish an existing post or project the owner names.
- "new_draft": write or draft a new blog post.
- "revise_draft": change the draft being edited (shorter, longer, add a code example, retitle it).
- "save_draft": save the draft being edited.
- "publish_draft": publish the draft being edited.
- "discard_draft": stop editing the draft being edited.
- "inbox": what visitors asked or left: unanswered questions, contact requests.
- "question": anything else, such as questions about the portfolio.
kind: {kinds} or "none".
item: the existing item the owner refers to, in the owner's words ("Harbour Watch", "Postgres", "AWS"); "" when none.
Examples:
Delete the Glint project -> {"intent": "delete", "kind": "project", "item": "Glint"}
Fix the typo Postgress in my posts -> {"intent": "text_edit", "kind": "post", "item": ""}
My AWS cert now expires on 2028-05-14 -> {"intent": "update", "kind": "certification", "item": "AWS"}
Add a project called Tide Gauge -> {"intent": "create", "kind": "project", "item": ""}
Add a role: Senior Engineer at Acme since March 2021 -> {"intent": "create", "kind": "experience", "item": ""}
I left Acme in June 2024 -> {"intent": "update", "kind": "experience", "item": "Acme"}
Make it shorter -> {"intent": "revise_draft", "kind": "post", "item": ""}
Which projects use Rust? -> {"intent": "question", "kind": "project", "item": ""}"""
# Its kinds are folio.kinds' (the same as the JSON schema's in agent/intent.py); fixed once at import.
OWNER_INTENT_SYSTEM_PROMPT = _OWNER_INTENT.replace("{kinds}", ", ".join(f'"{k}"' for k in KIND_NAMES))

OWNER_INTENT_INPUT = "Draft being edited: {draft}\nOwner's message: {text}"

OWNER_FIELDS_SYSTEM_PROMPT = """\
You copy values from a portfolio owner's message into JSON fields. Reply with JSON only.
Rules: copy only what the message states; use "" (or []) for everything else; never invent values.
A title or name is the item's name only (a few words), never the whole sentence. A summary is one \
sentence describing it, taken from the message. Dates as YYYY-MM-DD. Links as written. For yes/no \
fields answer "yes", "no" or "" (not said)."""

OWNER_FIELDS_INPUT = "Kind of item: {kind}\n{task}\nOwner's message: {text}"
OWNER_FIELDS_CREATE = "Task: the fields of the new {kind}."
OWNER_FIELDS_UPDATE = "Task: only the fields the owner wants to change on the existing {kind}, with their new values."

OWNER_EDIT_SYSTEM_PROMPT = """\
The owner wants words in a text replaced (a typo fixed, a word changed). Reply with JSON only: \
{"find": <the exact words as they are now, wrong spelling included>, "replace": <what they become>}.
Example: Fix the typo Postgress -> {"find": "Postgress", "replace": "Postgres"}"""

# Chat-facing wording of the owner's requests (not sent to a model).
ASK_WHICH = "Which {kind} do you mean?"
ASK_WHICH_TEXT = "“{find}” appears in more than one item. Which one should I change?"
NOT_FOUND_ITEM = "I couldn't find a {kind} matching “{item}”. Which one do you mean? Tell me (part of) its title."
NOT_FOUND_TEXT = "I couldn't find “{find}” in any {kind}. Could you quote the exact words to change?"
ASK_EDIT = "Which words should I change, and into what? For example: replace “Postgress” with “Postgres”."
ASK_REPLACEMENT = "What should “{find}” become?"
ASK_FIELDS = "To add the {kind} I still need: {fields}. What should {it} be?"
ASK_CHANGES = "What should I change on “{title}”? For example: the summary, tags, links or dates."
STILL_MISSING = "I still don't have {fields}, so nothing was proposed. Ask again with {it} when you have {it}."
REQUEST_CANCELLED = "OK, I left that."
UNDERSTOOD = "Understood: {what}."
RAW_CALL_QUESTION = ("I'm not sure which item or values you mean. Could you name the item by its title and say "
                     "what should change?")
INBOX_EMPTY = "Nothing in the inbox: no unanswered questions and no contact requests."

DRAFT_CODE_REVIEW = ("⚠ {count} code block(s) in this draft were written by the model: check that they run "
                     "before publishing.")
