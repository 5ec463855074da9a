"""`folio import github:USER|feed:URL` (through `folio import`, launch/cli/content.py) and `folio conflicts`:
the owner's GitHub repositories and blog posts, previewed as a list, written on Confirm (or --yes),
kept in sync later; a field both the owner and the source changed is shown as a diff to accept or ignore."""

from __future__ import annotations

from typing import Annotated

import typer

from rich.markup import escape

from launch.cli.common import app, cli_settings, console, progress_bar, run, with_services

conflicts_app = typer.Typer(help="Imported fields both you and the source changed: list, accept or ignore.",
                            invoke_without_command=True)
app.add_typer(conflicts_app, name="conflicts")

SOURCE_PREFIXES = ("github:", "feed:", "http://", "https://")


def is_connector(source: str) -> bool:
    return source.lower().startswith(SOURCE_PREFIXES)


def _preview_table(preview) -> None:
    from rich.table import Table

    table = Table(title=f"{preview.source}: {len(preview.planned)} item(s), {preview.requests} request(s)",
                  title_justify="left")
    for column in ("", "what", "title", "notes"):
        table.add_column(column, overflow="fold")
    for plan in preview.planned:
        mark = ("[x]" if plan.selected else "[ ]") if plan.action == "create" else ""
        notes = ", ".join(plan.candidate.notes)
        if plan.action in ("update", "conflict"):
            notes = "; ".join(filter(None, [notes, f"updates {', '.join(sorted(plan.updates))}" if plan.updates else "",
                                            f"conflict: {', '.join(sorted(plan.conflicts))}" if plan.conflicts else ""]))
        table.add_row(escape(mark), {"create": "new", "update": "update"}.get(plan.action, plan.action),
                      escape(plan.candidate.title), escape(notes))
    for gone in preview.removed:
        table.add_row("", "removed", escape(gone.title), "no longer at the source (kept here)")
    console.print(table)


def _print_conflicts(conflicts) -> None:
    from rich.syntax import Syntax

    for c in conflicts:
        console.print(f"[yellow]conflict[/yellow] {c.kind} [bold]{c.slug}[/bold] field [bold]{c.field}[/bold] "
                      f"(accept: folio conflicts accept {c.record_id} {c.field}; ignore: folio conflicts ignore "
                      f"{c.record_id} {c.field})")
        console.print(Syntax(c.diff(), "diff", word_wrap=True))


def import_source(source: str, *, yes: bool, publish: bool, humanise: bool, everything: bool) -> None:
    """Preview SOURCE, ask, apply. Nothing is written before the answer (or --yes)."""
    from folio.errors import DomainError
    from folio.services.seed import SYSTEM
    from launch.composition import database_url, upgrade_schema

    settings = cli_settings()

    async def work(services):
        imports = services.imports
        with progress_bar() as progress:
            task = progress.add_task(f"reading {source}", total=None, item="")

            def advance(done: int, total: int | None, label: str) -> None:
                progress.update(task, completed=done, total=total, item=label)

            preview = await imports.preview(SYSTEM, source, humanise=humanise, progress=advance)
        if preview.not_modified:
            await imports.apply(SYSTEM, preview.id)
            console.print(f"{preview.source} has not changed since the last import "
                          f"({preview.requests} request, answered 304): nothing to do")
            return None
        _preview_table(preview)
        chosen = {p.candidate.external_id for p in preview.new} if everything else None
        count = len(preview.new) if everything else sum(p.selected for p in preview.new)
        changes = sum(p.action in ("update", "conflict") for p in preview.planned)
        if not count and not changes and not preview.removed:
            console.print("nothing to import")
            return None
        state = "published" if publish else "drafts"
        if not yes and not typer.confirm(f"Import {count} new item(s) as {state} and apply {changes} update(s)?",
                                         default=False):
            console.print("cancelled: nothing was written")
            raise typer.Exit(1)
        with progress_bar() as progress:
            task = progress.add_task("importing (and indexing for search)", total=len(preview.planned), item="")

            def step(done: int, total: int | None, label: str) -> None:
                progress.update(task, completed=done, total=total, item=label)

            return await imports.apply(SYSTEM, preview.id, selected=chosen, publish=publish, progress=step)

    with database_url(settings) as url:
        upgrade_schema(url)
        try:
            report = run(with_services(url, work, settings))
        except DomainError as exc:
            console.print(f"[red]error:[/red] {escape(exc.message)}")
            raise typer.Exit(1) from None
    if report is None:
        return
    for kind, slug, title in report.created:
        console.print(f"[green]created[/green] {kind} {slug} ({escape(title)})")
    for kind, slug, fields in report.updated:
        console.print(f"[cyan]updated[/cyan] {kind} {slug}: {', '.join(fields)}")
    _print_conflicts(report.conflicts)
    for gone in report.removed:
        console.print(f"[magenta]removed at the source[/magenta] {gone.kind} {gone.slug or gone.external_id} "
                      f"({escape(gone.title)}): kept here")
    for skipped in report.skipped:
        console.print(f"[dim]skipped[/dim] {escape(skipped)}")
    console.print(f"created {len(report.created)}, updated {len(report.updated)}, unchanged {report.unchanged}, "
                  f"conflicts {len(report.conflicts)}, removed at the source {len(report.removed)}, "
                  f"skipped {len(report.skipped)}; {report.requests} request(s)")


def _with_imports(work):
    from folio.errors import DomainError
    from launch.composition import database_url, upgrade_schema

    settings = cli_settings()
    with database_url(settings) as url:
        upgrade_schema(url)
        try:
            return run(with_services(url, lambda services: work(services.imports), settings))
        except DomainError as exc:
            console.print(f"[red]error:[/red] {escape(exc.message)}")
            raise typer.Exit(1) from None


@conflicts_app.callback()
def conflicts(ctx: typer.Context) -> None:
    """List the imported fields both you and the source changed, each as a diff."""
    if ctx.invoked_subcommand is not None:
        return
    from folio.services.seed import SYSTEM

    found = _with_imports(lambda imports: imports.conflicts(SYSTEM))
    _print_conflicts(found)
    console.print(f"{len(found)} conflict(s)")


def _resolve(record_id: str, field: str, accept: bool) -> None:
    from folio.services.seed import SYSTEM

    view = _with_imports(lambda imports: imports.resolve(SYSTEM, record_id, field, accept=accept))
    console.print(f"{'accepted' if accept else 'ignored'}: {view.kind} {view.slug} {view.field}")


@conflicts_app.command("accept")
def accept(record_id: Annotated[str, typer.Argument(help="The conflict's id (from `folio conflicts`)")],
           field: Annotated[str, typer.Argument(help="The field")]) -> None:
    """Write the source's value over yours."""
    _resolve(record_id, field, True)


@conflicts_app.command("ignore")
def ignore(record_id: Annotated[str, typer.Argument(help="The conflict's id (from `folio conflicts`)")],
           field: Annotated[str, typer.Argument(help="The field")]) -> None:
    """Keep your value; this change of the source is not raised again."""
    _resolve(record_id, field, False)
