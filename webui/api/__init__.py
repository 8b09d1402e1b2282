"""The JSON API under /api/v1: everything the pages do, for TV mode and other clients."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, url_for
from flask_babel import get_locale

blueprint = Blueprint("api", __name__)


def created(response: Response, endpoint: str, **values: Any) -> Response:
    """Answer 201 with what was made, and where it lives from now on."""
    response.status_code = 201
    response.headers["Location"] = url_for(endpoint, **values)
    return response


@blueprint.after_request
def _describe_answer(response):
    # Answers carry personal data and, sometimes, access codes: no cache keeps them.
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Content-Language"] = str(get_locale())
    return response


from webui.api import (  # noqa: E402,F401 - routes register on import
    board,
    conversations,
    events,
    flags,
    fleet,
    help_desk,
    me,
    neighbourhood,
    news,
    notifications,
    openapi,
    reports,
    response_times,
    session,
    skills,
    staff_audit,
    staff_deals,
    staff_dwellings,
    staff_help_desk,
    staff_moderation,
    staff_partners,
    staff_publishing,
    staff_reports,
)
