"""What the box announces: its host name and the web services it serves, with their TXT."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from zeroconf import ServiceInfo

from appliance.services.announce.lan_addresses import Address
from core.domain import lan_names

# DNS-SD service type by the setting that holds its port.
SERVICE_TYPES = {"https_port": "_https._tcp.local.", "http_port": "_http._tcp.local."}


@dataclass(frozen=True)
class Offer:
    """The names and ports of the box, as its settings give them."""

    label: str
    instance: str
    # Port by DNS-SD service type.
    ports: dict[str, int]
    version: str

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> Offer:
        """Read the offer from the settings; raise LanNameError or ValueError if unusable."""
        label = lan_names.configured_label(config["lan_name"], config["box_name"])
        ports = {}
        for setting, service_type in SERVICE_TYPES.items():
            port = int(config[setting])
            if not 1 <= port <= 65535:
                raise ValueError(f"{setting}: {port} is not a port (1 to 65535)")
            ports[service_type] = port
        instance = lan_names.instance_name(config["box_name"])
        return cls(label, instance, ports, metadata.version("residacoeur"))

    def host(self, number: int) -> str:
        """Return the ``number``-th choice of host name: ``batiment-a.local``, then -2…"""
        return f"{lan_names.numbered(self.label, number)}.local"

    def service_names(self, number: int) -> list[str]:
        """Return the ``number``-th choice of each service's full name, numbered as the host
        so that a second box of the same name lists as "… — Bâtiment A-2" on ``…-2.local``."""
        instance = self.instance if number == 1 else f"{self.instance}-{number}"
        return [f"{instance}.{service_type}" for service_type in self.ports]

    def service_infos(self, number: int, addresses: Iterable[Address]) -> list[ServiceInfo]:
        """Return the services to register under the ``number``-th choice of names."""
        packed = [address.packed for address in addresses]
        return [
            ServiceInfo(
                service_type,
                name,
                port=port,
                properties={"txtvers": "1", "path": "/", "version": self.version},
                server=f"{self.host(number)}.",
                addresses=packed,
            )
            for (service_type, port), name in zip(
                self.ports.items(), self.service_names(number), strict=True
            )
        ]
