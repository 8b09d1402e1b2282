"""The kinds of value the API reads and writes, and the base of every declared shape.

Reading is lenient where the domain speaks and strict where it cannot: unknown fields
are ignored, so that older boxes accept newer clients; a missing or null text reads as
empty, and the domain then says what is missing in the person's language; a value of
the wrong type is refused naming its field, never guessed at (JSON true is not a
number, 5 is not text). A form sends only text, so the same readers take a JSON object
or a multipart form alike.

Writing: ids are strings, instants are ISO 8601 in UTC with a ``Z``, days are
``YYYY-MM-DD``, and every key of an answer is always there (null when it has no value).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Annotated, Any, get_origin

from flask import has_request_context, request
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from core.domain.errors import N_

# Each refusal is a pydantic error whose type is the problem's code and whose message
# is the msgid translated when the problem is answered (webui/api/spec.py).
WRONG_TYPE = "field_type"
UNKNOWN_FILTER = "filter_unknown"


def _wrong(message: str) -> PydanticCustomError:
    return PydanticCustomError(WRONG_TYPE, message)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _wrong(N_("This must be text."))
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _whole_number(value: Any) -> int | None:
    if value is None:
        return None
    # JSON true and false are integers to Python: they are not numbers here.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(N_("This must be a whole number."))
    return value


_DAY_WRITTEN = N_("This must be a date written like 2025-03-31.")
_INSTANT_WRITTEN = N_("This must be a date and time written like 2025-03-31T18:00:00Z.")


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise _wrong(_DAY_WRITTEN) from None


def _required_day(value: Any, info: ValidationInfo) -> date:
    found = _day(value)
    if found is None:
        raise PydanticCustomError(
            f"{info.field_name}_missing", N_("Give a date written like 2025-03-31.")
        )
    return found


def _instant(value: Any) -> datetime | None:
    """Read ISO 8601 as naive UTC (the domain's clock); no zone means UTC."""
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
        raise _wrong(_INSTANT_WRITTEN) from None
    return moment


def _required_instant(value: Any, info: ValidationInfo) -> datetime:
    found = _instant(value)
    if found is None:
        raise PydanticCustomError(f"{info.field_name}_missing", _INSTANT_WRITTEN)
    return found


def _ticked(value: Any) -> bool:
    # A consent is never presumed: anything but JSON true or the form's "true", even a
    # wrong type, reads as no, and the domain then says what is missing.
    return value is True or value == "true"


def _confirmed(value: Any) -> bool:
    # What cannot be undone is confirmed in so many words: JSON true, nothing else.
    return value is True


def _ids(value: Any) -> list[str]:
    # A form repeats a field for a list; one value arrives alone.
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in values):
        raise _wrong(N_("This must be a list of ids."))
    return values


_INSTANT_SCHEMA = {"type": "string", "format": "date-time", "examples": ["2025-03-31T18:00:00Z"]}
_DAY_SCHEMA = {"type": "string", "format": "date", "examples": ["2025-03-31"]}

# What clients send.
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string"})]
OptionalText = Annotated[
    str | None, BeforeValidator(_optional_text), WithJsonSchema({"type": "string"})
]
WholeNumber = Annotated[
    int | None, BeforeValidator(_whole_number), WithJsonSchema({"type": "integer"})
]
Day = Annotated[date | None, BeforeValidator(_day), WithJsonSchema(_DAY_SCHEMA)]
RequiredDay = Annotated[date, BeforeValidator(_required_day), WithJsonSchema(_DAY_SCHEMA)]
Moment = Annotated[datetime | None, BeforeValidator(_instant), WithJsonSchema(_INSTANT_SCHEMA)]
RequiredMoment = Annotated[
    datetime, BeforeValidator(_required_instant), WithJsonSchema(_INSTANT_SCHEMA)
]
Ticked = Annotated[bool, BeforeValidator(_ticked), WithJsonSchema({"type": "boolean"})]
Confirmed = Annotated[bool, BeforeValidator(_confirmed), WithJsonSchema({"const": True})]
Ids = Annotated[
    list[str],
    BeforeValidator(_ids),
    WithJsonSchema({"type": "array", "items": {"type": "string"}}),
]
# Files of a multipart form: the view reads them from the request (webui/draft_photos.py).
_IMAGE = {"type": "string", "contentMediaType": "image/*"}
PhotoFile = Annotated[Any, WithJsonSchema(_IMAGE)]


def photo_files(most: int) -> Any:
    """A repeated field of pictures, as many as ``most``."""
    return Annotated[Any, WithJsonSchema({"type": "array", "maxItems": most, "items": _IMAGE})]


def choice(values: Iterable[Any], description: str | None = None, *, optional: bool = False) -> Any:
    """A text field documented as one of the values; the domain refuses others in words."""
    extra: dict[str, Any] = {"enum": list(values)}
    if optional:
        return Field(default="", json_schema_extra=extra, description=description)
    return Field(json_schema_extra=extra, description=description)


def _filter(allowed: frozenset[str]):
    def read(value: Any) -> str | None:
        # A query may repeat a name: the first value counts, as it always did.
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None or value == "":
            return None
        if value not in allowed:
            raise PydanticCustomError(
                UNKNOWN_FILTER, N_("Choose one of the values listed for this filter.")
            )
        return value

    return read


def Filter(values: Iterable[str]) -> Any:  # noqa: N802 - used as a type
    """A query filter that is one of the values, or None when not given."""
    allowed = tuple(values)
    return Annotated[
        str | None,
        BeforeValidator(_filter(frozenset(allowed))),
        WithJsonSchema({"type": "string", "enum": list(allowed)}),
    ]


def _no_default(schema: dict[str, Any]) -> None:
    # A field left out reads as empty, or stays as it is in a change: what the reader
    # makes of it is no value a client could send (null for a text, "" for a choice).
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


class Body(BaseModel):
    """What a client sends (a JSON object, a form, a query): unknown fields are ignored."""

    model_config = ConfigDict(
        extra="ignore", arbitrary_types_allowed=True, json_schema_extra=_no_default
    )

    @model_validator(mode="before")
    @classmethod
    def _absent_reads_as_null(cls, data: Any) -> Any:
        # A required field left out is refused by its own reader, in the same words as
        # when it is sent empty; a body that is not an object is refused whole.
        if not isinstance(data, dict):
            return data
        if has_request_context() and request.mimetype == "multipart/form-data":
            data = _first_of_repeated(data, cls)
        required = {name: None for name, f in cls.model_fields.items() if f.is_required()}
        return required | data


def _first_of_repeated(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """Keep the first value of a field a form or a query sent twice, as Flask's
    ``request.form.get`` always did; a field that is a list keeps them all."""
    fields = model.model_fields
    return {
        name: value[0]
        if isinstance(value, list) and value and get_origin(_annotation(fields, name)) is not list
        else value
        for name, value in data.items()
    }


def _annotation(fields: dict[str, Any], name: str) -> Any:
    return fields[name].annotation if name in fields else None


class Filters(Body):
    """A query: a name given twice counts once, with its first value, as it always did."""

    @model_validator(mode="before")
    @classmethod
    def _first_value(cls, data: Any) -> Any:
        return _first_of_repeated(data, cls) if isinstance(data, dict) else data


# What the server answers.
Instant = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(timespec="seconds") + "Z", return_type=str),
    WithJsonSchema(_INSTANT_SCHEMA, mode="serialization"),
]
Date = Annotated[date, WithJsonSchema(_DAY_SCHEMA, mode="serialization")]
Id = Annotated[str, Field(description="Opaque identifier.")]
Count = Annotated[int, Field(ge=0)]


class Answer(BaseModel):
    """What the server sends: every key always there, nothing else."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)
