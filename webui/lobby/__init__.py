"""The lobby screen: a page for a screen in a building's entrance hall (screen.py)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("lobby", __name__)

from webui.lobby import screen  # noqa: E402,F401 - registers the views
