"""Chainlit's app root: where Chainlit reads `.chainlit/config.toml`, its translations and `chainlit.md`,
and where it writes `.files/`. It must be writable, so it is never the install directory: folio ships its
files as package data (`chat/chainlit_files/`) and lays them out at every start into
`FOLIO_DATA_DIR/chainlit`, then points CHAINLIT_APP_ROOT there before anything imports Chainlit
(Chainlit reads its config once, at import).

`check_effective_config()` compares what Chainlit actually loaded with folio's shipped settings (uploads,
message editing, session lengths, websocket-only transport, raw HTML, language, name) and refuses to
start when they differ: e.g. Chainlit was imported earlier with another root, or someone edited the
laid-out file.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from folio.settings import ConfigError

SHIPPED = Path(__file__).resolve().parent / "chainlit_files"
ENV = "CHAINLIT_APP_ROOT"
# The settings folio depends on, as (section path in config.toml, attribute path on chainlit's config).
CHECKED: tuple[tuple[str, ...], ...] = (
    ("project", "user_session_timeout"),
    ("project", "session_timeout"),
    ("project", "transports"),
    ("features", "spontaneous_file_upload", "enabled"),
    ("features", "edit_message"),
    ("features", "unsafe_allow_html"),
    ("features", "audio", "enabled"),
    ("features", "mcp", "enabled"),
    ("UI", "name"),
    ("UI", "language"),
)


def shipped_config() -> dict[str, Any]:
    return tomllib.loads((SHIPPED / "config.toml").read_text(encoding="utf-8"))


def app_root_for(data_path: Path) -> Path:
    return Path(data_path) / "chainlit"


def _write_if_changed(path: Path, content: bytes) -> None:
    """Write atomically (several workers may lay out the same root at once), and only when different."""
    try:
        if path.read_bytes() == content:
            return
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def lay_out(root: Path) -> Path:
    """Copy folio's Chainlit files into `root` (created if needed) and return it."""
    root = Path(root).resolve()
    _write_if_changed(root / ".chainlit" / "config.toml", (SHIPPED / "config.toml").read_bytes())
    for translation in sorted((SHIPPED / "translations").glob("*.json")):
        _write_if_changed(root / ".chainlit" / "translations" / translation.name, translation.read_bytes())
    markdown = (SHIPPED / "chainlit.md").read_bytes()
    _write_if_changed(root / "chainlit.md", markdown)
    # Chainlit looks for chainlit_<language>.md first and warns on every visit when it is missing.
    language = shipped_config().get("UI", {}).get("language")
    if language:
        _write_if_changed(root / f"chainlit_{language}.md", markdown)
    return root


def chainlit_loaded() -> bool:
    return "chainlit.config" in sys.modules


def use_app_root(data_path: Path) -> Path:
    """Lay out the app root under `data_path` and point Chainlit at it, unless Chainlit is already
    loaded in this process (then its root stays; `check_effective_config` judges what it loaded)."""
    if chainlit_loaded():
        return Path(os.environ.get(ENV, os.getcwd()))
    try:
        root = lay_out(app_root_for(data_path))
    except OSError as exc:
        raise ConfigError(f"FOLIO_DATA_DIR: cannot write the chat's files into {app_root_for(data_path)}: "
                          f"{exc}") from None
    os.environ[ENV] = str(root)
    return root


def default_data_path() -> Path:
    """FOLIO_DATA_DIR as the settings read it (environment, .env, secrets), for code that imports the chat
    before any settings are passed around (tests, tools); the default when the settings do not load."""
    from pydantic import ValidationError

    from folio.settings import Settings

    try:
        return Settings().data_path
    except ValidationError:
        return Settings.model_fields["data_dir"].default.expanduser().resolve()


def _lookup(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name.lower() if name == "UI" else name)
    return obj


def config_differences() -> list[str]:
    """Each setting where Chainlit's loaded config differs from folio's shipped one ([] when none)."""
    from chainlit.config import config

    expected = shipped_config()
    problems = []
    for path in CHECKED:
        want, have = _lookup(expected, path), _lookup(config, path)
        if want != have:
            problems.append(f"{'.'.join(path)} is {have!r}, folio's is {want!r}")
    return problems


def check_effective_config() -> None:
    """Refuse to run the chat with settings other than folio's."""
    problems = config_differences()
    if problems:
        from chainlit.config import config_file

        raise ConfigError(f"Chainlit's settings differ from folio's ({config_file}, CHAINLIT_APP_ROOT="
                          f"{os.environ.get(ENV, '(unset: the working directory)')}): " + "; ".join(problems))
