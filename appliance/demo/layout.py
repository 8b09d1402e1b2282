"""Where the whole demo estate lives on one machine: folders, addresses and ports.

Inside the demo's folder: ``hub/`` and one ``box-…/`` folder per building (each a data
folder, as on a real machine), ``broker/`` for Mosquitto, ``logs/`` for every process's
output, and ``demo-logins.json``. From the port N given: the boxes' portals on N and
N+1 (their HTTPS on N+443 and N+444), the hub's console on N+2, the broker on N+10 (the
hub's processes) and N+11 (TLS, the boxes), the ACME authority and its DNS on N+20 to
N+23. Each box is served as on a building's
network: its front server (nginx) on those ports, its web service and video rooms behind
it on Unix sockets in ``run/<box folder>/`` (the rooms' socket is beside the web
service's, as on a box).

On loopback each web service has an address of its own (127.0.0.1, .2, .3): browsers
keep cookies per host name whatever the port, so a tenant signed in on a box and an agent
signed in at the hub, in the same browser, would otherwise throw each other out.
"""

from __future__ import annotations

import hashlib
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from appliance.demo import content

LOOPBACK = "127.0.0.1"
BROKER_PORT_OFFSET = 10
# Pebble (ACME, its management API) and its DNS (answers, the API that sets them).
AUTHORITY_PORT_OFFSET = 20
AUTHORITY_PORTS = 4
HTTPS_PORT_OFFSET = 443
# The longest path a Unix socket may have (sun_path holds 108 bytes with its final NUL).
SOCKET_PATH_BYTES = 107


@dataclass(frozen=True)
class Node:
    """The hub or one box: its data folder and where its web service listens."""

    name: str
    data_dir: Path
    database_file: str
    address: str
    port: int
    box_id: str | None = None
    building_key: str | None = None
    label: str = ""
    # A box's web service listens here, behind its front server; the hub's on its port.
    web_socket: Path | None = None

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_dir / self.database_file}"

    @property
    def bind(self) -> str:
        if self.web_socket:
            return f"unix:{self.web_socket}"
        return f"{self.address}:{self.port}"

    @property
    def https_port(self) -> int:
        return self.port + HTTPS_PORT_OFFSET

    @property
    def url(self) -> str:
        return f"http://{self._shown}:{self.port}/"

    @property
    def https_url(self) -> str:
        return f"https://{self._shown}:{self.https_port}/"

    @property
    def listens_on(self) -> list[tuple[str, int]]:
        ports = [self.port, self.https_port] if self.web_socket else [self.port]
        return [(self.address, port) for port in ports]

    @property
    def _shown(self) -> str:
        return "localhost" if self.address == "0.0.0.0" else self.address


@dataclass(frozen=True)
class Layout:
    """The whole demo estate's folders, services and ports."""

    root: Path
    hub: Node
    boxes: tuple[Node, ...]
    broker_port: int
    broker_tls_port: int

    @property
    def broker_dir(self) -> Path:
        return self.root / "broker"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def authority_port(self) -> int:
        return self.broker_port - BROKER_PORT_OFFSET + AUTHORITY_PORT_OFFSET

    @property
    def logins_file(self) -> Path:
        return self.root / "demo-logins.json"

    @property
    def nodes(self) -> tuple[Node, ...]:
        return (self.hub, *self.boxes)

    def box(self, box_id: str) -> Node:
        return next(node for node in self.boxes if node.box_id == box_id)


def plan(root: Path, port: int, host: str = LOOPBACK) -> Layout:
    """Lay the estate out under ``root`` from port ``port``, listening on ``host``."""
    root = root.resolve()
    own_addresses = host == LOOPBACK

    def address(index: int) -> str:
        return f"127.0.0.{index + 1}" if own_addresses else host

    boxes = tuple(
        Node(
            name=box["folder"],
            data_dir=root / box["folder"],
            database_file="box.sqlite3",
            address=address(index),
            port=port + index,
            box_id=box["id"],
            building_key=key,
            label=box["label"],
            web_socket=_sockets(root) / box["folder"] / "web.sock",
        )
        for index, (key, box) in enumerate(content.BOXES.items())
    )
    hub = Node(
        name="hub",
        data_dir=root / "hub",
        database_file="hub.sqlite3",
        address=address(len(boxes)),
        port=port + len(boxes),
    )
    broker_port = port + BROKER_PORT_OFFSET
    return Layout(root, hub, boxes, broker_port, broker_port + 1)


def _sockets(root: Path) -> Path:
    """Return the folder of the web services' sockets: in the demo's, unless too deep."""
    folder = root / "run"
    longest = max(len(f"/{box['folder']}/rooms.sock") for box in content.BOXES.values())
    if len(str(folder).encode()) + longest <= SOCKET_PATH_BYTES:
        return folder
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"residacoeur-{digest}"


def taken_ports(layout: Layout) -> list[str]:
    """Return the addresses among the layout's that something already listens on."""
    wanted = [place for node in layout.nodes for place in node.listens_on]
    wanted += [(LOOPBACK, layout.broker_port), (LOOPBACK, layout.broker_tls_port)]
    wanted += [(LOOPBACK, layout.authority_port + n) for n in range(AUTHORITY_PORTS)]
    taken = []
    for address, port in wanted:
        with socket.socket() as probe:
            # As the services will: a port whose last connections are closing is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((address, port))
            except OSError:
                taken.append(f"{address}:{port}")
    return taken
