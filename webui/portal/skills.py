"""The skills exchange from the tenant's side: browse, offer or ask, close, get in touch."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import skills
from core.domain.errors import DomainError
from webui.auth import tenant_required
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.portal import blueprint
from webui.portal.board import accept_charter_if_ticked

FIELDS = ("kind", "category", "title", "description")
CATEGORY_ICONS = {
    "homework": "pencil",
    "diy": "works",
    "computer": "tv",
    "shopping": "gift",
    "language": "language",
    "cooking": "recipe",
    "other": "dots",
}
KIND_ICONS = {"offer": "hand", "request": "question"}


def _context() -> dict:
    return {
        "skill_kinds": skills.KINDS,
        "skill_kind_icons": KIND_ICONS,
        "skill_categories": skills.CATEGORIES,
        "skill_category_icons": CATEGORY_ICONS,
        "needs_charter": g.profile.get("charter_accepted_at") is None,
    }


@blueprint.get("/help-each-other")
@tenant_required
def skill_list():
    """Offers and requests of help in my residence, by kind and category."""
    kind = request.args.get("kind") or None
    category = request.args.get("category") or None
    return render_template(
        "portal/skills.html",
        items=skills.browse(db(), g.profile, kind, category),
        chosen_kind=kind if kind in skills.KINDS else None,
        chosen_category=category if category in skills.CATEGORIES else None,
        **_context(),
    )


@blueprint.get("/help-each-other/new")
@tenant_required
def new_skill():
    """The form to offer or ask for help."""
    values = {"kind": request.args.get("kind", "")}
    return render_template("portal/skill_new.html", values=values, errors={}, **_context())


@blueprint.post("/help-each-other")
@tenant_required
def add_skill():
    """Publish the offer or request; if something is wrong, show the form again as typed."""
    values = typed(*FIELDS)
    try:
        accept_charter_if_ticked()
        skills.add(
            db(),
            g.profile,
            values["kind"],
            values["category"],
            values["title"],
            values["description"],
        )
    except DomainError as error:
        keep_changes()
        return refuse("portal/skill_new.html", error, values, **_context())
    flash(_("Your neighbours can see it now and write to you."), "success")
    return redirect(url_for("portal.skill_list"))


@blueprint.post("/help-each-other/<skill_id>/close")
@tenant_required
def close_skill(skill_id: str):
    """Close my offer or request."""
    skills.close(db(), g.profile, skill_id)
    flash(_("It is closed: neighbours no longer see it."), "success")
    return redirect(url_for("portal.skill_list"))
