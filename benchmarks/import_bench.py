"""Import speed and the cost of a no-change sync (issue #23), against the local fakes (a fake GitHub API
and a paginated RSS feed over HTTP on 127.0.0.1) in a scratch embedded PostgreSQL:

- the time to import 100 repositories (each with a README) and 200 posts (4 feed pages), from the preview
  to the last item written and embedded, against a bare peer measured in the same run: the same items
  written straight through ContentService.create (no HTTP, no merge, no sync state);
- the HTTP requests of a sync with nothing changed at the source (GitHub, feed), and their time.

    .venv/bin/python benchmarks/import_bench.py [--repos 100] [--posts 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from data import migrate  # noqa: E402
from data.embedded_pg import EmbeddedPostgres  # noqa: E402
from folio.actor import Actor  # noqa: E402
from folio.kinds import KINDS  # noqa: E402
from folio.services.importing import GitHubConfig, ImportService  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from folio.slugs import slugify  # noqa: E402
from launch.composition import embedder_for, open_services  # noqa: E402
from testkit.fake_feeds import FakeFeeds  # noqa: E402
from testkit.fake_github import FakeGitHub, Repo  # noqa: E402

OWNER = Actor(email="bench@example.com", is_owner=True)
TOPICS = [["rust", "cli"], ["python", "fastapi", "postgresql"], ["go", "kubernetes"], ["typescript", "react"]]
PER_PAGE = 50


def readme(n: int) -> str:
    return (f"# Tool {n}\n\nA small tool that does one thing well: number {n}.\n\n![screenshot](docs/shot-{n}.png)\n\n"
            f"See [the guide](docs/guide.md) and [the changelog](CHANGELOG.md).\n\n## Usage\n\n"
            + "\n".join(f"- step {i}: run `tool-{n} --step {i}` and read its output" for i in range(12)))


def rss_pages(posts: int, base: str) -> dict[str, str]:
    pages, total = {}, -(-posts // PER_PAGE)
    for page in range(total):
        items = "".join(
            f"<item><title>Note {n}: what I learned</title><link>https://blog.example.dev/notes/{n}/</link>"
            f"<guid>https://blog.example.dev/notes/{n}/</guid><pubDate>Mon, 13 May 2024 07:00:00 +0000</pubDate>"
            f"<category>notes</category><description><![CDATA[<p>Lesson {n}: measure first, then change one "
            f"thing.</p>" + "".join(f"<p>Paragraph {i} of note {n}: a profile, a fix, a number.</p>"
                                    for i in range(8)) + "]]></description></item>"
            for n in range(page * PER_PAGE, min(posts, (page + 1) * PER_PAGE)))
        nxt = f'<atom:link rel="next" href="{base}/rss-{page + 2}.xml"/>' if page + 1 < total else ""
        pages[f"/rss-{page + 1}.xml"] = (f'<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/'
                                         f'Atom"><channel><title>Notes</title><link>https://blog.example.dev/</link>'
                                         f"<description>d</description>{nxt}{items}</channel></rss>")
    return pages


async def bench(url: str, repos: int, posts: int) -> dict:
    embedder = embedder_for(load_settings())
    embedder.warm_up()
    services = open_services(url, embedder=embedder)
    out: dict = {}
    with FakeGitHub("bench") as github, FakeFeeds() as feeds:
        for n in range(repos):
            github.add(Repo(f"tool-{n}", f"Tool {n}: one thing, done well.", "Rust", TOPICS[n % 4], readme=readme(n),
                            updated_at=f"2024-06-{1 + n % 28:02d}T10:00:00Z"))
        for path, body in rss_pages(posts, feeds.url).items():
            feeds.put(path, body, "application/rss+xml")
        imports = ImportService(services.db, services.content, GitHubConfig(github.url))
        for name, source, fake in (("github", "github:bench", github), ("feed", f"feed:{feeds.url}/rss-1.xml", feeds)):
            fake.reset_counts()
            started = time.perf_counter()
            preview = await imports.preview(OWNER, source)
            report = await imports.apply(OWNER, preview.id)
            out[name] = {"seconds": time.perf_counter() - started, "items": len(report.created),
                         "requests": len(fake.requests), "candidates": [p.candidate for p in preview.planned]}
            fake.reset_counts()
            started = time.perf_counter()
            again = await imports.preview(OWNER, source)
            await imports.apply(OWNER, again.id)
            out[name]["nochange_seconds"] = time.perf_counter() - started
            out[name]["nochange_requests"] = [(r.path, r.status) for r in fake.requests]
    # The bare peer: the same items straight through the content service (the same embedding on write).
    for name, kind in (("github", "project"), ("feed", "post")):
        spec, service = KINDS[kind], services.content(kind)
        started = time.perf_counter()
        for candidate in out[name]["candidates"]:
            values = {k: v for k, v in candidate.values.items() if k in spec.create.model_fields}
            values["slug"] = f"peer-{slugify(candidate.external_id)[-60:]}".strip("-")
            await service.create(OWNER, spec.create.model_validate(values))
        out[name]["peer_seconds"] = time.perf_counter() - started
    await services.db.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=100)
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="fbench", dir="/tmp"))
    server = EmbeddedPostgres(scratch / "pg")
    uri = server.start()
    try:
        url = load_settings().sqlalchemy_url(uri)
        migrate.upgrade(url)
        load = os.getloadavg()
        r = asyncio.run(bench(url, args.repos, args.posts))
        load_after = os.getloadavg()
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} {load_after[2]:.2f} ({os.cpu_count()} CPUs)")
    print(f"{'source':<8} {'items':>5} {'requests':>8} {'import s':>9} {'bare peer s':>11} {'ratio':>6}  no-change sync")
    for name in ("github", "feed"):
        x = r[name]
        print(f"{name:<8} {x['items']:>5} {x['requests']:>8} {x['seconds']:>9.2f} {x['peer_seconds']:>11.2f} "
              f"{x['seconds'] / x['peer_seconds']:>5.2f}x  {len(x['nochange_requests'])} request(s) "
              f"{[s for _, s in x['nochange_requests']]} in {x['nochange_seconds'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
