"""The broker's rules plugin as built on this machine, or a clear error when it is not.

``scripts/setup.sh`` compiles ``link/broker_rules.c`` against Debian's ``mosquitto-dev``
headers into ``build/``, with the SHA-256 of the source it compiled beside it. A plugin
built from another version of the source counts as missing: a broker (or a test) never
runs rules other than those of the checkout.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
SOURCE = CHECKOUT / "link" / "broker_rules.c"
BUILT = CHECKOUT / "build" / "broker_rules.so"
BUILT_FROM = CHECKOUT / "build" / "broker_rules.sha256"


class RulesPluginMissing(RuntimeError):
    """The rules plugin is not built, or was built from another version of its source."""


def rules_plugin() -> Path:
    """Return the path of the built rules plugin; raise ``RulesPluginMissing`` if stale."""
    source = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    built_from = BUILT_FROM.read_text(encoding="ascii").strip() if BUILT_FROM.exists() else ""
    if built_from != source or not BUILT.exists():
        raise RulesPluginMissing(
            f"the broker's rules plugin {BUILT} is missing or was built from another "
            f"version of {SOURCE.relative_to(CHECKOUT)}: run scripts/setup.sh"
        )
    return BUILT
