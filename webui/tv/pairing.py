"""A TV is let in by a household's phone: the TV shows a code and its QR code, a
signed-in phone approves it, and the TV takes its own, limited session
(core/domain/tv_pairings.py). Nobody types a letter's code with a remote."""

from __future__ import annotations

from flask import flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from core.domain import rate_limits, sessions, tv_pairings
from core.domain.errors import DomainError
from webui.auth import sign_in_tenant, tenant_required
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.tv import blueprint, mode, on_phone
from webui.tv.limits import TV

# Wrong codes a phone may type before it waits: six digits and ten minutes leave a
# guesser nothing.
WRONG_CODES = 5
WRONG_CODES_WINDOW = 600
# Pairings one address may start: a few TVs of a building, each a few times over.
PAIRINGS = 20
PAIRINGS_WINDOW = 600
SECRET = "tv_pairing"
# How often the TV's page asks whether a phone approved it.
ASK_EVERY_SECONDS = 3


@blueprint.get("/tv")
def start():
    """The address to bookmark on a TV: the TV mode, then the portal or the pairing."""
    mode.choose(True)
    if g.profile is not None:
        return redirect(url_for("portal.home"))
    return redirect(url_for("tv.pair"))


@blueprint.get("/tv/pair")
def pair():
    """The TV's sign-in: its code and QR code, until a phone approves it."""
    if g.profile is not None:
        return redirect(url_for("portal.home"))
    mode.choose(True)
    pairing = tv_pairings.of_secret(db(), session.get(SECRET, ""))
    if pairing is not None and pairing["approved_profile_id"] is not None:
        profile_id = tv_pairings.claim(db(), session.pop(SECRET))
        sign_in_tenant(profile_id, device=TV)
        return redirect(url_for("portal.home"))
    if pairing is None:
        pairing, session[SECRET] = _start()
    return render_template(
        "tv/pair.html",
        code=pairing["code"],
        approve_address=on_phone.link(url_for("tv.approve_page")),
        qr_image=pairing["qr_image"],
        ask_every=ASK_EVERY_SECONDS,
    )


def _start() -> tuple[dict, str]:
    """A new pairing, its QR code drawn once (a process of its own, a fraction of a
    second): how many one address starts is limited, so nobody keeps the box drawing."""
    key = f"tv-pairing:{request.remote_addr}"
    rate_limits.check(db(), key, PAIRINGS, PAIRINGS_WINDOW)
    rate_limits.record_failure(db(), key, PAIRINGS, PAIRINGS_WINDOW)

    def draw(code: str) -> str:
        link = on_phone.link(url_for("tv.approve_page", code=code))
        return on_phone.qr_image(link, keep=False)

    return tv_pairings.start(db(), draw)


@blueprint.get("/tv/pair/state")
def pair_state():
    """Whether this TV's pairing was approved, ended, or still waits (asked by its page)."""
    pairing = tv_pairings.of_secret(db(), session.get(SECRET, ""))
    if pairing is None:
        state = "ended"
    elif pairing["approved_profile_id"] is not None:
        state = "approved"
    else:
        state = "waiting"
    answer = jsonify(state=state)
    answer.headers["Cache-Control"] = "no-store"
    return answer


def _approve_form(values: dict, error: DomainError | None = None):
    if error is None:
        return render_template("tv/approve.html", values=values, errors={})
    return refuse("tv/approve.html", error, values)


@blueprint.get("/tv/approve")
@tenant_required
def approve_page():
    """On a phone: the code the TV shows (filled in when its QR code was scanned)."""
    return _approve_form({"code": request.args.get("code", "")})


@blueprint.post("/tv/approve")
@tenant_required
def approve():
    """On a phone: let the TV showing this code in, as me."""
    values = typed("code")
    key = f"tv-code:{g.profile['id']}"
    try:
        rate_limits.check(db(), key, WRONG_CODES, WRONG_CODES_WINDOW)
        tv_pairings.approve(db(), g.profile, values["code"])
    except DomainError as error:
        if error.code == "tv_code_unknown":
            rate_limits.record_failure(db(), key, WRONG_CODES, WRONG_CODES_WINDOW)
            keep_changes()
        return _approve_form(values, error)
    flash(
        _("The TV is now signed in as you. You can sign it out here, in your profile."),
        "success",
    )
    return redirect(url_for("portal.my_profile", _anchor="tvs"))


@blueprint.post("/tv/leave/<session_id>")
@tenant_required
def leave(session_id: str):
    """Sign one of my TVs out (from my profile)."""
    if sessions.end_of_profile(db(), g.profile["id"], session_id):
        flash(_("The TV is signed out."), "success")
    return redirect(url_for("portal.my_profile", _anchor="tvs"))
