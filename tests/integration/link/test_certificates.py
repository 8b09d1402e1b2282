"""Boxes get certificates phones trust: the hub obtains each by ACME DNS-01 from a real
Pebble, for the name it gave that box, and sends the chain over a real Mosquitto to the
box agent, which installs it. The box's key never leaves the box."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
from collections.abc import Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store
from sqlalchemy import select

from core import box_certificate
from core.config import load_config
from core.domain import link_trouble
from core.domain.clock import new_id, utcnow
from core.storage.engine import writing
from core.storage.schema import box_certificates, quarantine
from link import topics
from link.envelope import Envelope
from link.mqtt_link import wait_until
from provisioning.certificate_keeper import CertificateKeeper
from provisioning.enrolment import enrol_box
from tests.conftest import Browser
from tests.support.link_processes import COMMAND
from tests.support.linked import Linked, Running
from tests.support.mosquitto import Peer
from tests.support.pebble import Pebble
from webui import create_app

DOMAIN = "micocouliers.bailleur.example"
# The box serves Bâtiment A and Bâtiment B: its name comes from the first.
NAME = f"batiment-a.{DOMAIN}"
NEIGHBOUR = "box-voisine"
WAIT = 60.0


def _hub_config(linked: Linked, pebble: Pebble, **more) -> dict:
    return load_config(
        environ={},
        overrides={
            "role": "hub",
            "data_dir": str(linked.box_dir.parent / "hub-side"),
            "database_url": str(linked.hub.url),
            **pebble.hub_settings(DOMAIN),
            **more,
        },
    )


class Estate:
    """The hub's ingest, the box agent and the hub's certificate process, each on demand."""

    def __init__(self, linked: Linked, pebble: Pebble) -> None:
        self.linked = linked
        self.config = _hub_config(linked, pebble)
        self.running: dict[str, Running] = {}

    def start(self, *names: str) -> None:
        makers = {
            "ingest": self.linked.ingest,
            "agent": self.linked.agent,
            "keeper": lambda: Running(CertificateKeeper(self.linked.hub, self.config)),
        }
        for name in names:
            self.running[name] = makers[name]()

    def stop(self, name: str) -> None:
        self.running.pop(name).stop()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)


@pytest.fixture
def estate_running(linked: Linked, pebble: Pebble) -> Iterator[Estate]:
    running = Estate(linked, pebble)
    yield running
    running.stop_all()


def _row(linked: Linked, box_id: str = "box-tilleuls") -> dict | None:
    with linked.hub.connect() as connection:
        row = (
            connection.execute(select(box_certificates).where(box_certificates.c.box_id == box_id))
            .mappings()
            .first()
        )
    return dict(row) if row else None


def _installed(linked: Linked) -> box_certificate.CertificateFacts | None:
    facts = box_certificate.current_facts(linked.box_dir)
    return facts if facts is not None and not facts.self_made else None


def _verified_chain(linked: Linked, pebble: Pebble, name: str) -> list[x509.Certificate]:
    chain = x509.load_pem_x509_certificates(box_certificate.chain_path(linked.box_dir).read_bytes())
    root = x509.load_pem_x509_certificate(pebble.root_pem())
    verifier = PolicyBuilder().store(Store([root])).build_server_verifier(x509.DNSName(name))
    verifier.verify(chain[0], chain[1:])
    return chain


def _certified(linked: Linked, estate_running: Estate) -> box_certificate.CertificateFacts:
    estate_running.start("ingest", "agent", "keeper")
    assert wait_until(lambda: _installed(linked) is not None, WAIT)
    return _installed(linked)


def test_a_linked_box_gets_a_certificate_of_the_authority_for_exactly_its_name(
    linked, pebble, estate_running
):
    key_before = box_certificate.ensure_key(linked.box_dir).public_key()

    facts = _certified(linked, estate_running)

    chain = _verified_chain(linked, pebble, NAME)
    assert facts.names == (NAME,)
    assert chain[0].public_key() == key_before
    row = _row(linked)
    assert row["name"] == NAME and not row["wanted"] and row["last_error"] is None
    assert row["not_after"] == facts.not_after.replace(tzinfo=None)
    assert "Pebble" in row["issuer"]
    # The hub kept the box's request and the chain, never a private key.
    assert "PRIVATE KEY" not in row["request"] + row["chain"]


def test_a_certificate_close_to_its_end_is_renewed_and_sent_again(linked, pebble, estate_running):
    first = _certified(linked, estate_running)
    # Pebble signs for five years: a window that long makes this one due now.
    keeper = CertificateKeeper(linked.hub, _hub_config(linked, pebble, certificate_renew_days=4000))

    assert keeper.round() == 1

    assert wait_until(lambda: _installed(linked).fingerprint != first.fingerprint, WAIT)
    assert _installed(linked).names == (NAME,)
    _verified_chain(linked, pebble, NAME)
    assert keeper.round() == 1, "still within the window: due again"
    normal = CertificateKeeper(linked.hub, _hub_config(linked, pebble))
    assert normal.round() == 0


def _request_for(name: str, *more: x509.GeneralName) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(name), *more]
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    return request.public_bytes(serialization.Encoding.PEM).decode()


def test_a_box_asking_for_another_box_s_name_is_refused_and_the_other_s_certificate_kept(
    linked, pebble, estate_running
):
    _certified(linked, estate_running)
    before = _row(linked)
    with writing(linked.hub) as connection:
        enrolment = enrol_box(
            connection, linked.broker.files.passwords, NEIGHBOUR, "La Voisine", [], {}, DOMAIN
        )
    linked.broker.reload()
    neighbour_name = _row(linked, NEIGHBOUR)["name"]
    assert neighbour_name == f"la-voisine.{DOMAIN}"
    neighbour = Peer(linked.broker, NEIGHBOUR, enrolment["password"], tls=True)
    assert not neighbour.connect().is_failure
    hostile = [
        {"name": NAME, "request": _request_for(NAME)},
        {"name": neighbour_name, "request": _request_for(neighbour_name, x509.DNSName(NAME))},
        {"name": neighbour_name, "request": _request_for(f"*.{DOMAIN}")},
    ]
    for seq, body in enumerate(hostile, 1):
        envelope = Envelope(
            new_id(), NEIGHBOUR, "certificate.requested", utcnow().isoformat(), body, seq
        )
        assert not neighbour.publish(topics.up(NEIGHBOUR), envelope.encode()).is_failure
    neighbour.close()

    def refused() -> list[str]:
        with linked.hub.connect() as connection:
            return list(
                connection.execute(
                    select(quarantine.c.reason).where(quarantine.c.box_id == NEIGHBOUR)
                ).scalars()
            )

    assert wait_until(lambda: len(refused()) == 3, WAIT), refused()
    reasons = refused()
    assert f"asks for {NAME}" in reasons[0]
    assert "not exactly" in reasons[1] and "not exactly" in reasons[2]
    assert _row(linked) == before
    assert _row(linked, NEIGHBOUR)["request"] is None
    assert estate_running.running["ingest"].thread.is_alive()


def _operator(linked: Linked) -> Browser:
    app = create_app(
        {
            "data_dir": str(linked.box_dir.parent / "hub-side"),
            "database_url": str(linked.hub.url),
            "role": "hub",
            "login_attempts_per_address": 1000,
        }
    )
    app.config["TESTING"] = True
    console = Browser(app.test_client())
    console.sign_in_staff("operateur")
    return console


def test_an_authority_out_of_reach_shows_as_trouble_until_the_certificate_comes(
    linked, pebble, estate_running
):
    pebble.stop()
    estate_running.start("ingest", "agent", "keeper")
    assert wait_until(lambda: (_row(linked) or {}).get("attempts", 0) >= 2, WAIT)
    with linked.hub.connect() as connection:
        trouble = link_trouble.of_box(connection, "box-tilleuls", utcnow())
    assert link_trouble.CERTIFICATE in trouble.stuck
    operator = _operator(linked)
    fleet = operator.get("/staff/fleet").get_data(as_text=True)
    assert "No certificate could be obtained" in fleet and "ConnectionError" in fleet
    box_page = operator.get("/staff/fleet/box-tilleuls").get_data(as_text=True)
    assert NAME in box_page and "ConnectionError" in box_page

    pebble.start()

    assert wait_until(lambda: _installed(linked) is not None, WAIT)
    _verified_chain(linked, pebble, NAME)
    assert _row(linked)["last_error"] is None
    with linked.hub.connect() as connection:
        assert link_trouble.of_box(connection, "box-tilleuls", utcnow()).stuck == ()
    fleet = operator.get("/staff/fleet").get_data(as_text=True)
    assert "No certificate could be obtained" not in fleet
    assert NAME in fleet and "Pebble" in fleet


def _asked(linked: Linked) -> bool:
    row = _row(linked)
    return row is not None and row["wanted"]


def test_a_box_offline_when_its_certificate_comes_gets_it_when_back(linked, pebble, estate_running):
    keeper = CertificateKeeper(linked.hub, estate_running.config)
    keeper.round()
    estate_running.start("ingest", "agent")
    assert wait_until(lambda: _asked(linked), WAIT)
    estate_running.stop("agent")

    assert keeper.round() == 1
    assert _installed(linked) is None

    estate_running.start("agent")
    assert wait_until(lambda: _installed(linked) is not None, WAIT)
    _verified_chain(linked, pebble, NAME)


def test_a_chain_the_box_refuses_is_reported_and_shown(linked, pebble, estate_running):
    keeper = CertificateKeeper(linked.hub, estate_running.config)
    keeper.round()
    estate_running.start("ingest", "agent")
    assert wait_until(lambda: _asked(linked), WAIT)
    estate_running.stop("agent")
    # The box's key is made anew (its SD card replaced) after it asked.
    box_certificate.key_path(linked.box_dir).unlink()
    box_certificate.ensure_certificate(linked.box_dir, ["portail.local"])
    assert keeper.round() == 1

    estate_running.start("agent")

    assert wait_until(lambda: _row(linked)["refusal"] is not None, WAIT)
    assert "another key" in _row(linked)["refusal"]
    assert _installed(linked) is None
    page = _operator(linked).get("/staff/fleet/box-tilleuls").get_data(as_text=True)
    assert "another key" in page


def _command_environment(linked: Linked, settings: dict) -> dict[str, str]:
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("RESIDACOEUR_")
    }
    environment["RESIDACOEUR_DATABASE_URL"] = str(linked.hub.url)
    for name, value in settings.items():
        environment[f"RESIDACOEUR_{name.upper()}"] = str(value)
    return environment


def test_the_hub_s_certificate_command_runs_until_stopped(linked, pebble, estate_running):
    hub_dir = linked.box_dir.parent / "hub-side"
    environment = _command_environment(linked, pebble.hub_settings(DOMAIN))
    log = hub_dir / "certificates.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(COMMAND), "hub", "certificates", "--data-dir", str(hub_dir)],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        estate_running.start("ingest", "agent")
        assert wait_until(lambda: _installed(linked) is not None, WAIT), log.read_text()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
    _verified_chain(linked, pebble, NAME)
    assert f"certificate obtained for {NAME}" in log.read_text()
    account_key = hub_dir / "acme" / "account-key.pem"
    assert stat.S_IMODE(account_key.stat().st_mode) == 0o600


def test_the_hub_s_certificate_command_wants_a_domain(linked):
    hub_dir = linked.box_dir.parent / "hub-side"
    done = subprocess.run(
        [str(COMMAND), "hub", "certificates", "--data-dir", str(hub_dir)],
        env=_command_environment(linked, {}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "box_domain is not set" in done.stderr
