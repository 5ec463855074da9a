"""Why folio's hybrid search is hand-written SQL and not langchain-postgres' PGVectorStore (issue #3).

    .venv/bin/pip install 'langchain-postgres==0.0.19'   # not a folio dependency: only this script uses it
    .venv/bin/python benchmarks/pgvectorstore_compare.py

Both run over the same thing: a scratch embedded PostgreSQL with folio's migrations, the demo portfolio
seeded through folio's services (so the same chunks, tsvectors and vectors in search_chunks), the same
in-process all-MiniLM-L6-v2, the labelled demo questions, as a visitor (published content only).
PGVectorStore is pointed at folio's chunk table (no table of its own) with its hybrid search config:
tsv column + reciprocal rank fusion (k 60), 40 candidates per leg, chunks grouped to items in Python.
Prints recall@5 / MRR@10 / nDCG@10 and per-question latency; the questions are embedded once
beforehand, so the latency is retrieval only (SQL, round trips, fusion and grouping), for both.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from data.embeddings import Embedder  # noqa: E402
from folio.actor import VISITOR  # noqa: E402
from launch.composition import embedder_for, open_services  # noqa: E402
from folio.services.evaluation import DEPTH, load_questions, score  # noqa: E402
from folio.services.seed import seed_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from scratch import scratch_run  # noqa: E402


async def pgvectorstore(services, embedder, hybrid: bool):
    from langchain_postgres import PGEngine, PGVectorStore
    from langchain_postgres.v2.hybrid_search_config import HybridSearchConfig, reciprocal_rank_fusion

    config = HybridSearchConfig(tsv_column="tsv", tsv_lang="pg_catalog.english",
                                fusion_function=reciprocal_rank_fusion,
                                fusion_function_parameters={"rrf_k": 60, "fetch_top_k": 40},
                                primary_top_k=40, secondary_top_k=40) if hybrid else None
    engine = PGEngine.from_engine(services.db.engine)
    return await PGVectorStore.create(engine, embedding_service=embedder, table_name="search_chunks",
                                      id_column="id", content_column="content", embedding_column="embedding",
                                      metadata_columns=["item_type", "item_id", "public"],
                                      metadata_json_column=None, hybrid_search_config=config, k=40)


class Remembered(Embedder):
    """The real model, with the questions' vectors computed once up front."""

    def __init__(self, model: Embedder):
        super().__init__(model.name, model.truncate_to)
        self.inner, self.memo = model, {}

    def native_dimensions(self) -> int:
        return self.inner.native_dimensions()

    def _embed(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in texts if t not in self.memo]
        self.memo.update(zip(missing, self.inner.embed_documents(missing)))
        return [self.memo[t] for t in texts]


async def run(url: str) -> None:
    embedder = Remembered(embedder_for(load_settings()))
    embedder.warm_up()
    services = open_services(url, embedder=embedder)
    await seed_demo(services)
    questions = load_questions()
    embedder.embed_documents([q.question for q in questions])
    async with services.db.unit_of_work() as session:
        keys = {str(r.id): f"{r.kind}:{r.slug}" for r in await session.execute(text(
            "SELECT id, 'project' AS kind, slug FROM projects UNION ALL SELECT id, 'post', slug FROM posts "
            "UNION ALL SELECT id, 'certification', slug FROM certifications"))}

    async def folio_ranked(question: str) -> list[str]:
        return [f"{h.type}:{h.slug}" for h in await services.search.search(VISITOR, question, limit=DEPTH)]

    def store_ranker(store):
        async def ranked(question: str) -> list[str]:
            docs = await store.asimilarity_search(question, k=40, filter={"public": True})
            items: list[str] = []
            for doc in docs:  # best chunk per item, in the store's order
                key = keys[str(doc.metadata["item_id"])]
                if key not in items:
                    items.append(key)
            return items[:DEPTH]
        return ranked

    rankers = {
        "folio hybrid (SQL)": folio_ranked,
        "PGVectorStore hybrid": store_ranker(await pgvectorstore(services, embedder, hybrid=True)),
        "PGVectorStore vector only": store_ranker(await pgvectorstore(services, embedder, hybrid=False)),
    }
    print(f"{len(questions)} labelled questions; latency per question, query embedding excluded")
    print(f"{'retrieval':<27} {'recall@5':>8} {'MRR@10':>7} {'nDCG@10':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for name, ranked in rankers.items():
        for q in questions[:5]:  # warm-up
            await ranked(q.question)
        runs, times = [], []
        for q in questions:
            started = time.perf_counter()
            runs.append((await ranked(q.question), q.expected))
            times.append((time.perf_counter() - started) * 1000)
        s = score(runs)
        times.sort()
        print(f"{name:<27} {s.recall_at_5:>8.3f} {s.mrr_at_10:>7.3f} {s.ndcg_at_10:>8.3f} "
              f"{statistics.median(times):>7.1f} {times[int(0.95 * (len(times) - 1))]:>7.1f}", flush=True)
    await services.db.dispose()


def main() -> None:
    scratch_run(run, prefix="fcmp")


if __name__ == "__main__":
    main()
