"""The tenant portal: what is new in my building, and my reports to the landlord."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("portal", __name__)

from webui.portal import home, photos, reports  # noqa: E402,F401 - routes register on import
