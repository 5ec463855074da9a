"""Entry points and the one composition root: `folio` (the CLI, `python -m launch`), `folio serve`,
the chat evaluation harness. Everything else is assembled in launch/composition.py."""
