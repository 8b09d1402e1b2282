"""Whether this device sees the TV mode: large type, a focus ring seen from the sofa,
arrows, OK and Back (static/css/tv.css, static/js/tv.js).

A TV's browser says what it is in its user agent, and gets the TV mode without asking;
anyone can switch it on or off from the header (kept for the device, in its cookie), and
`/tv` is an address to bookmark on a TV whose browser does not say. A TV a household's
phone let in (core/domain/tv_pairings.py) always sees it.
"""

from __future__ import annotations

import re

from flask import g, request, session

# Words TV browsers put in their user agent: Samsung (Tizen), LG (webOS, NetCast),
# HbbTV sets, Sony, Android and Google TV, Fire TV sticks (AFT…), Hisense, Panasonic,
# Philips.
_TV_AGENTS = re.compile(
    r"SMART-?TV|Web0S|NetCast|HbbTV|BRAVIA|Android TV|GoogleTV|\bAFT[A-Z]|VIDAA|Viera|PhilipsTV",
    re.IGNORECASE,
)


def said_by_agent(user_agent: str) -> bool:
    """Whether a browser's user agent says it runs on a TV."""
    return _TV_AGENTS.search(user_agent) is not None


def is_on() -> bool:
    """Whether the page being answered is for a TV (never a staff member's)."""
    if g.get("staff") is not None:
        return False
    if g.get("device") == "tv":
        return True
    chosen = session.get("tv")
    if chosen is not None:
        return bool(chosen)
    return said_by_agent(request.user_agent.string)


def choose(on: bool) -> None:
    """Keep this device's choice of mode."""
    session["tv"] = on
