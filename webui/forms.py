"""Form handling shared by the pages: what was typed, and what is wrong with it."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from core.domain.errors import N_, DomainError, Refusals
from core.domain.text_versions import InVersion
from webui.i18n import translate

# A refusal in a version of a text says which version, since the original's field is
# refused in the same words.
_IN_VERSION = {
    "fr": N_("French version: %(problem)s"),
    "en": N_("English version: %(problem)s"),
    "ar": N_("Arabic version: %(problem)s"),
}


def typed(*names: str) -> dict[str, str]:
    """Return the submitted values of the named fields, so a refused form keeps them."""
    return {name: request.form.get(name, "") for name in names}


def refuse(template: str, error: DomainError, values: dict[str, Any], **context: Any):
    """Show the form again with what the person typed and each problem beside its field,
    all of them listed at the top."""
    refusals = error.refusals if isinstance(error, Refusals) else [error]
    errors: dict[str, str] = {}
    for refusal in refusals:
        errors.setdefault(refusal.field or "_form", said(refusal))
    status = error.status if error.status != 404 else 422
    return render_template(template, values=values, errors=errors, **context), status


def said(refusal: DomainError) -> str:
    """Return a refusal in the person's language, saying which version it is about."""
    problem = translate(refusal.message, **refusal.params)
    if isinstance(refusal, InVersion):
        return translate(_IN_VERSION[refusal.language], problem=problem)
    return problem
