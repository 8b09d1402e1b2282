"""My works: what my publisher has announced, under way or to come, to change or take down.

A change goes through the same form and preview as a new notice; taking down asks first.
Only notices of the staff member's own publisher that reach one of their buildings can
be reached: any other is as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import news, roles, staff_buildings, works
from webui.auth import staff_required
from webui.database import db
from webui.forms import typed
from webui.staff import blueprint
from webui.staff.publishing import (
    SCOPE_NAMES,
    draft_form,
    published_or_form,
    scope_key,
)
from webui.staff.works import FIELDS, FORM, draft_notice, preview_works


def _edit(values: dict[str, str], item: dict[str, Any]) -> None:
    works.edit(db(), item["id"], g.staff["id"], **draft_notice(values, item))


@blueprint.get("/works/mine")
@staff_required(roles.ANNOUNCE_WORKS)
def my_works():
    """The works my publisher announced, under way or to come, soonest first."""
    publisher = news.publisher_for(db(), g.staff)
    items = (
        works.of_publisher(db(), publisher["id"], staff_buildings.buildings(db(), g.staff))
        if publisher
        else []
    )
    return render_template(
        "staff/works_mine.html", publisher=publisher, items=items, scope_names=SCOPE_NAMES
    )


@blueprint.get("/works/<notice_id>/change")
@staff_required(roles.ANNOUNCE_WORKS)
def change_works_form(notice_id: str):
    """The works form, filled with the notice as it is now."""
    publisher, item = staff_buildings.works_notice(db(), g.staff, notice_id)
    values = {
        "title": item["title"],
        "location": item["location"],
        "starts_on": item["starts_on"].isoformat(),
        "ends_on": item["ends_on"].isoformat(),
        "tenant_action": item["tenant_action"],
        "scope": scope_key(item["scope_kind"], item["scope_ref"]),
        "photo_id": item["photo_id"] or "",
    }
    return draft_form(FORM, values, publisher, item)


@blueprint.post("/works/<notice_id>/preview")
@staff_required(roles.ANNOUNCE_WORKS)
def preview_works_change(notice_id: str):
    """Show the changed notice as tenants will see it, before the change is published."""
    publisher, item = staff_buildings.works_notice(db(), g.staff, notice_id)
    return preview_works(typed(*FIELDS), publisher, lambda draft: _edit(draft, item), item)


@blueprint.post("/works/<notice_id>")
@staff_required(roles.ANNOUNCE_WORKS)
def save_works_change(notice_id: str):
    """Publish the previewed change, or go back to the form."""
    publisher, item = staff_buildings.works_notice(db(), g.staff, notice_id)
    return published_or_form(
        FORM,
        typed(*FIELDS),
        publisher,
        lambda draft: _edit(draft, item),
        _("The changes are published."),
        "staff.my_works",
        item,
    )


@blueprint.get("/works/<notice_id>/take-down")
@staff_required(roles.ANNOUNCE_WORKS)
def confirm_works_take_down(notice_id: str):
    """Ask before taking a works notice down."""
    _publisher, item = staff_buildings.works_notice(db(), g.staff, notice_id)
    return render_template("staff/works_take_down.html", notice=item, scope_names=SCOPE_NAMES)


@blueprint.post("/works/<notice_id>/take-down")
@staff_required(roles.ANNOUNCE_WORKS)
def take_down_works(notice_id: str):
    """Take a works notice down wherever it is shown."""
    _publisher, item = staff_buildings.works_notice(db(), g.staff, notice_id)
    works.withdraw(db(), item["id"], g.staff["id"])
    flash(
        _(
            "The works notice “%(title)s” is taken down: tenants no longer see it.",
            title=item["title"],
        ),
        "success",
    )
    return redirect(url_for("staff.my_works"))
