"""Reading what clients send: a JSON object or a multipart form, typed fields, a picture,
query filters.

Unknown fields are ignored so that older boxes accept newer clients; a field of the
wrong type is refused with its name, never guessed at. A missing or null field reads
as empty, and the domain then says what is missing in the person's language. The
field readers take a JSON object or a form alike (in a form, every field is text).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app, request

from appliance.domain import photos
from appliance.domain.errors import N_, DomainError
from webui.api.problems import MalformedBody, UnsupportedContent
from webui.database import db
from webui.strict_request import unstorable

JSON = "application/json"
MULTIPART = "multipart/form-data"
CSV = "text/csv"
ZIP = "application/zip"


def _wrong_type(name: str, message: str) -> DomainError:
    return DomainError("field_type", message, name)


def json_object() -> dict[str, Any]:
    """Return the request's JSON object, or refuse another content type or a broken body."""
    if not request.is_json:
        raise UnsupportedContent(JSON)
    try:
        # Parsed here rather than by get_json(): a deeply nested body raises
        # RecursionError, which Flask would let through as a server error. Decoded as
        # UTF-8 first, since json.loads would take UTF-16 and UTF-32 bytes as well.
        body = json.loads(request.get_data(cache=True).decode())
    except (ValueError, RecursionError):
        raise MalformedBody() from None
    if not isinstance(body, dict) or _holds_unstorable(body):
        raise MalformedBody()
    return body


def _holds_unstorable(body: dict[str, Any]) -> bool:
    """Tell whether a text anywhere in the body holds a NUL or a lone surrogate
    (``webui.strict_request`` says why), walking without recursion whatever the depth."""
    waiting: list[Any] = [body]
    while waiting:
        value = waiting.pop()
        if isinstance(value, str):
            if unstorable(value):
                return True
        elif isinstance(value, dict):
            waiting.extend(value)
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)
    return False


def require_multipart() -> None:
    """Refuse a body that is not a multipart form (the one way to send files)."""
    if request.mimetype != MULTIPART:
        raise UnsupportedContent(MULTIPART)


def text(body: Mapping[str, Any], name: str) -> str:
    """Return a text field, empty when missing or null."""
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _wrong_type(name, N_("This must be text."))
    return value


def optional_text(body: Mapping[str, Any], name: str) -> str | None:
    """Return a text field, or None when missing or null."""
    return text(body, name) if body.get(name) is not None else None


def optional_integer(body: Mapping[str, Any], name: str) -> int | None:
    """Return a whole-number field, or None when missing or null."""
    value = body.get(name)
    if value is None:
        return None
    # JSON true and false are integers to Python: they are not numbers here.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(name, N_("This must be a whole number."))
    return value


def optional_date(body: Mapping[str, Any], name: str) -> date | None:
    """Return an ISO 8601 calendar date field, or None when missing or null."""
    value = body.get(name)
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise _wrong_type(name, N_("This must be a date written like 2025-03-31.")) from None


def required_date(body: Mapping[str, Any], name: str) -> date:
    """Return an ISO 8601 calendar date field that must be there."""
    value = optional_date(body, name)
    if value is None:
        raise DomainError(f"{name}_missing", N_("Give a date written like 2025-03-31."), name)
    return value


def optional_instant(body: Mapping[str, Any], name: str) -> datetime | None:
    """Return an ISO 8601 date and time as naive UTC (the domain's clock); no zone means UTC."""
    value = body.get(name)
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    # A zone can carry a moment at the calendar's ends out of it (year 1 at +23:59).
    except (ValueError, OverflowError):
        raise _wrong_type(
            name, N_("This must be a date and time written like 2025-03-31T18:00:00Z.")
        ) from None
    return moment


def required_instant(body: Mapping[str, Any], name: str) -> datetime:
    """Return an ISO 8601 date and time field that must be there, as naive UTC."""
    value = optional_instant(body, name)
    if value is None:
        raise DomainError(
            f"{name}_missing",
            N_("This must be a date and time written like 2025-03-31T18:00:00Z."),
            name,
        )
    return value


def ticked(body: Mapping[str, Any], name: str) -> bool:
    """Tell whether a yes-or-no field says yes: JSON true, or the text "true" in a form."""
    # A consent is never presumed: anything else, even a wrong type, reads as no, and
    # the domain then says what is missing.
    value = body.get(name)
    return value is True or value == "true"


def picture(name: str = "photo") -> str | None:
    """Keep the picture of a multipart form's field, re-encoded; return its id, or None."""
    upload = request.files.get(name)
    if not upload or not upload.filename:
        return None
    config = current_app.config["RESIDACOEUR"]
    encoded = photos.reencode(
        upload.read(config["max_photo_bytes"] + 1),
        config["photo_max_side"],
        config["max_photo_bytes"],
    )
    return photos.store(db(), *encoded)


def query_choice(name: str, allowed: Iterable[str]) -> str | None:
    """Return a query filter if it is one of the allowed values, None when not given."""
    value = request.args.get(name, "")
    if not value:
        return None
    if value not in set(allowed):
        raise DomainError(
            "filter_unknown", N_("Choose one of the values listed for this filter."), name
        )
    return value
