"""The tenant portal: what is new in my building, my reports to the landlord, and the life
of the community: the noticeboard, messages between neighbours, notifications."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("portal", __name__)

from webui.portal import (  # noqa: E402,F401 - routes register on import
    assistance,
    board,
    calls,
    events,
    flags,
    home,
    messages,
    my_profile,
    neighbourhood,
    notifications,
    photos,
    reports,
    rooms,
    skills,
)
