"""How portfolio items look to MCP clients: Markdown with YAML front matter, and folio:// URIs."""

from __future__ import annotations

import re
from typing import Any

from folio.content_writing import markdown_text
from folio.kinds import KINDS, KindSpec

SCHEME = "folio"
PLURAL_TO_KIND = {spec.plural: name for name, spec in KINDS.items()}
URI = re.compile(rf"^folio://({'|'.join(PLURAL_TO_KIND)})/([a-z0-9]+(?:-[a-z0-9]+)*)$")


def uri_of(spec: KindSpec, slug: str) -> str:
    return f"{SCHEME}://{spec.plural}/{slug}"


def parse_uri(uri: str) -> tuple[str, str] | None:
    """(kind, slug) of a folio:// item URI, or None."""
    match = URI.match(str(uri))
    return (PLURAL_TO_KIND[match.group(1)], match.group(2)) if match else None


def item_markdown(spec: KindSpec, item: Any, url: str) -> str:
    fields: dict[str, Any] = {"type": spec.name}
    for name in spec.create.model_fields:
        value = getattr(item, name, None)
        if value not in (None, [], ""):
            fields[name] = value
    if spec.published_stamp:
        fields[spec.published_stamp] = getattr(item, spec.published_stamp)
    fields["updated_at"] = item.updated_at
    fields["url"] = url
    fields.setdefault(spec.body_field, "")
    return markdown_text(spec.name, fields)
