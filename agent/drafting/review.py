"""What the owner must check before publishing: sentences that claim something the owner did not say
(a number, a product, a name that is in none of their words nor the portfolio notes the draft was
written from), and the code blocks the model wrote. Checked in code, on every version."""

from __future__ import annotations

import re

from agent.drafting.clean import blocks, is_code, sentences
from folio.services.drafts import Draft

MAX_SHOWN = 5
_TOKEN = re.compile(r"[A-Za-z][\w.+#-]*[\w+#]|[A-Za-z]|\d[\d.,:]*%?")
_COMMON = {"i", "i'm", "i've", "i'd", "i'll", "ok", "it", "a"}


def _named(sentence: str) -> list[str]:
    """The words of a sentence that name something specific: numbers, proper names, product names
    (capitalised past the first word, inner capitals, dotted or with + or #)."""
    out = []
    for n, token in enumerate(_TOKEN.findall(sentence)):
        token = token.rstrip(".,:")
        if not token or token.lower() in _COMMON:
            continue
        if any(c.isdigit() for c in token) or re.search(r"[a-z][A-Z]|[.+#]\w|\w[+#]", token) or (
                n > 0 and token[0].isupper()):
            out.append(token)
    return out


def _known(token: str, source: str) -> bool:
    folded = token.lower()
    if folded in source:
        return True
    digits = re.sub(r"[^\d]", "", token)
    return bool(digits) and digits in re.sub(r"[^\d]", " ", source).split()


def unsupported(draft: Draft) -> list[str]:
    """The draft's sentences that name something the owner never gave."""
    source = f"{draft.facts}\n{draft.title}".lower()
    flagged = []
    for section in draft.sections:
        for paragraph in blocks(section.text):
            if is_code(paragraph):
                continue
            for sentence in sentences(paragraph):
                if any(not _known(token, source) for token in _named(sentence)):
                    flagged.append(sentence)
    return flagged


def code_blocks(body: str) -> int:
    return len(re.findall(r"^\s*```[\w+-]*\s*$", body, re.M)) // 2
