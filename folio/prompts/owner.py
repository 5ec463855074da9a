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

# Drafting (agent/drafting, chat/owner_chat.py): the interview, the draft's view, what a revision did.
DRAFT_INTERVIEW = ("Before I draft it, a few questions, so that the post says what *you* think and not what a "
                   "model guesses. Answer in one message, in any order, as briefly as you like, or press "
                   "**Just draft it**.\n\n{questions}")
DRAFT_QUESTIONS = {
    "reasons": "What were your reasons? The two or three that mattered most, in your words.",
    "numbers": "Did you measure anything: before and after, time, cost, size, errors?",
    "problems": "What went wrong, was harder than expected, or surprised you?",
    "audience": "Who is the post for: people facing the same choice, beginners, your team?",
}
DRAFT_SKIP = "Just draft it"
DRAFT_OUTLINE_SHOWN = "Outline: {outline}"  # grows as headings arrive: no closing markup
DRAFT_FIELDS = "*Excerpt:* {excerpt}  \n*Tags:* {tags}"
DRAFT_CLAIMS_REVIEW = ("⚠ {count} sentence(s) say something you did not tell me (a name, a number, a product): "
                       "check them before publishing.\n{claims}{more}")
DRAFT_CLAIMS_MORE = "\n> … and {count} more."
DRAFT_DIFF = "**Changes from version {version}:**\n\n{diff}"
DRAFT_UNDONE = "Back to version {version}."
DRAFT_NOTHING_TO_UNDO = "There is no earlier version of this draft to go back to."
DRAFT_UNDO = "Undo"
DRAFT_NOTHING_CHANGED = "The draft did not change: tell me which part to change and how."
DRAFT_DONE_SHORTER = "✓ Shorter: {before} → {after} words (target {target})."
DRAFT_DONE_SHORT_ALREADY = "✓ Already short: {words} words."
DRAFT_DONE_REWRITTEN = "✓ Rewritten: {sections}."
DRAFT_DONE_ENDING = "✓ The post now ends with “{heading}”."
DRAFT_DONE_CODE = "✓ A code example added to “{heading}”."
DRAFT_DONE_TITLE = "✓ Title: “{title}”."
DRAFT_DONE_TAGS = "✓ Tags: {tags}."
DRAFT_DONE_REMOVED = "✓ Removed the section “{heading}”."
DRAFT_FAILED_ENDING = "✗ I could not write an ending with {what}; the draft's ending is unchanged."
DRAFT_FAILED_CODE = "✗ The model did not write a usable code example; nothing was added."
DRAFT_FAILED_TITLE = "✗ Which title? Write it out, e.g. change the title to “My new title”."
DRAFT_FAILED_TAGS = "✗ Which tags? Name them, e.g. tags: postgres, search."
DRAFT_FAILED_REMOVE = "✗ Which section? Name it by its heading."
DRAFT_DONE_LONGER = "✓ Longer: {before} → {after} words."
DRAFT_DONE_MENTION = "✓ It now mentions {what}."
DRAFT_DONE_LEAVE_OUT = "✓ Nothing about {what} any more."
DRAFT_DONE_SECTION = "✓ A new section: “{heading}”."
DRAFT_DONE_SPLIT = "✓ Now {count} sections."
DRAFT_FAILED_MENTION = "✗ The rewrite still does not mention {what}."
DRAFT_FAILED_LEAVE_OUT = "✗ What should the post no longer mention? Name it."
DRAFT_FAILED_SECTION = "✗ I could not write a section about {what}; nothing was added."

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
