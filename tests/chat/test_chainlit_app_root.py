"""Chainlit's app root: folio's shipped files laid out under FOLIO_DATA_DIR, and the refusal to serve the
chat when the settings Chainlit loaded are not folio's."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from chat.app_root import SHIPPED, app_root_for, config_differences, lay_out, shipped_config
from testkit.procs import ROOT, folio_env


def test_lay_out_writes_folios_files_and_restores_edits(tmp_path):
    root = lay_out(app_root_for(tmp_path))
    config = root / ".chainlit" / "config.toml"
    assert config.read_bytes() == (SHIPPED / "config.toml").read_bytes()
    assert (root / ".chainlit" / "translations" / "en-US.json").is_file()
    markdown = (SHIPPED / "chainlit.md").read_text()
    assert (root / "chainlit.md").read_text() == markdown
    assert (root / "chainlit_en-US.md").read_text() == markdown  # no "Translated markdown ... not found"
    config.write_text(config.read_text().replace("edit_message = false", "edit_message = true"))
    lay_out(root)
    assert config.read_bytes() == (SHIPPED / "config.toml").read_bytes()


def test_shipped_config_holds_what_folio_relies_on():
    cfg = shipped_config()
    assert cfg["features"]["spontaneous_file_upload"]["enabled"] is False
    assert cfg["features"]["edit_message"] is False
    assert cfg["features"]["unsafe_allow_html"] is False
    assert cfg["project"]["transports"] == ["websocket"]
    assert cfg["project"]["user_session_timeout"] == 12 * 3600


def test_this_process_runs_chainlit_with_folios_settings():
    import chainlit.config  # noqa: F401  (loaded through chat/__init__'s app root)

    assert config_differences() == []


def _run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=180, env=folio_env(FOLIO_SECRET_KEY="k" * 32, FOLIO_DATA_DIR=str(tmp_path / "data"),
                                                     PYTHONPATH=str(ROOT), **env))


def test_chat_refuses_to_mount_when_chainlit_loaded_other_settings(tmp_path):
    """Chainlit imported first with another root (its defaults: uploads on, editing on, 15-day sessions,
    any transport): mounting the chat raises a ConfigError naming each difference."""
    other = tmp_path / "elsewhere"
    other.mkdir()
    result = _run("""
        import chainlit.config  # Chainlit first: it writes and loads its default config
        from fastapi import FastAPI
        from chat.mount import mount_chat
        from folio.settings import ConfigError, load_settings
        try:
            mount_chat(FastAPI(), load_settings())
        except ConfigError as exc:
            print("REFUSED", exc)
        else:
            print("MOUNTED")
    """, tmp_path, CHAINLIT_APP_ROOT=str(other))
    assert "REFUSED" in result.stdout, result.stdout + result.stderr[-3000:]
    for setting in ("features.spontaneous_file_upload.enabled", "features.edit_message",
                    "project.user_session_timeout", "project.transports", "UI.name"):
        assert setting in result.stdout
    assert str(other / ".chainlit" / "config.toml") in result.stdout  # the message names the file it loaded


def test_chat_mounts_with_folios_settings_from_any_directory(tmp_path):
    """The same mount without an earlier import: the app root is laid out under FOLIO_DATA_DIR, whatever
    CHAINLIT_APP_ROOT said, and nothing is written into the working directory."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    result = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import os
        from fastapi import FastAPI
        from chat.mount import mount_chat
        from folio.settings import load_settings
        mount_chat(FastAPI(), load_settings())
        import chainlit.config
        print("ROOT", chainlit.config.APP_ROOT)
    """)], cwd=cwd, capture_output=True, text=True, timeout=180,
        env=folio_env(FOLIO_SECRET_KEY="k" * 32, FOLIO_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT),
                      CHAINLIT_APP_ROOT=str(cwd)))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"ROOT {tmp_path / 'data' / 'chainlit'}" in result.stdout
    assert list(cwd.iterdir()) == []
