"""The hub broker's folder: a complete mosquitto.conf beside its credentials and data.

Everything the broker keeps lives in one folder, so a hub (or a test) runs
``mosquitto -c <folder>/mosquitto.conf``; outside it the broker reads only the rules
plugin built by ``scripts/setup.sh`` (``provisioning.broker_plugin``). Option names follow
the mosquitto.conf manual of Mosquitto 2.0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.domain.outbox import MAX_MESSAGE_BYTES
from core.private_files import private_file
from link.acl import Admits, plugin_options
from link.box_rate import BoxRate
from provisioning.broker_plugin import rules_plugin
from provisioning.tls import TlsFiles

# The link's largest message (a photo, alone: 1.5 MiB, 2 MiB in base64; never over 3 MiB)
# and its MQTT header: the topic, with a box id of 64 characters at most, a packet id and
# properties take under 200 bytes. Anything bigger is no message of the link: the broker
# refuses it unread and disconnects its sender.
MAX_PACKET_BYTES = MAX_MESSAGE_BYTES + 4096
# A box offline for hours still finds every message the hub sent it meanwhile.
MAX_QUEUED_MESSAGES = 100_000
# Sessions of boxes gone longer than this are dropped; boxes ask for expiry in days.
SESSION_DAYS = 7
# A broker that crashes loses at most this much of its queues, which senders' outboxes
# hold until acknowledged; saving more often would cost the hub's disk for little.
AUTOSAVE_SECONDS = 60


@dataclass(frozen=True)
class BrokerFolder:
    """Where one broker keeps its configuration, passwords, log and saved sessions."""

    path: Path

    @property
    def config(self) -> Path:
        return self.path / "mosquitto.conf"

    @property
    def passwords(self) -> Path:
        return self.path / "passwords"

    @property
    def log(self) -> Path:
        return self.path / "mosquitto.log"

    @property
    def persistence(self) -> Path:
        return self.path / "persistence"


@dataclass(frozen=True)
class Listener:
    """A port the broker listens on, for the hub, the boxes or both; with TLS files, TLS only.

    Each listener has its own copy of the rules plugin, told whose credentials it
    accepts. A client's session follows its client id, so a box under another client
    id would take that client's session and knock it off the broker: on a listener for
    boxes alone the broker replaces whatever client id a box presents by its username,
    and where the hub signs in too (its ingest processes share one username, each
    under a client id of its own) the plugin refuses a box whose client id differs.
    """

    port: int
    admits: Admits
    host: str | None = None
    tls: TlsFiles | None = None


@dataclass(frozen=True)
class Limits:
    """How big a message may be, how much each box may send, how many messages wait for
    an offline client, and for how long."""

    max_packet_bytes: int = MAX_PACKET_BYTES
    box_rate: BoxRate = field(default_factory=BoxRate)
    max_queued_messages: int = MAX_QUEUED_MESSAGES
    session_days: int = SESSION_DAYS

    def __post_init__(self) -> None:
        if self.box_rate.byte_burst < self.max_packet_bytes:
            raise ValueError("a box's byte burst must hold its largest message")


def write_broker_folder(
    folder: Path,
    listeners: list[Listener],
    limits: Limits = Limits(),
    run_as: str | None = None,
) -> BrokerFolder:
    """Write the config into ``folder``; start an empty password file if none.

    ``run_as`` names the user a broker started as root switches to; Mosquitto's default,
    user "mosquitto", cannot read files owned by another user at mode 0600. Raises
    ``RulesPluginMissing`` before writing anything if the rules plugin is not built.
    """
    if not listeners:
        raise ValueError("a broker needs at least one listener")
    plugin = rules_plugin()
    broker = BrokerFolder(folder)
    broker.persistence.mkdir(parents=True, exist_ok=True)
    if not broker.passwords.exists():
        with private_file(broker.passwords):
            pass
    lines = _general(broker, limits, run_as)
    for listener in listeners:
        lines += ["", *_listener(listener, broker, plugin, limits.box_rate)]
    broker.config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return broker


def _general(broker: BrokerFolder, limits: Limits, run_as: str | None) -> list[str]:
    lines = [
        "# Hub broker of Résidacœur, written by provisioning/broker_config.py.",
        # Each listener gets its own sign-in settings and its own copy of the rules plugin,
        # told whose credentials that listener accepts.
        "per_listener_settings true",
        "persistence true",
        f"persistence_location {broker.persistence}",
        f"autosave_interval {AUTOSAVE_SECONDS}",
        f"persistent_client_expiration {limits.session_days}d",
        f"max_queued_messages {limits.max_queued_messages}",
        # Not message_size_limit: 2.0 answers a QoS 1 message over it with a PUBACK reason
        # code MQTT 5 does not allow there, and clients drop the connection as a protocol
        # error. max_packet_size is announced in CONNACK, so a box can check before
        # sending; a packet over it is not delivered and its sender is disconnected.
        f"max_packet_size {limits.max_packet_bytes}",
        f"log_dest file {broker.log}",
        "log_timestamp_format %Y-%m-%dT%H:%M:%S",
    ]
    if run_as:
        lines.append(f"user {run_as}")
    return lines


def _listener(listener: Listener, broker: BrokerFolder, plugin: Path, rate: BoxRate) -> list[str]:
    address = f" {listener.host}" if listener.host else ""
    client_id_is_username = listener.admits is Admits.BOXES
    options = plugin_options(listener.admits, rate)
    lines = [
        f"listener {listener.port}{address}",
        f"use_username_as_clientid {str(client_id_is_username).lower()}",
        "allow_anonymous false",
        # One file for every listener: the plugin, not the file, says who signs in where.
        f"password_file {broker.passwords}",
        f"plugin {plugin}",
        *(f"plugin_opt_{key} {value}" for key, value in options.items()),
    ]
    if listener.tls:
        lines += [
            f"cafile {listener.tls.cafile}",
            f"certfile {listener.tls.certfile}",
            f"keyfile {listener.tls.keyfile}",
        ]
    return lines
