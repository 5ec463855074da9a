"""Questions about the owner ("tell me about yourself", "is she open to work?", "where is he based?"),
read in code and answered from the profile in code (no model), citing the profile's page."""

from __future__ import annotations

import re
from typing import Any

from folio.kinds import PROFILE, PROFILE_SLUG
from folio.services.evidence import Evidence, _shorten

_WHO = r"(?:you|yourself|he|she|they|him|her|them|the developer|this developer|the owner|the author)"
_ONE = r"(?:you|yourself|he|she|him|her|the developer|this developer|the owner|the author)"  # not "them": items
ASPECTS: dict[str, re.Pattern] = {
    "open_to_work": re.compile(
        rf"\b(?:open to (?:work|new (?:work|roles?|jobs?|opportunities|positions)|offers|opportunities|roles?|"
        rf"hiring)|(?:looking|searching) for (?:a |new )?(?:job|work|role|roles|position|opportunit\w+)|"
        rf"available (?:for|to) (?:hire|work|new \w+|a (?:new )?(?:job|role))|for hire|job[- ]hunting|"
        rf"(?:is|are) {_WHO} (?:available|hiring|looking)|can (?:i|we) hire {_WHO})\b", re.I),
    "location": re.compile(
        rf"\b(?:where (?:is|are|'s) {_WHO} (?:based|located|from|living|working)|where do(?:es)? {_WHO} "
        rf"(?:live|work|come from|work from)|where {_WHO} (?:is|are) based|(?:what|which) (?:city|country|"
        rf"time ?zone) (?:is|are|do|does) {_WHO}|{_WHO} (?:is|are) based where)\b", re.I),
    "about": re.compile(
        rf"\b(?:tell me (?:a bit |a little |more )?about {_ONE}|who (?:are|is) {_ONE}|who(?:'s| is) "
        rf"(?:behind|the person behind) (?:this|the portfolio|this portfolio|this site)|introduce {_ONE}|"
        rf"what (?:do|does) {_ONE} do(?: for a living)?|describe {_ONE})\b", re.I),
}

NO_PROFILE_ANSWER = ("The developer hasn't written a profile in this portfolio yet, so I can't say. "
                     "Ask me about the projects, blog posts and certifications instead.")
ABOUT = "{link}{headline}."
BASED = "{name} is based in {location}."
NO_LOCATION = "{name}'s profile doesn't say where they are based."
OPEN = "Yes: {name} is open to work{detail}."
NOT_OPEN = "{name}'s profile doesn't say they are open to work right now{detail}."
CONTACT_PREFERENCE = "Contact preference: {contact}."
LINKS_LINE = "Links: {links}."
SOURCE = "(From the profile: {link})"
WELCOME_LINE = "This is the portfolio of **{name}**{headline}."


def profile_aspect(question: str) -> str | None:
    """Which part of the owner's profile the question asks about, if it is about the owner."""
    return next((aspect for aspect, cue in ASPECTS.items() if cue.search(question)), None)


def profile_evidence(profile: Any) -> Evidence:
    facts = tuple(f for f in (f"based in {profile.location}" if profile.location else "",
                              "open to work" if profile.open_to_work else "", profile.availability) if f)
    links = tuple((link["label"], link["url"]) for link in profile.links or [])
    text = " ".join([profile.name, profile.headline, *facts, profile.bio or ""])
    return Evidence(kind=PROFILE.name, slug=PROFILE_SLUG, title=profile.name, page=PROFILE.page_of(PROFILE_SLUG),
                    api=PROFILE.url_of(PROFILE_SLUG), summary=_shorten(profile.headline, 200), facts=facts,
                    links=links, terms=(), text=_shorten(text, 2500), detail=_shorten(profile.bio, 400))


def profile_answer(profile: Any | None, aspect: str) -> str:
    """The answer, written from the profile's fields; honest when there is no profile."""
    if profile is None:
        return NO_PROFILE_ANSWER
    evidence = profile_evidence(profile)
    name, link = profile.name, evidence.link()
    if aspect == "location":
        lines = [BASED.format(name=name, location=profile.location) if profile.location
                 else NO_LOCATION.format(name=name)]
    elif aspect == "open_to_work":
        detail = f" ({profile.availability})" if profile.availability else ""
        lines = [OPEN.format(name=name, detail=detail) if profile.open_to_work else
                 NOT_OPEN.format(name=name, detail=f"; availability: {profile.availability}" if profile.availability
                                 else "")]
        if profile.contact:
            lines.append(CONTACT_PREFERENCE.format(contact=profile.contact))
    else:
        lines = [ABOUT.format(link=f"**{name}**", headline=f": {profile.headline}" if profile.headline else "")]
        if profile.bio:
            lines.append(_shorten(profile.bio, 600))
        if profile.location:
            lines.append(BASED.format(name=name, location=profile.location))
        if profile.open_to_work:
            lines.append(OPEN.format(name=name, detail=f" ({profile.availability})" if profile.availability else ""))
        if evidence.links:
            lines.append(LINKS_LINE.format(links=", ".join(f"[{label}]({url})" for label, url in evidence.links)))
    lines.append(SOURCE.format(link=link))
    return "\n\n".join(lines)


def welcome_text(profile: Any | None, welcome: str) -> str:
    """The visitor's welcome: who the portfolio belongs to (name and headline), then `welcome`."""
    if profile is None:
        return welcome
    headline = f", {profile.headline}" if profile.headline else ""
    return WELCOME_LINE.format(name=profile.name, headline=headline) + "\n\n" + welcome
