"""A message's body read into its kind's model (``core.messages``), or refused.

What does not fit the model is ``Refused`` with a reason that names the field first, as
the log and the table of what was kept aside show it: ``report.description: a string of
at most 2000 characters is expected``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from core.messages.fields import NAMED
from link.envelope import Refused

Model = TypeVar("Model", bound=BaseModel)

# Pydantic's own refusals, in the link's words.
_EXPECTED = {
    "missing": "missing",
    "model_type": "an object is expected",
    "model_attributes_type": "an object is expected",
    "dict_type": "an object is expected",
}


def read(model: type[Model], body: dict[str, Any]) -> Model:
    """Return the body as ``model``; raise Refused for the first value that does not fit."""
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise Refused(reason(error)) from None


def reason(error: ValidationError) -> str:
    """Return why a body was refused, its field first."""
    first = error.errors(include_url=False)[0]
    if first["type"] == NAMED:
        return first["msg"]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {_EXPECTED.get(first['type'], first['msg'])}"
