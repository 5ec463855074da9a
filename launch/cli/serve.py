"""`folio serve`, `folio db upgrade|downgrade`, `folio create-owner`: running folio and its accounts."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from launch.cli.common import app, cli_settings, console, db_app, demo_progress, run, with_services

if TYPE_CHECKING:
    from folio.settings import Settings


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (FOLIO_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (FOLIO_PORT)")] = None,
    workers: Annotated[int | None, typer.Option(help="Server processes on the port (FOLIO_WORKERS)")] = None,
) -> None:
    """Start everything: database, migrations, demo content, REST and chat on one port."""
    overrides = {k: v for k, v in {"host": host, "port": port, "workers": workers}.items() if v is not None}
    settings = cli_settings(**overrides)
    from launch.composition import database_url, prepare_content, upgrade_schema
    from launch.serving import serve_app

    if settings.llm_base_url is None:
        _prepare_local_model(settings)
    async def prepare(services) -> bool:
        await prepare_content(settings, services, progress=advance)
        return await services.users.has_owner()

    with database_url(settings) as url:
        upgrade_schema(url)
        with demo_progress() as advance:
            has_owner = run(with_services(url, prepare, settings))
        announce(settings, [f"folio is serving on {_local_url(settings)}"
                            + (f" with {settings.workers} workers" if settings.workers > 1 else "")])
        if not has_owner:
            announce(settings, owner_hint(settings))
        serve_app(settings, url)


def _local_url(settings: Settings, path: str = "") -> str:
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    return f"http://{host}:{settings.port}{path}"


def owner_hint(settings: Settings) -> list[str]:
    """How to become the owner, printed at start while no owner account exists: the exact command (with
    the data folder this server uses, when it came from the environment), then where to log in."""
    import shlex
    import sys
    from pathlib import Path

    exe = Path(sys.argv[0])
    command = [str(exe.resolve())] if exe.name == "folio" else [sys.executable, "-m", "launch"]
    env = [f"FOLIO_DATA_DIR={settings.data_path}"] if "FOLIO_DATA_DIR" in os.environ else []
    lines = ["No owner account yet. To become the owner, run this in another terminal (it asks for a password):",
             "  " + shlex.join([*env, *command, "create-owner", "you@example.com"])]
    if "FOLIO_DATABASE_URL" in os.environ:
        lines.append("  (with the same FOLIO_DATABASE_URL as this server)")
    lines += [f"then log in at {_local_url(settings, '/login')} with that email and password.",
              "(Or set FOLIO_OWNER_EMAIL and FOLIO_OWNER_PASSWORD, e.g. in .env, and restart.)"]
    return lines


def announce(settings: Settings, lines: list[str]) -> None:
    """Lines for the person who started folio: on the terminal, or as log records with JSON logs (so a
    log collector reads JSON only)."""
    if settings.log_format == "json":
        import logging

        for line in lines:
            logging.getLogger("folio.serve").info(line.strip())
        return
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _prepare_local_model(settings: Settings) -> None:
    """Join the embedded chat model's parts once with a progress bar (seconds), before the app starts it."""
    from folio.llm.local_server import LocalModelError
    from launch.composition import prepare_local_model

    try:
        path = prepare_local_model(settings, show_progress=True)
    except LocalModelError as exc:
        console.print(f"[yellow]warning:[/yellow] {exc}; the chat will say the model is unavailable")
        return
    console.print(f"local chat model: {path.name} (llama-server starts with the app)")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    from data import migrate
    from launch.composition import database_url

    with database_url(cli_settings()) as url:
        done = migrate.upgrade(url, revision)
    console.print(f"database upgraded from {done.before or 'empty'} to {done.after}" if done.changed
                  else f"database already at {done.after or 'base'}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1")]) -> None:
    """Revert migrations down to REVISION."""
    from data import migrate
    from launch.composition import database_url

    with database_url(cli_settings()) as url:
        done = migrate.downgrade(url, revision)
    console.print(f"database at {done.after or 'base'}")


@app.command("create-owner")
def create_owner(
    email: Annotated[str, typer.Argument(help="The owner's login email")],
    reset: Annotated[bool, typer.Option("--reset", help="Set a new password for an existing owner and end "
                                                        "every session (REST tokens and chat)")] = False,
) -> None:
    """Create the owner account (password from FOLIO_OWNER_PASSWORD or a prompt)."""
    from folio.errors import ValidationFailed
    from launch.composition import database_url, upgrade_schema

    password = os.environ.get("FOLIO_OWNER_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True)

    async def work(services) -> str:
        if reset:
            if not await services.users.set_password(email, password):
                raise ValidationFailed(f"no account {email}: run create-owner without --reset")
            return "has a new password; every session ended"
        _, created = await services.users.ensure_owner(email, password)
        return "created" if created else "already exists (use --reset to change the password)"

    with database_url(cli_settings()) as url:
        upgrade_schema(url)
        try:
            outcome = run(with_services(url, work))
        except ValidationFailed as exc:
            console.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(2) from None
    console.print(f"owner {email} {outcome}")
