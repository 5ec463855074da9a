"""docs/settings.md is what scripts/settings_doc.py renders from the Settings class: a setting added,
removed or redescribed without `make settings-doc` fails here."""

import importlib.util

from testkit.procs import ROOT


def _generator():
    spec = importlib.util.spec_from_file_location("settings_doc", ROOT / "scripts" / "settings_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_doc_is_current():
    generator = _generator()
    assert generator.TARGET.read_text() == generator.render(), "docs/settings.md is out of date: run `make settings-doc`"


def test_every_setting_is_listed_with_a_description():
    from folio.settings import Settings

    text = (ROOT / "docs" / "settings.md").read_text()
    for name, field in Settings.model_fields.items():
        assert f"| `FOLIO_{name.upper()}` |" in text
        assert field.description, f"FOLIO_{name.upper()} has no description in folio/settings.py"
