"""Announcing works: write, see the notice as tenants will, then announce it.

Works reach a scope, as news do: one of my buildings, or its residence, district or city.
Changing or taking down a notice already announced is in ``works_changes``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, render_template
from flask_babel import gettext as _

from core.domain import news, roles, works
from core.domain.errors import N_
from webui.auth import staff_required
from webui.database import db
from webui.form_dates import parse_date
from webui.forms import typed
from webui.staff import blueprint
from webui.staff.publishing import (
    chosen_scope,
    draft_form,
    published_or_form,
    refused_draft,
    scope_options,
)

FIELDS = ("title", "location", "starts_on", "ends_on", "tenant_action", "scope", "photo_id")
FORM = "staff/works_form.html"


def draft_notice(values: dict[str, str], item: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the notice typed in the form, as the domain takes it."""
    kind, ref = chosen_scope(values, item)
    return {
        "scope_kind": kind,
        "scope_ref": ref,
        "title": values["title"],
        "location": values["location"],
        "starts_on": parse_date(
            values["starts_on"], "starts_on", N_("Give the first day of the works.")
        ),
        "ends_on": parse_date(values["ends_on"], "ends_on", N_("Give the last day of the works.")),
        "tenant_action": values["tenant_action"],
        "photo_id": values["photo_id"] or None,
    }


def preview_works(
    values: dict[str, str],
    publisher: dict[str, Any],
    publish: Callable[[dict[str, str]], Any],
    item: dict[str, Any] | None = None,
):
    """Show the draft as tenants will see it, once announcing it would succeed."""
    refused = refused_draft(FORM, values, publisher, publish, item)
    if refused is not None:
        return refused
    notice = draft_notice(values, item) | {
        "publisher_name": publisher["name"],
        "publisher_kind": publisher["kind"],
    }
    return render_template(
        "staff/works_preview.html",
        values=values,
        notice=notice,
        item=item,
        scope_label=scope_options(item)[values["scope"]][2],
        fields=FIELDS,
    )


def _announce(values: dict[str, str], publisher: dict[str, Any]) -> str:
    return works.announce(
        db(), **draft_notice(values), publisher_id=publisher["id"], author_staff_id=g.staff["id"]
    )


@blueprint.get("/works")
@staff_required(roles.ANNOUNCE_WORKS)
def works_form():
    """The form to announce works."""
    options = list(scope_options())
    values = {"scope": options[0] if len(options) == 1 else ""}
    return draft_form(FORM, values, news.publisher_for(db(), g.staff))


@blueprint.post("/works/preview")
@staff_required(roles.ANNOUNCE_WORKS)
def preview_new_works():
    """Show the works notice as tenants will see it, before it is announced."""
    publisher = news.publisher_for(db(), g.staff)
    values = typed(*FIELDS)
    if publisher is None:
        return draft_form(FORM, values, publisher), 422
    return preview_works(values, publisher, lambda draft: _announce(draft, publisher))


@blueprint.post("/works")
@staff_required(roles.ANNOUNCE_WORKS)
def announce_works():
    """Announce the previewed works, or go back to the form to change them."""
    publisher = news.publisher_for(db(), g.staff)
    return published_or_form(
        FORM,
        typed(*FIELDS),
        publisher,
        lambda draft: _announce(draft, publisher),
        _("The works are announced: tenants see them first on their home page."),
        "staff.my_works",
    )
