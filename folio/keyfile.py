"""The generated secret key file: created atomically (0600, a temporary file linked into place, so no
process ever reads a half-written or empty key, and two processes starting at once agree on one
key) and refused when it holds a key too short to sign sessions with."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MIN_KEY_CHARS = 32


class KeyFileError(RuntimeError):
    pass


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if len(key) < MIN_KEY_CHARS:
        raise KeyFileError(f"the secret key file {path} holds {len(key)} characters (at least {MIN_KEY_CHARS} are "
                           "needed): delete it to generate a new one (every session ends), or set FOLIO_SECRET_KEY")
    return key


def read_or_create(path: Path) -> str:
    if path.exists():
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temp, path)  # atomic, and fails if another process got there first: then use its key
        except FileExistsError:
            pass
    finally:
        temp.unlink(missing_ok=True)
    return _read(path)
