"""Setting a hub up with its broker: the broker's folder, the hub's credentials, and what
boxes are told about the broker when they are enrolled.

The hub's processes reach the broker on a listener of the hub machine itself; boxes reach
it across the network, over TLS when a TLS port is given, with their client id bound to
their username. ``hub-link.json`` in the hub's data folder records both, the broker's
folder and where its pid file is, so enrolling a box later needs nothing more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from link import settings
from link.acl import HUB_USER, Admits
from provisioning.broker_config import BrokerFolder, Listener, write_broker_folder
from provisioning.broker_credentials import new_password, reload_broker, set_user
from provisioning.tls import write_broker_tls

LOCAL = "127.0.0.1"
PID_FILE = "mosquitto.pid"


def set_up_broker(
    hub_dir: Path,
    port: int,
    tls_port: int | None = None,
    host: str = "localhost",
    broker_dir: Path | None = None,
    run_as: str | None = None,
    listen: str | None = None,
    pid_file: Path | None = None,
) -> dict[str, Any]:
    """Write the broker's folder and the hub's link settings; return the settings.

    ``host`` is the name or address boxes reach the broker at, ``listen`` the address
    their listener is bound to (every interface when None), ``pid_file`` where the
    broker's process id is found when it runs (by default in its folder). Without ``tls_port`` the
    one listener on ``port`` serves the hub and the boxes in clear, for trials on a
    closed network. Run again (new ports, a new host name), it keeps the hub's password,
    the certificate authority boxes already trust and every box's credentials.
    """
    hub_dir = hub_dir.resolve()
    folder = (broker_dir or hub_dir / "broker").resolve()
    if tls_port is None:
        listeners = [Listener(port, Admits.ALL, listen)]
        boxes = {"host": host, "port": port, "ca_file": None}
    else:
        tls = write_broker_tls(folder / "tls", list(dict.fromkeys([host, LOCAL])))
        listeners = [
            Listener(port, Admits.HUB, LOCAL),
            Listener(tls_port, Admits.BOXES, listen, tls),
        ]
        boxes = {"host": host, "port": tls_port, "ca_file": str(tls.cafile)}
    broker = write_broker_folder(folder, listeners, run_as=run_as)
    link_file = hub_dir / settings.HUB_FILE
    earlier = settings.read(link_file) if link_file.exists() else {}
    password = earlier.get("password") or new_password()
    set_user(broker.passwords, HUB_USER, password)
    hub_settings = {
        "broker_host": LOCAL,
        "broker_port": port,
        "ca_file": None,
        "username": HUB_USER,
        "password": password,
        "broker_folder": str(folder),
        "broker_pid_file": str(pid_file or earlier.get("broker_pid_file") or folder / PID_FILE),
        "boxes_connect_to": boxes,
    }
    settings.write(link_file, hub_settings)
    return hub_settings


def broker_folder(hub_settings: dict[str, Any]) -> BrokerFolder:
    """Return the broker's folder recorded in the hub's link settings."""
    return BrokerFolder(Path(hub_settings["broker_folder"]))


def broker_for_boxes(hub_settings: dict[str, Any]) -> dict[str, Any]:
    """Return the broker as an enrolment gives it to a box: host, port, authority."""
    boxes = hub_settings["boxes_connect_to"]
    broker: dict[str, Any] = {"host": boxes["host"], "port": boxes["port"]}
    if boxes.get("ca_file"):
        broker["ca_pem"] = Path(boxes["ca_file"]).read_text(encoding="ascii")
    return broker


def running_broker(hub_settings: dict[str, Any]) -> int | None:
    """Return the pid of the hub's running Mosquitto, if its pid file names one."""
    pid_file = Path(hub_settings.get("broker_pid_file") or "")
    try:
        pid = int(pid_file.read_text(encoding="ascii").strip())
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    # A pid file left behind may name a process that reused the number.
    return pid if b"mosquitto" in command else None


def reload_running_broker(hub_settings: dict[str, Any]) -> bool:
    """Have the running broker re-read its passwords and ACL; False if none is known."""
    pid = running_broker(hub_settings)
    if pid is None:
        return False
    reload_broker(pid)
    return True
