"""The names the box is found by on the building's network (mDNS / DNS-SD).

Two names come from the box's name: a host name that people type
(``batiment-a.local``: a DNS label, lower-case letters, digits and dashes, at most 63
octets) and the friendly name that computers and phones list
("Résidacœur — Bâtiment A": UTF-8 allowed, at most 63 octets too). When another
device on the network already holds a name, the box takes the next one
(``batiment-a-2``), as mDNS asks.
"""

from __future__ import annotations

import re
import unicodedata

PRODUCT = "Résidacœur"
# What a name that keeps nothing after folding becomes (an Arabic or empty box name).
FALLBACK_LABEL = "residacoeur"
MAX_OCTETS = 63
# Room kept in the friendly name for the "-2" python-zeroconf adds when it is taken.
_INSTANCE_SUFFIX_ROOM = 4
# Letters NFKD does not take apart.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


class LanNameError(ValueError):
    """A host name given in the settings that cannot be a name on the network."""


def host_label(box_name: str) -> str:
    """Return the DNS label made from the box's name: "Bâtiment A" gives "batiment-a"."""
    folded = unicodedata.normalize("NFKD", box_name.translate(_LIGATURES))
    ascii_only = folded.encode("ascii", "ignore").decode().lower()
    label = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    return label[:MAX_OCTETS].rstrip("-") or FALLBACK_LABEL


def checked_label(lan_name: str) -> str:
    """Return the host label an operator set, lower-cased; refuse one DNS cannot carry."""
    label = lan_name.strip().lower()
    if label.endswith(".local"):
        label = label.removesuffix(".local")
    if not _LABEL.fullmatch(label):
        raise LanNameError(
            f"lan_name: {lan_name!r} cannot be a name on the network: use letters a to z, "
            "digits and dashes inside, at most 63 of them"
        )
    return label


def configured_label(lan_name: str, box_name: str) -> str:
    """Return the host label the box asks for first: the one set, else its name's."""
    return checked_label(lan_name) if lan_name else host_label(box_name)


def numbered(label: str, number: int) -> str:
    """Return the label's ``number``-th choice ("batiment-a", "batiment-a-2"…), ≤ 63 octets."""
    if number == 1:
        return label
    suffix = f"-{number}"
    return label[: MAX_OCTETS - len(suffix)].rstrip("-") + suffix


def instance_name(box_name: str) -> str:
    """Return the friendly name listed by browsers: "Résidacœur — Bâtiment A"."""
    # A dot would cut the name in two DNS labels; control characters have no place in it.
    shown = "".join(" " if c == "." or unicodedata.category(c)[0] == "C" else c for c in box_name)
    shown = " ".join(shown.split())
    name = PRODUCT if not shown or shown == PRODUCT else f"{PRODUCT} — {shown}"
    room = MAX_OCTETS - _INSTANCE_SUFFIX_ROOM
    while len(name.encode("utf-8")) > room:
        name = name[:-1]
    return name.rstrip()
