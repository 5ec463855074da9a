"""The insights' charts as SVG (pygal), for the owner's page and the owner's chat alike.

Self-contained: pygal's script (loaded from a CDN by default) is left out, and the inline config script
and comments it still writes are removed: a chart makes no outside request and runs no script. Labels are the owner's data and visitors' words:
pygal escapes text it writes into the SVG."""

from __future__ import annotations

import re

import pygal
from pygal.style import Style

from folio.services.insights import Insights

STYLE = Style(background="white", plot_background="white", foreground="#333", foreground_strong="#111",
              foreground_subtle="#999", font_family="system-ui, sans-serif",
              colors=("#3558d6", "#2aa876", "#e3a21a", "#d64535", "#999999"))
COMMON = {"style": STYLE, "js": [], "disable_xml_declaration": True, "legend_at_bottom": True,
          "explicit_size": True, "truncate_legend": 40, "print_values": False}
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _svg(chart: pygal.graph.graph.Graph) -> str:
    return _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))


def activity(ins: Insights) -> str:
    """Conversations and questions per day."""
    # Lines without dots: two paths, where bars (and dots) are an element and a tooltip per day (~4x slower).
    chart = pygal.Line(width=760, height=300, x_label_rotation=0, show_minor_x_labels=False, show_dots=False,
                      title=f"Conversations and questions per day, last {ins.days_back} days", **COMMON)
    chart.x_labels = [d.day.strftime("%d %b") for d in ins.days]
    chart.x_labels_major = chart.x_labels[::max(1, len(ins.days) // 6)]
    chart.add("Conversations", [d.conversations for d in ins.days])
    chart.add("Questions", [d.questions for d in ins.days])
    return _svg(chart)


def answered(ins: Insights) -> str:
    """The share answered from the data, by the model's phrasing, not answered (and greetings)."""
    chart = pygal.Pie(width=380, height=300, inner_radius=0.45, title="How questions were answered", **COMMON)
    for label, name in (("From the data", "from_data"), ("By the model", "by_model"),
                        ("Not answered", "unanswered"), ("Greetings, off-topic", "other")):
        chart.add(label, ins.total(name))
    return _svg(chart)


def topics(ins: Insights) -> str:
    """The most asked-about topics (clusters of questions), by size."""
    chart = pygal.HorizontalBar(width=760, height=60 + 34 * max(1, len(ins.topics)), show_legend=False,
                                title="Most asked-about topics", **COMMON)
    chart.x_labels = [t.examples[0][:60] for t in ins.topics][::-1]
    chart.add("Questions", [t.size for t in ins.topics][::-1])
    return _svg(chart)
