"""A draft as the owner reads it in the chat: which draft, what to check (claims they did not make, code
the model wrote), what changed since the previous version (a word-level diff), then the post itself.
The post's fields (excerpt, tags) are shown apart from its body, never inside it."""

from __future__ import annotations

from agent.drafting.review import MAX_SHOWN, code_blocks, unsupported
from folio import prompts
from folio.services.drafts import Draft
from tools.previews import word_diff


def draft_markdown(draft: Draft) -> str:
    """The post: its title, then its body (what would be stored as the post's body)."""
    return f"# {draft.title}\n\n{draft.body}".strip()


def fields_line(draft: Draft) -> str:
    tags = " ".join(f"`{t}`" for t in draft.tags)
    return prompts.DRAFT_FIELDS.format(excerpt=draft.excerpt or "—", tags=tags or "—")


def review_notes(draft: Draft) -> str:
    notes = []
    claims = unsupported(draft)
    if claims:
        quoted = "\n".join(f"> {c}" for c in claims[:MAX_SHOWN])
        more = prompts.DRAFT_CLAIMS_MORE.format(count=len(claims) - MAX_SHOWN) if len(claims) > MAX_SHOWN else ""
        notes.append(prompts.DRAFT_CLAIMS_REVIEW.format(count=len(claims), claims=quoted, more=more))
    if review := code_blocks(draft.body):
        notes.append(prompts.DRAFT_CODE_REVIEW.format(count=review))
    return "\n\n".join(notes)


def changes(previous: Draft, draft: Draft) -> str:
    """The word-level difference between two versions (title and body)."""
    return prompts.DRAFT_DIFF.format(version=previous.version,
                                     diff=word_diff(draft_markdown(previous), draft_markdown(draft)))


def draft_view(banner: str, draft: Draft, previous: Draft | None = None, report: str = "") -> str:
    parts = [banner]
    if report:
        parts.append(report)
    if notes := review_notes(draft):
        parts.append(notes)
    if previous is not None:
        parts.append(changes(previous, draft))
    parts += ["---", fields_line(draft), draft_markdown(draft)]
    return "\n\n".join(parts)
