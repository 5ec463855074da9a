"""Search speed and ingest throughput, printed as figures (issue #3).

    .venv/bin/python benchmarks/search_bench.py                  # 10k and 100k chunks
    .venv/bin/python benchmarks/search_bench.py --sizes 10000 --queries 100

For each corpus size, in a scratch embedded PostgreSQL migrated with folio's own migrations:
- a synthetic corpus of N chunks (clustered unit vectors of the active model's size, Zipf-distributed
  pseudo-words) loaded into search_chunks, its items into projects/posts/certifications, and the same
  vectors into three plain tables (the "one vector per content table" design, no index);
- PostgreSQL with shared_buffers 1GB (the 100k corpus is ~640 MB with its indexes), after VACUUM
  ANALYZE; each query set runs once to warm the caches, then again timed;
- p50/p95 latency of folio's hybrid query (data.repositories.search, the SQL REST and the agent run,
  HNSW ef_search 100 + full text + RRF) measured around the statement at the client over the Unix
  socket, query embedding excluded;
- p50/p95 of an exact `UNION ALL ... ORDER BY embedding <=> q LIMIT 10` scan over the three tables;
- recall@10 of folio's vector leg (HNSW) against that exact scan.
Then ingest: chunks/s through the write path (ContentService.create: chunk + embed + store) and
through `folio reindex`, against the model's own batch throughput on the same chunk texts.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import psycopg
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data import migrate  # noqa: E402
from data.db import Database, make_engine  # noqa: E402
from data.embedded_pg import EmbeddedPostgres  # noqa: E402
from data.repositories.search import SearchRepository, vector_literal  # noqa: E402
from folio.actor import Actor  # noqa: E402
from folio.runtime import embedder_for, open_services  # noqa: E402
from folio.schemas import PostCreate  # noqa: E402
from folio.services.seed import load_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402

DIMS = 384
CHUNKS_PER_ITEM = 8
WORDS_PER_CHUNK = 120
VOCABULARY = 30_000
CLUSTERS = 200
KINDS = ("project", "post", "certification")
SHARED_BUFFERS = "1GB"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


class Corpus:
    """Clustered vectors (like real embeddings: topics) and Zipf-distributed words."""

    def __init__(self, n: int, seed: int = 7):
        rng = np.random.default_rng(seed)
        self.rng = rng
        centres = unit(rng.standard_normal((CLUSTERS, DIMS)).astype(np.float32))
        which = rng.integers(0, CLUSTERS, n)
        spread = 0.6 / np.sqrt(DIMS)  # each chunk sits ~0.6 away from its topic centre
        self.vectors = unit(centres[which] + spread * rng.standard_normal((n, DIMS)).astype(np.float32))
        syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "qu", "bar", "den", "fox", "gil"]
        words = set()
        while len(words) < VOCABULARY:
            words.add("".join(rng.choice(syllables, rng.integers(2, 5))))
        self.words = sorted(words)
        ranks = np.arange(1, VOCABULARY + 1)
        self.word_ids = rng.choice(VOCABULARY, (n, WORDS_PER_CHUNK), p=(1 / ranks) / (1 / ranks).sum())
        self.n = n

    def text(self, i: int) -> str:
        return " ".join(self.words[j] for j in self.word_ids[i])

    def queries(self, count: int) -> list[tuple[list[float], str]]:
        picks = self.rng.integers(0, self.n, count)
        noisy = unit(self.vectors[picks] + 0.1 / np.sqrt(DIMS) * self.rng.standard_normal((count, DIMS)).astype(np.float32))
        # Mid-frequency words: present in the corpus but not everywhere.
        texts = [" ".join(self.rng.choice(self.words[200:5000], 2)) for _ in range(count)]
        return [(v.tolist(), t) for v, t in zip(noisy, texts)]


def load(conn: psycopg.Connection, corpus: Corpus) -> float:
    """COPY the corpus in; returns seconds. Indexes are built after the load, as `folio reindex` does."""
    started = time.perf_counter()
    n_items = (corpus.n + CHUNKS_PER_ITEM - 1) // CHUNKS_PER_ITEM
    items = [(uuid.uuid4(), KINDS[i % 3], i) for i in range(n_items)]
    with conn.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS ix_search_chunks_embedding")
        for table, cols, kind in (("projects", "id, title, slug", "project"), ("posts", "id, title, slug, status",
                                  "post"), ("certifications", "id, name, slug, issuer", "certification")):
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for item_id, k, i in items:
                    if k == kind:
                        extra = ("published",) if kind == "post" else ("Issuer",) if kind == "certification" else ()
                        copy.write_row((item_id, f"Item {i}", f"{kind}-{i}", *extra))
        for k in KINDS:  # the other design: each content table carries its text and its vector
            cur.execute(f"CREATE TABLE bench_exact_{k} (id bigint PRIMARY KEY, body text, embedding vector({DIMS}))")
        with cur.copy("COPY search_chunks (id, item_type, item_id, ordinal, public, heading, content, model, "
                      "embedding) FROM STDIN") as copy:
            for i in range(corpus.n):
                item_id, kind, _ = items[i // CHUNKS_PER_ITEM]
                copy.write_row((i + 1, kind, item_id, i % CHUNKS_PER_ITEM, True, "", corpus.text(i),
                                "all-MiniLM-L6-v2", vector_literal(corpus.vectors[i])))
        for k in KINDS:
            cur.execute(f"INSERT INTO bench_exact_{k} SELECT id, content, embedding FROM search_chunks "
                        "WHERE item_type = %s", (k,))
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("CREATE INDEX ix_search_chunks_embedding ON search_chunks "
                    "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)")
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


EXACT = " UNION ALL ".join(
    f"SELECT id, embedding <=> %(q)s::vector AS d FROM bench_exact_{k}" for k in KINDS)
EXACT = f"SELECT id FROM ({EXACT}) all_rows ORDER BY d LIMIT 10"
VECTOR_LEG = ("SELECT id FROM search_chunks WHERE model = 'all-MiniLM-L6-v2' "
              "ORDER BY embedding <=> %(q)s::vector LIMIT 10")


async def measure(url: str, libpq: str, corpus: Corpus, queries: int, exact_queries: int) -> dict:
    db = Database(make_engine(url))
    repo = SearchRepository()
    qs = corpus.queries(queries)
    hybrid: list[float] = []  # at the client: the service's round trips included
    server: list[float] = []  # inside PostgreSQL: EXPLAIN ANALYZE's execution time, timing off
    found: list[int] = []
    options = {"query_text": "", "query_vector": None, "model": "all-MiniLM-L6-v2", "use_text": True,
               "public_only": True, "kind": None, "limit": 5}
    for round_ in range(2):  # the first round warms the caches and is not counted
        for vector, words in qs:
            options.update(query_text=words, query_vector=vector)
            async with db.unit_of_work() as session:
                started = time.perf_counter()
                hits = await repo.search(session, **options)
                elapsed = time.perf_counter() - started
                await repo.prepare_search(session, vector)
                sql, params = repo.search_statement(**options)
                plan = (await session.execute(text("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql),
                                              params)).scalar()
            if round_:
                hybrid.append(elapsed * 1000)
                server.append(plan[0]["Execution Time"])
                found.append(len(hits))
    await db.dispose()

    exact: list[float] = []
    exact_server: list[float] = []
    recalls: list[float] = []
    with psycopg.connect(libpq) as conn:
        conn.execute("SET hnsw.ef_search = 100")
        conn.execute("SET hnsw.iterative_scan = relaxed_order")
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + VECTOR_LEG, {"q": vector_literal(qs[0][0])}))
        for vector, _ in qs[:exact_queries]:
            q = {"q": vector_literal(vector)}
            started = time.perf_counter()
            truth = [r[0] for r in conn.execute(EXACT, q)]
            exact.append((time.perf_counter() - started) * 1000)
            exact_server.append(conn.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + EXACT, q)
                                .fetchone()[0][0]["Execution Time"])
            approx = [r[0] for r in conn.execute(VECTOR_LEG, q)]
            recalls.append(len(set(truth) & set(approx)) / 10)
    return {"hybrid_p50": statistics.median(hybrid), "hybrid_p95": percentile(hybrid, 95),
            "server_p50": statistics.median(server), "server_p95": percentile(server, 95),
            "exact_p50": statistics.median(exact), "exact_p95": percentile(exact, 95),
            "exact_server_p50": statistics.median(exact_server), "exact_server_p95": percentile(exact_server, 95),
            "recall10": statistics.mean(recalls), "min_recall10": min(recalls),
            "hits": statistics.mean(found), "hnsw_used": "ix_search_chunks_embedding" in plan}


def bench_size(n: int, queries: int, exact_queries: int) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="fbench", dir="/tmp"))
    server = EmbeddedPostgres(scratch / "pg")
    uri = server.start()
    try:
        # A server holding a 640 MB index gets shared_buffers to match (the embedded default is 128 MB).
        with psycopg.connect(uri, autocommit=True) as conn:
            conn.execute(f"ALTER SYSTEM SET shared_buffers = '{SHARED_BUFFERS}'")
        server.stop()
        uri = server.start()
        url = load_settings().sqlalchemy_url(uri)
        migrate.upgrade(url)
        corpus = Corpus(n)
        with psycopg.connect(uri) as conn:
            load_s = load(conn, corpus)
        result = asyncio.run(measure(url, uri, corpus, queries, exact_queries))
        result["load_s"] = load_s
        return result
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


class Clock:
    """Wall seconds and this process's CPU seconds (all its threads: torch's included). The machine is
    shared, so CPU time is the steadier yardstick; PostgreSQL's own CPU is not in it."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


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


def ingest(posts: int) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="fbench", dir="/tmp"))
    server = EmbeddedPostgres(scratch / "pg")
    uri = server.start()
    try:
        url = load_settings().sqlalchemy_url(uri)
        migrate.upgrade(url)
        return asyncio.run(bench_ingest(url, posts))
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200, help="hybrid queries per size (timed after a warm-up)")
    parser.add_argument("--exact-queries", type=int, default=50, help="exact scans per size (they are slow)")
    parser.add_argument("--posts", type=int, default=24, help="posts written for the ingest figures")
    args = parser.parse_args()
    random.seed(7)

    print(f"search latency, {DIMS}-d vectors, {args.queries} hybrid / {args.exact_queries} exact queries per size")
    print("ms, p50/p95; server = PostgreSQL's execution time, client = the repository call with its round trips")
    print(f"{'chunks':>8} {'load s':>7} {'hybrid server':>14} {'hybrid client':>14} {'exact server':>13} "
          f"{'exact client':>13} {'speed-up':>8} {'recall@10':>9} {'min':>4} {'HNSW':>5}")
    for n in args.sizes:
        r = bench_size(n, args.queries, args.exact_queries)
        print(f"{n:>8} {r['load_s']:>7.1f} {r['server_p50']:>6.1f}/{r['server_p95']:<7.1f} "
              f"{r['hybrid_p50']:>6.1f}/{r['hybrid_p95']:<7.1f} {r['exact_server_p50']:>6.1f}/{r['exact_server_p95']:<6.1f} "
              f"{r['exact_p50']:>6.1f}/{r['exact_p95']:<6.1f} {r['exact_server_p50'] / r['server_p50']:>7.1f}x "
              f"{r['recall10']:>9.3f} {r['min_recall10']:>4.1f} {'yes' if r['hnsw_used'] else 'NO':>5}", flush=True)

    r = ingest(args.posts)
    print(f"\ningest of {r['items']} demo posts ({r['chunks']} chunks): chunks per wall second / per CPU second")
    for path in ("write", "reindex"):
        model = [statistics.mean(x) for x in zip(*r[f"model_{path}"])]
        label = {"write": "write path (create, one post each)", "reindex": "folio reindex"}[path]
        print(f"  {label:<36} {r[path][0]:6.1f} / {r[path][1]:5.1f}   model alone on the same texts "
              f"{model[0]:6.1f} / {model[1]:5.1f}   ratio {r[path][0] / model[0]:.2f}x wall, "
              f"{r[path][1] / model[1]:.2f}x CPU")


if __name__ == "__main__":
    main()
