"""Staff pages on the box: sign-in, dwellings and codes, reports, news and works, audit."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("staff", __name__)

from webui.staff import dashboard, sign_in  # noqa: E402,F401 - routes register on import
