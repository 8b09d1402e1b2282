"""A device on the building's network browsing for the box, as a phone or a computer does.

``python -m tests.support.lan_browser <own address> <host name>``: browses
``_https._tcp`` and ``_http._tcp`` with python-zeroconf, resolves each service found and
the host name, and prints what it knows as one JSON line whenever that changes. It
keeps running, so its cache lives on as a real device's would: addresses the box no
longer has must leave it by the box's own records (cache flush, goodbyes), not because
a new browser started empty.
"""

from __future__ import annotations

import asyncio
import json
import sys

from zeroconf import AddressResolver, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

TYPES = ["_https._tcp.local.", "_http._tcp.local."]
LOOK_EVERY_S = 0.25


async def _service(zeroconf: Zeroconf, service_type: str, name: str) -> dict | None:
    info = AsyncServiceInfo(service_type, name)
    if not info.load_from_cache(zeroconf) and not await info.async_request(zeroconf, 1000):
        return None
    return {
        "type": service_type,
        "server": info.server,
        "port": info.port,
        "txt": {k.decode(): (v or b"").decode() for k, v in info.properties.items()},
        "addresses": sorted(info.parsed_addresses()),
    }


async def _host(zeroconf: Zeroconf, host: str) -> list[str]:
    resolver = AddressResolver(host)
    if not resolver.load_from_cache(zeroconf):
        await resolver.async_request(zeroconf, 500)
    return sorted(resolver.parsed_addresses())


async def main(own_address: str, host: str) -> None:
    zeroconf = AsyncZeroconf(interfaces=[own_address])
    known: dict[str, str] = {}

    def changed(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is ServiceStateChange.Removed:
            known.pop(name, None)
        else:
            known[name] = service_type

    browser = AsyncServiceBrowser(zeroconf.zeroconf, TYPES, handlers=[changed])
    last = None
    try:
        while True:
            services = {}
            for name, service_type in list(known.items()):
                services[name] = await _service(zeroconf.zeroconf, service_type, name)
            view = {"services": services, "host": await _host(zeroconf.zeroconf, host)}
            if view != last:
                print(json.dumps(view, ensure_ascii=False), flush=True)
                last = view
            await asyncio.sleep(LOOK_EVERY_S)
    finally:
        await browser.async_cancel()
        await zeroconf.async_close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
