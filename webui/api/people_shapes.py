"""What the API answers about people signed in on a device: a tenant's profile, a staff
member and what their role allows, a household whose code was typed, the session."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from core.domain import people, roles
from webui.api.fields import Answer, Id
from webui.api.shared_shapes import BuildingRef, DwellingRef
from webui.auth import place
from webui.i18n import translate

# What a client may offer staff, in this order; each member gets those their role allows.
PERMISSIONS = (
    roles.MANAGE_DWELLINGS,
    roles.VIEW_REPORTS,
    roles.HANDLE_REPORTS,
    roles.PUBLISH_NEWS,
    roles.ANNOUNCE_WORKS,
    roles.VIEW_AUDIT,
    roles.VIEW_FLEET,
    roles.DECIDE_CONFLICTS,
    roles.VIEW_RESPONSE_TIMES,
    roles.MODERATE,
    roles.ANSWER_HELP,
    roles.KEEP_CONTACTS,
    roles.PUBLISH_DEALS,
    roles.MANAGE_PARTNERS,
)

_LOCALE = Field(json_schema_extra={"enum": list(people.LOCALES)})


class Profile(Answer):
    """The signed-in tenant."""

    id: Id
    display_name: str
    locale: str = _LOCALE
    text_size: int = Field(json_schema_extra={"enum": list(people.TEXT_SIZES)})
    dwelling: DwellingRef
    building: BuildingRef
    contact: str | None = Field(
        description="What the tenant chose to show in their messages, if anything."
    )
    charter_accepted: bool = Field(
        description="The charter is accepted; until then, send accept_charter with a first "
        "post, answer, message, offer of help or event."
    )

    @classmethod
    def of(cls, member: dict[str, Any]) -> Profile:
        return cls(
            id=member["id"],
            display_name=member["display_name"],
            locale=member["locale"],
            text_size=member["text_size"],
            dwelling=DwellingRef(id=member["dwelling_id"], reference=member["dwelling_reference"]),
            building=BuildingRef(id=member["building_id"], name=member["building_name"]),
            contact=member["contact"],
            charter_accepted=member["charter_accepted_at"] is not None,
        )


class StaffMember(Answer):
    """The signed-in staff member, what their role allows and the buildings they look after."""

    id: Id
    username: str
    display_name: str
    role: str = Field(json_schema_extra={"enum": list(roles.STAFF_ROLES)})
    role_label: str
    locale: str = _LOCALE
    permissions: list[Annotated[str, Field(json_schema_extra={"enum": list(PERMISSIONS)})]]
    buildings: list[BuildingRef]

    @classmethod
    def of(cls, member: dict[str, Any], buildings: list[dict[str, Any]]) -> StaffMember:
        """A staff member with their buildings and what their role allows in this place."""
        return cls(
            id=member["id"],
            username=member["username"],
            display_name=member["display_name"],
            role=member["role"],
            role_label=translate(roles.ROLE_LABELS[member["role"]]),
            locale=member["locale"],
            permissions=[p for p in PERMISSIONS if roles.may(member["role"], p, place())],
            buildings=[BuildingRef.of(b["id"], b["name"]) for b in buildings],
        )


class HouseholdMember(Answer):
    """A member of the household."""

    id: Id
    display_name: str


class Household(Answer):
    """Who already has a profile in the dwelling whose code was typed."""

    members: list[HouseholdMember]
    first: bool = Field(description="No profile yet: the next one activates the code.")
    may_join: bool = Field(description="One more profile may be created.")
    needs_a_member: bool = Field(
        description="The code already created a profile: a new one needs a member to vouch "
        "with their PIN (member_id, member_pin)."
    )

    @classmethod
    def of(cls, members: list[dict[str, Any]], needs_a_member: bool) -> Household:
        """Who lives in the dwelling, whether one more may join, and whether a member must
        vouch for them."""
        return cls(
            members=[HouseholdMember(id=m["id"], display_name=m["display_name"]) for m in members],
            first=not members,
            may_join=len(members) < people.MAX_PROFILES_PER_DWELLING,
            needs_a_member=needs_a_member,
        )


class Session(Answer):
    """Who is signed in on this device, and the token to send as X-CSRFToken."""

    signed_in: Literal["tenant", "staff"] | None
    profile: Profile | None
    staff: StaffMember | None
    pending: Household | None = Field(
        description="A code was typed and a name or a new profile is awaited."
    )
    locale: str = Field(
        description="The language of messages and labels.",
        json_schema_extra={"enum": list(people.LOCALES)},
    )
    csrf_token: str
