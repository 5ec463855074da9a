"""How a proposed change reads: in full for the owner (Markdown, every field or every difference), and
in one line for the model (which must not claim anything was saved)."""

from __future__ import annotations

import difflib
import json
from typing import Any

from folio import prompts
from folio.services.changes import ProposedChange

LONG = 120  # values longer than this, or with line breaks, are shown as blocks below the table


def _cell(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    elif not isinstance(value, str):
        value = json.dumps(value)
    return value.replace("|", "\\|").replace("\n", " ")


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > LONG or "\n" in value)


def _fence(text: str, lang: str = "") -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}{lang}\n{text}\n{fence}"


CONTEXT = 8  # unchanged words shown around each change
_MD = str.maketrans({c: "\\" + c for c in "\\`*_~[]<>#|"})


def _words(words: list[str]) -> str:
    return " ".join(words).translate(_MD)


def word_diff(before: str, after: str) -> str:
    """The changed words of a long text, highlighted in their context as quoted lines that wrap: removed
    words struck through, added words in bold, a few unchanged words either side, "…" for the rest."""
    old, new = before.split(), after.split()
    hunks: list[list[tuple[str, int, int, int, int]]] = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(CONTEXT):
        hunks.append(group)
    lines = []
    for group in hunks:
        parts = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append(_words(old[i1:i2]))
                continue
            if i2 > i1:
                parts.append(f"~~{_words(old[i1:i2])}~~")
            if j2 > j1:
                parts.append(f"**{_words(new[j1:j2])}**")
        first, last = group[0], group[-1]
        lead = "… " if first[1] > 0 else ""
        tail = " …" if last[2] < len(old) else ""
        lines.append(f"> {lead}{' '.join(p for p in parts if p)}{tail}")
    return "\n>\n".join(lines) or "> (only line breaks or spacing change)"


def render_change(change: ProposedChange) -> str:
    """The exact change, for the owner to confirm."""
    head = f"**{prompts.CHANGE_ACTIONS[change.action]} {change.kind}** “{change.title}” · `{change.slug}`"
    if change.action in ("create", "delete"):
        intro = ("Everything below will be stored:" if change.action == "create"
                 else "This cannot be undone. Everything below will be lost:")
        rows = ["| field | value |", "|---|---|"]
        blocks = []
        for name, value in change.fields.items():
            if _is_long(value):
                rows.append(f"| {name} | (below) |")
                blocks.append(f"**{name}**\n\n{_fence(value, 'markdown')}")
            else:
                rows.append(f"| {name} | {_cell(value)} |")
        return "\n\n".join([head, intro, "\n".join(rows), *blocks])
    rows = ["| field | before | after |", "|---|---|---|"]
    blocks = []
    for d in change.diff:
        if _is_long(d.before) or _is_long(d.after):
            rows.append(f"| {d.field} | (changes below) | (changes below) |")
            blocks.append(f"**{d.field}** (~~removed~~, **added**):\n\n{word_diff(str(d.before or ''), str(d.after or ''))}")
        else:
            rows.append(f"| {d.field} | {_cell(d.before)} | {_cell(d.after)} |")
    count = f"{len(change.diff)} field{'s' if len(change.diff) != 1 else ''} change; nothing else is touched:"
    return "\n\n".join([head, count, "\n".join(rows), *blocks])


def summarize_change(change: ProposedChange) -> str:
    """One line for the model: what was proposed, and that nothing is written yet."""
    if change.action == "create":
        what = ", ".join(f"{k}={_cell(v)[:60]}" for k, v in change.fields.items() if v not in (None, "", [], False))
    elif change.action == "delete":
        what = "the whole item"
    else:
        what = ", ".join(f"{d.field}: {_cell(d.before)[:40]} -> {_cell(d.after)[:40]}" for d in change.diff)
    return prompts.TOOL_PROPOSED.format(action=change.action, kind=change.kind, slug=change.slug, what=what)
