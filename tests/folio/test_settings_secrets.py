"""Docker secrets: settings read from files named like their variables (pydantic-settings' secrets_dir),
below the environment and .env."""

from __future__ import annotations

from folio.settings import SECRETS_DIR, Settings, load_settings


def test_secret_files_set_settings(tmp_path):
    (tmp_path / "folio_secret_key").write_text("from-a-docker-secret-0123456789")
    (tmp_path / "FOLIO_OWNER_PASSWORD").write_text("hunter2-but-longer")
    (tmp_path / "folio_owner_email").write_text("owner@example.com")
    settings = load_settings(_secrets_dir=tmp_path, _env_file=None)
    assert settings.resolved_secret_key() == "from-a-docker-secret-0123456789"
    assert settings.owner_password.get_secret_value() == "hunter2-but-longer"
    assert settings.owner_email == "owner@example.com"


def test_the_environment_wins_over_a_secret_file(tmp_path, monkeypatch):
    (tmp_path / "folio_secret_key").write_text("from-a-docker-secret-0123456789")
    monkeypatch.setenv("FOLIO_SECRET_KEY", "from-the-environment-0123456789")
    assert load_settings(_secrets_dir=tmp_path, _env_file=None).resolved_secret_key() == \
        "from-the-environment-0123456789"


def test_secrets_are_read_from_run_secrets_where_it_exists():
    assert str(SECRETS_DIR) == "/run/secrets"
    assert Settings.model_config["secrets_dir"] == (SECRETS_DIR if SECRETS_DIR.is_dir() else None)
