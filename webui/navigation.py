"""Safe redirects back to where a person was."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, request, url_for


def local_target(candidate: str | None, fallback: str) -> str:
    """Return the candidate if it is a path on this site, else the fallback."""
    if candidate:
        parts = urlsplit(candidate)
        if (
            not parts.scheme
            and not parts.netloc
            and candidate.startswith("/")
            and not candidate.startswith("//")
        ):
            return candidate
    return fallback


def back(fallback_endpoint: str | None = None):
    """Redirect to the 'next' field of the form or query, or to a default page.

    The default is the home page: the tenant portal's, or the staff console's at the hub,
    which has no portal.
    """
    target = request.form.get("next") or request.args.get("next")
    home = "portal.home" if "portal" in current_app.blueprints else "staff.dashboard"
    return redirect(local_target(target, url_for(fallback_endpoint or home)))
