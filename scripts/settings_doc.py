"""Write docs/settings.md from folio's one settings class (folio/settings.py): every FOLIO_ variable with
its type, default and description. `make settings-doc` runs it; tests/folio/test_settings_doc.py fails
when the committed file differs from what this prints."""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path

from pydantic import SecretStr
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from folio.settings import Settings  # noqa: E402

TARGET = ROOT / "docs" / "settings.md"
HEADER = """# Settings

Every setting is an environment variable (or a line in `.env`, or a Docker secret file named after it in
`/run/secrets`, lower-case, e.g. `/run/secrets/folio_secret_key`); an empty value means the default.
Generated from `folio/settings.py` by `make settings-doc`: edit the descriptions there, not here.

| Variable | Type | Default | What it does |
| --- | --- | --- | --- |
"""


def _type(annotation: typing.Any) -> str:
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type(a) for a in args if a is not type(None))
    if annotation is SecretStr:
        return "secret"
    return getattr(annotation, "__name__", str(annotation))


def _default(value: typing.Any) -> str:
    if value is PydanticUndefined or value is None:
        return "(unset)"
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, bool):
        value = str(value).lower()
    text = str(value)
    return f"`{text}`" if text else '`""`'


def render() -> str:
    prefix = Settings.model_config.get("env_prefix", "")
    rows = []
    for name, field in Settings.model_fields.items():
        description = " ".join((field.description or "").split()).replace("|", "\\|")
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        rows.append(f"| `{prefix}{name.upper()}` | {_type(field.annotation)} | {_default(default)} | {description} |")
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text() == render() else "docs/settings.md is out of date: run `make settings-doc`")
    TARGET.write_text(render())
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(Settings.model_fields)} settings)")
