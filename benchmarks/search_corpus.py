"""The synthetic search corpus of benchmarks/search_bench.py: clustered unit vectors (like real
embeddings: topics) and Zipf-distributed pseudo-words, loaded with COPY into a database migrated
with folio's own migrations, plus the same vectors in three plain tables for the exact scan."""

from __future__ import annotations

import time
import uuid

import numpy as np
import psycopg

from data.repositories.search import VECTOR_INDEX_DDL, vector_literal

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
            # The vector stays in the row whatever the body's size (vector's default storage would move
            # it to TOAST once the row passes ~2 KB): the exact scan at its best, whatever search_chunks does.
            cur.execute(f"ALTER TABLE bench_exact_{k} ALTER embedding SET STORAGE PLAIN")
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
        cur.execute(VECTOR_INDEX_DDL)  # folio's own index, as `folio reindex` builds it
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


