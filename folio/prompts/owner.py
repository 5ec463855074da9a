"""The owner's chat (chat/owner_chat.py, agent/requests): confirmations and their wording (the reading
prompt is in folio/prompts/reading.py)."""

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

# Chat-facing wording of the owner's requests (not sent to a model).
ASK_WHICH = "Which {kind} do you mean?"
ASK_EDIT = "Which words should I change, and into what? For example: replace “Postgress” with “Postgres”."
REQUEST_CANCELLED = "OK, I left that."
RAW_CALL_QUESTION = ("I'm not sure which item or values you mean. Could you name the item by its title and say "
                     "what should change?")
INSIGHTS_SUMMARY = (
    "**The last {days} days**: {conversations} conversation(s) from {visitors} visitor(s), {questions} question(s): "
    "{from_data} answered from the data, {by_model} by the model, {unanswered} not answered. "
    "Leads: {new} new, {replied} replied, {archived} archived. Everything, with charts: [Insights](/owner/insights)")
INSIGHTS_LEAD = "Lead: {name} ({email}), {when}: «{message}»"
LEAD_STATUS_CHANGED = "{name}'s lead is now {status}."
BRIEF_OPENED = "Drafting an answer to what visitors asked (from the insights page):\n\n{brief}"
INBOX_EMPTY = "Nothing in the inbox: no unanswered questions and no contact requests."
SESSION_ENDED = ("Your owner session has ended (logged out, password changed or reset): log in again at /login. "
                 "Until then this chat answers as it would a visitor.")

DRAFT_CODE_REVIEW = ("⚠ {count} code block(s) in this draft were written by the model: check that they run "
                     "before publishing.")

# ---- imports from GitHub and blog feeds (chat/owner_imports.py) ------------------------------------
IMPORT_READING = "Reading {source}"
IMPORT_READ_STEP = "{label}"
IMPORT_PREVIEW = ("**Import from** `{source}`: {new} new, {changed} to update, {same} unchanged ({requests} requests). "
                  "Nothing is written until you press **Confirm**; new items arrive as **{state}**.")
IMPORT_NOT_MODIFIED = "`{source}` has not changed since the last import (one request, answered 304): nothing to do."
IMPORT_NOTHING = "There is nothing to import from `{source}`."
IMPORT_FAILED = "The import stopped: {reason}. Everything imported before is kept."
IMPORT_CANCELLED = "Import cancelled: nothing was written."
IMPORT_WRITING = "Importing from {source}"
IMPORT_DONE = "Imported from `{source}`: {created} new ({state}), {updated} updated, {unchanged} unchanged."
IMPORT_CREATED_LINE = "- {kind} **{title}** (`{slug}`)"
IMPORT_CONFLICT = ("You changed **{field}** of {kind} `{slug}` and the source changed it too. Yours is kept "
                   "unless you accept the source's:\n\n```diff\n{diff}\n```")
IMPORT_REMOVED = "No longer at the source (kept here, never deleted):\n{items}"
IMPORT_CONFLICT_ACCEPTED = "Accepted: {field} of `{slug}` now has the source's value."
IMPORT_CONFLICT_IGNORED = "Ignored: {field} of `{slug}` keeps your value."
