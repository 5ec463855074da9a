"""The owner's profile as REST, import/export, the demo seed and the owner's chat write and read it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from folio.schemas import _no_nul

MAX_LINKS = 20
LINK_SCHEMES = ("http", "https", "mailto")


def _link_url(value: str) -> str:
    _no_nul(value)
    parts = urlsplit(value)
    if parts.scheme.lower() not in LINK_SCHEMES or any(c.isspace() for c in value):
        raise ValueError("must be an http://, https:// or mailto: URL")
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        raise ValueError("a mailto: link needs an address")
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        raise ValueError("an http(s) link needs a host")
    return value


def _line(max_length: int, min_length: int = 0):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
                     AfterValidator(_no_nul)]


def _booking_url(value: str) -> str:
    """A booking page (Cal.com, Calendly...): https only, with a host; '' for none."""
    _no_nul(value)
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError("must be an https:// URL with a host (e.g. https://cal.com/ada/30min)")
    return value


BookingUrl = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_booking_url)]

LinkUrl = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
                    AfterValidator(_link_url)]


class ProfileLink(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True,
                              json_schema_extra={"examples": [{"label": "GitHub", "url": "https://github.com/ada"}]})
    label: _line(100, 1) = Field(description="What the link is", examples=["GitHub"])
    url: LinkUrl = Field(description="http(s):// or mailto: address", examples=["https://github.com/ada"])


class ProfileIn(BaseModel):
    """The whole profile (PUT replaces it; fields left out take their defaults)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "Ada Example", "headline": "Backend engineer: Python, PostgreSQL, search",
         "bio": "I build **data-heavy backends**.", "location": "Berlin, Germany",
         "links": [{"label": "GitHub", "url": "https://github.com/ada"}], "open_to_work": True,
         "availability": "open to senior backend roles from March", "contact": "email first"}]})

    name: _line(200, 1) = Field(description="The owner's name", examples=["Ada Example"])
    headline: _line(300) = Field("", description="One line about the owner")
    bio: Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_no_nul)] = Field(
        "", description="About the owner (Markdown)")
    location: _line(200) = Field("", description="Where the owner is based", examples=["Berlin, Germany"])
    links: list[ProfileLink] = Field(default_factory=list, max_length=MAX_LINKS, description="Public links")
    open_to_work: bool = Field(False, description="Open to new work")
    availability: _line(300) = Field("", description="Availability in a few words",
                                     examples=["open to senior backend roles from March"])
    contact: _line(300) = Field("", description="How the owner prefers to be contacted", examples=["email first"])
    booking_url: BookingUrl = Field("", description="Where visitors book a call (https only; '' for none)",
                                    examples=["https://cal.com/ada/30min"])
    cv_enabled: bool = Field(True, description="Offer the CV at /cv and /cv.pdf (and as the chat's answer)")


class ProfileOut(ProfileIn):
    model_config = ConfigDict(from_attributes=True)
    updated_at: datetime = Field(description="When the profile last changed")
    page: str = Field("/p/profile/me", description="The profile's readable page (what the chat cites)")
