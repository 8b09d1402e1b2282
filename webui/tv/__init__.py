"""The TV mode: a TV let in by a household's phone (pairing.py), what a TV's session
may do (limits.py), and whether a page is for a TV (mode.py)."""

from __future__ import annotations

from flask import Blueprint, Flask

from webui.tv import limits, mode

blueprint = Blueprint("tv", __name__)

from webui.tv import pairing  # noqa: E402,F401 - registers the views


def init_app(app: Flask, serves_tenants: bool) -> None:
    """Tell the templates whether a page is for a TV (never at the hub, which has no
    portal); on a box, hold a TV's session to its limits (after the person is loaded)."""
    app.jinja_env.globals["tv_mode"] = mode.is_on if serves_tenants else lambda: False
    if serves_tenants:
        app.before_request(limits.hold)
        app.after_request(limits.typing_on_phone)
        app.register_blueprint(blueprint)
