import stat

import pytest

from folio.settings import ConfigError, load_settings


def test_defaults_use_embedded_services(tmp_path, monkeypatch):
    monkeypatch.delenv("FOLIO_LLM_BASE_URL")  # conftest points tests away from the embedded model
    s = load_settings(data_dir=tmp_path)
    assert s.uses_embedded_db and s.llm_base_url is None and s.embeddings_base_url is None
    assert s.pgdata == tmp_path.resolve() / "pg"


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [
        ("FOLIO_PORT", "eighty", "FOLIO_PORT"),
        ("FOLIO_PORT", "70000", "FOLIO_PORT"),
        ("FOLIO_DATABASE_URL", "mysql://x", "FOLIO_DATABASE_URL"),
        ("FOLIO_LLM_BASE_URL", "localhost:8000", "FOLIO_LLM_BASE_URL"),
        ("FOLIO_LOG_LEVEL", "LOUD", "FOLIO_LOG_LEVEL"),
        ("FOLIO_EMBEDDINGS_DIMENSIONS", "4", "FOLIO_EMBEDDINGS_DIMENSIONS"),
        # Without a server, only the packaged model can run in process.
        ("FOLIO_EMBEDDINGS_MODEL", "BAAI/bge-base-en-v1.5", "FOLIO_EMBEDDINGS_MODEL"),
    ],
)
def test_bad_values_name_the_setting(monkeypatch, env, value, named):
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=named):
        load_settings()


def test_owner_email_needs_password(monkeypatch, tmp_path):
    monkeypatch.setenv("FOLIO_OWNER_EMAIL", "me@example.com")
    with pytest.raises(ConfigError, match="FOLIO_OWNER_PASSWORD"):
        load_settings(data_dir=tmp_path)


def test_long_data_dir_is_refused(tmp_path):
    deep = tmp_path / ("x" * 100)
    with pytest.raises(ConfigError, match="FOLIO_DATA_DIR"):
        load_settings(data_dir=deep)


def test_secret_key_is_generated_once_and_private(tmp_path):
    s = load_settings(data_dir=tmp_path)
    key = s.resolved_secret_key()
    assert len(key) >= 32
    assert load_settings(data_dir=tmp_path).resolved_secret_key() == key
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert key not in repr(s)


def test_short_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="FOLIO_SECRET_KEY"):
        load_settings(data_dir=tmp_path, secret_key="short").resolved_secret_key()


def test_env_file_is_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("FOLIO_PORT=8123\nFOLIO_LLM_MODEL=qwen\n")
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.port == 8123 and s.llm_model == "qwen"
