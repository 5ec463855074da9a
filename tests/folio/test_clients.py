"""Client addresses: the peer, or X-Forwarded-For from trusted proxies only; IPv6 grouped by /64."""

import pytest

from folio.clients import TrustedProxies, group, scope_client
from folio.settings import ConfigError, load_settings

LOOPBACK = TrustedProxies("127.0.0.1,::1")


def test_the_peer_is_the_client_without_a_trusted_proxy():
    assert LOOPBACK.client_of("203.0.113.7", None) == "203.0.113.7"
    # An untrusted peer cannot pose as someone else.
    assert LOOPBACK.client_of("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert LOOPBACK.client_of(None, "198.51.100.1") == "unknown"


def test_forwarded_for_from_a_trusted_proxy_names_the_rightmost_untrusted_hop():
    assert LOOPBACK.client_of("127.0.0.1", "198.51.100.1") == "198.51.100.1"
    # A client-supplied first hop is ignored: the proxy appended the real peer last.
    assert LOOPBACK.client_of("127.0.0.1", "10.6.6.6, 198.51.100.1") == "198.51.100.1"
    chain = TrustedProxies("127.0.0.1, 10.0.0.0/8")
    assert chain.client_of("127.0.0.1", "198.51.100.1, 10.1.2.3") == "198.51.100.1"
    assert chain.client_of("127.0.0.1", "10.1.2.3") == "10.1.2.3"  # all trusted: the first
    assert TrustedProxies("*").client_of("203.0.113.9", "198.51.100.1") == "198.51.100.1"


def test_ipv6_is_grouped_by_its_64_and_mapped_ipv4_is_ipv4():
    assert group("2001:db8:1:2:aaaa::1") == group("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert group("2001:db8:1:3::1") != group("2001:db8:1:2::1")
    assert group("::ffff:198.51.100.4") == "198.51.100.4"
    assert group("[2001:db8::1]") == "2001:db8::/64"
    assert LOOPBACK.client_of("::1", "2001:db8:0:7::5") == "2001:db8:0:7::/64"
    assert group("not-an-address" * 10) == ("not-an-address" * 10)[:64]


def test_asgi_scope_client_and_header():
    scope = {"client": ("127.0.0.1", 5000), "headers": [(b"x-forwarded-for", b"198.51.100.2")]}
    assert scope_client(scope, LOOPBACK) == "198.51.100.2"
    assert scope_client({"client": ("198.51.100.3", 1), "headers": []}, LOOPBACK) == "198.51.100.3"


def test_trusted_proxies_setting_is_validated():
    assert load_settings(trusted_proxies="10.0.0.0/8, 192.168.1.1").trusted_proxies
    with pytest.raises(ConfigError, match="FOLIO_TRUSTED_PROXIES"):
        load_settings(trusted_proxies="10.0.0.0/33")
