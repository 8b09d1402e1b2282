"""Where /api/v1 declares its shapes: one SpecTree that validates what clients send,
writes what the server answers and describes both in the OpenAPI document.

Every operation is a Flask route decorated with ``spec.validate``: its query, JSON body
or form and its answers are pydantic models (``webui/api/fields.py`` gives the kinds of
value). Signing in comes first, then the body: a stranger learns nothing of a route's
fields. A refused request is a problem (RFC 9457) in the person's language naming the
field at fault, as every other error of the API.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from pydantic import ValidationError
from spectree import Response, SpecTree

from core.domain.errors import DomainError
from webui.api.problems import Problem, UnsupportedContent
from webui.strict_request import MalformedBody

__all__ = ["CSV", "JSON", "MULTIPART", "ZIP", "Response", "spec"]

JSON = "application/json"
MULTIPART = "multipart/form-data"
CSV = "text/csv"
ZIP = "application/zip"


def _refuse_what_cannot_be_read(
    _request: Any, _response: Any, error: ValidationError | None, _instance: Any, _adapter: Any
) -> None:
    """Refuse a body of the wrong kind, then the first field that is wrong."""
    declared = spec.get_function_metadata(current_app.view_functions[request.endpoint])
    if declared is not None and request.method in ("POST", "PUT", "PATCH"):
        if declared.json and not request.is_json:
            raise UnsupportedContent(JSON)
        # SpecTree reads an empty list, null, false, 0 or "" as an empty object.
        if declared.json and not isinstance(request.get_json(), dict):
            raise MalformedBody()
        if declared.form and request.mimetype != MULTIPART:
            raise UnsupportedContent(MULTIPART)
    if error is None:
        return
    first = error.errors(include_url=False)[0]
    if not first["loc"]:
        # Not an object at all: a list, a number, a text.
        raise MalformedBody()
    raise DomainError(first["type"], first["msg"], str(first["loc"][0]))


spec = SpecTree(
    "flask",
    mode="strict",
    title="Résidacœur API",
    version="1.0.0",
    # The document is served by webui/api/openapi.py; no page loads a viewer from a CDN.
    page_templates={},
    before=_refuse_what_cannot_be_read,
    validation_error_model=Problem,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)
