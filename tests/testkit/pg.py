"""One embedded PostgreSQL per test session; a migrated template; a fresh database per test."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

import psycopg

from data import migrate
from data.embedded_pg import EmbeddedPostgres

TEMPLATE = "folio_template"


class TestDatabases:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="fpg", dir="/tmp"))
        self.server = EmbeddedPostgres(self.root / "pg")
        self.socket_dir = str(self.root / "pg")

    def start(self) -> None:
        self.server.start()
        self._admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        self._admin(f"CREATE DATABASE {TEMPLATE}")
        migrate.upgrade(self.url(TEMPLATE))

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres:@/{name}?host={self.socket_dir}"

    def libpq_url(self, name: str) -> str:
        return f"postgresql://postgres:@/{name}?host={self.socket_dir}"

    def _admin(self, sql: str) -> None:
        with psycopg.connect(self.libpq_url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def create(self, template: str | None = TEMPLATE) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        self._admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
