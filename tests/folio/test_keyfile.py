"""The generated secret key file: written atomically with mode 0600, one key for concurrent starts,
refused when short."""

import os
import stat
from concurrent.futures import ProcessPoolExecutor

import pytest

from folio.keyfile import MIN_KEY_CHARS, read_or_create
from folio.settings import ConfigError, load_settings


def test_created_once_with_0600_and_no_leftovers(tmp_path):
    path = tmp_path / "data" / "secret_key"
    key = read_or_create(path)
    assert len(key) >= MIN_KEY_CHARS and read_or_create(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(path.parent) == ["secret_key"]


def test_concurrent_starts_agree_on_one_key(tmp_path):
    path = tmp_path / "secret_key"
    with ProcessPoolExecutor(4) as pool:
        keys = set(pool.map(read_or_create, [path] * 8))
    assert keys == {path.read_text()}


@pytest.mark.parametrize("content", ["", "short-key\n"])
def test_an_empty_or_short_key_file_is_refused(tmp_path, content):
    (tmp_path / "secret_key").write_text(content)
    with pytest.raises(ConfigError, match="secret key file"):
        load_settings(data_dir=str(tmp_path)).resolved_secret_key()
