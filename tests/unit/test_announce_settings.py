"""``residacoeur box announce`` refuses settings it cannot announce, naming the setting."""

import pytest
from click.testing import CliRunner

from appliance.cli import main
from appliance.services.announce.offer import Offer
from core.config import load_config


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"RESIDACOEUR_LAN_NAME": "Bâtiment A"}, "lan_name: 'Bâtiment A' cannot be a name"),
        ({"RESIDACOEUR_HTTPS_PORT": "0"}, "https_port: 0 is not a port"),
        ({"RESIDACOEUR_HTTP_PORT": "70000"}, "http_port: 70000 is not a port"),
    ],
)
def test_settings_that_cannot_be_announced_stop_the_command_with_a_message(
    tmp_path, environment, message
):
    result = CliRunner().invoke(
        main, ["box", "announce", "--data-dir", str(tmp_path)], env=environment
    )
    assert result.exit_code == 1
    assert message in result.output


def test_the_offer_follows_the_settings(tmp_path):
    config = load_config(
        environ={"RESIDACOEUR_BOX_NAME": "Tour 3", "RESIDACOEUR_HTTPS_PORT": "8443"},
        overrides={"data_dir": str(tmp_path)},
    )
    offer = Offer.from_settings(config)
    assert (offer.label, offer.instance) == ("tour-3", "Résidacœur — Tour 3")
    assert offer.ports == {"_https._tcp.local.": 8443, "_http._tcp.local.": 80}
    config["lan_name"] = "Accueil.local"
    assert Offer.from_settings(config).label == "accueil"


def test_a_later_choice_numbers_the_host_and_the_services_alike(tmp_path):
    config = load_config(
        environ={"RESIDACOEUR_BOX_NAME": "Tour 3"}, overrides={"data_dir": str(tmp_path)}
    )
    offer = Offer.from_settings(config)
    first, third = offer.service_infos(1, []), offer.service_infos(3, [])
    assert [info.name for info in first] == [
        "Résidacœur — Tour 3._https._tcp.local.",
        "Résidacœur — Tour 3._http._tcp.local.",
    ]
    assert {info.server for info in first} == {"tour-3.local."}
    assert [info.name for info in third] == [
        "Résidacœur — Tour 3-3._https._tcp.local.",
        "Résidacœur — Tour 3-3._http._tcp.local.",
    ]
    assert {info.server for info in third} == {"tour-3-3.local."}
