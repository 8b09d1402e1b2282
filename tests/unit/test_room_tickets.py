"""Tickets into video rooms: only the web service of the same box can write one."""

from datetime import UTC, datetime

import itsdangerous.timed
import pytest

from core.domain import room_tickets

KEY = "k" * 64
PROFILE = {"id": "p-1", "display_name": "Mme Benali"}


def test_a_ticket_says_who_and_where():
    ticket = room_tickets.issue(KEY, PROFILE, "neighbours-b1")
    assert room_tickets.read(KEY, ticket) == {
        "profile_id": "p-1",
        "name": "Mme Benali",
        "room": "neighbours-b1",
        "until": 0,
    }


def test_an_event_room_ticket_says_until_when():
    ends = datetime(2026, 12, 10, 19, 30)
    ticket = room_tickets.issue(KEY, PROFILE, "event-e1", until=ends)
    assert room_tickets.read(KEY, ticket)["until"] == ends.replace(tzinfo=UTC).timestamp()


def test_a_ticket_of_another_box_is_forged():
    ticket = room_tickets.issue("another box's key", PROFILE, "neighbours-b1")
    with pytest.raises(room_tickets.TicketRefused) as refused:
        room_tickets.read(KEY, ticket)
    assert refused.value.reason == "forged"


@pytest.mark.parametrize(
    "change",
    [
        # Who or where changed, the signature kept.
        lambda ticket: ("A" if ticket[3] != "A" else "B").join((ticket[:3], ticket[4:])),
        lambda ticket: ticket[:-2] + ("AA" if not ticket.endswith("AA") else "BB"),
        lambda ticket: "",
        lambda ticket: "not.a.ticket",
    ],
)
def test_a_changed_ticket_is_forged(change):
    ticket = room_tickets.issue(KEY, PROFILE, "neighbours-b1")
    with pytest.raises(room_tickets.TicketRefused) as refused:
        room_tickets.read(KEY, change(ticket))
    assert refused.value.reason == "forged"


def test_an_old_ticket_has_expired(monkeypatch):
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(
        itsdangerous.timed.time,
        "time",
        lambda: real_time() - room_tickets.TICKET_SECONDS - 5,
    )
    ticket = room_tickets.issue(KEY, PROFILE, "neighbours-b1")
    monkeypatch.undo()
    with pytest.raises(room_tickets.TicketRefused) as refused:
        room_tickets.read(KEY, ticket)
    assert refused.value.reason == "expired"


def test_an_order_is_only_good_on_the_box_that_signed_it_and_for_a_moment(monkeypatch):
    order = room_tickets.order(KEY, "s-1", "neighbours-b1", "remove", "p-2")
    assert room_tickets.read_order(KEY, order) == {
        "by": "s-1",
        "room": "neighbours-b1",
        "action": "remove",
        "profile_id": "p-2",
    }
    with pytest.raises(room_tickets.TicketRefused):
        room_tickets.read_order("another box's key", order)
    # A ticket to enter is not an order, nor the other way round.
    with pytest.raises(room_tickets.TicketRefused):
        room_tickets.read_order(KEY, room_tickets.issue(KEY, PROFILE, "neighbours-b1"))
    with pytest.raises(room_tickets.TicketRefused):
        room_tickets.read(KEY, order)
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(
        itsdangerous.timed.time, "time", lambda: real_time() - room_tickets.ORDER_SECONDS - 5
    )
    old = room_tickets.order(KEY, "s-1", "neighbours-b1", "close")
    monkeypatch.undo()
    with pytest.raises(room_tickets.TicketRefused) as refused:
        room_tickets.read_order(KEY, old)
    assert refused.value.reason == "expired"
