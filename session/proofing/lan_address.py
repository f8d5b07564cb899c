"""Which address the proofing server may listen on: this machine's addresses on the studio
network (private ranges first), loopback as the fallback, and whether an address faces the
internet (then the photographer must choose it themselves). Finding the default route's
address opens a UDP socket without sending anything. Pure Python; any thread; milliseconds.
"""

from __future__ import annotations

import ipaddress
import socket

LOOPBACK = "127.0.0.1"


def _default_route_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))     # TEST-NET-1: routing only, nothing is sent
            return str(probe.getsockname()[0])
    except OSError:
        return None


def local_addresses() -> list[str]:
    """IPv4 addresses of this machine, private (studio network) ones first, loopback last."""
    found: set[str] = set()
    route = _default_route_address()
    if route:
        found.add(route)
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    found.add(LOOPBACK)

    def rank(address: str) -> tuple[int, str]:
        ip = ipaddress.ip_address(address)
        return (2 if ip.is_loopback else 0 if ip.is_private else 1, address)

    return sorted(found, key=rank)


def faces_internet(address: str) -> bool:
    """True for an address reachable from outside (not private, loopback or link-local)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_global or ip.is_unspecified


def default_bind() -> str:
    """The studio-network address to offer first (never one facing the internet)."""
    for address in local_addresses():
        ip = ipaddress.ip_address(address)
        if ip.is_private and not ip.is_loopback and not ip.is_link_local:
            return address
    return LOOPBACK
