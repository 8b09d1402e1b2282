"""Video calls between two households: who takes them, ringing, answering.

A tenant says in their profile whether neighbours may call them by video (no, until
they say yes). A neighbour of the same building may then call them — unless one has
blocked the other, or a caretaker has suspended the caller. The call rings for a minute;
only the person called may accept or decline it. Once accepted, it is a video room of
two (``call-<id>``), which only those two may enter. What is said and shown is never
kept: the row says who called whom and when, and whether it was answered.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, or_, select, update
from sqlalchemy.orm import aliased

from core.domain import charter
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, Forbidden, NotFound
from core.storage.schema import blocks, calls, dwellings, profiles

RINGING = "ringing"
ACCEPTED = "accepted"
DECLINED = "declined"
RING_FOR = timedelta(seconds=60)
ROOM_PREFIX = "call-"


def room_of(call_id: str) -> str:
    """The video room of a call."""
    return f"{ROOM_PREFIX}{call_id}"


def set_accepts_calls(connection: Connection, profile_id: str, accepts: bool) -> None:
    """Say whether neighbours may call this person by video."""
    connection.execute(
        update(profiles).where(profiles.c.id == profile_id).values(accepts_calls=accepts)
    )


def _blocked_either_way(one: Any, other: Any) -> Any:
    return (
        select(blocks.c.created_at)
        .where(
            or_(
                and_(blocks.c.blocker_profile_id == one, blocks.c.blocked_profile_id == other),
                and_(blocks.c.blocker_profile_id == other, blocks.c.blocked_profile_id == one),
            )
        )
        .exists()
    )


def callable_neighbours(connection: Connection, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """The neighbours of my building who take calls and whom I may call, by name."""
    rows = connection.execute(
        select(profiles.c.id, profiles.c.display_name)
        .join(dwellings, dwellings.c.id == profiles.c.dwelling_id)
        .where(
            dwellings.c.building_id == profile["building_id"],
            profiles.c.accepts_calls.is_(True),
            profiles.c.left_at.is_(None),
            profiles.c.erased_at.is_(None),
            profiles.c.dwelling_id != profile["dwelling_id"],
            ~_blocked_either_way(profiles.c.id, profile["id"]),
        )
        .order_by(profiles.c.display_name)
    ).mappings()
    return [dict(row) for row in rows]


def ring(connection: Connection, caller: dict[str, Any], callee_id: str) -> dict[str, Any]:
    """Start ringing a neighbour; refused when they do not take calls from me."""
    charter.may_write(connection, caller)
    if not any(n["id"] == callee_id for n in callable_neighbours(connection, caller)):
        raise Forbidden("not_callable", N_("This neighbour does not take video calls from you."))
    call = {
        "id": new_id(),
        "caller_profile_id": caller["id"],
        "callee_profile_id": callee_id,
        "state": RINGING,
        "created_at": utcnow(),
    }
    connection.execute(calls.insert().values(**call))
    return call


def _ringing(now: datetime) -> Any:
    return and_(calls.c.state == RINGING, calls.c.created_at > now - RING_FOR)


def is_ringing(call: dict[str, Any], now: datetime | None = None) -> bool:
    """Whether the call still rings (the row's own words for what ``_ringing`` asks)."""
    return call["state"] == RINGING and call["created_at"] > (now or utcnow()) - RING_FOR


# Built once: aliasing the profiles table anew for every page view cost more than the
# rest of a kept home page.
_CALLER = aliased(profiles)
_RINGING_FOR = (
    select(calls.c.id, calls.c.created_at, _CALLER.c.display_name.label("caller_name"))
    .join(_CALLER, _CALLER.c.id == calls.c.caller_profile_id)
    .where(
        calls.c.callee_profile_id == bindparam("profile_id"),
        calls.c.state == RINGING,
        calls.c.created_at > bindparam("since"),
    )
    .order_by(calls.c.created_at.desc())
)


def ringing_for(
    connection: Connection, profile_id: str, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The calls ringing for me now, newest first, with the caller's name."""
    since = (now or utcnow()) - RING_FOR
    rows = connection.execute(_RINGING_FOR, {"profile_id": profile_id, "since": since})
    return [dict(row) for row in rows.mappings()]


def get(connection: Connection, profile: dict[str, Any], call_id: str) -> dict[str, Any]:
    """A call I am part of, with the other person's name; NotFound otherwise."""
    caller, callee = aliased(profiles), aliased(profiles)
    row = (
        connection.execute(
            select(
                calls,
                caller.c.display_name.label("caller_name"),
                callee.c.display_name.label("callee_name"),
            )
            .join(caller, caller.c.id == calls.c.caller_profile_id)
            .join(callee, callee.c.id == calls.c.callee_profile_id)
            .where(
                calls.c.id == call_id,
                or_(
                    calls.c.caller_profile_id == profile["id"],
                    calls.c.callee_profile_id == profile["id"],
                ),
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("call_unknown", N_("This call does not exist."))
    call = dict(row)
    mine = call["caller_profile_id"] == profile["id"]
    call["other_name"] = call["callee_name"] if mine else call["caller_name"]
    call["i_called"] = mine
    return call


def answer(
    connection: Connection, profile: dict[str, Any], call_id: str, accept: bool
) -> dict[str, Any]:
    """Accept or decline a call ringing for me."""
    call = get(connection, profile, call_id)
    if call["callee_profile_id"] != profile["id"]:
        raise Forbidden("not_yours", N_("Only the person called can answer."))
    if accept:
        charter.may_write(connection, profile)
    done = connection.execute(
        update(calls)
        .where(calls.c.id == call_id, _ringing(utcnow()))
        .values(state=ACCEPTED if accept else DECLINED, answered_at=utcnow())
    )
    if done.rowcount != 1:
        raise DomainError("call_over", N_("This call is over: it rang for too long or ended."))
    return get(connection, profile, call_id)


def may_enter(connection: Connection, profile: dict[str, Any], call_id: str) -> dict[str, Any]:
    """The call, when I may be in its room now: the caller while it rings or once it is
    accepted, the person called once they accepted."""
    call = get(connection, profile, call_id)
    if call["state"] == ACCEPTED or (call["i_called"] and is_ringing(call)):
        return call
    raise Forbidden("call_over", N_("This call is over: it rang for too long or ended."))


def forget(connection: Connection, profile_id: str) -> None:
    """Forget every call made or received by someone whose profile is erased."""
    connection.execute(
        delete(calls).where(
            or_(calls.c.caller_profile_id == profile_id, calls.c.callee_profile_id == profile_id)
        )
    )
