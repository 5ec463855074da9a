"""The catalogue (one line an item) and the vocabulary (technologies, topics, organisations, issuers) that
the reading prompts carry and that the grammar's enums are made of."""

from __future__ import annotations

from datetime import date

from folio.services.catalogue import Record

LINE_CHARS = 90  # of an item's summary in the catalogue
MANY = 80  # items beyond which each summary is cut shorter, so the catalogue fits the model's window


def _short(text: str, limit: int = LINE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def describe(record: Record, limit: int = LINE_CHARS) -> str:
    """What the item is, in a few words: its summary, or its organisation/issuer and dates."""
    v = record.values
    bits = [_short(record.summary, limit)] if record.summary else []
    if record.kind == "experience":
        where = f" in {v['location']}" if v.get("location") else ""
        bits.append(f"at {v.get('organisation')}{where}, {v.get('started_on', '')[:7]} to "
                    f"{v['ended_on'][:7] if v.get('ended_on') else 'now (current job)'}")
    if record.kind == "certification":
        expires = str(v.get("expires_on") or "")
        state = f", expired {expires[:7]}" if expires and expires < date.today().isoformat() else ""
        bits.append(f"by {v.get('issuer')}{state}")
    if not record.public:
        bits.append("(hidden draft)")
    return "; ".join(b for b in bits if b)


def catalogue_lines(records: list[Record]) -> str:
    limit = LINE_CHARS if len(records) <= MANY else max(20, LINE_CHARS * MANY // len(records))
    return "\n".join(f"{r.key} | {r.title} | {describe(r, limit)}" for r in records)


def vocabulary(records: list[Record]) -> list[str]:
    """Every technology, topic, organisation and issuer the items name, one spelling each (first seen)."""
    seen: dict[str, str] = {}
    for r in records:
        for term in [*r.terms, r.values.get("organisation"), r.values.get("issuer")]:
            if term and term.lower() not in seen:
                seen[term.lower()] = term
    return sorted(seen.values(), key=str.lower)


def technologies(records: list[Record]) -> set[str]:
    """Technologies, organisations and issuers: names a question uses as they are written (not topics)."""
    out = {t for r in records for t in [*r.values.get("tech_stack", []), *r.values.get("tech", [])]}
    return out | {str(r.values[f]) for r in records for f in ("organisation", "issuer") if r.values.get(f)}
