"""The owner's insights page with 10,000 recorded visitor questions: its render time, printed (issue #24).

    .venv/bin/python benchmarks/insights_bench.py                       # 10,000 questions, 20 renders each
    .venv/bin/python benchmarks/insights_bench.py --screenshot docs/insights.png

In a scratch embedded PostgreSQL migrated with folio's migrations, the real app (build_app: REST, pages,
chat runtime; no chat model is called) with the in-process embedding model. The questions are 292
distinct phrasings (12 topics, 21 ways each, plus 40 unanswered ones), embedded once by the real model
and recorded 10,000 times over the last 90 days in conversations of 1-6 questions from 2,000 visitors.
GET /owner/insights (the owner's token) for 7, 30 and 90 days, against a bare peer measured in the same
run (interleaved, one request each in turn): the same app's server-rendered item page
(/p/project/<slug>, one row read), as a ratio. Prints the
load average: the machine is shared. --screenshot renders the 30-day page in headless Chromium (the
page is self-contained: loaded with set_content, no server) and saves a PNG.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from data import migrate  # noqa: E402
from data.embedded_pg import EmbeddedPostgres  # noqa: E402
from folio.actor import Actor  # noqa: E402
from folio.schemas import ProjectCreate  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from launch.composition import build_app, embedder_for  # noqa: E402

TOPICS = {
    "Rust": ["Do you write Rust?", "Which of your projects use Rust?", "How long have you used Rust?"],
    "PostgreSQL": ["How much PostgreSQL have you done?", "Have you tuned Postgres queries?",
                   "Do you know pgvector?"],
    "Kubernetes": ["Have you run Kubernetes in production?", "Are you certified in Kubernetes?",
                   "Do you know Helm and k8s operators?"],
    "Work history": ["Where do you work now?", "What was your last job?", "How many years of experience do you have?"],
    "Availability": ["Are you open to new roles?", "When could you start?", "Are you looking for freelance work?"],
    "Python": ["Do you write Python?", "Which Python frameworks do you know?", "Show me your Python projects"],
    "Observability": ["Have you built dashboards and alerts?", "Do you use OpenTelemetry?",
                      "How do you monitor services?"],
    "AWS": ["Do you have AWS certifications?", "Which AWS services have you used?", "Are you an AWS architect?"],
    "Blog": ["What do you write about?", "Which post is your most recent?", "Do you blog about databases?"],
    "Search": ["Have you built search engines?", "Do you know vector search?", "What is hybrid search?"],
    "Testing": ["How do you test your code?", "Do you write load tests?", "What is coordinated omission?"],
    "Location": ["Where are you based?", "Do you work remotely?", "Which time zone are you in?"],
}
GAPS = ["Do you know Haskell?", "Have you written Haskell code?", "Do you speak Japanese?",
        "Have you used Elixir?", "Do you know Elixir and Phoenix?", "What is your salary expectation?",
        "Do you have a driving licence?", "Have you worked with SAP?", "Do you know COBOL?", "Have you used Unity?"]
SUFFIXES = ["", " please", " at all", " recently", " in your work", " professionally", " today", " still",
            " yourself"]
OUTCOMES = (("data", 0.62), ("model", 0.18), ("ignored", 0.08))


def phrasings() -> tuple[list[tuple[str, str]], list[str]]:
    answered = [(topic, q.rstrip("?") + s + "?") for topic, qs in TOPICS.items() for q in qs for s in SUFFIXES[:7]]
    unanswered = [q.rstrip("?") + s + "?" for q in GAPS for s in SUFFIXES[:4]]
    return answered, unanswered


def ms(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] * 1000


async def seed(app, n: int) -> None:
    services = app.state.services
    answered, unanswered = phrasings()
    texts = [q for _, q in answered] + unanswered
    vectors = dict(zip(texts, await services.insights.embedder.aembed_documents(texts), strict=True))
    rng, now = random.Random(24), datetime.now(UTC)
    visitors = [uuid.uuid4().hex[:24] for _ in range(n // 5)]
    rows: list[dict] = []
    while len(rows) < n:  # a conversation: one visitor, one to six questions within minutes
        conversation, visitor = uuid.uuid4().hex[:24], rng.choice(visitors)
        at = now - timedelta(days=rng.random() * 89.5)
        for k in range(min(rng.randint(1, 6), n - len(rows))):
            roll = rng.random()
            outcome = next((o for o, share in _cumulative(OUTCOMES) if roll < share), "unanswered")
            if outcome == "unanswered":
                question, items = rng.choice(unanswered), []
            else:
                topic, question = rng.choice(answered)
                items = [f"project:{topic.lower().replace(' ', '-')}"]
            rows.append({"created_at": at + timedelta(minutes=k), "conversation": conversation, "visitor": visitor,
                         "question": question, "outcome": outcome, "items": items, "embedding": vectors[question]})
    async with services.db.unit_of_work() as session:
        from data.models import VisitorQuestion
        await session.execute(VisitorQuestion.__table__.insert(), rows)
    for n_lead in range(12):
        await services.inbox.leave_contact(f"Recruiter {n_lead}", f"r{n_lead}@example.com", "About a role")


def _cumulative(shares):
    total = 0.0
    for outcome, share in shares:
        total += share
        yield outcome, total


async def timed(client: httpx.AsyncClient, path: str, n: int, peer: str | None = None) -> tuple[list[float], list[float]]:
    """`n` GETs of `path`, each followed by one of `peer` (interleaved: both see the same machine load)."""
    times: list[float] = []
    peers: list[float] = []
    for _ in range(n):
        for target, into in ((path, times), (peer, peers)):
            if target is None:
                continue
            started = time.perf_counter()
            r = await client.get(target)
            into.append(time.perf_counter() - started)
            assert r.status_code == 200, (target, r.status_code, r.text[:300])
    return times, peers


async def main(n: int, runs: int, shot: Path | None) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line a request otherwise
    root = Path(tempfile.mkdtemp(prefix="fins", dir="/tmp"))
    server = EmbeddedPostgres(root / "pg")
    try:
        settings = load_settings(data_dir=str(root / "data"), secret_key="insights-bench-" + uuid.uuid4().hex,
                                 llm_base_url="http://127.0.0.1:9/v1", seed_demo=False,
                                 rate_read_requests=10**9, rate_search_requests=10**9)
        url = settings.sqlalchemy_url(server.start())
        migrate.upgrade(url)
        app = build_app(settings, url, embedder=embedder_for(settings))
        async with app.router.lifespan_context(app):
            services = app.state.services
            user, _ = await services.users.ensure_owner("owner@example.com", "correct horse battery")
            owner = Actor(user_id=user.id, email=user.email, is_owner=True)
            await services.content("project").create(owner, ProjectCreate(title="Ferrox", summary="A load tester."))
            started = time.perf_counter()
            await seed(app, n)
            print(f"seeded {n:,} questions in {time.perf_counter() - started:.1f} s")
            token = app.state.auth.issue(owner)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench",
                                         headers={"Authorization": f"Bearer {token}"}) as client:
                await timed(client, "/owner/insights", 2)  # warm: pools, catalogue, first roll-up
                await timed(client, "/p/project/ferrox", 2)
                print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores; {runs} renders a row")
                for days in (7, 30, 90):
                    page, peer = await timed(client, f"/owner/insights?days={days}", runs, peer="/p/project/ferrox")
                    print(f"/owner/insights?days={days:<3} p50 {ms(page, .5):7.1f} ms  p95 {ms(page, .95):7.1f} ms   "
                          f"bare item page p50 {ms(peer, .5):5.2f} ms   ratio {statistics.median(page) / statistics.median(peer):6.1f}x")
                if shot is not None:
                    html = (await client.get("/owner/insights?days=30")).text
                    await asyncio.to_thread(screenshot, html, shot)  # Playwright's sync API: off the loop
                    print(f"screenshot: {shot}")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def screenshot(html: str, path: Path) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from testkit.browser import CHROMIUM, FLAGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        outside: list[str] = []
        page.on("request", lambda request: outside.append(request.url))
        page.set_content(html, wait_until="load")
        assert not [u for u in outside if not u.startswith(("data:", "about:"))], outside
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="recorded questions")
    parser.add_argument("--runs", type=int, default=20, help="renders measured per row")
    parser.add_argument("--screenshot", type=Path, default=None, help="save a PNG of the 30-day page here")
    args = parser.parse_args()
    asyncio.run(main(args.n, args.runs, args.screenshot))
