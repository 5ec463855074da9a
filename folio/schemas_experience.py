"""Roles in the owner's work history (the experience kind) as REST, import/export, the demo seed and the
owner's chat write and read them. Months are dates on the first of the month ("2021-03" is accepted)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema, model_validator

from folio.schemas import Slug, Tag, Text, Title, _examples, _In, _no_nul, _Out

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _month_in(value: Any) -> Any:
    """'2021-03' -> 2021-03-01; full dates pass on to the date parser."""
    if isinstance(value, str) and (m := _MONTH.match(value)):
        return date(int(m.group(1)), int(m.group(2)), 1)
    return value


def _first_of_month(value: date | None) -> date | None:
    return value.replace(day=1) if value else value


Month = Annotated[date, BeforeValidator(_month_in), AfterValidator(_first_of_month),
                  WithJsonSchema({"type": "string", "format": "date",
                                  "description": "YYYY-MM-DD (kept as its month) or YYYY-MM"})]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_no_nul)]
Highlight = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
                      AfterValidator(_no_nul)]
EXAMPLE = {"organisation": "Acme", "title": "Senior Engineer", "started_on": "2021-03-01", "ended_on": None,
           "location": "Berlin", "summary": "Led the data platform team.",
           "highlights": ["Cut ingestion latency from minutes to seconds"], "tech": ["Python", "PostgreSQL"],
           "published": True}


def _in_order(started: date | None, ended: date | None) -> None:
    if started and ended and ended < started:
        raise ValueError("ended_on must not be before started_on")


class ExperienceCreate(_In):
    model_config = _examples(EXAMPLE)

    organisation: Title = Field(description="Employer or client", examples=["Acme"])
    title: Title = Field(description="The role", examples=["Senior Engineer"])
    slug: Slug | None = Field(None, description="URL name; generated from the role and organisation when omitted",
                              examples=["senior-engineer-acme"])
    started_on: Month = Field(description="First month of the role", examples=["2021-03-01"])
    ended_on: Month | None = Field(None, description="Last month; empty while the role is current")
    location: Line = Field("", description="Where", examples=["Berlin"])
    summary: Text = Field("", description="What the role was, in a sentence or two")
    highlights: list[Highlight] = Field(default_factory=list, max_length=20, description="Achievements")
    tech: list[Tag] = Field(default_factory=list, max_length=30, description="Technologies used",
                            examples=[["Python", "PostgreSQL"]])
    published: bool = Field(True, description="Visible to visitors")

    @model_validator(mode="after")
    def _dates(self):
        _in_order(self.started_on, self.ended_on)
        return self


class ExperienceUpdate(_In):
    model_config = _examples({"ended_on": "2024-06-01"}, {"published": False})

    organisation: Title | None = Field(None, description="Employer or client")
    title: Title | None = Field(None, description="The role")
    slug: Slug | None = Field(None, description="New URL name")
    started_on: Month | None = Field(None, description="First month of the role")
    ended_on: Month | None = Field(None, description="Last month; null: the role is current")
    location: Line | None = Field(None, description="Where")
    summary: Text | None = Field(None, description="What the role was")
    highlights: list[Highlight] | None = Field(None, max_length=20, description="Achievements")
    tech: list[Tag] | None = Field(None, max_length=30, description="Technologies used")
    published: bool | None = Field(None, description="Visible to visitors")

    @model_validator(mode="after")
    def _dates(self):
        _in_order(self.started_on, self.ended_on)
        return self


class ExperienceOut(_Out):
    model_config = _examples({**EXAMPLE, "slug": "senior-engineer-acme", "current": True,
                              "id": "0b9e7c1e-3f4a-4d59-9a53-6a1f0f3c2b7d", "created_at": "2024-03-01T10:00:00Z",
                              "updated_at": "2024-05-02T08:30:00Z"})

    organisation: str = Field(description="Employer or client")
    title: str = Field(description="The role")
    started_on: date = Field(description="First month of the role")
    ended_on: date | None = Field(description="Last month; null while current")
    current: bool = Field(description="True while the role goes on (no end month)")
    location: str = Field(description="Where")
    summary: str = Field(description="What the role was")
    highlights: list[str] = Field(description="Achievements")
    tech: list[str] = Field(description="Technologies used")
    published: bool = Field(description="Visible to visitors")
