"""Tables of the GitHub and feed imports (migration 0019): each source's HTTP validators, and each
imported item's source values (the base a re-import merges against) and waiting conflicts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from data.models import Base


class ImportSource(Base):
    """One source: "github:USER" or "feed:URL"."""

    __tablename__ = "import_sources"
    key: Mapped[str] = mapped_column(String(600), primary_key=True)
    validators: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # url -> {etag, last_modified}
    synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ImportedItem(Base):
    """A repository or feed entry imported as a project or post."""

    __tablename__ = "imported_items"
    __table_args__ = (UniqueConstraint("source_key", "external_id", name="uq_imported_items_source_external"),)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    source_key: Mapped[str] = mapped_column(String(600), ForeignKey("import_sources.key", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    source_values: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # field -> value at the source
    conflicts: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # field -> the source's newer value
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())
