"""The announcer: the box's one zeroconf instance, its records, and following its addresses.

It takes a free host name (``batiment-a``, or ``batiment-a-2`` when another device
answers for the first), registers the web services under it, then looks at the
interfaces every few seconds: when an address comes or goes, zeroconf's sockets follow
the interfaces and the services are announced again with the new addresses. Their
address records carry the cache-flush bit, so browsers drop the old address about a
second after hearing the new one (RFC 6762, 10.2). On stop, goodbye packets withdraw
every record. A network that refuses multicast, or no address at all, is logged and
tried again later: the process itself never gives up.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import signal
import sys
from typing import NoReturn

from zeroconf import AddressResolver, IPVersion
from zeroconf import Error as ZeroconfError
from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf

from appliance.services.announce import lan_addresses
from appliance.services.announce.lan_addresses import LanAddresses
from appliance.services.announce.offer import Offer

log = logging.getLogger("residacoeur.announce")

LOOK_EVERY_S = 3.0
RETRY_AFTER_S = 15.0
# How long another device has to answer for a host name before it is taken as ours:
# about the three probes mDNS sends, 250 ms apart.
PROBE_MS = 1000
# Names tried before giving up for a while: "batiment-a" to "batiment-a-20".
MAX_NAME_TRIES = 20


class NoFreeName(RuntimeError):
    """Every host name tried is answered for by another device."""


async def run(offer: Offer, interface: str, stop: asyncio.Event) -> None:
    """Announce the box until ``stop`` is set, starting again after any network fault."""
    said_no_address = False
    while not stop.is_set():
        lan = lan_addresses.current(interface)
        if not lan.addresses:
            # Said once, not every few seconds for as long as the cable is out.
            if not said_no_address:
                where = interface or "the network"
                log.warning("no address on %s; looking every %g s", where, LOOK_EVERY_S)
                said_no_address = True
            await _pause(stop, LOOK_EVERY_S)
            continue
        said_no_address = False
        try:
            await _announce(offer, interface, lan, stop)
        except (OSError, RuntimeError, ZeroconfError) as error:
            log.warning(
                "cannot announce on the network (%s: %s); trying again in %g s",
                type(error).__name__,
                error,
                RETRY_AFTER_S,
            )
            await _pause(stop, RETRY_AFTER_S)


async def _announce(offer: Offer, interface: str, lan: LanAddresses, stop: asyncio.Event) -> None:
    zeroconf = AsyncZeroconf(interfaces=list(lan.interfaces), ip_version=_ip_version(lan))
    try:
        number = await _free_number(zeroconf, offer)
        infos = offer.service_infos(number, lan.addresses)
        # Probed again by zeroconf, which renames a service if a device answers by now.
        sent = await asyncio.gather(
            *(zeroconf.async_register_service(info, allow_name_change=True) for info in infos)
        )
        await asyncio.gather(*sent)
        log.info(
            "announced %s at %s: %s",
            offer.host(number),
            ", ".join(map(str, lan.addresses)),
            ", ".join(f"{info.name} port {info.port}" for info in infos),
        )
        while not await _pause(stop, LOOK_EVERY_S):
            now = lan_addresses.current(interface)
            if not now.addresses:
                log.warning("the box has no address left on the network")
                return
            moved = now.addresses != lan.addresses
            # The records change before the sockets: a socket added re-announces them, and
            # an old address announced again then would stay in caches a while longer.
            for info in infos if moved else ():
                info.addresses = [address.packed for address in now.addresses]
            # Also when nothing moved: an address still being checked for duplicates
            # (IPv6) refused its socket the last time, and gets it now.
            await zeroconf.async_update_interfaces(list(now.interfaces), _ip_version(now))
            if moved:
                for info in infos:
                    await (await zeroconf.async_update_service(info))
                lan = now
                log.info("%s now at %s", offer.host(number), ", ".join(map(str, lan.addresses)))
    finally:
        # Goodbyes for every record, then the sockets close.
        await zeroconf.async_close()


async def _free_number(zeroconf: AsyncZeroconf, offer: Offer) -> int:
    """Return the first choice of names (1, 2…) whose host and services no device answers for.

    Asked here, each with a whole second to answer, rather than left to zeroconf's own
    probing alone: that waits for answers about 0.75 s, which a busy device can miss, and
    two boxes would then list under the same service name.
    """
    for number in range(1, MAX_NAME_TRIES + 1):
        resolver = AddressResolver(f"{offer.host(number)}.")
        services = [
            AsyncServiceInfo(service_type, name)
            for service_type, name in zip(offer.ports, offer.service_names(number), strict=True)
        ]
        answered = await asyncio.gather(
            resolver.async_request(zeroconf.zeroconf, PROBE_MS),
            *(service.async_request(zeroconf.zeroconf, PROBE_MS) for service in services),
        )
        if not any(answered):
            return number
        by = ", ".join(resolver.parsed_addresses())
        taken = [f"{offer.host(number)} (by {by})"] if answered[0] else []
        taken += [s.name for s, said in zip(services, answered[1:], strict=True) if said]
        log.warning("%s taken; trying the next names", ", ".join(taken))
    raise NoFreeName(f"the first {MAX_NAME_TRIES} choices of names are all taken")


def _ip_version(lan: LanAddresses) -> IPVersion:
    return IPVersion.All if lan.has_ipv6 else IPVersion.V4Only


async def _pause(stop: asyncio.Event, seconds: float) -> bool:
    """Wait ``seconds`` or until ``stop`` is set; return whether it was set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


def become_announcer(offer: Offer, interface: str) -> NoReturn:
    """Replace this process (same id, signals and parent) with the announcer alone.

    The command line imports the domain, SQLAlchemy and pydantic, which the announcer
    never uses and a long-running process would keep for good: 60 MB resident instead
    of 28 (docs/PERFORMANCE.md, "Memory of the announcement").
    """
    sys.stdout.flush()
    sys.stderr.flush()
    arguments = [json.dumps(dataclasses.asdict(offer), ensure_ascii=False), interface]
    os.execv(sys.executable, [sys.executable, "-m", "appliance.services.announce", *arguments])


def serve(offer: Offer, interface: str) -> None:
    """Run the announcer in the foreground until SIGTERM or SIGINT, then say goodbye."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(_until_signalled(offer, interface))


async def _until_signalled(offer: Offer, interface: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    await run(offer, interface, stop)
