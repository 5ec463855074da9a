"""The `folio` command."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Annotated

import typer
from rich.console import Console

from folio.settings import ConfigError, Settings, load_settings

app = typer.Typer(help="folio: a developer portfolio you can talk to.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True)


def _settings(**overrides) -> Settings:
    try:
        settings = load_settings(**overrides)
    except ConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return settings


def _run(coro):
    return asyncio.run(coro)


async def _with_services(url: str, work):
    from folio.runtime import open_services

    services = open_services(url)
    try:
        return await work(services)
    finally:
        await services.db.dispose()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (FOLIO_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (FOLIO_PORT)")] = None,
) -> None:
    """Start everything: database, migrations, demo content, REST and chat on one port."""
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = _settings(**overrides)
    import uvicorn

    from api.app import create_app
    from folio.runtime import database_url, prepare_content, upgrade_schema

    with database_url(settings) as url:
        upgrade_schema(url)
        _run(_with_services(url, lambda s: prepare_content(settings, s)))
        console.print(f"folio is serving on http://{settings.host}:{settings.port}")
        uvicorn.run(create_app(settings, url), host=settings.host, port=settings.port,
                    log_level=settings.log_level.lower(), proxy_headers=True)


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
    from rich.progress import Progress

    from folio.runtime import database_url, upgrade_schema
    from folio.services.seed import load_demo, seed_demo

    total = sum(len(load_demo().get(k, [])) for k in ("projects", "posts", "certifications"))
    with database_url(_settings()) as url:
        upgrade_schema(url)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("seeding the demo portfolio", total=total)

            async def work(services):
                return await seed_demo(services, progress=lambda *_: progress.advance(task))

            counts = _run(_with_services(url, work))
    console.print("created " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@app.command("create-owner")
def create_owner(email: Annotated[str, typer.Argument(help="The owner's login email")]) -> None:
    """Create the owner account (password from FOLIO_OWNER_PASSWORD or a prompt)."""
    from folio.errors import ValidationFailed
    from folio.runtime import database_url, upgrade_schema

    password = os.environ.get("FOLIO_OWNER_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    with database_url(_settings()) as url:
        upgrade_schema(url)
        try:
            _, created = _run(_with_services(url, lambda s: s.users.ensure_owner(email, password)))
        except ValidationFailed as exc:
            console.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(2) from None
    console.print(f"owner {email} " + ("created" if created else "already exists"))


def main() -> None:  # pragma: no cover
    app()
