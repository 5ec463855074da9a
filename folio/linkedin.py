"""LinkedIn's data export, read: `Profile.csv` (one row) as profile fields. Only the format lives here;
folio.services.profile decides how it merges into the owner's profile.

The columns LinkedIn writes: "First Name", "Last Name", "Maiden Name", "Address", "Birth Date",
"Headline", "Summary", "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites",
"Instant Messengers". Private ones (address, birth date, zip code, messengers) are never read.
"Websites" looks like "[PORTFOLIO:https://a.dev,COMPANY:https://b.com]", "Twitter Handles" like "[maya_dev]"."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from folio.errors import ValidationFailed

REQUIRED = ("First Name", "Last Name")
_LABELED = re.compile(r"^(?P<label>[A-Za-z ]+):(?P<url>(?!//).+)$")
_HANDLE = re.compile(r"^@?(?P<h>[A-Za-z0-9_]{1,15})$")
WEBSITE_LABELS = {"PERSONAL": "Website", "COMPANY": "Company", "BLOG": "Blog", "RSS": "RSS feed",
                  "PORTFOLIO": "Portfolio", "OTHER": "Website"}


def _list(value: str) -> list[str]:
    """"[a,b]" or "a, b" -> ["a", "b"]."""
    inner = value.strip().removeprefix("[").removesuffix("]")
    return [part.strip() for part in inner.split(",") if part.strip()]


def _websites(value: str) -> list[dict[str, str]]:
    links = []
    for entry in _list(value):
        match = _LABELED.match(entry)
        label, url = (WEBSITE_LABELS.get(match["label"].strip().upper(), match["label"].strip().title()),
                      match["url"].strip()) if match else ("Website", entry)
        if not re.match(r"^https?://", url, re.I):
            url = "https://" + url if "." in url and " " not in url and ":" not in url else ""
        if url:
            links.append({"label": label, "url": url})
    return links


def _twitter(value: str) -> list[dict[str, str]]:
    return [{"label": "Twitter", "url": f"https://twitter.com/{m['h']}"}
            for handle in _list(value) if (m := _HANDLE.match(handle))]


def parse_profile_csv(text: str) -> dict[str, Any]:
    """The profile fields of a LinkedIn Profile.csv (empty ones left out); ValidationFailed when the
    text is not that file."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or any(column not in (rows[0] or {}) for column in REQUIRED):
        raise ValidationFailed("not a LinkedIn Profile.csv: expected a header row with "
                               "\"First Name\" and \"Last Name\" and one row of data")
    row = {k: (v or "").strip() for k, v in rows[0].items() if k}
    fields: dict[str, Any] = {
        "name": " ".join(p for p in (row.get("First Name", ""), row.get("Last Name", "")) if p),
        "headline": row.get("Headline", ""),
        "bio": row.get("Summary", "").replace("\r\n", "\n"),
        "location": row.get("Geo Location", ""),
        "links": _websites(row.get("Websites", "")) + _twitter(row.get("Twitter Handles", "")),
    }
    return {k: v for k, v in fields.items() if v}
