"""Text a visitor wrote, made inert before the owner sees it.

Visitors write the inbox (questions the portfolio could not answer, contact requests); the owner reads
it in the chat (Markdown), in notification emails and wherever else folio shows it. A visitor must not
be able to put a link, an image, a heading or HTML in front of the owner ("[Sign in again](https://evil...)"):

- `markdown_literal`: every ASCII punctuation character is backslash-escaped (CommonMark shows it as
  itself), so no Markdown or HTML construct can start, and the literal autolinks of GFM (`http://`,
  `https://`, `www.`, `x@y.z`) cannot match: the text renders exactly as written, never as a link;
- `defanged`: for plain text (email), URLs lose their power to be linked by a mail client
  (`https://evil.example` -> `hxxps://evil[.]example`, `www.` -> `www[.]`).
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SCHEME = re.compile(r"(?i)\b(h)(?:tt)(ps?)(:)//")
_DOTTED = re.compile(r"(?i)\b((?:hxxps?://|www\.)[^\s/]*)")


def markdown_literal(text: str) -> str:
    """`text` (one line, whitespace collapsed) as Markdown that renders exactly these characters."""
    return _PUNCTUATION.sub(r"\\\1", " ".join((text or "").split()))


def defanged(text: str) -> str:
    """Plain text with its URLs made unclickable for mail clients (the words stay readable)."""
    text = _SCHEME.sub(lambda m: f"{m.group(1)}xx{m.group(2)}{m.group(3)}//", text or "")
    return _DOTTED.sub(lambda m: m.group(1).replace(".", "[.]"), text)
