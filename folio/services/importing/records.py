"""What a source hands the import: one candidate item per repository or feed entry, in folio's own field
names, with JSON values (dates as ISO strings) so they can be stored as the source's values and compared."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Candidate:
    """A repository or feed entry as the item it would become."""

    external_id: str  # stable at the source: a repository's id, an entry's id or link
    kind: str  # "project" or "post"
    values: dict[str, Any]  # folio field -> value (JSON); a field absent here is unchanged at the source
    url: str | None = None  # where it lives at the source
    selected: bool = True  # the preview's default (forks and archived repositories: unselected)
    notes: tuple[str, ...] = ()  # "fork", "archived", "private"

    @property
    def title(self) -> str:
        return str(self.values.get("title") or self.external_id)


@dataclass
class Fetched:
    """One read of a source. `candidates` is None when the source answered 304 Not Modified."""

    candidates: list[Candidate] | None
    validators: dict[str, Any] = field(default_factory=dict)  # url -> {etag, last_modified, ...}
    requests: int = 0  # HTTP requests it took (retries included)


Progress = Any  # a callable(done: int, total: int | None, label: str) -> None (or awaitable), or None


async def tell(progress: Progress, done: int, total: int | None, label: str) -> None:
    """Report progress to a plain or an async callback (a CLI bar, a chat step)."""
    if progress is not None:
        result = progress(done, total, label)
        if inspect.isawaitable(result):
            await result
