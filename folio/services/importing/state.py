"""The import's memory between runs (import_sources, imported_items): read and written through
data.repositories.imports, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from data.repositories.imports import ImportRepository

SKIPPED = "skipped"  # validators' key: external ids the owner left unselected (a sync does not add them)
REPOSITORY = ImportRepository()


async def validators_of(session: AsyncSession, key: str) -> dict[str, Any]:
    source = await REPOSITORY.source(session, key)
    return dict(source.validators) if source is not None else {}


def request_validators(validators: dict[str, Any], imported: set[str]) -> dict[str, Any]:
    """The validators to send: the list's always; a README's only for an item already imported (a 304
    keeps the stored body, which a never-imported item does not have)."""
    out = {}
    for key, value in validators.items():
        if key == SKIPPED:
            continue
        if key.startswith("readme:") and key.removeprefix("readme:") not in imported:
            continue
        out[key] = value
    return out
