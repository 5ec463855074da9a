"""The checks of single setting values (folio/settings.py's validators call these): each returns the value
as kept, or raises ValueError with the message pydantic shows next to the FOLIO_ name."""

from __future__ import annotations

import re


def postgres_url(v: str | None) -> str | None:
    if v in (None, ""):
        return None
    if not v.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        raise ValueError("must be a postgresql:// URL")
    return v


def http_url(v: str | None) -> str | None:
    if v in (None, ""):
        return None
    if not v.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    return v.rstrip("/")


def proxies(v: str) -> str:
    from folio.clients import TrustedProxies

    try:
        TrustedProxies(v)
    except ValueError as exc:
        raise ValueError(f"not an address or network list: {exc}") from None
    return v


def site_url(v: str | None) -> str | None:
    if v in (None, ""):
        return None
    if not v.startswith(("http://", "https://")) or any(c in v for c in "?#<>\"\n"):
        raise ValueError("must be an http:// or https:// URL without query or fragment")
    return v.rstrip("/")


def site_path_pattern(v: str) -> str:
    if not v.startswith("/") or "{slug}" not in v:
        raise ValueError("must start with / and contain {slug}, e.g. /{plural}/{slug}/")
    rest = v.replace("{kind}", "").replace("{plural}", "").replace("{slug}", "")
    if "{" in rest or "}" in rest or any(c in rest for c in "?#<>\" \n"):
        raise ValueError("only {kind}, {plural} and {slug} may appear in braces; no spaces, ? or #")
    return v


def origins(v: str) -> str:
    kept = []
    for part in (v or "").replace(" ", ",").split(","):
        if not part:
            continue
        origin = part.rstrip("/")
        if not re.fullmatch(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?|https?://\[[0-9a-f:]+\](:[0-9]{1,5})?",
                            origin.lower()):
            raise ValueError(f"'{part}' is not an origin like https://example.com or http://localhost:1313")
        kept.append(origin.lower())
    return ",".join(kept)


def log_level(v: str) -> str:
    v = v.upper()
    if v not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
    return v


GITHUB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")


def github_users(v: str) -> str:
    for name in (n.strip() for n in v.split(",")):
        if name and not GITHUB_NAME.match(name):
            raise ValueError(f"{name!r} is not a GitHub user name")
    return v


def feed_urls(v: str) -> str:
    for url in (u.strip() for u in v.split(",")):
        if url and not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is not an http:// or https:// URL")
    return v
