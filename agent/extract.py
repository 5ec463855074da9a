"""Fields from the owner's words: a short structured-output call per request (json_schema with exactly the
fields of that kind), then checks a model cannot talk its way past: a title is a name, not the sentence;
a URL is a URL found in the message; a date is a date; yes/no flags need the owner's word; every value
must have been said (agent.grounding). Plain patterns ("called X", "issued by Y", links, ISO dates) back
the model up where it is known to slip."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, get_origin

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agent.grounding import grounded
from folio.linkedin_positions import month_of
from agent.intent import parse
from folio import prompts
from folio.kinds import KINDS

# List and yes/no fields of every kind, read from their schemas (folio.kinds).
LISTS = frozenset(n for k in KINDS.values() for n, f in k.create.model_fields.items() if get_origin(f.annotation) is list)
FLAGS = frozenset(n for k in KINDS.values() for n, f in k.create.model_fields.items() if f.annotation is bool)
# What the owner's chat reads from a message, per kind (folio.kinds).
CREATE_FIELDS = {k.name: k.message_fields for k in KINDS.values()}
UPDATE_FIELDS = {k.name: k.message_fields + k.message_update_fields for k in KINDS.values()}
# What a new item must have: its schema's required fields (folio.kinds).
REQUIRED = {k.name: tuple(n for n, f in k.create.model_fields.items() if f.is_required()) for k in KINDS.values()}
NAME_FIELDS = frozenset({k.title_field for k in KINDS.values()} | {"issuer", "organisation"})
MAX_NAME_WORDS = 10
_CALLED = re.compile(r"\b(?:called|named|titled)\s+[\"“'‘]?(.+?)[\"”'’]?\s*(?=[:;,.(]\s|[:;,(]|\s[-–—]\s|\.?$)", re.I)
_ISSUED_BY = re.compile(r"\b(?:issued|awarded|granted)\s+by\s+(.+?)\s*(?=,|\.\s|\.?$|\s(?:on|in)\s)", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s,;)]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|app|co|me|"
                  r"page|site|xyz|ai|tech|cloud)(?:/[^\s,;)]*)?", re.I)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_MONTH_YEAR = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}\b", re.I)
# An end date rather than a start: "finished", "expires", "left", "until"...
_END_WORDS = re.compile(r"expir|valid until|renew|finish|\bend|until|complet|\bleft\b|\bleav|\bquit|stopped", re.I)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht")
_RENAME = r"\b(title|name|rename|call it|retitle)"
_MENTION = {k: re.compile(v, re.I) for k, v in {
    "title": _RENAME, "name": _RENAME, "summary": r"summary|describ|tagline", "description": r"descri",
    "excerpt": r"excerpt", "tags": r"\btag", "issuer": r"issuer|issued by",
    "tech_stack": r"\btech|stack|built (with|in)|written in|\buses\b|\busing\b|technolog|language",
    "issued_on": r"issued|passed|earned|obtained", "expires_on": r"expir|renew|valid until|runs out",
    "started_on": r"start|began|begun|joined|since", "finished_on": r"finish|ended|complet|wrapped up",
    "ended_on": r"\bleft\b|\bleav|\bend|until|\bquit|stopped|finish", "organisation": r"organi[sz]ation|company|employer",
    "tech": r"\btech|stack|technolog|language|\bus(ed|es|ing)\b", "location": r"locat|based|remote|office|city",
    "credential_id": r"credential|\bid\b", "credential_url": r"credential|verif|link|url",
    "repo_url": r"repo|github|gitlab|source", "live_url": r"site|live|demo|url|runs at|hosted|homepage|\.dev|\.app",
    "featured": r"featur", "published": r"publish|hide|hidden|visible|public|private|draft",
}.items()}


def schema(kind: str, names: tuple[str, ...]) -> dict:
    props = {n: ({"type": "array", "items": {"type": "string"}} if n in LISTS
                 else {"type": "string", "enum": ["yes", "no", ""]} if n in FLAGS else {"type": "string"})
             for n in names}
    return {"type": "json_schema", "json_schema": {"name": f"{kind}_fields", "strict": True, "schema": {
        "type": "object", "properties": props, "required": list(names), "additionalProperties": False}}}


def urls_in(text: str) -> list[str]:
    return [u.rstrip(".") for u in _URL.findall(text)]


_NOT_A_NAME = re.compile(r"^(please |can you |could you )?(add|create|make|new|set|change|update|mark|put|"
                         r"i |my )\b|\b(called|named|titled)\b|[:;]|https?://|\.\s", re.I)


def _is_name(value: str, text: str) -> bool:
    """A name, not the sentence: a few words, no command verbs, no clause breaks, no link."""
    words = value.split()
    return (bool(words) and len(words) <= MAX_NAME_WORDS and len(value) <= 120
            and value.strip(" .") != text.strip(" .") and not _NOT_A_NAME.search(value))


def _date(value: str) -> str | None:
    """An ISO date, or a month ("March 2021", "2021-03") as its first day."""
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        pass
    try:
        month = month_of(value) if not re.fullmatch(r"\s*\d{4}\s*", value) else None  # a bare year is no date
    except ValueError:
        return None
    return month.isoformat() if month else None


def _clean(kind: str, raw: dict[str, Any], text: str) -> dict[str, Any]:
    """Keep the values that pass the checks for their field."""
    out: dict[str, Any] = {}
    said_urls = urls_in(text)
    for name, value in raw.items():
        if name in LISTS:
            items = [str(v).strip() for v in value if isinstance(v, str) and str(v).strip()] \
                if isinstance(value, list) else [v.strip() for v in str(value or "").split(",") if v.strip()]
            items = [v for v in items if len(v) <= 40 and len(v.split()) <= 3]
            if items:
                out[name] = [v.lower() for v in items] if name == "tags" else items
        elif name in FLAGS:
            if value in ("yes", "no"):
                out[name] = value == "yes"
        elif not isinstance(value, str) or not value.strip():
            continue
        elif name.endswith("_url"):
            value = value.strip()
            if any(value.rstrip("/").lower().endswith(u.rstrip("/").lower().split("://")[-1]) for u in said_urls):
                out[name] = value
        elif name.endswith("_on"):
            if (day := _date(value)) is not None:
                out[name] = day
        elif name in NAME_FIELDS:
            value = value.strip().strip("\"“”'‘’").strip()
            if _is_name(value, text):
                out[name] = value
        else:
            out[name] = value.strip()
    return out


def patterns(kind: str, text: str, names: tuple[str, ...]) -> dict[str, Any]:
    """What plain patterns find in the message (they win over the model for names, links and dates)."""
    found: dict[str, Any] = {}
    title_field = KINDS[kind].title_field
    if title_field in names and (m := _CALLED.search(text)) and _is_name(m.group(1), text):
        found[title_field] = m.group(1).strip()
        rest = text[m.end():].lstrip(" :–—-")
        summary = re.split(r"(?<=[.!?])\s", rest, maxsplit=1)[0].strip()
        summary = re.split(r",\s*(?=(repo|live|site|started|finished|since|url|link|see|at|https?:|www)\b)",
                           summary, maxsplit=1)[0].strip()
        if kind == "project" and text[m.end():].lstrip().startswith((":", "-", "–", "—")) and len(summary) > 12:
            found["_summary"] = summary[0].upper() + summary[1:].rstrip(".") + "."
    if "issuer" in names and (m := _ISSUED_BY.search(text)) and _is_name(m.group(1), text):
        found["issuer"] = m.group(1).strip()
    for url in urls_in(text):
        full = url if "://" in url else "https://" + url
        if kind == "certification":
            found.setdefault("credential_url", full)
        elif any(host in url.lower() for host in _CODE_HOSTS) or re.search(r"\brepo", text, re.I):
            found.setdefault("repo_url", full)
        else:
            found.setdefault("live_url", full)
    dates = _ISO_DATE.findall(text) + [_date(m) for m in _MONTH_YEAR.findall(text)]
    date_fields = [n for n in KINDS[kind].create.model_fields if n.endswith("_on")]  # start first, then end
    if len(dates) == 1 and date_fields and dates[0]:
        target = date_fields[-1] if _END_WORDS.search(text) else date_fields[0]
        if target in names:
            found[target] = dates[0]
    return {k: v for k, v in found.items() if k in names or k.startswith("_")}


async def fields_from(model: BaseChatModel, kind: str, text: str, *, creating: bool,
                      context: str = "") -> dict[str, Any]:
    """The fields the owner gave for a new item (creating) or wants changed (an update), checked and
    grounded in `text` (plus `context`: earlier messages of the same request)."""
    names = (CREATE_FIELDS if creating else UPDATE_FIELDS)[kind]
    task = (prompts.OWNER_FIELDS_CREATE if creating else prompts.OWNER_FIELDS_UPDATE).format(kind=kind)
    reply = await model.ainvoke(
        [SystemMessage(prompts.OWNER_FIELDS_SYSTEM_PROMPT),
         HumanMessage(prompts.OWNER_FIELDS_INPUT.format(kind=kind, task=task, text=text))],
        response_format=schema(kind, names))
    raw = parse(reply.content if isinstance(reply.content, str) else reply.text)
    fields = _clean(kind, {k: v for k, v in raw.items() if k in names}, text)
    found = patterns(kind, text, names)
    summary = found.pop("_summary", None)
    for name in [n for n in fields if n.endswith("_on")]:  # a date the patterns placed belongs there only
        if any(k.endswith("_on") and k != name and v == fields[name] for k, v in found.items()):
            del fields[name]
    fields.update(found)
    if creating and kind == "project" and not fields.get("summary") and summary:
        fields["summary"] = summary
    if not creating:  # an update changes only fields the owner's words point at
        fields = {k: v for k, v in fields.items() if k not in _MENTION or _MENTION[k].search(text)}
    kept, _ = grounded(fields, f"{context}\n{text}")
    return kept


def missing(kind: str, fields: dict[str, Any]) -> list[str]:
    return [name for name in REQUIRED[kind] if not fields.get(name)]


async def edit_from(model: BaseChatModel, text: str) -> tuple[str, str]:
    """(find, replace) for a text edit; ("", "") when the message does not say."""
    quoted = re.findall(r"[\"“'‘]([^\"”'’]{1,80})[\"”'’]", text)
    plain = re.search(r"\breplace\s+(.+?)\s+(?:with|by)\s+(.+?)\s*(?:\bin\b|[.!?]?$)", text, re.I)
    if len(quoted) == 2 and re.search(r"\b(replace|change|with|to|into)\b", text, re.I):
        return quoted[0], quoted[1]
    if plain and len(plain.group(1)) <= 80 and len(plain.group(2)) <= 80:
        return plain.group(1).strip("\"“”'‘’"), plain.group(2).strip("\"“”'‘’")
    reply = await model.ainvoke([SystemMessage(prompts.OWNER_EDIT_SYSTEM_PROMPT), HumanMessage(text)],
                                response_format=EDIT_SCHEMA)
    data = parse(reply.content if isinstance(reply.content, str) else reply.text)
    find, replace = str(data.get("find") or "").strip(), str(data.get("replace") or "").strip()
    if not find or find not in text:
        return "", ""  # the words to change must be the owner's own
    return find, "" if replace == find else replace  # "": the model did not say what they become


EDIT_SCHEMA = {"type": "json_schema", "json_schema": {"name": "text_edit", "strict": True, "schema": {
    "type": "object", "properties": {"find": {"type": "string"}, "replace": {"type": "string"}},
    "required": ["find", "replace"], "additionalProperties": False}}}
