"""Who is on the other end: the client address of a request, for throttles and rate limits.

The ASGI scope's client is the peer. `X-Forwarded-For` is honoured only when that peer is a trusted
proxy (FOLIO_TRUSTED_PROXIES, default loopback, as uvicorn's `forwarded_allow_ips`): the client is
the rightmost address in the header that is not itself a trusted proxy. IPv6 clients are grouped by
their /64 (one subscriber usually holds a whole /64), IPv4-mapped IPv6 becomes IPv4.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

DEFAULT_TRUSTED = "127.0.0.1,::1"
UNKNOWN = "unknown"
_MAX_KEY = 64  # an unparsable address from a trusted proxy is kept as text, cut to this length



@dataclass
class RequestInfo:
    """What api.middleware knows of the current HTTP request, for doors whose callback gets no request
    object (Chainlit's password login): the client address and its known-device token in, a throttle's
    refusal out (the middleware turns that door's 401 into a 429 with Retry-After) and a new known-device
    token out (the middleware sets it as a cookie on the successful login's response)."""

    client: str
    retry_after: int | None = None
    device: str | None = None  # the known-device cookie presented at a login door
    new_device: str | None = None  # a known-device token to set after a successful login


current_request: ContextVar[RequestInfo | None] = ContextVar("folio_request_info", default=None)


def current_client() -> str:
    info = current_request.get()
    return info.client if info is not None else UNKNOWN


def current_device() -> str | None:
    info = current_request.get()
    return info.device if info is not None else None


def remember_device(token: str | None) -> None:
    info = current_request.get()
    if info is not None and token:
        info.new_device = token


def refuse_current(retry_after: int) -> None:
    info = current_request.get()
    if info is not None:
        info.retry_after = retry_after

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """A set of addresses and networks ("*" trusts every peer, as uvicorn's "*")."""

    def __init__(self, spec: str = DEFAULT_TRUSTED):
        self.everyone = False
        self.networks: list[Network] = []
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            if part == "*":
                self.everyone = True
                continue
            self.networks.append(ipaddress.ip_network(part, strict=False))  # ValueError: caught by settings

    def __contains__(self, host: str) -> bool:
        if self.everyone:
            return True
        ip = _ip(host)
        return ip is not None and any(ip in net for net in self.networks if net.version == ip.version)

    def client_of(self, peer: str | None, forwarded_for: str | None) -> str:
        """The client's grouped address, given the peer address and the X-Forwarded-For header."""
        if peer is None:
            return UNKNOWN
        if forwarded_for and peer in self:
            hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
            for hop in reversed(hops):
                if hop not in self:
                    return group(hop)
            if hops:
                return group(hops[0])
        return group(peer)


@lru_cache(maxsize=16)
def trusted(spec: str = DEFAULT_TRUSTED) -> TrustedProxies:
    return TrustedProxies(spec)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    host = host.strip()
    if host.startswith("[") and "]" in host:  # "[2001:db8::1]:443"
        host = host[1:host.index("]")]
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def group(host: str) -> str:
    """The rate-limit key of an address: IPv4 as is, IPv6 as its /64 network."""
    ip = _ip(host)
    if ip is None:
        return host.strip()[:_MAX_KEY] or UNKNOWN
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _header(headers: Iterable[tuple[bytes, bytes]], wanted: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in headers if k.lower() == wanted]
    return ",".join(values) if values else None


def scope_client(scope: Mapping[str, Any], proxies: TrustedProxies) -> str:
    """The client address of an ASGI HTTP or websocket scope."""
    peer = scope.get("client")
    return proxies.client_of(peer[0] if peer else None, _header(scope.get("headers") or (), b"x-forwarded-for"))
