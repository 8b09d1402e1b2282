"""CSRF protection, cookies and the security headers sent with every answer."""

from __future__ import annotations

from flask import Flask, g, request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

# No inline scripts or styles anywhere, so the policy can forbid them outright.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


# Nothing on the box may use the camera, the microphone or the position, except the
# video rooms' and calls' pages, on the box's own origin.
_NOTHING_USES = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
_ROOMS_USE = (
    "camera=(self), microphone=(self), geolocation=(), payment=(), usb=(), display-capture=()"
)
ROOM_PAGES = ("/rooms", "/calls", "/staff/rooms")


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    in_rooms = any(
        request.path == pages or request.path.startswith(pages + "/") for pages in ROOM_PAGES
    )
    response.headers.setdefault("Permissions-Policy", _ROOMS_USE if in_rooms else _NOTHING_USES)
    if g.get("profile") is not None or g.get("staff") is not None:
        # A family computer, a library's: what a signed-in person saw must not be kept
        # where the next person, or the browser's back button after signing out, finds it.
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def init_app(app: Flask) -> None:
    """Protect every form with a CSRF token and add the security headers."""
    csrf.init_app(app)
    app.after_request(_headers)
