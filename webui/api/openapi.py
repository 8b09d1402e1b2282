"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

The operations come from `operations`, the shapes from `schemas`; this module puts them
together with what applies to all: server, security schemes, error answers.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import current_app, jsonify

from webui.api import blueprint
from webui.api.operations import OPERATIONS, RESPONSE_NAMES, RESPONSES
from webui.api.schemas import SCHEMAS

_INTRODUCTION = """\
Everything the portal's pages do, for TV mode and other clients.

Sign in with `POST /session/code` then `/session/pin` or `/session/profile` (tenants),
or `POST /session/staff`. The session is the pages' cookie. Every change (POST, PATCH,
DELETE) sends the `csrf_token` from `GET /session` in the `X-CSRFToken` header; signing
in or out gives a new token; over HTTPS, send this box's address as Referer too.

Errors are `application/problem+json` with the message in the person's language (the
profile's, else the one chosen on this device, else the box's): `Accept-Language` is
not used. Instants are ISO 8601 in UTC, ids are strings, and unknown fields in a body
are ignored.
"""


@cache
def document(cookie_name: str) -> dict[str, Any]:
    """Build the OpenAPI document for a box whose session cookie has this name."""
    paths: dict[str, dict[str, Any]] = {}
    for method, path, described in OPERATIONS:
        paths.setdefault(path, {})[method] = described
    return {
        "openapi": "3.1.0",
        "info": {"title": "Résidacœur box API", "version": "1.0.0", "description": _INTRODUCTION},
        "servers": [{"url": "/api/v1"}],
        "tags": [
            {"name": "session", "description": "Signing in and out."},
            {
                "name": "tenant",
                "description": "The tenant's profile and data, news, works, notifications, "
                "deals, services and help.",
            },
            {"name": "reports", "description": "The tenant's reports to the landlord."},
            {
                "name": "community",
                "description": "Neighbours: noticeboard, private messages, flags, events, "
                "skills exchange.",
            },
            {"name": "staff", "description": "Staff tools, limited to their buildings."},
            {
                "name": "hub",
                "description": "At the hub: the boxes, shops' deals, partners' services.",
            },
            {"name": "api", "description": "About this API."},
        ],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "responses": {RESPONSE_NAMES[code]: response for code, response in RESPONSES.items()},
            "securitySchemes": {
                "cookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": cookie_name,
                    "description": "The session cookie, shared with the pages.",
                },
                "csrf": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-CSRFToken",
                    "description": "The csrf_token of GET /session, on every change.",
                },
            },
        },
    }


@blueprint.get("/openapi.json")
def openapi():
    """The OpenAPI document of this API."""
    return jsonify(document(current_app.config["SESSION_COOKIE_NAME"]))
