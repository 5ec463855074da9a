"""The /chat guard's pieces on Chainlit's real page: outside links removed, inline scripts hashed into
the policy, framing origins validated (a value that could smuggle another directive is refused)."""

import base64
import hashlib
from pathlib import Path

import chainlit
import pytest

from chat.guard import content_security_policy, page_without_outside_links
from folio.settings import ConfigError, load_settings

CHAINLIT_PAGE = Path(chainlit.__file__).parent / "frontend" / "dist" / "index.html"


def test_chainlits_page_loses_its_outside_links_and_its_inline_scripts_are_hashed():
    page, hashes = page_without_outside_links(CHAINLIT_PAGE.read_text())
    assert "googleapis" not in page and "gstatic" not in page and "jsdelivr" not in page
    assert '<script type="module" crossorigin src="/assets/' in page and '<div id="root">' in page
    inline = "\n      const global = globalThis;\n    "
    assert base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() in hashes


def test_the_policy_names_the_allowed_framing_origins_and_nothing_unsafe_for_scripts():
    settings = load_settings(_env_file=None, allowed_origins="https://embed.example, http://localhost:1313")
    csp = content_security_policy(settings, ["abc="])
    assert "frame-ancestors 'self' https://embed.example http://localhost:1313" in csp
    assert "script-src 'self' 'sha256-abc='" in csp and "img-src 'self' data:" in csp
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert content_security_policy(load_settings(_env_file=None)).endswith("frame-ancestors 'self'")


@pytest.mark.parametrize("origin", ["https://a.example; script-src *", "javascript:alert(1)", "*", "a.example"])
def test_an_origin_that_is_not_one_is_refused(origin):
    with pytest.raises(ConfigError, match="FOLIO_ALLOWED_ORIGINS"):
        load_settings(_env_file=None, allowed_origins=origin)
