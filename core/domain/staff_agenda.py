"""What waits for a staff member, by what their role may do where they are: what the
staff home page lists first, so that nobody has to go looking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from core.domain import (
    building_contacts,
    deals,
    estate,
    first_steps,
    help_desk,
    moderation,
    news,
    roles,
)
from core.domain.clock import utcnow

# A deal ending this soon is worth a reminder: its shop may want to publish the next one.
ENDING_SOON = timedelta(days=7)


def waiting_for(connection: Connection, member: dict[str, Any], place: str) -> dict[str, Any]:
    """Return what waits for this staff member (``place``: "box" or "hub"): flagged things
    to decide, requests for help to answer, their next first-steps sessions, their shop's
    deals and those ending soon, and their buildings without anyone for tenants to turn
    to. Only what the role may do."""
    role, building_ids = member["role"], member["building_ids"]
    found: dict[str, Any] = {}
    if roles.may(role, roles.MODERATE, place):
        found["flagged"] = len(moderation.queue(connection, building_ids))
    if roles.may(role, roles.ANSWER_HELP, place):
        found["help_requests"] = len(help_desk.waiting(connection, building_ids))
    if roles.may(role, roles.ORGANISE_SESSIONS, place):
        found["sessions"] = first_steps.upcoming(connection, member, first_steps.NEXT_ON_HOME)
    if roles.may(role, roles.PUBLISH_DEALS, place):
        publisher = news.publisher_for(connection, member)
        current = deals.of_shop(connection, publisher["id"]) if publisher else []
        soon = utcnow().date() + ENDING_SOON
        found["deals"] = len(current)
        found["deals_ending"] = [deal for deal in current if deal["valid_until"] <= soon]
    if roles.may(role, roles.KEEP_CONTACTS, place):
        with_cards = {card["building_id"] for card in building_contacts.of_buildings(connection)}
        mine = None if roles.sees_every_building(role) else building_ids
        found["without_contacts"] = [
            building["name"]
            for building in estate.list_buildings(connection, mine)
            if building["id"] not in with_cards
        ]
    return found
