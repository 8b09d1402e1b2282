""" "Continue on your phone": a page's own address on the portal, and its QR code, for
what a remote cannot do well (typing, photos) or a TV's session may not do."""

from __future__ import annotations

from flask import current_app

from provisioning import sign_in_links
from webui import qr_images
from webui.portal_address import portal_address


def link(path: str) -> str:
    """The address of a page of the portal (a path here) as a phone would open it."""
    return sign_in_links.portal_link(portal_address()).rstrip("/") + path


def qr_image(address: str, keep: bool = True) -> str:
    """The QR code of an address of the portal, as an SVG data URI (kept for the next
    time unless ``keep`` is false)."""
    return qr_images.qr_image(current_app.config["RESIDACOEUR"]["data_dir"], address, keep)
