"""Health checks for the box's supervisor: alive, and ready to serve."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from core.storage import revision
from webui.database import engine

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def alive():
    """The process answers."""
    return jsonify(status="ok")


@blueprint.get("/readyz")
def ready():
    """The database answers and its schema is the one this code expects."""
    try:
        with engine().connect() as connection:
            connection.execute(text("SELECT 1"))
            current = revision.is_current(connection)
    except Exception as exc:
        return jsonify(status="unavailable", database="unreachable", error=type(exc).__name__), 503
    if not current:
        return jsonify(status="unavailable", database="ok", schema="outdated"), 503
    return jsonify(status="ok", database="ok", schema="current")
