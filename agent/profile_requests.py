"""The owner's words about their own profile, read in code: "update my headline to X", "set my location
to Berlin", "I'm open to work now", "I'm no longer looking". The fields to change, or None when the
message is not about the profile (then the usual classifier decides)."""

from __future__ import annotations

import re
from typing import Any

FIELDS = {"headline": "headline", "location": "location", "bio": "bio", "name": "name",
          "availability": "availability", "contact": "contact", "contact preference": "contact",
          "contact preferences": "contact"}
_SET = re.compile(r"^\s*(?:please\s+)?(?:update|change|set|make)\s+my\s+(?:profile(?:'s)?\s+)?"
                  r"(?P<field>headline|location|bio|name|availability|contact(?: preferences?)?)\s+(?:to|:|as)\s*"
                  r"(?P<value>.+?)\s*$", re.I | re.S)
_BASED = re.compile(r"^\s*(?:i(?:'m| am)|i've)\s+(?:now\s+)?(?:based|living|located|moved)\s+(?:in|to)\s+"
                    r"(?P<value>[^.!?]+?)(?:\s+now)?\s*[.!]?\s*$", re.I)
_OPEN = re.compile(r"^\s*i(?:'m| am)\s+(?:now\s+)?(?:open to (?:work|new (?:roles|opportunities|work))|"
                   r"available for (?:work|hire)|looking for (?:work|a new (?:job|role)))(?:\s+now)?"
                   r"(?:\s*[,:;(-]\s*(?P<detail>[^)]+?)\)?)?\s*[.!]?\s*$", re.I)
_CLOSED = re.compile(r"^\s*i(?:'m| am)\s+(?:no longer|not)\s+(?:open to (?:work|new \w+)|looking|available)\b"
                     r"[^?]*$|^\s*(?:i'm|i am)\s+not\s+open\b[^?]*$", re.I)


def _clean(value: str) -> str:
    return value.strip().rstrip(".!").strip().strip("\"“”'‘’").strip()


def profile_request(text: str) -> dict[str, Any] | None:
    """The profile fields the owner's message sets, or None."""
    if match := _SET.match(text):
        value = _clean(match["value"])
        return {FIELDS[match["field"].lower()]: value} if value else None
    if match := _BASED.match(text):
        return {"location": _clean(match["value"])}
    if _CLOSED.match(text):
        return {"open_to_work": False}
    if match := _OPEN.match(text):
        detail = _clean(match["detail"] or "")
        return {"open_to_work": True, **({"availability": detail} if detail else {})}
    return None
