"""The bare peer of benchmarks/rest_bench.py: FastAPI + SQLAlchemy async + psycopg serving
GET /api/v1/projects/{slug} from its own embedded PostgreSQL, with folio's projects table (made by
folio's migrations, the demo projects in it) and the same row shape in the JSON. No middleware, no
auth, no services, no chat: what a minimal app on the same stack costs per request.

    .venv/bin/python benchmarks/rest_peer.py --port 8001 [--data /tmp/peer]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

import orjson
import uvicorn
from fastapi import FastAPI, HTTPException, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data import migrate  # noqa: E402  (the same table as folio's)
from data.embedded_pg import EmbeddedPostgres  # noqa: E402
from folio.services.seed import load_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402

COLUMNS = ("id, slug, title, summary, body, tags, tech_stack, repo_url, live_url, image_url, featured, "
           "published, started_on, finished_on, created_at, updated_at")
FIELDS = ("title", "slug", "summary", "body", "tags", "tech_stack", "repo_url", "live_url", "image_url",
          "featured", "published", "started_on", "finished_on")


def create_peer(url: str) -> FastAPI:
    engine = create_async_engine(url, pool_size=20, max_overflow=0)  # sized as folio's pool
    app = FastAPI()
    query = text(f"SELECT {COLUMNS} FROM projects WHERE slug = :slug AND published")

    @app.get("/api/v1/projects/{slug}")
    async def project(slug: str) -> Response:
        async with engine.connect() as conn:
            row = (await conn.execute(query, {"slug": slug})).mappings().first()
        if row is None:
            raise HTTPException(404, "no such project")
        return Response(orjson.dumps(dict(row)), media_type="application/json")

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    return app


async def seed(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        for project in load_demo()["projects"]:
            row = {f: project.get(f) for f in FIELDS}
            row.update(id=uuid.uuid4(), tags=row["tags"] or [], tech_stack=row["tech_stack"] or [],
                       featured=bool(row["featured"]), published=row["published"] is not False)
            await conn.execute(text(f"INSERT INTO projects (id, {', '.join(FIELDS)}) VALUES "
                                    f"(:id, {', '.join(':' + f for f in FIELDS)})"), row)
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data", type=Path, help="folder for its PostgreSQL (default: a temporary one)")
    args = parser.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="fpeer", dir="/tmp"))
    server = EmbeddedPostgres(data / "pg")
    try:
        url = load_settings().sqlalchemy_url(server.start())
        migrate.upgrade(url)
        asyncio.run(seed(url))
        uvicorn.run(create_peer(url), host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
    finally:
        server.stop()
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
