"""`folio token create|list|revoke`: API tokens for MCP clients (Claude Desktop, IDE agents)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

token_app = typer.Typer(help="API tokens for MCP clients (owner access to /mcp).", no_args_is_help=True)
err = Console(stderr=True)
EmailOpt = Annotated[str | None, typer.Option("--email", help="Whose token (default: the one owner account)")]


def _with_tokens(work):
    """Run `work(ApiTokenService)` against the configured database (started and migrated if embedded)."""
    from data.db import Database, make_engine
    from launch.cli.common import cli_settings
    from folio.errors import DomainError
    from launch.composition import database_url, upgrade_schema
    from folio.services.api_tokens import ApiTokenService

    async def run(url: str):
        db = Database(make_engine(url, pool_size=1))
        try:
            return await work(ApiTokenService(db))
        finally:
            await db.dispose()

    with database_url(cli_settings()) as url:
        upgrade_schema(url)
        try:
            return asyncio.run(run(url))
        except DomainError as exc:
            err.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(2) from None


@token_app.command("create")
def create(name: Annotated[str, typer.Option("--name", help="What the token is for, e.g. 'claude-desktop'")],
           email: EmailOpt = None) -> None:
    """Create a token; it is printed once (on stdout), keep it secret."""
    new = _with_tokens(lambda tokens: tokens.create(email, name))
    err.print(f"token '{new.record.name}' created; it is shown once:")
    print(new.token)


@token_app.command("list")
def list_tokens(email: EmailOpt = None) -> None:
    """The account's tokens: name, prefix, created, last used, revoked."""
    rows = _with_tokens(lambda tokens: tokens.list(email))
    table = Table("name", "prefix", "created", "last used", "revoked")
    for t in rows:
        table.add_row(t.name, t.prefix + "…", f"{t.created_at:%Y-%m-%d %H:%M}",
                      f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never",
                      f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "")
    Console().print(table)


@token_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The token's name or its shown prefix")],
           email: EmailOpt = None) -> None:
    """Revoke a token at once: clients using it get 401."""
    revoked = _with_tokens(lambda tokens: tokens.revoke(email, name))
    err.print(f"revoked {len(revoked)} token(s) named '{name}'")
