"""Drafting posts in the owner's chat: the draft being edited, and turning it into confirmed changes.

The draft itself lives in the chat session (it is the owner's scratch text, not content yet). Saving it
and publishing it are writes, so they become pending changes (folio.services.changes) the owner
confirms: the first save proposes creating a draft post, later saves propose updating it, and
publishing proposes either creating it published or updating it to published, with the diff shown.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from folio.actor import Actor
from folio.errors import NotFound, ValidationFailed
from folio.services.changes import ChangeService, ProposedChange
from folio.services.content import ContentService

MAX_EXCERPT = 300


@dataclass
class Section:
    heading: str
    text: str  # Markdown paragraphs (and code blocks), separated by blank lines


@dataclass
class Draft:
    """A post being written: its fields, and its body as headed sections (written and revised one at a
    time). `facts` are the owner's own words it was written from (the brief, their answers, the
    portfolio notes): what a claim in it may rest on."""

    title: str
    sections: list[Section] = field(default_factory=list)
    excerpt: str = ""
    tags: list[str] = field(default_factory=list)
    slug: str | None = None  # the post it was saved as, once a save was confirmed
    version: int = 1
    published: bool = False  # that post is public
    facts: str = ""

    @property
    def body(self) -> str:
        parts = []
        for section in self.sections:
            if section.heading:
                parts.append(f"## {section.heading}")
            if section.text.strip():
                parts.append(section.text.strip())
        return "\n\n".join(parts)

    def post_fields(self) -> dict[str, Any]:
        return {"title": self.title, "body": self.body, "excerpt": sentence_cut(self.excerpt, MAX_EXCERPT),
                "tags": self.tags}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Draft | None:
        if not data or not data.get("title"):
            return None
        sections = [Section(str(s.get("heading", "")), str(s.get("text", ""))) for s in data.get("sections") or []
                    if isinstance(s, dict)]
        if not sections and data.get("body"):  # a draft kept by an earlier version of folio
            sections = [Section("", str(data["body"]))]
        return cls(title=str(data["title"]), sections=sections, excerpt=str(data.get("excerpt", "")),
                   tags=[str(t) for t in data.get("tags") or []], slug=data.get("slug") or None,
                   version=int(data.get("version") or 1), published=bool(data.get("published")),
                   facts=str(data.get("facts") or ""))

    def next_version(self, **changes: Any) -> Draft:
        """The next version: the given fields changed, the rest (and the post it was saved as) kept."""
        return replace(self, **{"sections": [replace(s) for s in self.sections], "tags": list(self.tags),
                                **changes, "version": self.version + 1})


class DraftService:
    def __init__(self, changes: ChangeService, posts: ContentService):
        self.changes = changes
        self.posts = posts

    async def propose_save(self, actor: Actor, draft: Draft, *, thread_id: str | None = None) -> ProposedChange:
        """Create a draft post from the draft, or update the post it was saved as."""
        if await self._saved(actor, draft):
            return await self.changes.propose_update(actor, "post", draft.slug, draft.post_fields(),
                                                     thread_id=thread_id)
        return await self.changes.propose_create(actor, "post", {**draft.post_fields(), "status": "draft"},
                                                 thread_id=thread_id)

    async def propose_publish(self, actor: Actor, draft: Draft, *,
                              thread_id: str | None = None) -> ProposedChange:
        """Publish the draft: create it published, or update its post (latest text + published)."""
        if not draft.body.strip():
            raise ValidationFailed("the draft has no body yet")
        if await self._saved(actor, draft):
            try:
                return await self.changes.propose_update(
                    actor, "post", draft.slug, {**draft.post_fields(), "status": "published"},
                    thread_id=thread_id, action="publish")
            except ValidationFailed as exc:
                if "nothing would change" in exc.message:
                    raise ValidationFailed(f"the post '{draft.slug}' is already published as it is") from None
                raise
        return await self.changes.propose_create(actor, "post", {**draft.post_fields(), "status": "published"},
                                                 thread_id=thread_id)

    async def _saved(self, actor: Actor, draft: Draft) -> bool:
        if not draft.slug:
            return False
        try:
            await self.posts.get(actor, draft.slug)
        except NotFound:
            draft.slug = None  # deleted meanwhile: the next save creates it again
            return False
        return True


def sentence_cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending on a sentence (or, when even the first sentence
    is longer, on a word with an ellipsis)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)", head)]
    if ends:
        return head[:ends[-1]].strip()
    return head.rsplit(" ", 1)[0].rstrip(",;:") + " …"
