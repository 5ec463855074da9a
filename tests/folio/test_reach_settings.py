"""FOLIO_ALLOWED_ORIGINS: origins only (scheme, host, port), normalised; anything else is refused at start."""

import pytest

from folio.settings import ConfigError, load_settings


def test_allowed_origins_are_normalised():
    settings = load_settings(allowed_origins="https://Maya.dev/, http://localhost:1313 http://[::1]:8080")
    assert settings.embed_origins == ("https://maya.dev", "http://localhost:1313", "http://[::1]:8080")
    assert load_settings().embed_origins == ()


@pytest.mark.parametrize("bad", ["maya.dev", "https://maya.dev/blog", "javascript:alert(1)", "*",
                                 "https://maya.dev?x=1"])
def test_anything_but_an_origin_is_refused(bad):
    with pytest.raises(ConfigError, match="FOLIO_ALLOWED_ORIGINS"):
        load_settings(allowed_origins=bad)
