"""A second, narrower reading, when the first named no usable value: which of THIS kind's fields the
message gives, and their values. The grammar offers only the kind's own field names (for a change it
also shows the item's current values), so a value has one place to go. Values are still validated
against the message (values.py) before anything is proposed."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from agent.reading import ReadFailed, read_structured
from agent.turn import LLM_ERRORS
from folio import prompts
from folio.kinds import KINDS
from folio.services.catalogue import Record

# Not set by naming a value: the URL name, visibility (their own operations) and the long text.
SKIPPED = {"slug", "published", "featured", "status", "body", "published_at"}
MAX = 6


def editable(kind: str, creating: bool) -> list[str]:
    spec = KINDS[kind]
    return [f for f in (spec.create if creating else spec.update).model_fields if f not in SKIPPED]


def schema(names: list[str]) -> dict[str, Any]:
    item = {"type": "object", "properties": {"field": {"type": "string", "enum": names},
                                             "value": {"type": "string", "maxLength": 400}},
            "required": ["field", "value"], "additionalProperties": False}
    fields = {"type": "array", "minItems": 1, "maxItems": MAX, "items": item}
    return {"type": "object", "properties": {"fields": fields}, "required": ["fields"],
            "additionalProperties": False}


def current(record: Record, names: list[str]) -> str:
    lines = []
    for name in names:
        value = record.values.get(name)
        shown = ", ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
        lines.append(f"- {name}: {' '.join(shown.split())[:120] or '(empty)'}")
    return "\n".join(lines)


async def read_fields(reader: BaseChatModel, message: str, kind: str,
                      record: Record | None) -> tuple[tuple[str, str], ...]:
    """(field, value) pairs under the kind's own field names; () when the model can't say."""
    names = editable(kind, creating=record is None)
    spec = KINDS[kind]
    if record is None:
        system = prompts.OWNER_FIELDS_NEW.format(kind=spec.called, fields=", ".join(names))
    else:
        system = prompts.OWNER_FIELDS_CHANGE.format(kind=spec.called, title=record.title,
                                                    current=current(record, names))
    try:
        data = await read_structured(reader, system, prompts.OWNER_READ_INPUT.format(draft="", message=message[:4000]),
                                     "owner_fields", schema(names))
    except (ReadFailed, *LLM_ERRORS):
        return ()
    out = []
    for f in data.get("fields") or []:
        if isinstance(f, dict) and f.get("field") in names and isinstance(f.get("value"), str) and f["value"].strip():
            out.append((f["field"], f["value"].strip()))
    return tuple(dict.fromkeys(out))
