"""The box image's units start commands that exist, with the image's own settings."""

import configparser
import shlex
import tomllib
from pathlib import Path

from click.testing import CliRunner

from appliance.cli import main
from link import settings

IMAGE = Path(__file__).resolve().parents[2] / "image-build"


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(IMAGE / "systemd" / name, encoding="utf-8")
    return unit


def _data_dir() -> str:
    return tomllib.loads((IMAGE / "box.toml").read_text(encoding="utf-8"))["data_dir"]


SERVICES = (
    "residacoeur-front.service",
    "residacoeur-web.service",
    "residacoeur-link.service",
    "residacoeur-housekeeping.service",
    "residacoeur-media.service",
)
# Units that write nothing, so have no ReadWritePaths.
READ_ONLY_SERVICES = ("residacoeur-announce.service",)


def test_each_unit_runs_a_subcommand_of_the_residacoeur_command():
    for name in SERVICES + READ_ONLY_SERVICES:
        words = shlex.split(_unit(name)["Service"]["ExecStart"])
        assert words[0].endswith("/residacoeur"), name
        result = CliRunner().invoke(main, [*words[1:], "--help"])
        assert result.exit_code == 0, (name, result.output)


def test_the_units_write_only_to_the_data_folder_of_the_box_settings():
    for name in SERVICES:
        assert _unit(name)["Service"]["ReadWritePaths"] == _data_dir(), name


def test_the_agent_starts_once_the_box_is_enrolled():
    condition = _unit("residacoeur-link.service")["Unit"]["ConditionPathExists"]
    assert condition == f"{_data_dir()}/{settings.BOX_FILE}"


def test_housekeeping_runs_on_its_own_only_where_no_agent_does_it():
    condition = _unit("residacoeur-housekeeping.service")["Unit"]["ConditionPathExists"]
    assert condition == f"!{_data_dir()}/{settings.BOX_FILE}"
    assert (IMAGE / "systemd" / "residacoeur-housekeeping.timer").exists()


def _long_running_services() -> list[str]:
    units = sorted((IMAGE / "systemd").glob("*.service"))
    return [unit.name for unit in units if _unit(unit.name)["Service"].get("Type") != "oneshot"]


def test_each_long_running_unit_is_started_again_whenever_it_ends():
    services = _long_running_services()
    assert {"residacoeur-web.service", "residacoeur-link.service"} <= set(services)
    for name in services:
        unit = _unit(name)
        assert unit["Service"].get("Restart") in {"always", "on-failure"}, name
        assert float(unit["Service"]["RestartSec"]) > 0, name
        # Never left failed: no one is there to start it again.
        assert unit["Unit"]["StartLimitIntervalSec"] == "0", name


def test_the_announcement_runs_with_no_capability_and_no_file_to_write():
    service = _unit("residacoeur-announce.service")["Service"]
    assert "ReadWritePaths" not in service
    assert service["ProtectSystem"] == "strict"
    assert service["CapabilityBoundingSet"] == ""
    assert service["NoNewPrivileges"] == "yes"
    # mDNS over IPv4 and IPv6, and the interfaces' addresses read over netlink.
    assert set(service["RestrictAddressFamilies"].split()) == {
        "AF_INET",
        "AF_INET6",
        "AF_NETLINK",
        "AF_UNIX",
    }


def test_the_web_service_listens_on_the_socket_the_front_server_reaches():
    bind = tomllib.loads((IMAGE / "box.toml").read_text(encoding="utf-8"))["bind"]
    assert bind.startswith("unix:/run/")
    folder = Path(bind.removeprefix("unix:")).parent.relative_to("/run")
    names = ("residacoeur-web.service", "residacoeur-front.service", "residacoeur-rooms.service")
    for name in names:
        service = _unit(name)["Service"]
        assert service["RuntimeDirectory"] == str(folder), name
        # Neither takes the folder, and the socket in it, away from the other.
        assert service["RuntimeDirectoryPreserve"] == "yes", name


WATCHED = (
    "residacoeur-web.service",
    "residacoeur-link.service",
    "residacoeur-rooms.service",
    "residacoeur-media.service",
)


def test_the_services_that_tell_systemd_how_they_do_are_watched():
    for unit in sorted((IMAGE / "systemd").glob("*.service")):
        service = _unit(unit.name)["Service"]
        if unit.name in WATCHED:
            assert service["Type"] == "notify", unit.name
            # Their main process speaks (gunicorn's master, the agent, the rooms' loop),
            # never a child.
            assert service["NotifyAccess"] == "main", unit.name
            assert service["WatchdogSec"] == "30s", unit.name
        else:
            # A service that says nothing would never be taken as started.
            assert service.get("Type") != "notify", unit.name
            assert "WatchdogSec" not in service, unit.name
