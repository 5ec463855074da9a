"""Drafting posts in the owner's chat: which step the owner asked for is read with every other request
(agent/requests); writing and revising the draft is the writing assistant's job (folio.services.writer,
shared with REST); its names are re-exported here for the chat."""

from __future__ import annotations

from folio.services.draft_text import (Goals, code_blocks, draft_markdown, draft_view, enforce, goals_of,
                                       has_code, parse_draft, trim_to, word_count)
from folio.services.drafts import Draft
from folio.services.writer import compose, writer_messages_new, writer_messages_revise

__all__ = ["Draft", "Goals", "code_blocks", "compose", "draft_markdown", "draft_view", "enforce",
           "goals_of", "has_code", "parse_draft", "trim_to",
           "word_count", "writer_messages_new", "writer_messages_revise"]
