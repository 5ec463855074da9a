"""Ingest throughput, printed as figures (issue #3): chunks per second through the write path
(ContentService.create: chunk + embed + store) and through `folio reindex`, against the model's own
batch throughput on the same chunk texts, in a scratch embedded PostgreSQL.

    .venv/bin/python benchmarks/ingest_bench.py [--posts 24]
"""

from __future__ import annotations

import argparse
import statistics

from scratch import Clock, scratch_run  # first: it puts the repository on the path

from folio.actor import Actor  # noqa: E402
from launch.composition import embedder_for, open_services  # noqa: E402
from folio.schemas import PostCreate  # noqa: E402
from folio.services.seed import load_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402


async def bench_ingest(url: str, posts: int) -> dict:
    """Chunks per second: the model alone on the same chunk texts (measured before and after each
    path, averaged), the write path (one post per create, as REST and the agent write), and reindex."""
    embedder = embedder_for(load_settings())
    embedder.warm_up()
    services = open_services(url, embedder=embedder)
    demo = load_demo()["posts"]
    owner = Actor(email="bench@example.com", is_owner=True)
    bodies = [demo[i % len(demo)] for i in range(posts)]
    # The texts the paths will embed, to time the model alone on them first.
    chunks = [services.indexer.chunks_of(services.posts.spec, PostCreate(
        title=f"{raw['title']} {i}", body=raw["body"], excerpt=raw.get("excerpt", ""), tags=raw.get("tags", [])))
        for i, raw in enumerate(bodies)]
    texts = [c.text for item in chunks for c in item]

    def model() -> Clock:
        with Clock() as clock:
            embedder.embed_documents(texts)
        return clock

    before = model()
    with Clock() as write:
        for i, raw in enumerate(bodies):
            await services.posts.create(owner, PostCreate(title=f"{raw['title']} {i}", body=raw["body"],
                                                          excerpt=raw.get("excerpt", ""), tags=raw.get("tags", [])))
    middle = model()
    with Clock() as reindex:
        report = await services.indexer.reindex(services.db)
    after = model()
    await services.db.dispose()
    n = len(texts)

    def rate(clock: Clock) -> tuple[float, float]:
        return n / clock.wall, n / clock.cpu

    return {"chunks": n, "items": report.items, "model_write": [rate(before), rate(middle)],
            "model_reindex": [rate(middle), rate(after)], "write": rate(write), "reindex": rate(reindex)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=24, help="posts written for the ingest figures")
    args = parser.parse_args()
    r = scratch_run(lambda url: bench_ingest(url, args.posts))
    print(f"ingest of {r['items']} demo posts ({r['chunks']} chunks): chunks per wall second / per CPU second")
    for path in ("write", "reindex"):
        model = [statistics.mean(x) for x in zip(*r[f"model_{path}"])]
        label = {"write": "write path (create, one post each)", "reindex": "folio reindex"}[path]
        print(f"  {label:<36} {r[path][0]:6.1f} / {r[path][1]:5.1f}   model alone on the same texts "
              f"{model[0]:6.1f} / {model[1]:5.1f}   ratio {r[path][0] / model[0]:.2f}x wall, "
              f"{r[path][1] / model[1]:.2f}x CPU")


if __name__ == "__main__":
    main()
