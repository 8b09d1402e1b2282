"""The box's addresses on the building's network, read from its interfaces with ifaddr.

Read again every few seconds by the announcer: polling ifaddr (python-zeroconf's own
dependency) costs a getifaddrs() call and works the same in a container, a network
namespace and on the box, where listening to netlink would need a socket of its own
and the parsing of its messages.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import ifaddr

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class LanAddresses:
    """The addresses to announce and the interfaces zeroconf sends and listens on."""

    addresses: tuple[Address, ...]
    # IPv4 addresses and IPv6 interface indexes, as python-zeroconf takes them.
    interfaces: tuple[str | int, ...]

    @property
    def has_ipv6(self) -> bool:
        return any(address.version == 6 for address in self.addresses)


def current(interface: str = "") -> LanAddresses:
    """Read the addresses of ``interface``, or of every interface but loopback."""
    addresses: list[Address] = []
    interfaces: list[str | int] = []
    for adapter in ifaddr.get_adapters():
        if interface and adapter.name != interface:
            continue
        ipv6_here = False
        for ip in adapter.ips:
            # ifaddr gives IPv6 as (address, flow info, scope id).
            address = ipaddress.ip_address(ip.ip if ip.is_IPv4 else ip.ip[0])
            # Loopback is left out unless named: nobody else on the network reaches it.
            if address.is_loopback and not interface:
                continue
            addresses.append(address)
            if address.version == 4:
                interfaces.append(str(address))
            else:
                ipv6_here = True
        if ipv6_here and adapter.index is not None:
            interfaces.append(adapter.index)
    return LanAddresses(
        tuple(sorted(addresses, key=lambda a: (a.version, a.packed))),
        tuple(sorted(interfaces, key=str)),
    )
