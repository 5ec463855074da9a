"""HTML for an item's page: title, kind, dates, facts, links and the Markdown body rendered safely.

Safety: the Markdown renderer has raw HTML off (any HTML in a body is shown as text), and only http(s),
mailto and relative links are kept (no javascript:, data:, vbscript:, file:); every value is escaped;
the response carries a Content-Security-Policy that allows no script at all."""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

from folio.kinds import VisitorFacts

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


def item_page(kind: str, title: str, summary: str, body_text: str, shown: VisitorFacts, api_url: str) -> str:
    facts, links, tags = shown.facts, shown.links, shown.terms
    fact_items = "".join(f"<li>{escape(f)}</li>" for f in facts if f)
    link_items = "".join(f"<li>{_a(url, label)}</li>" for label, url in links if url)
    tag_spans = "".join(f"<span>{escape(t)}</span>" for t in tags)
    body = render_markdown(body_text)
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
