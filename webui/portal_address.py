"""The portal's address as tenants are given it: on letters, the lobby screen, and the
QR codes a TV shows for a phone."""

from __future__ import annotations

from flask import current_app, url_for

from core import box_certificate


def portal_address() -> str:
    """Return the address printed for tenants: the setting, else the box's public name
    once its certificate is trusted, else the one staff use now."""
    config = current_app.config["RESIDACOEUR"]
    return (
        config["portal_address"]
        or box_certificate.public_address(config["data_dir"], config["https_port"])
        or url_for("portal.home", _external=True)
    )
