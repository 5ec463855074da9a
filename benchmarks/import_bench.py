"""Import speed and the cost of a no-change sync (issue #23), against the local fakes (a fake GitHub API
and a paginated RSS feed over HTTP on 127.0.0.1) in a scratch embedded PostgreSQL:

- the time to import 100 repositories (each with a README) and 200 posts (4 feed pages), from the preview
  to the last item written and embedded (wall and CPU seconds; the read of the source apart), against a bare
  peer measured right after it: the same items written straight through ContentService.create (the same
  embedding on write; no HTTP, no merge, no sync state);
- the HTTP requests of a sync with nothing changed at the source (GitHub, feed), and their time.

    .venv/bin/python benchmarks/import_bench.py [--repos 100] [--posts 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from scratch import ROOT, Clock, scratch_database  # first: it puts the repository on the path

sys.path.insert(0, str(ROOT / "tests"))

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
            with Clock() as whole:
                with Clock() as read:
                    preview = await imports.preview(OWNER, source)
                report = await imports.apply(OWNER, preview.id)
            x = out[name] = {"import": whole, "read": read, "items": len(report.created),
                             "requests": len(fake.requests), "skipped": report.skipped}
            fake.reset_counts()
            with Clock() as again:
                unchanged = await imports.preview(OWNER, source)
                await imports.apply(OWNER, unchanged.id)
            x["nochange"], x["nochange_requests"] = again, [(r.path, r.status) for r in fake.requests]
            # The bare peer, right after (the same load): the same items straight through the content
            # service, the same embedding on write (the embedder's cache emptied first: the same texts were
            # just embedded), no HTTP, no merge, no sync state.
            embedder.forget_all()
            kind = preview.planned[0].candidate.kind
            spec, service = KINDS[kind], services.content(kind)
            with Clock() as peer:
                for plan in preview.planned:
                    values = {k: v for k, v in plan.candidate.values.items() if k in spec.create.model_fields}
                    values["slug"] = f"peer-{slugify(plan.candidate.external_id)[-60:]}".strip("-")
                    await service.create(OWNER, spec.create.model_validate(values))
            x["peer"] = peer
    await services.db.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=100)
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    with scratch_database() as url:
        load = os.getloadavg()
        r = asyncio.run(bench(url, args.repos, args.posts))
        load_after = os.getloadavg()
    print(f"load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} {load_after[2]:.2f} ({os.cpu_count()} CPUs); CPU s = this process, all threads "
          "(PostgreSQL's own CPU not in it)")
    print(f"{'source':<7} {'items':>5} {'reqs':>4} {'read s':>7} {'import s':>9} {'import CPU s':>12} "
          f"{'peer s':>7} {'peer CPU s':>10} {'ratio wall/CPU':>14}  no-change sync")
    for name in ("github", "feed"):
        x = r[name]
        imp, peer = x["import"], x["peer"]
        print(f"{name:<7} {x['items']:>5} {x['requests']:>4} {x['read'].wall:>7.2f} {imp.wall:>9.2f} {imp.cpu:>12.2f} "
              f"{peer.wall:>7.2f} {peer.cpu:>10.2f} {imp.wall / peer.wall:>6.2f}x/{imp.cpu / peer.cpu:.2f}x  "
              f"{len(x['nochange_requests'])} request(s) {x['nochange_requests']} "
              f"in {x['nochange'].wall * 1000:.0f} ms")
        if x["skipped"]:
            print(f"  {name}: {len(x['skipped'])} skipped, e.g. {x['skipped'][0]}")


if __name__ == "__main__":
    main()
