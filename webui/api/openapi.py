"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

SpecTree writes the operations and the shapes from the routes' declarations
(``webui/api/spec.py``); this module adds what follows from what an operation is —
the errors a change, a body, a signed-in person, a role or an id in the path may get,
and the security it needs — so the document says the same thing about every endpoint
of the same kind.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from flask import current_app, jsonify

from webui.api import blueprint
from webui.api.spec import JSON, Response, spec

PREFIX = "/api/v1"
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_ANY_422 = "Unprocessable Content"

_INTRODUCTION = """\
Everything the portal's pages do, for TV mode and other clients.

Sign in with `POST /session/code` then `/session/pin` or `/session/profile` (tenants),
or `POST /session/staff`. The session is the pages' cookie. Every change (POST, PATCH,
DELETE) sends the `csrf_token` from `GET /session` in the `X-CSRFToken` header; signing
in or out gives a new token; over HTTPS, send this server's address as Referer too.

Errors are `application/problem+json` with the message in the person's language (the
profile's, else the one chosen on this device, else the server's): `Accept-Language` is
not used. Instants are ISO 8601 in UTC, ids are strings, and unknown fields in a body
are ignored.
"""

_TAGS = [
    {"name": "session", "description": "Signing in and out."},
    {
        "name": "tenant",
        "description": "The tenant's profile and data, news, works, notifications, deals, "
        "services and help.",
    },
    {"name": "reports", "description": "The tenant's reports to the landlord."},
    {
        "name": "community",
        "description": "Neighbours: noticeboard, private messages, flags, events, skills exchange.",
    },
    {"name": "staff", "description": "Staff tools, limited to their buildings."},
    {"name": "hub", "description": "At the hub: the boxes, shops' deals, partners' services."},
    {"name": "api", "description": "About this API."},
]


_ERRORS = {
    "400": (
        "BadRequest",
        "The body could not be read, or the X-CSRFToken header is missing or wrong.",
    ),
    "401": (
        "Unauthorized",
        "Nobody is signed in (for PIN and profile: no code was typed, or too long ago).",
    ),
    "403": (
        "Forbidden",
        "The staff member's role does not allow this; or the tenant may not: a caretaker "
        "suspended their writing, or the event is not theirs.",
    ),
    "404": ("NotFound", "Nothing with this id, or not in the person's buildings."),
    "413": ("TooLarge", "The body is too big."),
    "415": ("WrongContentType", "The body is not of the content type this operation reads."),
    "422": ("Invalid", "A field is wrong: `field` names it, `detail` says why."),
    "429": (
        "TooMany",
        "Too many failed sign-ins from this address or for this household or account.",
    ),
    "507": (
        "DiskNearlyFull",
        "The box's disk is nearly full: tenants' changes and uploaded files are refused "
        "until room is made (`disk_nearly_full`).",
    ),
}


def _error_responses() -> dict[str, Any]:
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    responses = {name: {"description": text, "content": problem} for name, text in _ERRORS.values()}
    responses["TooMany"]["headers"] = {
        "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
    }
    return responses


def media(
    *, reads: str | None = None, answers: str | None = None, schema: dict[str, Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Say that an operation reads or answers something other than JSON (a CSV roster, a
    zip file): what SpecTree cannot tell from a pydantic model."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.reads = reads  # type: ignore[attr-defined]
        view.answers = answers  # type: ignore[attr-defined]
        view.answer_schema = schema  # type: ignore[attr-defined]
        return view

    return mark


def _marked(view: Callable[..., Any], name: str) -> Any:
    while view is not None:
        if hasattr(view, name):
            return getattr(view, name)
        view = getattr(view, "__wrapped__", None)
    return None


def _errors(method: str, path: str, view: Callable[..., Any], described: dict[str, Any]) -> set:
    """What an operation of this kind may answer besides success."""
    changes = method != "get"
    signed_in = _marked(view, "signed_in")
    declared = spec.get_function_metadata(view)
    reads = bool(declared and (declared.json or declared.form)) or _marked(view, "reads")
    # Spectree lists 422 on every operation under a generic description; it is kept where
    # something is read, or where the route declared it with its own description.
    errors = {
        code
        for code, response in described["responses"].items()
        if code[0] in "45" and (code != "422" or response["description"] != _ANY_422)
    }
    if changes:
        errors.add("400")
    if reads:
        errors |= {"413", "415", "422"}
    if declared and declared.query:
        errors.add("422")
    multipart = bool(declared and declared.form)
    # As webui/full_disk.py refuses them; signing in and out stays open.
    if changes and (multipart or (signed_in == "tenant" and not path.startswith("/session"))):
        errors.add("507")
    if signed_in:
        errors.add("401")
    if _marked(view, "permission"):
        errors.add("403")
    if "{" in path:
        errors.add("404")
    return errors


def _completed(method: str, path: str, view: Callable[..., Any], described: dict[str, Any]):
    """Add to SpecTree's operation what follows from its kind."""
    errors = _errors(method, path, view, described)
    responses = {code: r for code, r in described["responses"].items() if code[0] in "23"}
    for response in responses.values():
        # SpecTree describes success by its status's name; the summary says more.
        response["description"] = described["summary"]
    answers = _marked(view, "answers")
    if answers:
        success = next(iter(responses))
        schema = _marked(view, "answer_schema") or {}
        responses[success] = {
            "description": responses[success]["description"],
            "content": {answers: {"schema": schema}},
        }
    for code in sorted(errors):
        responses[code] = {"$ref": f"#/components/responses/{_ERRORS[code][0]}"}
    described["responses"] = responses
    for parameter in described["parameters"]:
        if parameter["in"] == "path" and not parameter.get("description"):
            parameter["description"] = "Opaque identifier."
    described["operationId"] = re.sub(r"[^a-z]+", "_", f"{method} {path}").strip("_")
    changes = method != "get"
    described["security"] = [{"cookie": [], "csrf": []}] if changes else [{"cookie": []}]
    if not _marked(view, "signed_in") and not changes:
        described["security"] = []
    permission = _marked(view, "permission")
    if permission:
        described["description"] = (
            f"Staff whose role carries `{permission}`. {described.get('description', '')}"
        ).strip()
    reads = _marked(view, "reads")
    if reads:
        described["requestBody"] = {"required": True, "content": {reads: {"schema": {}}}}
    return described


@cache
def document(cookie_name: str) -> dict[str, Any]:
    """Build the OpenAPI document for a server whose session cookie has this name."""
    written = copy.deepcopy(spec.spec)
    paths: dict[str, dict[str, Any]] = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        view = current_app.view_functions[rule.endpoint]
        full = _CONVERTER.sub(r"{\1}", rule.rule)
        path = full.removeprefix(PREFIX)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            method = method.lower()
            described = written["paths"][full][method]
            paths.setdefault(path, {})[method] = _completed(method, path, view, described)
    schemas = written["components"]["schemas"]
    return {
        "openapi": written["openapi"],
        "info": {"title": "Résidacœur API", "version": "1.0.0", "description": _INTRODUCTION},
        "servers": [{"url": PREFIX}],
        "tags": _TAGS,
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": _error_responses(),
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
@media(answers=JSON, schema={"type": "object", "description": "An OpenAPI 3.1 document."})
@spec.validate(resp=Response(HTTP_200=None), tags=["api"])
def openapi():
    """The OpenAPI document of this API."""
    return jsonify(document(current_app.config["SESSION_COOKIE_NAME"]))
