"""Imports from where the owner's work already lives: GitHub repositories as projects, blog feeds (RSS,
Atom, JSON Feed) as posts; previewed, confirmed, and kept in sync without overwriting the owner.

    records.py  what a source hands over (candidates)     github.py  repositories (githubkit)
    mapping.py  source fields -> folio fields            feeds.py   RSS / Atom / JSON Feed (feedparser)
    merge.py    the three-way merge (source values)      state.py   sync state between runs
    preview.py  preview, report and conflict shapes      service.py preview, apply, sync, conflicts
    schedule.py the scheduled sync (advisory lock)   asking.py  is a chat message an import request?
"""

from folio.services.importing.asking import ImportAsk, import_request
from folio.services.importing.preview import ConflictView, ImportPreview, ImportReport, Planned
from folio.services.importing.service import GitHubConfig, ImportService, source_key

__all__ = ["ConflictView", "GitHubConfig", "ImportAsk", "import_request", "ImportPreview", "ImportReport", "ImportService", "Planned", "source_key"]
