"""The web layer for every audience: tenant portal, staff pages and the JSON API.

A box serves them all. The hub (setting ``role = "hub"``) serves the staff console and
the API over its own database: no tenant signs in there.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, redirect, url_for

from core.config import load_config
from core.secrets import ensure_secrets
from core.storage.engine import make_engine


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web application from the box's configuration."""
    config = load_config(overrides=test_config)
    secrets = ensure_secrets(config["data_dir"])
    # Static files are served by webui.static_files, under fingerprinted names.
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(
        RESIDACOEUR=config,
        SECRET_KEY=secrets["session_key"],
        ACCESS_CODE_PEPPER=secrets["access_code_pepper"],
        MAX_CONTENT_LENGTH=config["max_request_bytes"],
        SESSION_COOKIE_NAME="residacoeur",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config["secure_cookies"],
        PERMANENT_SESSION_LIFETIME=timedelta(days=config["session_days"]),
        # A form left open for hours must still submit: the token lives as long as the
        # session, so a slow typist never loses a draft to an expired token.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=config["secure_cookies"],
        JSON_SORT_KEYS=False,
        # Tenants' cookies are refreshed once a day instead (webui.auth._keep_signed_in).
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    # The hub's database is the landlord's record: every commit reaches the disk.
    app.extensions["engine"] = make_engine(config["database_url"], durable=config["role"] == "hub")

    from webui import (
        access,
        api,
        auth,
        bookkeeping,
        compression,
        database,
        errors,
        front_server,
        full_disk,
        health,
        i18n,
        lobby,
        portal,
        preferences,
        readings,
        request_body,
        security,
        staff,
        static_files,
        strict_request,
        tv,
        vocabulary,
    )

    # First: the other hooks may read the body or take the database's write lock.
    request_body.init_app(app, config["body_seconds"])
    # Outermost: every other part reads the client's address and scheme as set here.
    front_server.init_app(app, config)
    # Next: a request that cannot be read is refused before the CSRF check reads its form.
    strict_request.init_app(app)
    # Before the hooks that change answers: its own runs after theirs, on the final answer.
    compression.init_app(app)
    database.init_app(app)
    bookkeeping.init_app(app)
    i18n.init_app(app)
    vocabulary.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    # After auth: whether a tenant is writing decides.
    full_disk.init_app(app)
    errors.init_app(app)
    static_files.init_app(app, Path(config["static_dir"]))
    serves_tenants = config["role"] == "box"
    app.jinja_env.globals["serves_tenants"] = serves_tenants
    # After auth: a TV's session is known by then.
    tv.init_app(app, serves_tenants)
    readings.init_app(app)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(preferences.blueprint)
    if serves_tenants:
        app.register_blueprint(access.blueprint)
        app.register_blueprint(portal.blueprint)
        app.register_blueprint(lobby.blueprint)
        portal.notifications.init_app(app)
    else:
        app.add_url_rule("/", "console", _to_console)
    app.register_blueprint(staff.blueprint, url_prefix="/staff")
    app.register_blueprint(api.blueprint, url_prefix="/api/v1")
    return app


def _to_console():
    """At the hub, the address alone leads to the staff console."""
    return redirect(url_for("staff.dashboard"))
