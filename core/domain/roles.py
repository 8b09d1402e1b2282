"""Roles of the people who use a box or the hub, and what each may do.

Tenants sign in with their dwelling's code; every other role is staff, with a username
and password, and sees only the buildings it is attached to (operators see them all).
"""

from __future__ import annotations

from core.domain.errors import N_

TENANT = "tenant"
CARETAKER = "caretaker"
LANDLORD_AGENT = "landlord_agent"
PUBLISHER = "publisher"
MERCHANT = "merchant"
MEDIATOR = "mediator"
OPERATOR = "operator"

STAFF_ROLES: tuple[str, ...] = (
    CARETAKER,
    LANDLORD_AGENT,
    PUBLISHER,
    MERCHANT,
    MEDIATOR,
    OPERATOR,
)

ROLE_LABELS = {
    TENANT: N_("Tenant"),
    CARETAKER: N_("Caretaker"),
    LANDLORD_AGENT: N_("Landlord agent"),
    PUBLISHER: N_("Publisher"),
    MERCHANT: N_("Local shop"),
    MEDIATOR: N_("Digital mediator"),
    OPERATOR: N_("Operator"),
}

MANAGE_DWELLINGS = "manage_dwellings"
VIEW_REPORTS = "view_reports"
HANDLE_REPORTS = "handle_reports"
PUBLISH_NEWS = "publish_news"
ANNOUNCE_WORKS = "announce_works"
VIEW_AUDIT = "view_audit"
VIEW_FLEET = "view_fleet"
DECIDE_CONFLICTS = "decide_conflicts"
VIEW_RESPONSE_TIMES = "view_response_times"
MODERATE = "moderate"
MODERATE_ROOMS = "moderate_rooms"
PUBLISH_DEALS = "publish_deals"
MANAGE_PARTNERS = "manage_partners"
ANSWER_HELP = "answer_help"
KEEP_CONTACTS = "keep_contacts"
ORGANISE_SESSIONS = "organise_sessions"
KEEP_LOBBY_SCREENS = "keep_lobby_screens"

_ALLOWED: dict[str, frozenset[str]] = {
    MANAGE_DWELLINGS: frozenset({LANDLORD_AGENT, OPERATOR}),
    VIEW_REPORTS: frozenset({LANDLORD_AGENT, CARETAKER}),
    HANDLE_REPORTS: frozenset({LANDLORD_AGENT}),
    PUBLISH_NEWS: frozenset({PUBLISHER, LANDLORD_AGENT}),
    ANNOUNCE_WORKS: frozenset({LANDLORD_AGENT, PUBLISHER}),
    VIEW_AUDIT: frozenset({OPERATOR}),
    VIEW_FLEET: frozenset({OPERATOR}),
    DECIDE_CONFLICTS: frozenset({OPERATOR}),
    VIEW_RESPONSE_TIMES: frozenset({LANDLORD_AGENT}),
    MODERATE: frozenset({CARETAKER}),
    MODERATE_ROOMS: frozenset({CARETAKER, MEDIATOR}),
    PUBLISH_DEALS: frozenset({MERCHANT}),
    MANAGE_PARTNERS: frozenset({OPERATOR, PUBLISHER}),
    ANSWER_HELP: frozenset({MEDIATOR, CARETAKER}),
    KEEP_CONTACTS: frozenset({CARETAKER, MEDIATOR, LANDLORD_AGENT, OPERATOR}),
    ORGANISE_SESSIONS: frozenset({MEDIATOR}),
    KEEP_LOBBY_SCREENS: frozenset({CARETAKER, LANDLORD_AGENT}),
}


# Some work happens in one place only: access codes are sealed with the box's own
# secret, so dwellings and codes are managed on the box; the fleet is seen from the hub;
# the neighbours' posts and messages, and their requests for help, are looked after on
# their box, as are the caretakers' and mediators' cards and the mediators' first-steps
# sessions (their tenants sign in there to come); shops' deals and the partners'
# directory are written at the hub for all; a box's conflicting messages are kept at the
# hub, and decided there.
_ONLY_AT: dict[str, str] = {
    MANAGE_DWELLINGS: "box",
    VIEW_FLEET: "hub",
    DECIDE_CONFLICTS: "hub",
    MODERATE: "box",
    MODERATE_ROOMS: "box",
    ANSWER_HELP: "box",
    KEEP_CONTACTS: "box",
    ORGANISE_SESSIONS: "box",
    KEEP_LOBBY_SCREENS: "box",
    PUBLISH_DEALS: "hub",
    MANAGE_PARTNERS: "hub",
}


def may(role: str, permission: str, place: str | None = None) -> bool:
    """Tell whether a role carries a permission (``place``: "box" or "hub", where asked)."""
    if place is not None and _ONLY_AT.get(permission, place) != place:
        return False
    return role in _ALLOWED[permission]


def sees_every_building(role: str) -> bool:
    """Operators look after the whole box; everyone else only their own buildings."""
    return role == OPERATOR
