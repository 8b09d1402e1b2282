"""Requests that come through the box's front server, and cookies that follow HTTPS.

Behind the front server the web service listens on a Unix socket that only nginx can
reach (``bind = "unix:…"``): there, and only there, it believes the client's address
and scheme that nginx sets (``X-Forwarded-For``, ``X-Forwarded-Proto``). Listening on
a TCP port, it believes no such header, since any client could send one to escape the
limits on sign-in attempts.

Once a certificate from an authority is installed, a page asked for over plain HTTP is
sent to HTTPS. With the box's self-made certificate it is not: browsers warn about that
one, and the portal stays usable over plain HTTP instead.
"""

from __future__ import annotations

import datetime
import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, redirect, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from core import box_certificate

# The probes of the demo's supervisor and of monitoring ask over plain HTTP on purpose.
NOT_REDIRECTED = frozenset({"health"})


def init_app(app: Flask, config: dict[str, Any]) -> None:
    app.session_interface = _SessionCookies()
    if not config["bind"].startswith("unix:"):
        return
    # One proxy in front: its own X-Forwarded-For is the last value, the only one believed.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    if config["role"] == "box":
        app.extensions["trusted_certificate"] = _TrustedCertificate(config["data_dir"])
        app.before_request(_to_https)


def secure_cookies() -> bool:
    """Whether this answer's cookies must travel over HTTPS only."""
    return bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


class _SessionCookies(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        return secure_cookies()


class _TrustedCertificate:
    """Whether the box holds a certificate from an authority, read again when it changes."""

    def __init__(self, data_dir: str):
        self.path = box_certificate.chain_path(data_dir)
        self.data_dir = data_dir
        self.seen: tuple[int, int] | None = None
        self.until: datetime.datetime | None = None

    def __call__(self) -> bool:
        try:
            stat = os.stat(self.path)
        except OSError:
            return False
        if self.seen != (stat.st_mtime_ns, stat.st_size):
            facts = box_certificate.current_facts(self.data_dir)
            self.until = facts.not_after if facts and not facts.self_made else None
            self.seen = (stat.st_mtime_ns, stat.st_size)
        return self.until is not None and self.until > datetime.datetime.now(datetime.UTC)


def _to_https() -> Response | None:
    if request.scheme != "http" or request.blueprint in NOT_REDIRECTED:
        return None
    if not current_app.extensions["trusted_certificate"]():
        return None
    port = current_app.config["RESIDACOEUR"]["https_port"]
    parts = urlsplit(request.url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port == 443 else f"{host}:{port}"
    # Temporary: were the certificate to lapse, browsers must not keep sending people to HTTPS.
    return redirect(urlunsplit(("https", netloc, parts.path, parts.query, "")), code=307)
