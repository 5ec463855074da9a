"""The CV as one HTML page and as a PDF (Typst, compiled in-process by its PyPI wheel: no outside
request, fonts embedded). The CV's values reach Typst as JSON (sys.inputs), never as markup, so nothing
a value holds can be read as Typst code."""

from __future__ import annotations

import json
from datetime import date
from html import escape

import typst

from api.pages.render import STYLE, _a
from folio.services.cv import CV_PDF, Cv

CV_STYLE = STYLE + """h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:1.6rem}.role h3{margin:.8rem 0 0}
.when{color:#555;font-size:.95em}ul.tight{margin:.3rem 0}"""
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month(value: date | None, none: str = "") -> str:
    return f"{MONTHS[value.month - 1]} {value.year}" if value else none


def _span(start: date | None, end: date | None) -> str:
    return f"{month(start)} – {month(end, 'present')}"


def cv_page(cv: Cv) -> str:
    roles = "".join(
        f'<div class="role"><h3>{escape(r.title)} · {escape(r.organisation)}</h3>'
        f'<p class="when">{escape(_span(r.started_on, r.ended_on))}{" · " + escape(r.location) if r.location else ""}</p>'
        f"<p>{escape(r.summary)}</p>"
        + (f'<ul class="tight">{"".join(f"<li>{escape(h)}</li>" for h in r.highlights)}</ul>' if r.highlights else "")
        + "</div>" for r in cv.roles)
    projects = "".join(
        f"<li><b>{_a(p.url, p.title) if p.url else escape(p.title)}</b>: {escape(p.summary)}"
        f"{' <span class=when>(' + escape(', '.join(p.tech)) + ')</span>' if p.tech else ''}</li>" for p in cv.projects)
    certs = "".join(
        f"<li><b>{escape(c.name)}</b>, {escape(c.issuer)}"
        f"{' · ' + month(c.issued_on) if c.issued_on else ''}"
        f"{' (valid until ' + month(c.expires_on) + ')' if c.expires_on else ''}</li>" for c in cv.certifications)
    links = " · ".join(_a(url, label) for label, url in cv.links)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(cv.name)} · CV</title><style>{CV_STYLE}</style></head>
<body><nav><a href="/chat/">← Back to the chat</a> <a href="{CV_PDF}">PDF</a></nav>
<header><h1>{escape(cv.name)}</h1><p>{escape(cv.headline)}</p>
<p class="when">{escape(cv.location)}{' · ' + escape(cv.contact) if cv.contact else ''}</p><p>{links}</p></header>
{f'<h2>Experience</h2>{roles}' if roles else ''}
{f'<h2>Selected projects</h2><ul>{projects}</ul>' if projects else ''}
{f'<h2>Certifications</h2><ul>{certs}</ul>' if certs else ''}
</body></html>"""


TEMPLATE = """
#let cv = json(bytes(sys.inputs.cv))
#set document(title: cv.name + " - CV", author: cv.name)
#set page(paper: "a4", margin: (x: 1.8cm, y: 1.6cm))
#set text(size: 10pt)
#show heading.where(level: 2): it => block(above: 1.2em, below: 0.6em)[#text(size: 12pt, weight: "bold")[#it.body] #line(length: 100%, stroke: 0.5pt + gray)]
#text(size: 20pt, weight: "bold")[#cv.name] \\
#cv.headline \\
#text(fill: gray.darken(30%))[#cv.contact_line]
#for l in cv.links [ #link(l.url)[#l.label] #h(0.6em) ]

#if cv.roles.len() > 0 [
  == Experience
  #for r in cv.roles [
    #block(above: 0.8em, below: 0.3em)[*#r.title* · #r.organisation #h(1fr) #text(fill: gray.darken(30%))[#r.when]]
    #if r.summary != "" [#r.summary]
    #for h in r.highlights [ - #h ]
  ]
]
#if cv.projects.len() > 0 [
  == Selected projects
  #for p in cv.projects [ - *#p.title*: #p.summary #if p.tech != "" [(#p.tech)] ]
]
#if cv.certifications.len() > 0 [
  == Certifications
  #for c in cv.certifications [ - *#c.name*, #c.issuer #c.when ]
]
"""


def cv_pdf(cv: Cv) -> bytes:
    data = {
        "name": cv.name, "headline": cv.headline,
        "contact_line": " · ".join(p for p in (cv.location, cv.contact) if p),
        "links": [{"label": label, "url": url} for label, url in cv.links if url.startswith(("https://", "http://", "mailto:"))],
        "roles": [{"title": r.title, "organisation": r.organisation,
                   "when": _span(r.started_on, r.ended_on) + (f" · {r.location}" if r.location else ""),
                   "summary": r.summary, "highlights": list(r.highlights)} for r in cv.roles],
        "projects": [{"title": p.title, "summary": p.summary, "tech": ", ".join(p.tech)} for p in cv.projects],
        "certifications": [{"name": c.name, "issuer": c.issuer,
                            "when": (f"· {month(c.issued_on)}" if c.issued_on else "")
                                    + (f" (valid until {month(c.expires_on)})" if c.expires_on else "")}
                           for c in cv.certifications],
    }
    return typst.compile(TEMPLATE.encode(), sys_inputs={"cv": json.dumps(data, ensure_ascii=False)})
