"""Flagging what breaks the charter: a post, an answer, a private message or a person."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import moderation
from core.domain.errors import N_, DomainError, NotFound
from webui.auth import tenant_required
from webui.database import db
from webui.forms import refuse, typed
from webui.navigation import local_target
from webui.portal import blueprint


def _known(kind: str) -> None:
    if kind not in moderation.TARGETS:
        raise NotFound("target_not_found", N_("This no longer exists."))


def _came_from() -> str:
    """Return the page the person came from on this site, to go back there after."""
    if not request.referrer:
        return ""
    parts = urlsplit(request.referrer)
    if parts.netloc != request.host:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _page(kind: str, target_id: str, values: dict, error: DomainError | None = None):
    context = {"kind": kind, "target_id": target_id, "reasons": moderation.REASONS}
    if error is None:
        return render_template("portal/flag.html", values=values, errors={}, **context)
    return refuse("portal/flag.html", error, values, **context)


@blueprint.get("/flag/<kind>/<target_id>")
@tenant_required
def flag_form(kind: str, target_id: str):
    """Ask why something should be looked at by the caretaker."""
    _known(kind)
    return _page(kind, target_id, {"next": _came_from()})


@blueprint.post("/flag/<kind>/<target_id>")
@tenant_required
def flag(kind: str, target_id: str):
    """Flag it; three households hide it until the caretaker decides."""
    _known(kind)
    values = typed("reason", "note", "next")
    try:
        hidden = moderation.flag(db(), g.profile, kind, target_id, values["reason"], values["note"])
    except NotFound:
        raise
    except DomainError as error:
        return _page(kind, target_id, values, error)
    if hidden:
        flash(_("Thank you. It is hidden until the caretaker looks at it."), "success")
        return redirect(url_for("portal.board"))
    flash(_("Thank you. The caretaker will look at it."), "success")
    return redirect(local_target(values["next"], url_for("portal.board")))
