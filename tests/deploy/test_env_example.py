""".env.example lists every setting of folio.settings.Settings (and every variable the compose files
use), each with a one-line explanation and a safe default; it cannot drift from the code."""

import re

from folio.settings import Settings, load_settings
from testkit.deploy import BASE, CPU, ENV_EXAMPLE

LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


def _entries() -> dict[str, tuple[str, str]]:
    """NAME -> (value, the comment line right above it)."""
    lines = ENV_EXAMPLE.read_text().splitlines()
    entries: dict[str, tuple[str, str]] = {}
    for i, line in enumerate(lines):
        match = LINE.match(line)
        if not match:
            assert not line.strip() or line.startswith("#"), f"not NAME=value or a comment: {line!r}"
            continue
        name, value = match.groups()
        assert name not in entries, f"{name} appears twice"
        comment = lines[i - 1] if i else ""
        entries[name] = (value, comment)
    return entries


def test_every_setting_is_listed_with_an_explanation():
    entries = _entries()
    expected = {f"FOLIO_{name.upper()}" for name in Settings.model_fields}
    listed = {name for name in entries if name.startswith("FOLIO_")}
    assert expected - listed == set(), "add these settings to .env.example"
    assert listed - expected == set(), ".env.example lists settings folio does not have"
    for name, (_, comment) in entries.items():
        assert comment.startswith("# ") and len(comment) > 12, f"{name} needs a one-line explanation above it"


def test_the_listed_values_are_the_defaults():
    from_example = load_settings(_env_file=ENV_EXAMPLE)
    defaults = load_settings(_env_file=None)
    for name in Settings.model_fields:
        got, want = getattr(from_example, name), getattr(defaults, name)
        if hasattr(want, "get_secret_value"):
            got, want = got.get_secret_value(), want.get_secret_value()
        assert got == want, f"FOLIO_{name.upper()} in .env.example is not the default"


def test_compose_variables_are_listed_and_used():
    used = set()
    for path in (BASE, CPU):
        used |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", path.read_text()))
    compose_only = {name for name in _entries() if not name.startswith("FOLIO_")}
    assert {u for u in used if not u.startswith("FOLIO_")} == compose_only
    assert {u for u in used if u.startswith("FOLIO_")} <= {f"FOLIO_{n.upper()}" for n in Settings.model_fields}
