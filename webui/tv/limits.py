"""What a TV does, and what it leaves to a phone.

In the TV mode, pages made for typing (a report, a post, a message, a photo) show
"continue on your phone" instead, with the page's QR code: a remote types one letter at a
time. A TV's own session (let in by a phone, core/domain/tv_pairings.py) is held
tighter, since a TV is watched by whoever is in the room: it reads, replies to an event,
thanks a post and watches a video room, and nothing else it sends is taken; it does not
show one person's messages or profile.
"""

from __future__ import annotations

from flask import Response, g, redirect, render_template, request, url_for

from core.domain.errors import N_, Forbidden
from webui.tv import mode, on_phone

TV = "tv"

# Pages made for typing: in the TV mode, their QR code leads a phone to them.
PHONE_PAGES = frozenset(
    {
        "portal.new_report",
        "portal.new_post",
        "portal.new_event",
        "portal.new_message",
        "portal.new_skill",
        "portal.change_event_form",
        "portal.confirm_event_cancellation",
        "portal.confirm_post_removal",
        "portal.flag_form",
        "portal.help_page",
        "tv.approve_page",
    }
)
# One person's pages, which a TV's session does not show, and where a phone finds them
# (a fixed page each: the QR codes drawn stay few, whatever addresses are asked for).
PRIVATE_PAGES = {
    "portal.inbox": "portal.inbox",
    "portal.conversation": "portal.inbox",
    "portal.my_profile": "portal.my_profile",
    "portal.download_my_data": "portal.my_profile",
    "portal.call_page": "portal.home",
    "portal.ringing_calls": "portal.home",
}
# What a TV's session may send: one press of OK each.
TV_ACTIONS = frozenset(
    {
        "portal.reply_to_event",
        "portal.join_room",
        "portal.room_ticket",
        "portal.thank_post",
        "preferences.language",
        "preferences.text_size",
        "preferences.screen",
        "access.leave",
    }
)


def hold():
    """Before each request: what a TV's session may not do is done on a phone."""
    endpoint = request.endpoint or ""
    reading = request.method in ("GET", "HEAD")
    if reading and endpoint == "access.start" and mode.is_on():
        return redirect(url_for("tv.pair"))
    if g.get("device") != TV or endpoint in TV_ACTIONS:
        return None
    if reading and endpoint not in PRIVATE_PAGES:
        return None
    if request.path.startswith("/api/"):
        raise Forbidden("tv_session", N_("On a TV, the portal is for reading. Use your phone."))
    return _continue_on_phone(url_for(PRIVATE_PAGES.get(endpoint, "portal.home")), 403)


def typing_on_phone(response: Response) -> Response:
    """After a page made for typing was found (an unknown one stays "not found"): in the
    TV mode, its QR code instead, which opens it on a phone."""
    if (
        request.endpoint in PHONE_PAGES
        and request.method == "GET"
        and response.status_code == 200
        and mode.is_on()
    ):
        body, _ok = _continue_on_phone(request.path, 200)
        response.set_data(body)
        response.headers["Cache-Control"] = "no-store"
    return response


def _continue_on_phone(page: str, status: int) -> tuple[str, int]:
    address = on_phone.link(page)
    page_html = render_template(
        "tv/on_phone.html", address=address, qr_image=on_phone.qr_image(address)
    )
    return page_html, status
