"""A visitor's question as a structured query: its JSON schema (enums over the real catalogue and
vocabulary, so the model can only name items and terms that exist) and the typed result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from folio.kinds import KIND_NAMES

INTENTS = ("describe", "list", "count", "yes_no", "when", "duration", "compare", "similar", "detail",
           "profile", "contact", "greeting", "off_topic")
PROPERTIES = ("none", "has_live_url", "has_repo", "valid_now", "expired", "featured", "current", "finished",
              "hidden")
ORDERS = ("none", "newest", "oldest", "longest", "shortest", "ends_first", "ends_last")
LANGUAGES = ("en", "es", "de", "fr", "pt", "it", "nl", "other")
MAX_LIST = 6


@dataclass(frozen=True)
class Query:
    intent: str
    kinds: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # catalogue keys ("project:ferrox")
    terms: tuple[str, ...] = ()  # vocabulary entries
    match: str = "any"
    unknown: tuple[str, ...] = ()  # asked about, not in the vocabulary
    property: str = "none"
    year: int | None = None
    month: int | None = None  # 1-12, with a year: "in March 2024"
    order: str = "none"
    language: str = "en"
    search: str = ""
    name: str = ""  # the visitor's own name, when they leave their details
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _enum(values: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)} if values else {"type": "string", "maxLength": 0}


def schema(keys: list[str], vocabulary: list[str]) -> dict[str, Any]:
    def listed(values, limit=MAX_LIST):
        return {"type": "array", "items": _enum(values), "maxItems": limit}

    properties = {  # in this order: the English paraphrase first, then what it asks
        "search": {"type": "string", "maxLength": 120},
        "intent": _enum(INTENTS),
        "kinds": listed(KIND_NAMES, 4),
        "items": listed(keys, 4),
        "terms": listed(sorted({v.lower() for v in vocabulary}), 4),  # lower case: as a model writes them
        "match": _enum(("any", "all")),
        "unknown": {"type": "array", "items": {"type": "string", "maxLength": 40}, "maxItems": 3},
        "property": _enum(PROPERTIES),
        "year": {"anyOf": [{"type": "integer", "minimum": 1950, "maximum": 2100}, {"type": "null"}]},
        "month": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 12}, {"type": "null"}]},
        "order": _enum(ORDERS),
        "language": _enum(LANGUAGES),
        "name": {"type": "string", "maxLength": 80},
    }
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def parse(data: dict[str, Any], keys: list[str], vocabulary: list[str]) -> Query:
    """The model's JSON as a Query, keeping only values the grammar allows (a server may not enforce it)."""
    known_keys, known_terms = set(keys), {t.lower(): t for t in vocabulary}

    def pick(value, allowed, default):
        return value if value in allowed else default

    def many(value, keep) -> tuple[str, ...]:
        out = [keep(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []
        return tuple(dict.fromkeys(v for v in out if v))

    year, month = data.get("year"), data.get("month")
    year = year if isinstance(year, int) and 1950 <= year <= 2100 else None
    return Query(
        intent=pick(data.get("intent"), INTENTS, "describe"),
        kinds=many(data.get("kinds"), lambda v: v if v in KIND_NAMES else None),
        items=many(data.get("items"), lambda v: v if v in known_keys else None),
        terms=many(data.get("terms"), lambda v: known_terms.get(v.lower())),
        match=pick(data.get("match"), ("any", "all"), "any"),
        unknown=many(data.get("unknown"), lambda v: " ".join(v.split())[:40] or None),
        property=pick(data.get("property"), PROPERTIES, "none"),
        year=year,
        month=month if year and isinstance(month, int) and 1 <= month <= 12 else None,
        order=pick(data.get("order"), ORDERS, "none"),
        language=pick(data.get("language"), LANGUAGES, "en"),
        search=" ".join(str(data.get("search") or "").split())[:120],
        name=" ".join(str(data.get("name") or "").split())[:80],
    )
