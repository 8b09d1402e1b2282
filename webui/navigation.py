"""Safe redirects back to where a person was."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, request, url_for


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


def back(fallback_endpoint: str = "portal.home"):
    """Redirect to the 'next' field of the form or query, or to a default page."""
    target = request.form.get("next") or request.args.get("next")
    return redirect(local_target(target, url_for(fallback_endpoint)))
