"""HTML for an item's page: title, kind, dates, facts, links and the Markdown body rendered safely.

Safety: the Markdown renderer has raw HTML off (any HTML in a body is shown as text), and only http(s),
mailto and relative links are kept (no javascript:, data:, vbscript:, file:); every value is escaped;
the response carries a Content-Security-Policy that allows no script at all."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http://", "https://", "mailto:")
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")
CHAT_URL = "/chat/"
STYLE = """body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.55;
color:#1d1d1f}header p{color:#555;margin:.2rem 0}nav a{margin-right:1rem}pre{background:#f4f4f6;padding:.8rem;
overflow:auto}code{background:#f4f4f6;padding:0 .2rem}.facts{list-style:none;padding:0;color:#333}
.tags span{background:#eef;border-radius:.3rem;padding:0 .4rem;margin-right:.3rem;font-size:.9em}
.summary{font-size:1.1em}footer{margin-top:2rem;color:#666;font-size:.9em}"""


def safe_link(url: str | None) -> bool:
    if not url:
        return False
    url = url.strip()
    lowered = url.lower()
    return lowered.startswith(SAFE_SCHEMES) or (url.startswith(("/", "#")) and not url.startswith("//"))


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.validateLink = safe_link

    def link_open(self, tokens, idx, options, env):
        tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


MARKDOWN = _markdown()


def render_markdown(text: str) -> str:
    return MARKDOWN.render(text or "")


def _a(url: str, label: str) -> str:
    if not safe_link(url):
        return escape(label)
    return f'<a href="{escape(url, quote=True)}" rel="nofollow noopener noreferrer">{escape(label)}</a>'


def _facts(kind: str, item: Any, today: date) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    if kind == "project":
        span = (f"{item.started_on} – {item.finished_on or 'ongoing'}" if item.started_on else "")
        facts = [f"Built with {', '.join(item.tech_stack)}" if item.tech_stack else "", span]
        links = [("Repository", item.repo_url), ("Live site", item.live_url)]
        return facts, links, list(item.tags)
    if kind == "profile":
        work = ("Open to work" + (f": {item.availability}" if item.availability else "")) if item.open_to_work else ""
        facts = [f"Based in {item.location}" if item.location else "", work,
                 f"Contact: {item.contact}" if item.contact else ""]
        return facts, [(link["label"], link["url"]) for link in item.links or []], []
    if kind == "post":
        published = f"Published {item.published_at.date()}" if item.published_at else ""
        return [published, f"{item.reading_time} min read"], [], list(item.tags)
    expiry = ""
    if item.expires_on:
        expiry = f"Expired {item.expires_on}" if item.expires_on < today else f"Valid until {item.expires_on}"
    facts = [f"Issued by {item.issuer}", f"Issued {item.issued_on}" if item.issued_on else "", expiry,
             f"Credential ID {item.credential_id}" if item.credential_id else ""]
    return facts, [("Verify the credential", item.credential_url)], []


def item_page(kind: str, title: str, summary: str, item: Any, api_url: str, today: date | None = None) -> str:
    facts, links, tags = _facts(kind, item, today or date.today())
    fact_items = "".join(f"<li>{escape(f)}</li>" for f in facts if f)
    link_items = "".join(f"<li>{_a(url, label)}</li>" for label, url in links if url)
    tag_spans = "".join(f"<span>{escape(t)}</span>" for t in tags)
    body = render_markdown(getattr(item, "body", None) or getattr(item, "bio", "") or "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {escape(kind)}</title><style>{STYLE}</style></head>
<body>
<nav><a href="{CHAT_URL}">← Back to the chat</a></nav>
<article>
<header><p>{escape(kind.capitalize())}</p><h1>{escape(title)}</h1></header>
<p class="summary">{escape(summary or "")}</p>
<ul class="facts">{fact_items}</ul>
{f'<p class="tags">{tag_spans}</p>' if tag_spans else ''}
{f'<ul class="links">{link_items}</ul>' if link_items else ''}
<section class="body">{body}</section>
</article>
<footer><a href="{CHAT_URL}">← Back to the chat</a> · <a href="{escape(api_url, quote=True)}">JSON</a></footer>
</body></html>"""


def not_found_page(what: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title><style>{STYLE}</style></head>
<body><nav><a href="{CHAT_URL}">← Back to the chat</a></nav><h1>Not found</h1>
<p>{escape(what)}</p></body></html>"""
