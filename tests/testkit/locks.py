"""Read the lock files in requirements/ (uv's `pip compile --generate-hashes` output)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.utils import canonicalize_name

from testkit.procs import ROOT

LOCKS = ROOT / "requirements"
_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(\S+?)(?:\s*;[^\\]*)?\s*(?:\\\s*)?$")


@dataclass
class Pin:
    name: str
    version: str
    hashes: list[str] = field(default_factory=list)


def read_lock(name: str) -> dict[str, Pin]:
    """Each pinned package (canonical name) with its version and hashes."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in (LOCKS / name).read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash="):
            assert current is not None, f"{name}: a hash before any package: {line}"
            current.hashes.append(stripped.removeprefix("--hash=").rstrip(" \\"))
            continue
        match = _ENTRY.match(stripped)
        assert match, f"{name}: not a pinned requirement: {line}"
        current = Pin(canonicalize_name(match.group(1)), match.group(3))
        pins[current.name] = current
    return pins


def locked_version(package: str, lock: str = "dev.lock") -> str:
    return read_lock(lock)[canonicalize_name(package)].version
