"""HTML of the owner's pages: the insights (figures, SVG charts, topics, gaps with "Draft an answer",
leads with their status) and the owner's login form. No script at all; every value escaped (visitors'
words included); the forms post to the same origin only (OWNER_CSP)."""

from __future__ import annotations

from html import escape

from api.pages.render import STYLE
from folio import charts
from folio.services.insights import LEAD_STATUSES, PERIODS, Insights

OWNER_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
             "form-action 'self'; frame-ancestors 'none'")
INSIGHTS_URL = "/owner/insights"
LOGIN_URL = "/owner/login"
OWNER_STYLE = STYLE + """body{max-width:64rem}.figures{display:flex;gap:1rem;flex-wrap:wrap;padding:0;list-style:none}
.figures li{background:#f4f4f6;border-radius:.5rem;padding:.6rem 1rem}.figures b{display:block;font-size:1.6em}
.charts{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top}form.inline{display:inline}
.muted{color:#666}.notice{background:#eef7ee;padding:.6rem 1rem;border-radius:.4rem}"""


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{escape(title)}</title><style>{OWNER_STYLE}</style></head>
<body>{body}</body></html>"""


def login_page(message: str = "") -> str:
    notice = f'<p class="notice">{escape(message)}</p>' if message else ""
    return _page("Owner login", f"""<h1>Owner login</h1>{notice}
<form method="post" action="{LOGIN_URL}">
<p><label>Email<br><input name="email" type="email" autocomplete="username" required></label></p>
<p><label>Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Log in</button></p></form>""")


def refused_page(message: str) -> str:
    return _page("Owner only", f"""<h1>Owner only</h1><p>{escape(message)}</p>
<p><a href="{LOGIN_URL}">Log in as the owner</a></p>""")


def insights_page(ins: Insights, notice: str = "") -> str:
    periods = " · ".join(f"<b>last {p} days</b>" if p == ins.days_back else
                         f'<a href="{INSIGHTS_URL}?days={p}">last {p} days</a>' for p in PERIODS)
    figures = "".join(f'<li data-figure="{key}"><b>{value}</b>{escape(label)}</li>' for key, label, value in (
        ("conversations", "conversations", ins.conversations), ("visitors", "visitors", ins.visitors),
        ("questions", "questions", ins.questions), ("from_data", "answered from the data", ins.total("from_data")),
        ("by_model", "answered by the model", ins.total("by_model")),
        ("unanswered", "not answered", ins.total("unanswered")), ("new_leads", "new leads", ins.lead_counts["new"])))
    notice_html = f'<p class="notice" role="status">{escape(notice)}</p>' if notice else ""
    return _page("Insights", f"""<nav><a href="/chat/">Chat</a> <a href="/cv">CV</a></nav>
<h1>Insights</h1><p>{periods}</p>{notice_html}
<ul class="figures">{figures}</ul>
<section class="charts"><figure id="chart-activity">{charts.activity(ins)}</figure>
<figure id="chart-answered">{charts.answered(ins)}</figure></section>
<h2>Most asked-about topics</h2>{_topics(ins)}
<h2>Unanswered and thumbs-down questions</h2>{_gaps(ins)}
<h2>Leads</h2>{_leads(ins)}
<p class="muted">Visitors are anonymous here: no addresses are kept and visitor ids are hashed.</p>""")


def _topics(ins: Insights) -> str:
    if not ins.topics:
        return '<p class="muted">No answered questions in this period.</p>'
    rows = "".join(
        f"<tr><td>{t.size}</td><td>{'<br>'.join(f'«{escape(q)}»' for q in t.examples)}</td>"
        f"<td>{', '.join(f'{escape(item)} ({n})' for item, n in t.items) or '—'}</td></tr>" for t in ins.topics)
    return (f'<figure id="chart-topics">{charts.topics(ins)}</figure>'
            f'<table id="topics"><tr><th>Questions</th><th>Examples</th><th>Items cited</th></tr>{rows}</table>')


def _gaps(ins: Insights) -> str:
    if not ins.gaps:
        return '<p class="muted">Nothing left unanswered.</p>'
    rows = []
    for gap in ins.gaps:
        ids = "".join(f'<input type="hidden" name="q" value="{i}">' for i in gap.ids)
        action = (f'<form class="inline" method="post" action="{INSIGHTS_URL}/gaps">{ids}'
                  f'<button type="submit">Draft an answer</button></form>' if gap.ids else "")
        thumbs = f" · {gap.thumbs_down} thumbs-down" if gap.thumbs_down else ""
        rows.append(f'<tr class="gap"><td>{gap.size}{thumbs}</td>'
                    f"<td>{'<br>'.join(f'«{escape(q)}»' for q in gap.questions)}</td><td>{action}</td></tr>")
    return f'<table id="gaps"><tr><th>Asked</th><th>Questions</th><th></th></tr>{"".join(rows)}</table>'


def _leads(ins: Insights) -> str:
    counts = ", ".join(f"{ins.lead_counts[s]} {s}" for s in LEAD_STATUSES)
    if not ins.leads:
        return f'<p class="muted">No leads yet ({counts}).</p>'
    rows = []
    for lead in ins.leads:
        buttons = "".join(
            f'<form class="inline" method="post" action="{INSIGHTS_URL}/leads/{lead.id}">'
            f'<input type="hidden" name="status" value="{s}"><button type="submit">Mark {s}</button></form> '
            for s in LEAD_STATUSES if s != lead.status)
        rows.append(f'<tr class="lead" data-status="{lead.status}"><td>{lead.created_at:%Y-%m-%d}</td>'
                    f"<td>{escape(lead.name)}<br>{escape(lead.email)}</td><td>«{escape(lead.message[:300])}»</td>"
                    f"<td>{lead.status}</td><td>{buttons}</td></tr>")
    return (f'<p>{counts}</p><table id="leads"><tr><th>When</th><th>Who</th><th>Message</th><th>Status</th><th></th>'
            f'</tr>{"".join(rows)}</table>')
