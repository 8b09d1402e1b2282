"""Debian's Avahi browsing from a network namespace, as on a Linux desktop of the building.

``avahi-browse`` asks ``avahi-daemon`` over the D-Bus system bus. Both get a bus of
their own: a private ``dbus-daemon`` with the configuration below, found through
``DBUS_SYSTEM_BUS_ADDRESS``. The daemon runs as root, unchrooted, in a mount namespace
of its own where ``/run/avahi-daemon`` (its pid file) is an empty tmpfs, so it never
meets the machine's Avahi or another test's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.lan import Side

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="signal"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
"""

AVAHI_CONFIG = """[server]
use-ipv4=yes
use-ipv6=yes
allow-interfaces={interface}
enable-dbus=yes
[publish]
disable-publishing=yes
"""

START_SECONDS = 10


@contextmanager
def avahi_browse(side: Side, folder: Path) -> Iterator[Callable[[str], str]]:
    """Run a bus and avahi-daemon in ``side``; yield a function that runs
    ``avahi-browse -rpt <type>`` there and returns its lines."""
    folder = folder / "avahi"
    folder.mkdir()
    socket = folder / "bus"
    (folder / "bus.conf").write_text(BUS_CONFIG.format(socket=socket), encoding="utf-8")
    (folder / "avahi.conf").write_text(
        AVAHI_CONFIG.format(interface=side.interface), encoding="utf-8"
    )
    bus = {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={socket}"}
    side.run(
        ["dbus-daemon", "--nofork", f"--config-file={folder / 'bus.conf'}"],
        folder / "dbus.log",
    )
    deadline = time.monotonic() + START_SECONDS
    while not socket.exists():
        assert time.monotonic() < deadline, (folder / "dbus.log").read_text(encoding="utf-8")
        time.sleep(0.05)
    daemon_log = folder / "avahi-daemon.log"
    side.run(
        [
            "unshare",
            "--mount",
            "sh",
            "-c",
            # The folder exists once the machine's own daemon has run; not always before.
            "mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon"
            ' && exec avahi-daemon "$@"',
            "avahi-daemon",
            f"--file={folder / 'avahi.conf'}",
            "--no-drop-root",
            "--no-chroot",
            "--no-rlimits",
            "--no-proc-title",
        ],
        daemon_log,
        **bus,
    )
    deadline = time.monotonic() + START_SECONDS
    while "Server startup complete" not in daemon_log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, daemon_log.read_text(encoding="utf-8")
        time.sleep(0.1)
    yield lambda service_type: side.output(["avahi-browse", "-rpt", service_type], **bus)
