"""Form handling shared by the pages: what was typed, and what is wrong with it."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from core.domain.errors import DomainError
from webui.i18n import translate


def typed(*names: str) -> dict[str, str]:
    """Return the submitted values of the named fields, so a refused form keeps them."""
    return {name: request.form.get(name, "") for name in names}


def refuse(template: str, error: DomainError, values: dict[str, Any], **context: Any):
    """Show the form again with what the person typed and the problem beside its field."""
    message = translate(error.message, **error.params)
    errors = {error.field or "_form": message}
    status = error.status if error.status != 404 else 422
    return render_template(template, values=values, errors=errors, **context), status
