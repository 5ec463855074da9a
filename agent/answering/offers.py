"""Two requests answered in code before any model call: the owner's CV ("can I see your résumé?") and a
call ("can we talk?", "schedule a call"). The answer is the link the owner set up (the CV pages, the
profile's booking_url) plus the chat's own contact capture, cited with the pages it rests on. With no CV
(no profile, or turned off) or no booking link, the question goes the usual way (the 'contact' intent).

These are recognised by their words: a CV or a call is asked for in a handful of fixed phrasings, and a
wrong match costs one link, so no model call is spent on them (the pipeline's reading is for the
portfolio's content)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.safe_markdown import LinkPolicy, sanitize
from folio import prompts
from folio.kinds import PROFILE, PROFILE_SLUG
from folio.services import Services
from folio.services.cv import CV_PAGE, CV_PDF

CV_WORDS = re.compile(r"(?<![\w-])(cv|c\.v\.|r[ée]sum[ée]s?|curriculum(?:\s+vitae)?|lebenslauf|curr[íi]culo)(?![\w-])",
                      re.IGNORECASE)
CALL_WORDS = re.compile(
    r"\b(?:book|schedule|set\s+up|arrange|have|hop\s+on|jump\s+on|get\s+on)\s+(?:a\s+|an\s+)?(?:quick\s+|short\s+)?"
    r"(?:call|meeting|video\s+call|chat|interview)\b"
    r"|\bcan\s+(?:we|i)\s+(?:talk|chat|speak|meet)\b"
    r"|\bavailable\s+(?:for|to)\s+(?:a\s+|an\s+)?(?:quick\s+|short\s+)?(?:call|chat|meeting|talk|interview)\b"
    r"|\bbooking\s+(?:link|page)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Offer:
    intent: str  # "cv" or "booking"
    text: str  # Markdown, sanitised, with its sources


async def offer(question: str, services: Services) -> Offer | None:
    """The CV or booking answer for `question`, or None (the pipeline answers it)."""
    wants_cv, wants_call = bool(CV_WORDS.search(question)), bool(CALL_WORDS.search(question))
    if not (wants_cv or wants_call):
        return None
    profile = await services.profile.find()
    if profile is None:
        return None
    profile_page = PROFILE.page_of(PROFILE_SLUG)
    lines, sources, policy, intent = [], [(profile.name, profile_page)], LinkPolicy(), "booking"
    if wants_cv and profile.cv_enabled:
        intent = "cv"
        lines.append(prompts.CV_ANSWER.format(name=profile.name, page=CV_PAGE, pdf=CV_PDF))
        sources.insert(0, (f"{profile.name} · CV", CV_PAGE))
    if wants_call and profile.booking_url:
        policy.add_tool_output(profile.booking_url)
        lines.append(prompts.BOOKING_ANSWER.format(name=profile.name, url=profile.booking_url))
        lines.append(prompts.BOOKING_CONTACT.format(name=profile.name))
        if profile.contact:
            lines.append(prompts.BOOKING_PREFERENCE.format(name=profile.name, contact=profile.contact))
    if not lines:
        return None
    cited = prompts.FACT_SOURCES.format(links=", ".join(f"[{title}]({page})" for title, page in sources))
    return Offer(intent, sanitize("\n".join(lines) + "\n\n" + cited, policy))
