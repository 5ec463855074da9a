"""What the owner asks for: one small structured-output call (json_schema, which small local models follow
reliably, unlike free tool calls) with the conversation's state as input (is a draft open?), then a few
rules that keep an answer consistent with that state and with the owner's own verbs. The result decides
which path runs; a write never depends on the model typing a tool call or a slug."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from folio import prompts
from folio.kinds import KIND_NAMES
from folio.kinds import KINDS as ALL_KINDS

WRITES = ("create", "update", "text_edit", "delete", "publish")
DRAFTING = ("new_draft", "revise_draft", "save_draft", "publish_draft", "discard_draft")
INTENTS = (*WRITES, *DRAFTING, "inbox", "question")
KINDS = (*KIND_NAMES, "none")
SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "owner_request",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"intent": {"type": "string", "enum": list(INTENTS)},
                           "kind": {"type": "string", "enum": list(KINDS)},
                           "item": {"type": "string"}},
            "required": ["intent", "kind", "item"],
            "additionalProperties": False,
        },
    },
}
_KIND_WORDS = {k.name: "|".join(map(re.escape, k.words)) for k in ALL_KINDS.values()}  # folio.kinds
# Kinds created straight from the owner's message (a post is drafted instead: it needs its body first).
MESSAGE_KINDS = tuple(k.name for k in ALL_KINDS.values() if k.publish_needs is None)
_DELETE = re.compile(r"\b(delete|remove|get rid of|take down)\b", re.I)
_TYPO = re.compile(r"\b(typo|misspell\w*|spelling|spelt|spelled)\b", re.I)
_REPLACE = re.compile(r"\b(replace|reword)\b", re.I)
_INBOX = re.compile(r"\b(inbox|visitors?|contact requests?|unanswered|who (wants|wanted) to (reach|contact))\b", re.I)
_DRAFT_REF = re.compile(r"\b(draft|it|this|that)\b", re.I)
_EDIT_WORDS = re.compile(r"\b(typo|misspel\w*|spell\w*|replace|reword|fix|correct|should be|instead of|wrong)\b|->|→",
                         re.I)
_NEW_WORDS = re.compile(r"\b(add|new|built|called|named|passed|got)\b", re.I)
_UPDATE_WORDS = re.compile(r"\b(now|set|change[sd]?|mark|update|rename|renew\w*|expires?|anymore|no longer|should|"
                           r"moved|has a)\b", re.I)
_FIELD_WORDS = re.compile(r"\b(summary|description|tags?|tech|stack|repo|website|site|url|link|featured?|hide|hidden|"
                          r"public|private|expir\w*|renew\w*|start(ed)?|finish(ed)?|issued|credential|rename)\b|"
                          r"\d{4}-\d{2}-\d{2}|\w\.(com|dev|io|app|org)\b", re.I)
_DRAFTING_WORDS = re.compile(r"\b(draft|write|writing|blog|post|article)\b", re.I)
_NAMES_ITEM = re.compile(r"\b(" + "|".join(_KIND_WORDS[k] for k in MESSAGE_KINDS) + r")\b", re.I)


@dataclass(frozen=True)
class Request:
    intent: str
    kind: str | None = None  # one of folio.kinds, when said
    item: str = ""  # the existing item meant, in the owner's words


def is_typo(text: str) -> bool:
    return bool(_TYPO.search(text))


def may_be_update(text: str) -> bool:
    """A statement (not a question) about a field: "Tidewater should be featured", "Keystone started on ..."."""
    return "?" not in text and bool(_FIELD_WORDS.search(text))


def kind_in(text: str) -> str | None:
    """The kind of item a message names, when it names exactly one."""
    found = [k for k, pattern in _KIND_WORDS.items() if re.search(rf"\b({pattern})\b", text, re.I)]
    return found[0] if len(found) == 1 else None


def parse(content: str) -> dict:
    match = re.search(r"\{.*\}", content or "", re.S)
    try:
        data = json.loads(match.group(0)) if match else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def settle(data: dict, text: str, has_draft: bool) -> Request:
    """The model's answer made consistent with the state and the owner's words."""
    intent = data.get("intent") if data.get("intent") in INTENTS else "question"
    kind = data.get("kind") if data.get("kind") in KIND_NAMES else None
    item = data.get("item") if isinstance(data.get("item"), str) else ""
    kind = kind_in(text) or kind
    removing_words = re.search(r"\bremove\b.+\bfrom\b", text, re.I)  # "remove 'very' from the summary"
    if _DELETE.search(text) and not removing_words and not (has_draft and re.search(r"\bdraft\b", text, re.I)):
        intent = "delete"  # "delete the Harbour Watch project" never means "stop editing the draft"
    elif _TYPO.search(text) or (_REPLACE.search(text) and intent in ("update", "question")):
        intent = "text_edit"
    elif _INBOX.search(text) and intent in ("question", "other", "update"):
        intent = "inbox"
    if intent == "delete" and not _DELETE.search(text):  # "hide the Ledgerline project" is no delete
        intent = "update"
    if intent in DRAFTING and not has_draft:
        intent = {"new_draft": "new_draft", "publish_draft": "publish"}.get(intent, "question")
    if has_draft and intent == "publish" and not item and not _NAMES_ITEM.search(text):
        intent = "publish_draft"  # "publish it"
    if intent == "discard_draft" and (_NAMES_ITEM.search(text) or not _DRAFT_REF.search(text)):
        intent = "question"
    if intent == "create" and kind == "post" and re.search(r"\b(write|draft)\b", text, re.I):
        intent = "new_draft"
    if intent == "question" and "?" not in text and kind in MESSAGE_KINDS:
        if _NEW_WORDS.search(text):
            intent = "create"  # "I passed the Azure Fundamentals exam from Microsoft, please add it"
        elif _UPDATE_WORDS.search(text):
            intent = "update"  # "my AWS certification now expires on 2028-05-14"
    if intent == "publish" and kind in ALL_KINDS and ALL_KINDS[kind].publish is None:  # always visible
        intent = "create" if _NEW_WORDS.search(text) else "update"
    if intent == "text_edit" and not _EDIT_WORDS.search(text):  # "it's called Beacon" is no text edit
        intent = "create" if _NEW_WORDS.search(text) else "update"
    if intent == "new_draft" and not _DRAFTING_WORDS.search(text):  # "add a project called X: a service..."
        intent = "create" if kind in MESSAGE_KINDS else "question"
    if intent == "create" and kind == "post" and not re.search(r"\b(post|blog|article)", text, re.I):
        kind = "project"  # "I built something new, it's called Beacon"
    return Request(intent, kind, item.strip()[:200])


async def classify(model: BaseChatModel, text: str, draft_title: str | None) -> Request:
    message = prompts.OWNER_INTENT_INPUT.format(draft=f"“{draft_title}”" if draft_title else "none", text=text)
    reply = await model.ainvoke([SystemMessage(prompts.OWNER_INTENT_SYSTEM_PROMPT), HumanMessage(message)],
                                response_format=SCHEMA)
    content = reply.content if isinstance(reply.content, str) else reply.text
    return settle(parse(content), text, draft_title is not None)
