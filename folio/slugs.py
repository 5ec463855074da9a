"""Slugs: lower-case ASCII words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 80


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:MAX_SLUG].rstrip("-")
    return slug or "untitled"
