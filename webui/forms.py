"""Form handling shared by the pages: what was typed, and what is wrong with it."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from core.domain.errors import DomainError, Refusals
from webui.i18n import translate


def typed(*names: str) -> dict[str, str]:
    """Return the submitted values of the named fields, so a refused form keeps them."""
    return {name: request.form.get(name, "") for name in names}


def refuse(template: str, error: DomainError, values: dict[str, Any], **context: Any):
    """Show the form again with what the person typed and each problem beside its field,
    all of them listed at the top."""
    refusals = error.refusals if isinstance(error, Refusals) else [error]
    errors: dict[str, str] = {}
    for refusal in refusals:
        errors.setdefault(refusal.field or "_form", translate(refusal.message, **refusal.params))
    status = error.status if error.status != 404 else 422
    return render_template(template, values=values, errors=errors, **context), status
