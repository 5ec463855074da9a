"""Search speed and quality at scale, each goal printed as `measured / goal` (issues #3, #13).

    .venv/bin/python benchmarks/search_bench.py                  # 100k chunks + `folio eval`
    .venv/bin/python benchmarks/search_bench.py --sizes 10000 100000 --queries 100 --no-eval

For each corpus size, in a scratch embedded PostgreSQL migrated with folio's own migrations
(shared_buffers 1GB; the corpus of benchmarks/search_corpus.py loaded with COPY, then VACUUM ANALYZE
and the term statistics copied as `folio reindex` does):
- latency at the client, query embedding excluded, every query once to warm up and then timed, the
  three contenders interleaved query by query (the machine is shared: noise falls on all alike):
  SearchService.search as a visitor (the code REST and the agent run: one round trip to folio_search);
  the bare hybrid statement over psycopg (HNSW top 40 at pgvector's defaults + websearch_to_tsquery
  top 40 by ts_rank_cd, RRF k 60, chunk ids only); the same bare statement at folio's ef_search;
- an exact `UNION ALL ... ORDER BY embedding <=> q LIMIT 10` scan over three plain tables;
- recall@10 of folio's vector leg (HNSW at the ef_search folio_search runs with) against that scan.
Then `folio eval` on the demo portfolio with the real model. Ingest throughput: ingest_bench.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data import migrate  # noqa: E402
from data.db import Database, make_engine  # noqa: E402
from data.embedded_pg import EmbeddedPostgres  # noqa: E402
from data.repositories.search import vector_literal  # noqa: E402
from folio.actor import VISITOR  # noqa: E402
from folio.services.evaluation import evaluate, load_questions  # noqa: E402
from folio.services.search import SearchService  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from scratch import scratch_run  # noqa: E402
from search_corpus import DIMS, KINDS, SHARED_BUFFERS, Corpus, load, percentile  # noqa: E402

EXACT = " UNION ALL ".join(
    f"SELECT id, embedding <=> %(q)s::vector AS d FROM bench_exact_{k}" for k in KINDS)
EXACT = f"SELECT id FROM ({EXACT}) all_rows ORDER BY d LIMIT 10"
VECTOR_LEG = ("SELECT id FROM search_chunks WHERE model = 'all-MiniLM-L6-v2' "
              "ORDER BY embedding <=> %(q)s::vector LIMIT 10")
# The peer: the textbook hybrid in one statement (pgvector-python's hybrid example): HNSW top 40 +
# websearch_to_tsquery top 40 by ts_rank_cd, reciprocal rank fusion k = 60, chunk ids only.
BARE = """
WITH v AS (SELECT id, row_number() OVER (ORDER BY d) AS r FROM (
             SELECT id, embedding <=> %(q)s::vector AS d FROM search_chunks
              ORDER BY embedding <=> %(q)s::vector LIMIT 40) n),
     t AS (SELECT id, row_number() OVER (ORDER BY rank DESC) AS r FROM (
             SELECT id, ts_rank_cd(tsv, q) AS rank FROM search_chunks, websearch_to_tsquery('english', %(t)s) q
              WHERE tsv @@ q ORDER BY rank DESC LIMIT 40) m)
SELECT coalesce(v.id, t.id) AS id, coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + t.r), 0) AS score
  FROM v FULL OUTER JOIN t ON v.id = t.id ORDER BY score DESC LIMIT 5"""


class GivenVectors:
    """The embedder SearchService sees here: the query embedding is not part of the measurement."""

    model_id = "all-MiniLM-L6-v2"

    def __init__(self, queries: list[tuple[list[float], str]]):
        self.vectors = {text: vector for vector, text in queries}

    async def aembed_query(self, text: str) -> list[float]:
        return self.vectors[text]


def function_setting(conn: psycopg.Connection, name: str) -> str:
    """A setting folio_search runs with (its SET clause), so the recall is measured as deployed."""
    config = conn.execute("SELECT proconfig FROM pg_proc WHERE proname = 'folio_search'").fetchone()[0]
    return dict(item.split("=", 1) for item in config)[name]


async def measure(url: str, libpq: str, corpus: Corpus, queries: int, exact_queries: int) -> dict:
    """Per query, interleaved so that the shared machine's noise falls on all three alike: the
    SearchService (visitor), the bare hybrid at pgvector's default ef_search (40), and the bare hybrid
    at folio's ef_search."""
    qs = corpus.queries(queries)
    db = Database(make_engine(url))
    service = SearchService(db, GivenVectors(qs))
    times: dict[str, list[float]] = {"service": [], "bare": [], "bare_same_ef": []}
    found: list[int] = []
    async with await psycopg.AsyncConnection.connect(libpq, autocommit=True) as bare, \
            await psycopg.AsyncConnection.connect(libpq, autocommit=True) as same_ef:
        ef = function_setting(psycopg.connect(libpq, autocommit=True), "hnsw.ef_search")
        await same_ef.execute(f"SET hnsw.ef_search = {int(ef)}")
        await same_ef.execute("SET hnsw.iterative_scan = relaxed_order")
        for round_ in range(2):  # the first round warms the caches and is not counted
            for i, (vector, words) in enumerate(qs):
                order = [("service", None), ("bare", bare), ("bare_same_ef", same_ef)]
                for name, conn in order[i % 3:] + order[:i % 3]:
                    started = time.perf_counter()
                    if conn is None:
                        hits = await service.search(VISITOR, words, limit=5)
                    else:  # the peer sends its query vector too
                        await (await conn.execute(BARE, {"q": vector_literal(vector), "t": words})).fetchall()
                    if round_:
                        times[name].append((time.perf_counter() - started) * 1000)
                if round_:
                    found.append(len(hits))
    await db.dispose()

    exact: list[float] = []
    recalls: list[float] = []
    with psycopg.connect(libpq) as conn:
        conn.execute(f"SET hnsw.ef_search = {int(ef)}")
        conn.execute("SET hnsw.iterative_scan = relaxed_order")
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + VECTOR_LEG, {"q": vector_literal(qs[0][0])}))
        for vector, _ in qs[:exact_queries]:
            q = {"q": vector_literal(vector)}
            started = time.perf_counter()
            truth = [r[0] for r in conn.execute(EXACT, q)]
            exact.append((time.perf_counter() - started) * 1000)
        for vector, _ in qs:  # recall over every query: the exact scan again, untimed
            q = {"q": vector_literal(vector)}
            truth = [r[0] for r in conn.execute(EXACT, q)]
            approx = [r[0] for r in conn.execute(VECTOR_LEG, q)]
            recalls.append(len(set(truth) & set(approx)) / 10)
    result = {f"{name}_{p}": percentile(values, p) for name, values in times.items() for p in (50, 95)}
    result.update(exact_50=percentile(exact, 50), exact_95=percentile(exact, 95), ef=ef,
                  recall10=statistics.mean(recalls), zero=sum(r == 0 for r in recalls),
                  min_recall10=min(recalls), hits=statistics.mean(found),
                  hnsw_used="ix_search_chunks_embedding" in plan)
    return result


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
            conn.execute("SELECT folio_refresh_search_terms(true)")  # as `folio reindex` does after ANALYZE
        result = asyncio.run(measure(url, uri, corpus, queries, exact_queries))
        result["load_s"] = load_s
        return result
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


async def eval_quality(url: str) -> dict:
    """`folio eval` on the demo portfolio, as a visitor, with the real embedding model."""
    from launch.composition import embedder_for, open_services  # the model's stack, only when asked for
    from folio.services.seed import seed_demo

    embedder = embedder_for(load_settings())
    embedder.warm_up()
    services = open_services(url, embedder=embedder)
    try:
        await seed_demo(services)
        return await evaluate(services.search, load_questions())
    finally:
        await services.db.dispose()


def goal(label: str, measured: float, target: str, ok: bool, unit: str = "") -> None:
    print(f"  {label:<58} {measured:>8.3f}{unit} / {target:<8} {'met' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--queries", type=int, default=200, help="hybrid queries per size (timed after a warm-up)")
    parser.add_argument("--exact-queries", type=int, default=50, help="timed exact scans per size (they are slow)")
    parser.add_argument("--no-eval", action="store_true", help="skip `folio eval` on the demo portfolio")
    args = parser.parse_args()
    random.seed(7)

    print(f"search latency, {DIMS}-d vectors, {args.queries} queries per size (after a warm-up pass), "
          f"{args.exact_queries} timed exact scans; query embedding excluded; ms p50/p95 at the client")
    print("  service = SearchService.search as a visitor (async SQLAlchemy, 5 items with titles and snippets)")
    print("  bare = one hybrid statement over psycopg async: HNSW top 40 (pgvector defaults) + "
          "websearch_to_tsquery top 40, RRF k 60, chunk ids only; bare@ef = the same at folio's ef_search")
    for n in args.sizes:
        r = bench_size(n, args.queries, args.exact_queries)
        load = os.getloadavg()
        print(f"\n{n} chunks (load {r['load_s']:.0f} s), load average {load[0]:.2f} / {load[1]:.2f} on "
              f"{os.cpu_count()} cores, HNSW used: {'yes' if r['hnsw_used'] else 'NO'}")
        for name in ("service", "bare", "bare_same_ef"):
            label = {"service": "service", "bare": "bare", "bare_same_ef": f"bare@ef{r['ef']}"}[name]
            print(f"  {label:<12} {r[name + '_50']:7.2f} / {r[name + '_95']:7.2f}")
        print(f"  {'exact scan':<12} {r['exact_50']:7.2f} / {r['exact_95']:7.2f}   (3 tables, UNION ALL ... ORDER BY <=>)")
        print(f"  {'':<12} {r['hits']:.1f} items found per query on average")
        print("  goal: measured / goal")
        ratio = r["service_95"] / r["bare_95"]
        goal("SearchService p95 / bare hybrid p95", ratio, "<= 1.5", ratio <= 1.5, "x")
        print(f"  {'(against bare@ef' + r['ef'] + ': ' + format(r['service_95'] / r['bare_same_ef_95'], '.2f') + 'x)'}")
        speedup = r["exact_95"] / r["service_95"]
        goal("exact scan p95 / SearchService p95", speedup, ">= 25", speedup >= 25, "x")
        goal(f"vector leg recall@10 vs exact (ef_search {r['ef']})", r["recall10"], ">= 0.98", r["recall10"] >= 0.98)
        goal("queries with recall@10 = 0", r["zero"], "0", r["zero"] == 0)

    if not args.no_eval:
        scores = scratch_run(eval_quality)
        hybrid = scores["hybrid"]
        print(f"\nfolio eval, demo portfolio ({hybrid.questions} questions, visitor, all-MiniLM-L6-v2)")
        for mode, sc in scores.items():
            print(f"  {mode:<7} recall@5 {sc.recall_at_5:.3f}  MRR@10 {sc.mrr_at_10:.3f}  nDCG@10 {sc.ndcg_at_10:.3f}")
        print("  goal: measured / goal")
        goal("hybrid recall@5", hybrid.recall_at_5, ">= 0.95", hybrid.recall_at_5 >= 0.95)
        goal("hybrid MRR@10", hybrid.mrr_at_10, ">= 0.85", hybrid.mrr_at_10 >= 0.85)


if __name__ == "__main__":
    main()
