"""The audit log page for operators: who did what, on what, and when, in words; it says
where the actions were taken (this box, or the hub)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from core.domain import audit, building_contacts, report_status, roles, scope
from core.domain.errors import N_
from webui.auth import staff_required
from webui.database import db
from webui.i18n import translate as t
from webui.staff import blueprint

# Every action the audit log keeps, in words (a test checks none is left as a code).
ACTION_LABELS = {
    "staff.sign_in": N_("Signed in"),
    "dwelling.register": N_("Registered a dwelling"),
    "dwellings.import": N_("Imported a list of dwellings"),
    "code.issue": N_("Issued an access code"),
    "household.move_out": N_("Recorded a household moving out"),
    "report.move": N_("Changed the status of a report"),
    "report.reply": N_("Wrote to a household about a report"),
    "news.publish": N_("Published news"),
    "news.edit": N_("Changed news"),
    "news.withdraw": N_("Took news down"),
    "works.announce": N_("Announced works"),
    "works.edit": N_("Changed a works notice"),
    "works.withdraw": N_("Took a works notice down"),
    "deal.publish": N_("Published a deal"),
    "deal.change": N_("Changed a deal"),
    "deal.withdraw": N_("Took a deal down"),
    "partner.add": N_("Added a service to the directory"),
    "partner.change": N_("Changed a service of the directory"),
    "partner.remove": N_("Took a service out of the directory"),
    "help.answer": N_("Answered a request for help"),
    "session.organise": N_("Organised a first-steps session"),
    "session.change": N_("Changed a first-steps session"),
    "session.cancel": N_("Cancelled a first-steps session"),
    "contact.update": N_("Updated who tenants can turn to"),
    "moderation.dismiss": N_("Left a flagged thing as it was"),
    "moderation.hide": N_("Hid a flagged thing"),
    "moderation.restore": N_("Put back a hidden thing"),
    "moderation.warn": N_("Warned an author"),
    "moderation.suspend": N_("Suspended an author"),
    "conflict.apply": N_("Applied a box's message kept in a conflict"),
    "conflict.set_aside": N_("Set aside a box's message kept in a conflict"),
    "lobby.create": N_("Made a lobby screen's address"),
    "lobby.revoke": N_("Stopped a lobby screen"),
    "room.open": N_("Opened a video room for an event"),
    "room.remove": N_("Took someone out of a video room"),
    "room.close": N_("Closed a video room"),
}
# What an entry is about, from the kind its target names ("report:7", "dwelling:A-01").
TARGET_LABELS = {
    "report": N_("Report no. %(value)s"),
    "dwelling": N_("Dwelling %(value)s"),
    "dwellings": N_("%(value)s dwellings"),
    "help": N_("A request for help"),
    "building": N_("A building"),
    "box": N_("Box %(value)s"),
    "news": N_("A news item"),
    "works": N_("A works notice"),
    "deal": N_("A deal"),
    "partner": N_("A service of the directory"),
    "post": N_("A post of the noticeboard"),
    "comment": N_("A comment of the noticeboard"),
    "message": N_("A private message"),
    "profile": N_("A tenant's profile"),
    "skill": N_("An offer of help"),
    "event": N_("An event"),
}
# The details an entry keeps, named in words; those not listed are not shown.
DETAIL_LABELS = {
    "title": N_("Title"),
    "name": N_("Name"),
    "status": N_("New status"),
    "scheduled_for": N_("Planned for"),
    "duplicate_of": N_("Same problem as report no."),
    "reason": N_("Reason"),
    "days": N_("Days"),
    "role": N_("Who"),
    "building": N_("Building"),
    "references": N_("Dwellings"),
    "profiles": N_("Profiles removed"),
    "address": N_("From the address"),
    "scope": N_("Shown to"),
    "seq": N_("Message no."),
    "tenant": N_("Tenant"),
    "person": N_("Person"),
    "out": N_("People sent out"),
}
# Details whose values are codes of the domain, written with the domain's own words.
VALUE_LABELS = {
    "status": report_status.LABELS,
    "role": building_contacts.ROLES,
    "scope": scope.SCOPE_LABELS,
}
SHOWN = 200


def _target(target: str) -> str:
    kind, _, value = (target or "").partition(":")
    label = TARGET_LABELS.get(kind)
    return t(label, value=value) if label else ""


def _details(detail: dict[str, Any]) -> list[tuple[str, str]]:
    shown = []
    for key, value in detail.items():
        if key not in DETAIL_LABELS or value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif key in VALUE_LABELS and value in VALUE_LABELS[key]:
            value = t(VALUE_LABELS[key][value])
        shown.append((t(DETAIL_LABELS[key]), str(value)))
    return shown


@blueprint.get("/audit")
@staff_required(roles.VIEW_AUDIT)
def audit_page():
    entries = [
        {**entry, "about": _target(entry["target"]), "details": _details(entry["detail"])}
        for entry in audit.recent(db(), limit=SHOWN)
    ]
    return render_template(
        "staff/audit.html", entries=entries, action_labels=ACTION_LABELS, shown=SHOWN
    )
