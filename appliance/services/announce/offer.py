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

    def service_infos(self, label: str, addresses: Iterable[Address]) -> list[ServiceInfo]:
        """Return the services to register, the host ``<label>.local`` at ``addresses``."""
        packed = [address.packed for address in addresses]
        return [
            ServiceInfo(
                service_type,
                f"{self.instance}.{service_type}",
                port=port,
                properties={"txtvers": "1", "path": "/", "version": self.version},
                server=f"{label}.local.",
                addresses=packed,
            )
            for service_type, port in self.ports.items()
        ]
