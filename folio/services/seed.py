"""The demo portfolio shipped with folio (data/demo/portfolio.json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from folio.actor import Actor
from folio.kinds import KINDS
from folio.kinds import PROFILE_SLUG
from folio.schemas_profile import ProfileIn
from folio.services import Services

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo" / "portfolio.json"
SYSTEM = Actor(email="system", is_owner=True)


def load_demo(path: Path = DEMO_FILE) -> dict:
    return json.loads(path.read_text())


def demo_item_count(path: Path = DEMO_FILE) -> int:
    """How many items of every kind the demo portfolio holds (a progress bar's total)."""
    demo = load_demo(path)
    return sum(len(demo.get(spec.plural, [])) for spec in KINDS.values())


async def is_empty(services: Services) -> bool:
    for kind in KINDS:
        if await services.content(kind).count():
            return False
    return True


async def seed_demo(services: Services, path: Path = DEMO_FILE,
                    progress: Callable[[str, str], None] | None = None) -> dict[str, int]:
    """Create every demo item whose slug is not taken yet, and the owner's profile unless there is one;
    returns how many of each were created."""
    demo = load_demo(path)
    created: dict[str, int] = {}
    for kind, spec in KINDS.items():
        service = services.content(kind)
        created[spec.plural] = 0
        for raw in demo.get(spec.plural, []):
            data = spec.create.model_validate(raw)
            if data.slug and await service.exists(data.slug):
                continue
            await service.create(SYSTEM, data)
            created[spec.plural] += 1
            if progress:
                progress(kind, data.slug or "")
    created["profile"] = 0
    if demo.get("owner") and await services.profile.seed(ProfileIn.model_validate(demo["owner"])):
        created["profile"] = 1
        if progress:
            progress("profile", PROFILE_SLUG)
    if any(created.values()):
        await services.indexer.refresh_statistics(services.db)
    return created
