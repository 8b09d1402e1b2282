"""The processes of the whole demo estate, run as a real hub and real boxes would run.

Mosquitto from the broker's folder; at the hub, the console under gunicorn, one
ingest process and, when the hub has a ``box_domain``, the certificate process; on each
box, the front server (nginx), the portal under gunicorn behind it, the video rooms, the
media process (the news read aloud), the box agent and the announcement on the network.
Each is the ``residacoeur`` command a machine's service manager would start, with the
data folder and database of its node.
"""

from __future__ import annotations

import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, select

from appliance.demo import authority, content
from appliance.demo.layout import Layout, Node
from appliance.supervisor import Child, ChildFailed, StopRequested, Supervisor
from core.config import load_config
from core.domain.clock import utcnow
from core.storage.engine import make_engine
from core.storage.schema import boxes
from provisioning import hub_broker
from provisioning.broker_config import BrokerFolder

MOSQUITTO = "/usr/sbin/mosquitto"
RUNNING = re.compile(r"mosquitto version \S+ running$", re.MULTILINE)
# Settings that would make every node use the same folder or database if the caller's
# environment set them: each node gets its own from the command line instead.
SHARED_SETTINGS = (
    "CONFIG",
    "DATA_DIR",
    "DATABASE_URL",
    "ROLE",
    "BIND",
    "WORKERS",
    "FRONT_ADDRESS",
    "HTTP_PORT",
    "HTTPS_PORT",
    "BOX_NAME",
)
BROKER_SECONDS = 10
# Three web services and three link processes start at once on a small machine.
START_SECONDS = 120
READY_LINE = "The demo estate is ready. Ctrl-C stops every process."


def _environment(layout: Layout, node: Node) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {f"RESIDACOEUR_{setting}" for setting in SHARED_SETTINGS}
    }
    environment["RESIDACOEUR_DATABASE_URL"] = node.database_url
    if node.building_key:
        # Each box is named after its building: the portal's header, its name on the
        # building's network ("batiment-a.local", "Résidacœur — Bâtiment A").
        environment["RESIDACOEUR_BOX_NAME"] = content.BUILDINGS[node.building_key]["name"]
    if node.web_socket:
        # The web service and the front server read where each other is from these.
        environment |= {
            "RESIDACOEUR_BIND": node.bind,
            "RESIDACOEUR_FRONT_ADDRESS": node.address,
            "RESIDACOEUR_HTTP_PORT": str(node.port),
            "RESIDACOEUR_HTTPS_PORT": str(node.https_port),
        }
    if node is layout.hub and authority.installed():
        environment |= authority.plan(layout).hub_environment()
    return environment


def _residacoeur(layout: Layout, name: str, node: Node, *arguments: str) -> Child:
    return Child(
        name,
        [sys.executable, "-m", "appliance.cli", *arguments, "--data-dir", str(node.data_dir)],
        layout.logs / f"{name}.log",
        _environment(layout, node),
    )


def _web(layout: Layout, node: Node, workers: int) -> Child:
    side = "box" if node.box_id else "hub"
    return _residacoeur(
        layout,
        f"{node.name}-web",
        node,
        side,
        "web",
        "--bind",
        node.bind,
        "--workers",
        str(workers),
    )


def _announcer(layout: Layout, node: Node) -> Child:
    """The box's announcement on the network, kept on loopback unless the demo listens
    on the machine's network: a newcomer's demo is not announced to the office's LAN."""
    child = _residacoeur(layout, f"{node.name}-announce", node, "box", "announce")
    child.environment.update(
        RESIDACOEUR_LAN_INTERFACE="lo" if node.address.startswith("127.") else ""
    )
    return child


def _broker_starts(layout: Layout) -> int:
    log = BrokerFolder(layout.broker_dir).log
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return len(RUNNING.findall(text))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _boxes_online_since(layout: Layout, hub: Engine, since: datetime) -> Callable[[], bool]:
    def online() -> bool:
        with hub.connect() as connection:
            seen = connection.execute(
                select(boxes.c.id).where(boxes.c.online, boxes.c.last_seen_at >= since)
            ).scalars()
            return len(set(seen)) == len(layout.boxes)

    return online


def _certificates(layout: Layout) -> list[Child]:
    """The hub's certificate process, where boxes get public names (``box_domain``)."""
    hub_config = load_config(environ=_environment(layout, layout.hub), overrides={"role": "hub"})
    if not hub_config["box_domain"]:
        return []
    return [_residacoeur(layout, "hub-certificates", layout.hub, "hub", "certificates")]


def run(layout: Layout, workers: int) -> int:
    """Run the estate until Ctrl-C or SIGTERM; return the exit status."""
    supervisor = Supervisor()
    supervisor.stop_on_signals()
    broker_folder = BrokerFolder(layout.broker_dir)
    pid_file = layout.broker_dir / hub_broker.PID_FILE
    hub = make_engine(layout.hub.database_url)
    try:
        broker = Child(
            "broker",
            [MOSQUITTO, "-c", str(broker_folder.config)],
            layout.logs / "broker.log",
            # Known to ``residacoeur hub enrol-box``, which has the broker re-read its
            # passwords: a broker started again must be found too.
            after_start=lambda pid: pid_file.write_text(f"{pid}\n", encoding="ascii"),
        )
        starts = _broker_starts(layout)
        supervisor.start([broker])
        # Its log says "running" once every listener is open and signals are handled.
        supervisor.wait_until(
            lambda: _broker_starts(layout) > starts, BROKER_SECONDS, "the broker's start"
        )
        if authority.installed():
            demo_authority = authority.plan(layout)
            authority.prepare(demo_authority)
            supervisor.start(list(authority.children(demo_authority, layout.logs)))
            supervisor.wait_until(
                lambda: authority.save_root(demo_authority),
                BROKER_SECONDS,
                "the ACME authority's start (Pebble)",
            )
        started = utcnow()
        for node in layout.boxes:
            node.web_socket.parent.mkdir(parents=True, exist_ok=True)
        supervisor.start(
            [
                *(_web(layout, node, workers) for node in layout.nodes),
                *(
                    _residacoeur(layout, f"{node.name}-front", node, "box", "front")
                    for node in layout.boxes
                ),
                *(
                    _residacoeur(layout, f"{node.name}-rooms", node, "box", "rooms")
                    for node in layout.boxes
                ),
                *(
                    _residacoeur(layout, f"{node.name}-media", node, "box", "media")
                    for node in layout.boxes
                ),
                _residacoeur(layout, "hub-ingest", layout.hub, "hub", "ingest"),
                *(_announcer(layout, node) for node in layout.boxes),
                *_certificates(layout),
            ]
        )
        # Started last, stopped first: their "offline" reaches the hub before it stops.
        supervisor.start(
            [
                _residacoeur(layout, f"{node.name}-link", node, "box", "link")
                for node in layout.boxes
            ]
        )
        for node in layout.nodes:
            supervisor.wait_until(
                lambda node=node: _answers(f"{node.url}readyz"),
                START_SECONDS,
                f"the web service of {node.name} answering at {node.url}",
            )
        supervisor.wait_until(
            _boxes_online_since(layout, hub, started),
            START_SECONDS,
            "every box coming online at the hub",
        )
        print(READY_LINE, flush=True)
        supervisor.watch()
        return 0
    except StopRequested:
        return 0
    except ChildFailed as failure:
        print(f"The demo estate stops: {failure}", file=sys.stderr, flush=True)
        return 1
    finally:
        supervisor.stop()
        pid_file.unlink(missing_ok=True)
        hub.dispose()
