"""Reports to the landlord from the tenant's side: file, follow, answer, "me too"."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import notifications, outbox, people, reports
from core.domain.errors import DomainError
from webui import draft_photos
from webui.auth import tenant_required
from webui.bookkeeping import note_later
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.page_cache import reused_when_unchanged
from webui.portal import blueprint

FIELDS = ("category", "location", "description")


def _form_context() -> dict:
    return {"categories": reports.CATEGORIES, "locations": reports.LOCATIONS}


@blueprint.get("/reports")
@tenant_required
@reused_when_unchanged
def report_list():
    """My household's reports, and the open problems neighbours reported in common areas."""
    mine = reports.for_household(db(), g.profile["dwelling_id"])
    neighbours = reports.open_in_common_areas(
        db(), g.profile["building_id"], g.profile["dwelling_id"]
    )
    return render_template(
        "portal/reports.html",
        mine=mine,
        neighbours=neighbours,
        not_sent=outbox.not_delivered(db(), [r["id"] for r in mine + neighbours]),
    )


@blueprint.get("/reports/new")
@tenant_required
def new_report():
    """The form to report a problem."""
    values = {"location": request.args.get("location", "")}
    return render_template("portal/report_new.html", values=values, kept=[], **_form_context())


@blueprint.post("/reports")
@tenant_required
def file_report():
    """File a report; if something is wrong, show the form again with everything kept."""
    values = typed(*FIELDS)
    kept = draft_photos.kept(reports.MAX_PHOTOS)
    try:
        photo_ids = draft_photos.received(kept, reports.MAX_PHOTOS)
    except DomainError as error:
        return refuse("portal/report_new.html", error, values, kept=kept, **_form_context())
    try:
        report_id = reports.file(
            db(),
            g.profile,
            values["category"],
            values["location"],
            values["description"],
            photo_ids,
        )
    except DomainError as error:
        # The photos are kept so the person does not have to choose them again.
        keep_changes()
        return refuse("portal/report_new.html", error, values, kept=photo_ids, **_form_context())
    draft_photos.sent(photo_ids)
    flash(
        _(
            "Your report was sent to your landlord. Its number is %(reference)s."
            " You can follow it here.",
            reference=reports.reference_of_report(db(), report_id),
        ),
        "success",
    )
    return redirect(url_for("portal.report_detail", report_id=report_id))


def _detail(report_id: str) -> dict[str, Any]:
    """Return what the report's page shows: the report, its photos, its timeline and, at
    the top, what the household looks for first."""
    report = reports.get_for_tenant(db(), g.profile, report_id)
    timeline = reports.timeline(db(), report_id, with_messages=report["own"])
    return {
        "report": report,
        # What the landlord's agents read about the household, for its own reports only.
        "household": reports.household(db(), report_id) if report["own"] else None,
        "locale_labels": people.LOCALE_LABELS,
        "photo_ids": reports.photo_ids(db(), report_id),
        "timeline": timeline,
        "glance": reports.at_a_glance(timeline),
        "not_sent": outbox.not_delivered(db(), [report_id]),
    }


@blueprint.get("/reports/<report_id>")
@tenant_required
@reused_when_unchanged
def report_detail(report_id: str):
    """A report with its photos and its timeline; what was new about it is now seen."""
    shown = render_template("portal/report_detail.html", values={}, errors={}, **_detail(report_id))
    note_later(partial(notifications.mark_read, profile_id=g.profile["id"], subject_id=report_id))
    return shown


@blueprint.post("/reports/<report_id>/messages")
@tenant_required
def report_message(report_id: str):
    """Write to the landlord about my report."""
    values = typed("body")
    try:
        reports.add_tenant_message(db(), g.profile, report_id, values["body"])
    except DomainError as error:
        return refuse("portal/report_detail.html", error, values, **_detail(report_id))
    flash(_("Your message was sent."), "success")
    return redirect(url_for("portal.report_detail", report_id=report_id, _anchor="timeline"))


@blueprint.post("/reports/<report_id>/me-too")
@tenant_required
def me_too(report_id: str):
    """Say that my household has the same problem."""
    added = reports.me_too(db(), g.profile, report_id)
    flash(
        _("Thank you. The landlord knows your home has this problem too.")
        if added
        else _("You had already said that your home has this problem."),
        "success",
    )
    return redirect(url_for("portal.report_detail", report_id=report_id))
