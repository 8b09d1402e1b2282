"""What writing news and works notices share: whom it reaches, its picture.

An item reaches one of the staff member's buildings, or the residence, district or city
of one; who publishes it is the domain's ``news.publisher_for``. A draft's picture is
kept as soon as it is received, so that it need not be chosen again when the form comes
back, and shown only to the session that sent it until published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for

from core.domain import staff_buildings
from core.domain.errors import N_, DomainError
from webui import draft_photos
from webui.database import db, keep_changes
from webui.forms import refuse
from webui.i18n import translate

SCOPE_NAMES = {
    "building": N_("%(name)s (building)"),
    "residence": N_("%(name)s (residence)"),
    "district": N_("%(name)s (district)"),
    "city": N_("%(name)s (whole city)"),
}
# What each scope points at in a building's row, and the name people know it by.
_SCOPE_KEYS = {
    "building": ("id", "name"),
    "residence": ("residence_id", "residence_name"),
    "district": ("district", "district"),
    "city": ("city", "city"),
}


def scope_key(kind: str, ref: str) -> str:
    """Return the short stable token a scope goes by in the form.

    District and city names hold spaces, which form field ids cannot.
    """
    return f"{kind}-{hashlib.sha256(ref.encode()).hexdigest()[:10]}"


def scope_options(item: dict[str, Any] | None = None) -> dict[str, tuple[str, str, str]]:
    """Return who may be reached, from my buildings up to their city.

    Each value is (scope kind, scope reference, label). The scope of an item being
    changed stays on offer even when it lies beyond my buildings (a colleague wrote it).
    """
    found: dict[str, tuple[str, str, str]] = {}
    mine = staff_buildings.buildings(db(), g.staff)
    for kind, (ref_key, name_key) in _SCOPE_KEYS.items():
        for building in mine:
            label = translate(SCOPE_NAMES[kind], name=building[name_key])
            found.setdefault(scope_key(kind, building[ref_key]), (kind, building[ref_key], label))
    if item is not None:
        kind, ref = item["scope_kind"], item["scope_ref"]
        label = translate(SCOPE_NAMES[kind], name=item["scope_name"])
        found.setdefault(scope_key(kind, ref), (kind, ref, label))
    return found


def chosen_scope(values: dict[str, str], item: dict[str, Any] | None = None) -> tuple[str, str]:
    """Return the (kind, reference) of the scope chosen in the form, or say to choose one."""
    chosen = scope_options(item).get(values["scope"])
    if chosen is None:
        raise DomainError("scope_unknown", N_("Choose who will see it."), "scope")
    return chosen[0], chosen[1]


def draft_photo(values: dict[str, str], current: str | None = None) -> str | None:
    """Return the picture of the draft: a new upload, the one already received, or none.

    ``current`` is the picture of the item being changed, kept unless removed or replaced.
    """
    # A photo not yet attached to anything is served only to the session that sent it:
    # that is how the preview can show it.
    received = draft_photos.received([], 1)
    if received:
        return received[0]
    if request.form.get("remove_picture"):
        return None
    return kept_photo(values, current)


def kept_photo(values: dict[str, str], current: str | None = None) -> str | None:
    """Return the picture named in the form if this person may use it, else None."""
    kept = values.get("photo_id") or None
    if kept is not None and (kept == current or draft_photos.mine([kept])):
        return kept
    return None


def draft_sent(photo_id: str) -> None:
    """Forget a draft picture once it belongs to what was published."""
    draft_photos.sent([photo_id])


def draft_form(
    template: str,
    values: dict[str, str],
    publisher: dict[str, Any] | None,
    item: dict[str, Any] | None = None,
    error: DomainError | None = None,
):
    """Render a draft's form (``item``: the one being changed), with what was typed and,
    when refused, what is wrong beside its field."""
    scopes = {key: label for key, (_kind, _ref, label) in scope_options(item).items()}
    context = {"publisher": publisher, "scopes": scopes, "item": item}
    if error is None:
        return render_template(template, values=values, **context)
    return refuse(template, error, values, **context)


def refused_draft(
    template: str,
    values: dict[str, str],
    publisher: dict[str, Any],
    publish: Callable[[dict[str, str]], Any],
    item: dict[str, Any] | None = None,
):
    """Receive the draft's picture and check the draft; return its form again with what is
    wrong, or None when it may be previewed.

    Publishing inside a savepoint that is undone checks the draft exactly as publishing
    will, without anyone seeing it yet.
    """
    try:
        values["photo_id"] = draft_photo(values, item["photo_id"] if item else None) or ""
        with db().begin_nested() as trial:
            publish(values)
            trial.rollback()
    except DomainError as error:
        # A picture already received is kept, so it need not be chosen again.
        keep_changes()
        return draft_form(template, values, publisher, item, error)
    return None


def published_or_form(
    template: str,
    values: dict[str, str],
    publisher: dict[str, Any] | None,
    publish: Callable[[dict[str, str]], Any],
    done: str,
    back_to: str,
    item: dict[str, Any] | None = None,
):
    """Publish the previewed draft, say ``done`` and go to the publisher's list of its
    kind (``back_to``), or go back to the form to change the draft."""
    values["photo_id"] = kept_photo(values, item["photo_id"] if item else None) or ""
    if publisher is None or request.form.get("action") != "publish":
        return draft_form(template, values, publisher, item)
    try:
        publish(values)
    except DomainError as error:
        return draft_form(template, values, publisher, item, error)
    draft_sent(values["photo_id"])
    flash(done, "success")
    return redirect(url_for(back_to))
