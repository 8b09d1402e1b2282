"""The JSON API under /api/v1: everything the pages do, for TV mode and other clients."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("api", __name__)
