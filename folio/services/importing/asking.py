"""Is an owner's chat message an import request? An exact rule, checked before the request pipeline: an
import verb and a source — github:USER[/REPO], a github.com address, any other http(s) address (a feed),
or "GitHub" with "repos" (the owner's own GitHub user then comes from the profile's links)."""

from __future__ import annotations

import re
from dataclasses import dataclass

VERB = re.compile(r"\b(import|bring in|pull in|sync)\b", re.I)
GITHUB_REF = re.compile(
    r"\bgithub:([A-Za-z0-9][A-Za-z0-9-]{0,38}(?:/[A-Za-z0-9._-]+)?)"
    r"|(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9][A-Za-z0-9-]{0,38})(?:/([A-Za-z0-9._-]+))?", re.I)
FEED = re.compile(r"(?:feed:)?(https?://[^\s<>\"'`]+)", re.I)
MY_GITHUB = re.compile(r"\bgithub\b.*\b(repos?|repositories|projects)\b|\b(repos?|repositories)\b.*\bgithub\b", re.I)
HUMANISE = re.compile(r"\bhumani[sz]e", re.I)
PUBLISH = re.compile(r"\b(publish|published)\b", re.I)
GITHUB_PROFILE = re.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9][A-Za-z0-9-]{0,38})/?$", re.I)


@dataclass(frozen=True)
class ImportAsk:
    source: str | None  # "github:USER[/REPO]" or "feed:URL"; None: the owner's own GitHub (from the profile)
    humanise: bool = False
    publish: bool = False


def import_request(text: str) -> ImportAsk | None:
    if not VERB.search(text):
        return None
    options = {"humanise": bool(HUMANISE.search(text)), "publish": bool(PUBLISH.search(text))}
    if found := GITHUB_REF.search(text):
        if found.group(1):
            return ImportAsk(f"github:{found.group(1)}", **options)
        repo = found.group(3)
        repo = repo.removesuffix(".git") if repo else None
        return ImportAsk(f"github:{found.group(2)}" + (f"/{repo}" if repo else ""), **options)
    if found := FEED.search(text):
        return ImportAsk("feed:" + found.group(1).rstrip(".,;:!?)]"), **options)
    if MY_GITHUB.search(text):
        return ImportAsk(None, **options)
    return None


def github_user_in(links: list[dict[str, str]] | None) -> str | None:
    """The owner's GitHub user from the profile's links (https://github.com/USER), if there is one."""
    for link in links or []:
        if found := GITHUB_PROFILE.match(str(link.get("url", "")).strip()):
            return found.group(1)
    return None
