"""`folio eval [--chat]`: search quality, or chat answers with the real model, on labelled questions."""

from __future__ import annotations

from typing import Annotated

import typer

from launch.cli.common import app, cli_settings, console, run, with_services


@app.command("eval")
def evaluate_search(
    questions: Annotated[str | None, typer.Option(help="Labelled questions (JSON); default: the demo set")] = None,
    chat: Annotated[bool, typer.Option("--chat", help="Score chat answers and owner requests with the real model")] = False,
    split: Annotated[str, typer.Option(help="--chat: dev, test or both (side by side)")] = "both",
    which: Annotated[str, typer.Option("--set", help="--chat: visitor, owner or both")] = "both",
    limit: Annotated[int | None, typer.Option(help="--chat: only the first N cases of each set")] = None,
) -> None:
    """Measure search quality on the labelled demo questions in a scratch copy of the demo portfolio:
    recall@5, MRR@10 and nDCG@10 for vector-only, full-text-only and hybrid retrieval. With --chat: visitor
    answers and owner requests on data/eval/{visitor,owner}_{dev,test}.json (written by someone who never
    read the answering code; the test split frozen) with the real chat model, judged on content: correct,
    forbidden claims, complete lists, other languages, first token and total p50/p95; owner requests exactly
    right after Confirm, wrong writes, clarifying questions, time to the preview (slow: tens of minutes)."""
    if chat:
        from launch.chat_eval import main as run_chat

        run_chat(["--split", split, "--set", which, *(["--limit", str(limit)] if limit else [])])
        return
    import shutil
    import tempfile
    from pathlib import Path

    from rich.progress import Progress
    from rich.console import Console
    from rich.table import Table

    from data import migrate
    from data.embedded_pg import EmbeddedPostgres
    from folio.services.evaluation import EVAL_FILE, evaluate, load_questions
    from folio.services.seed import demo_item_count, seed_demo

    settings = cli_settings()
    labelled = load_questions(Path(questions) if questions else EVAL_FILE)
    total = demo_item_count()
    # A throwaway embedded database: the evaluation never touches the real portfolio.
    scratch = Path(tempfile.mkdtemp(prefix="feval", dir="/tmp"))
    server = EmbeddedPostgres(scratch / "pg")
    url = settings.sqlalchemy_url(server.start())
    try:
        migrate.upgrade(url)
        with Progress(console=console, transient=True) as progress:
            seeding = progress.add_task("loading and embedding the demo portfolio", total=total)
            asking = progress.add_task("asking the questions", total=len(labelled))

            async def work(services):
                await services.indexer.prepare(services.db)
                await seed_demo(services, progress=lambda *_: progress.advance(seeding))
                return await evaluate(services.search, labelled, progress=lambda: progress.advance(asking))

            scores = run(with_services(url, work, settings))
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    table = Table(title=f"search quality on {len(labelled)} labelled questions "
                        f"({settings.embeddings_model}{'' if settings.embeddings_base_url else ', in process'})")
    for column in ("retrieval", "recall@5", "MRR@10", "nDCG@10"):
        table.add_column(column, justify="left" if column == "retrieval" else "right")
    for mode, s in scores.items():
        table.add_row(mode, f"{s.recall_at_5:.3f}", f"{s.mrr_at_10:.3f}", f"{s.ndcg_at_10:.3f}")
    Console().print(table)  # the figures go to stdout (progress went to stderr)
