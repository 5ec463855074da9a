"""`folio seed|reindex|import|export`: the portfolio's content in and out, and its search index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launch.cli.common import (app, cli_settings, console, demo_progress, print_problems, progress_bar, run,
                               with_services)


@app.command()
def seed(demo: Annotated[bool, typer.Option("--demo", help="Load the demo portfolio")] = False) -> None:
    """Load content: `--demo` adds the sample portfolio (items whose slug exists are left alone)."""
    if not demo:
        console.print("nothing to do: pass --demo")
        raise typer.Exit(2)
    from launch.composition import database_url, upgrade_schema
    from folio.services.seed import seed_demo

    with database_url(cli_settings()) as url:
        upgrade_schema(url)
        with demo_progress() as advance:
            counts = run(with_services(url, lambda services: seed_demo(services, progress=advance)))
    console.print("created " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@app.command()
def reindex() -> None:
    """Rebuild every search chunk and vector with the configured embedding model (after a model change,
    or to catch up on content saved while the model was down)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from data.embeddings import EmbedderUnavailable
    from launch.composition import database_url, upgrade_schema

    settings = cli_settings()
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
                report = run(with_services(url, work, settings))
            except EmbedderUnavailable as exc:
                console.print(f"[red]error:[/red] {exc}")
                raise typer.Exit(1) from None
    changed = f", vector size now {report.dimensions_changed_to}" if report.dimensions_changed_to else ""
    console.print(f"reindexed {report.items} items into {report.chunks} chunks{changed}")


def _portability(description: str, work):
    """Run WORK(portability_service, on_progress) on the configured database, with a progress bar;
    a domain error (and every file problem it lists) is printed and exits 1."""
    from folio.errors import DomainError
    from launch.composition import database_url, upgrade_schema
    from folio.services.portability import PortabilityService

    with database_url(cli_settings()) as url:
        upgrade_schema(url)
        with progress_bar() as progress:
            task = progress.add_task(description, total=None, item="")

            def advance(done: int, total: int, label: str) -> None:
                progress.update(task, completed=done, total=total, item=label)

            try:
                return run(with_services(url, lambda s: work(PortabilityService(s), advance)))
            except DomainError as exc:
                progress.stop()
                problems = (exc.details or {}).get("problems") if isinstance(exc.details, dict) else None
                if problems:
                    print_problems(problems, "invalid files")
                    console.print(f"[red]error:[/red] {exc.message} (fix them, or pass --skip-invalid)")
                else:
                    console.print(f"[red]error:[/red] {exc.message}")
                raise typer.Exit(1) from None


@app.command("import")
def import_content(
    source: Annotated[str, typer.Argument(help="github:USER (or github:USER/REPO): repositories as projects; "
                                               "feed:URL: a blog's RSS, Atom or JSON feed as posts; or a folder of "
                                               "Markdown files with YAML front matter, a .json file, or LinkedIn's "
                                               "data export (a folder with Profile.csv / Positions.csv, or one)")],
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Files: import the valid ones, skip the rest")
                            ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="github:/feed: confirm the preview without asking")] = False,
    publish: Annotated[bool, typer.Option("--publish", help="github:/feed: publish new items (default: drafts)")
                       ] = False,
    everything: Annotated[bool, typer.Option("--all", help="github: select forks and archived repositories too")
                          ] = False,
    humanise: Annotated[bool, typer.Option("--humanise", help="github: 'tide-gauge' becomes the title 'Tide gauge'")
                        ] = False,
) -> None:
    """Import content. github:/feed: show a preview and write on Confirm; a re-import updates only the
    fields you have not edited (see `folio conflicts`). Files: re-importing updates items by slug; nothing
    is written if any file is invalid."""
    from launch.cli.imports import import_source, is_connector

    if is_connector(source):
        import_source(source, yes=yes, publish=publish, humanise=humanise, everything=everything)
        return
    from folio.services.seed import SYSTEM

    path = Path(source)

    report = _portability("importing (and indexing for search)", lambda p, advance: p.import_path(
        SYSTEM, path, skip_invalid=skip_invalid, progress=advance))
    if report.skipped:
        print_problems(report.skipped, "skipped (invalid)")
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
