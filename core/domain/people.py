"""People: tenants' profiles under their dwelling, and staff accounts with their buildings.

A household activates its dwelling's code once and each member creates a profile with
a display name, a language and a personal PIN of 4 to 8 digits. On a new device a
tenant types the dwelling's code again, taps their name and types their PIN: the code
proves the household, the PIN keeps household members' accounts apart.
"""

from __future__ import annotations

import secrets
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from core.domain import access_codes, audit, roles, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, FieldChecks, NotFound
from core.domain.passwords import check_secret, hash_secret
from core.storage.schema import buildings, dwellings, profiles, staff, staff_buildings

LOCALES = ("fr", "en", "ar")
# The languages as staff read them, in their own language: "writes in Arabic".
LOCALE_LABELS = {"fr": N_("French"), "en": N_("English"), "ar": N_("Arabic")}
MAX_PROFILES_PER_DWELLING = 8
TEXT_SIZES = (0, 1, 2)


def _clean_name(name: str) -> str:
    name = typed_text.plain(name, "display_name", one_line=True)
    if not name:
        raise DomainError(
            "name_missing", N_("Please write the name your neighbours will see."), "display_name"
        )
    if len(name) > 40:
        raise DomainError(
            "name_long", N_("The name is too long (40 characters at most)."), "display_name"
        )
    return name


def _clean_pin(pin: str, confirm: str | None = None) -> str:
    pin = (pin or "").strip()
    if not pin.isdigit() or not 4 <= len(pin) <= 8 or not pin.isascii():
        raise DomainError("pin_format", N_("The PIN is 4 to 8 digits."), "pin")
    if len(set(pin)) == 1:
        raise DomainError(
            "pin_weak", N_("Choose a PIN that is not the same digit repeated."), "pin"
        )
    if confirm is not None and confirm.strip() != pin:
        raise DomainError("pin_mismatch", N_("The two PINs are not the same."), "pin_confirm")
    return pin


def household(connection: Connection, dwelling_id: str) -> list[dict[str, Any]]:
    """Return the profiles of the household now living in the dwelling."""
    rows = connection.execute(
        select(profiles.c.id, profiles.c.display_name, profiles.c.locale)
        .where(profiles.c.dwelling_id == dwelling_id, profiles.c.left_at.is_(None))
        .order_by(profiles.c.created_at)
    ).mappings()
    return [dict(row) for row in rows]


def create_profile(
    connection: Connection,
    code_id: str,
    dwelling_id: str,
    display_name: str,
    locale: str,
    pin: str,
    pin_confirm: str,
) -> str:
    """Create a household member's profile with the dwelling's live code; return its id.

    Every field is checked before any is refused, so the form comes back once."""
    checks = FieldChecks()
    display_name = checks.check(lambda: _clean_name(display_name))
    if locale not in LOCALES:
        checks.refuse(
            DomainError("locale_unknown", N_("Choose one of the languages shown."), "locale")
        )
    pin = checks.check(lambda: _clean_pin(pin, pin_confirm))
    checks.done()
    members = household(connection, dwelling_id)
    if len(members) >= MAX_PROFILES_PER_DWELLING:
        raise DomainError(
            "household_full",
            N_("This home already has %(count)d people. Ask your caretaker for help."),
            count=MAX_PROFILES_PER_DWELLING,
        )
    if any(m["display_name"].lower() == display_name.lower() for m in members):
        raise DomainError(
            "name_taken",
            N_("Someone in your home already uses this name. Add a letter or a number."),
            "display_name",
        )
    profile_id = new_id()
    connection.execute(
        profiles.insert().values(
            id=profile_id,
            dwelling_id=dwelling_id,
            display_name=display_name,
            locale=locale,
            pin_hash=hash_secret(pin),
            created_at=utcnow(),
        )
    )
    access_codes.mark_activated(connection, code_id)
    return profile_id


def check_pin(connection: Connection, dwelling_id: str, profile_id: str, pin: str) -> bool:
    """Tell whether the PIN is right for this member of this household."""
    row = connection.execute(
        select(profiles.c.pin_hash).where(
            profiles.c.id == profile_id,
            profiles.c.dwelling_id == dwelling_id,
            profiles.c.left_at.is_(None),
        )
    ).first()
    return row is not None and check_secret(row.pin_hash, (pin or "").strip())


_SIGNED_IN_PROFILE = (
    select(
        profiles.c.id,
        profiles.c.dwelling_id,
        profiles.c.display_name,
        profiles.c.locale,
        profiles.c.text_size,
        profiles.c.charter_accepted_at,
        profiles.c.suspended_until,
        profiles.c.contact,
        profiles.c.accepts_calls,
        dwellings.c.building_id,
        dwellings.c.reference.label("dwelling_reference"),
        buildings.c.residence_id,
        buildings.c.name.label("building_name"),
    )
    .join(dwellings, dwellings.c.id == profiles.c.dwelling_id)
    .join(buildings, buildings.c.id == dwellings.c.building_id)
    .where(profiles.c.id == bindparam("profile_id"), profiles.c.left_at.is_(None))
)


def get_profile(connection: Connection, profile_id: str) -> dict[str, Any] | None:
    """Return a signed-in tenant's profile with dwelling and building, or None if gone."""
    row = connection.execute(_SIGNED_IN_PROFILE, {"profile_id": profile_id}).mappings().first()
    return dict(row) if row else None


def set_preferences(
    connection: Connection, profile_id: str, locale: str | None = None, text_size: int | None = None
) -> None:
    """Remember a tenant's language and text size."""
    values: dict[str, Any] = {}
    if locale is not None:
        if locale not in LOCALES:
            raise DomainError("locale_unknown", N_("Choose one of the languages shown."), "locale")
        values["locale"] = locale
    if text_size is not None:
        if text_size not in TEXT_SIZES:
            raise DomainError(
                "text_size_unknown", N_("Choose one of the text sizes shown."), "text_size"
            )
        values["text_size"] = text_size
    if values:
        connection.execute(update(profiles).where(profiles.c.id == profile_id).values(**values))


MAX_CONTACT = 200


def set_contact(connection: Connection, profile_id: str, contact: str) -> str | None:
    """Set what the person chooses to show in their messages (empty: nothing); return it."""
    contact = typed_text.plain(contact, "contact", one_line=True)
    if len(contact) > MAX_CONTACT:
        raise DomainError(
            "contact_long",
            N_("The text is too long (%(count)d characters at most)."),
            "contact",
            count=MAX_CONTACT,
        )
    connection.execute(
        update(profiles).where(profiles.c.id == profile_id).values(contact=contact or None)
    )
    return contact or None


def move_out(connection: Connection, dwelling_id: str, actor_staff_id: str) -> int:
    """A household left: its code stops working and its profiles can no longer sign in.

    Returns how many profiles were retired; the staff member's action is audited.
    """
    reference = connection.execute(
        select(dwellings.c.reference).where(dwellings.c.id == dwelling_id)
    ).scalar_one()
    access_codes.revoke(connection, dwelling_id)
    retired = connection.execute(
        update(profiles)
        .where(profiles.c.dwelling_id == dwelling_id, profiles.c.left_at.is_(None))
        .values(left_at=utcnow())
    ).rowcount
    audit.record(
        connection, actor_staff_id, "household.move_out", f"dwelling:{reference}", profiles=retired
    )
    return retired


def create_staff(
    connection: Connection,
    username: str,
    display_name: str,
    password: str,
    role: str,
    building_ids: list[str],
    publisher_id: str | None = None,
    locale: str = "fr",
) -> str:
    """Create a staff account attached to some buildings; return its id."""
    username = typed_text.plain(username, "username", one_line=True).lower()
    if not username or len(username) > 60 or " " in username:
        raise DomainError(
            "username_format",
            N_("Give a username of 1 to 60 characters, without spaces."),
            "username",
        )
    if role not in roles.STAFF_ROLES:
        raise DomainError("role_unknown", N_("Choose one of the roles shown."), "role")
    if len(password or "") < 10:
        raise DomainError(
            "password_short", N_("The password needs at least 10 characters."), "password"
        )
    if connection.execute(select(staff.c.id).where(staff.c.username == username)).first():
        raise DomainError("username_taken", N_("This username is already used."), "username")
    staff_id = new_id()
    connection.execute(
        staff.insert().values(
            id=staff_id,
            username=username,
            display_name=typed_text.plain(display_name, "display_name", one_line=True) or username,
            password_hash=hash_secret(password),
            role=role,
            publisher_id=publisher_id,
            locale=locale,
            created_at=utcnow(),
        )
    )
    set_staff_buildings(connection, staff_id, building_ids)
    return staff_id


def set_staff_buildings(connection: Connection, staff_id: str, building_ids: list[str]) -> None:
    """Replace the buildings a staff member looks after."""
    connection.execute(delete(staff_buildings).where(staff_buildings.c.staff_id == staff_id))
    for building_id in dict.fromkeys(building_ids):
        connection.execute(
            staff_buildings.insert().values(staff_id=staff_id, building_id=building_id)
        )


def authenticate_staff(connection: Connection, username: str, password: str) -> str | None:
    """Return the staff id when username and password match an active account.

    An unknown username costs a password check too: how long the answer takes must not
    tell which usernames exist.
    """
    row = connection.execute(
        select(staff.c.id, staff.c.password_hash).where(
            staff.c.username == (username or "").strip().lower(), staff.c.disabled_at.is_(None)
        )
    ).first()
    if row is None:
        check_secret(_nobody_s_hash(), password or "")
        return None
    if not check_secret(row.password_hash, password or ""):
        return None
    return row.id


@cache
def _nobody_s_hash() -> str:
    return hash_secret(secrets.token_urlsafe(16))


def get_staff(connection: Connection, staff_id: str) -> dict[str, Any] | None:
    """Return an active staff member with the ids of the buildings they may see."""
    row = (
        connection.execute(
            select(staff).where(staff.c.id == staff_id, staff.c.disabled_at.is_(None))
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    member = dict(row)
    member.pop("password_hash")
    if roles.sees_every_building(member["role"]):
        member["building_ids"] = list(
            connection.execute(select(buildings.c.id).order_by(buildings.c.name)).scalars()
        )
    else:
        member["building_ids"] = list(
            connection.execute(
                select(staff_buildings.c.building_id)
                .join(buildings, buildings.c.id == staff_buildings.c.building_id)
                .where(staff_buildings.c.staff_id == staff_id)
                .order_by(buildings.c.name)
            ).scalars()
        )
    return member


def require_building(member: dict[str, Any], building_id: str) -> None:
    """Refuse a staff member acting on a building that is not theirs."""
    if building_id not in member["building_ids"]:
        raise NotFound("building_not_found", N_("This building does not exist."))


def set_staff_locale(connection: Connection, staff_id: str, locale: str) -> None:
    """Remember a staff member's language."""
    if locale not in LOCALES:
        raise DomainError("locale_unknown", N_("Choose one of the languages shown."), "locale")
    connection.execute(update(staff).where(staff.c.id == staff_id).values(locale=locale))
