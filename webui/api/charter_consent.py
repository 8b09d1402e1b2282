"""The charter's tick in what tenants write to neighbours: a first post, answer, message,
offer of help or event asks for it, as the pages' tick box does, and nothing is asked
twice."""

from __future__ import annotations

from flask import g
from pydantic import Field

from core.domain import charter
from webui.api.fields import Body, Ticked
from webui.database import db


class Consenting(Body):
    """What a tenant writes to neighbours, with the charter's tick."""

    accept_charter: Ticked = Field(
        False,
        description="I accept the charter: needed once, with a first post, answer, message, "
        "offer of help or event (see charter_accepted in Profile).",
    )


def accept_charter_if_ticked(body: Consenting) -> None:
    """Record the charter when the request accepts it."""
    if body.accept_charter:
        charter.accept(db(), g.profile["id"])
