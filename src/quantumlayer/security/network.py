"""Client-network checks: admin endpoints answer only to allow-listed networks."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=32)
def parse_networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of CIDR strings (host bits allowed: 10.1.2.3/8 means 10.0.0.0/8)."""
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def address_allowed(address: str | None, cidrs: Iterable[str]) -> bool:
    """Whether a client address lies in one of the networks; unknown or malformed: no."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in parse_networks(tuple(cidrs)) if ip.version == net.version)
