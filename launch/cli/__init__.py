"""The `folio` command (console script `folio = "launch.cli:app"`, or `python -m launch`). Each module
below registers its commands on the one Typer app."""

from launch.cli import serve, content, imports, evaluate  # noqa: F401, I001 (registers their commands, in help order)
from launch.cli.common import app
from launch.cli.tokens import token_app

app.add_typer(token_app, name="token")

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover
    app()
