"""A room: its seats, who sits in them, and whose streams each place carries.

A person takes the first free seat when they enter and keeps it until they leave. The
places a person sees are the other seats in order, so that every place carries the same
person for as long as both stay: entering and leaving only start and stop the
forwarding between the newcomer and the others.
"""

from __future__ import annotations

import asyncio

from appliance.services.rooms.forwarding import AUDIO, VIDEO
from appliance.services.rooms.participant import Participant


class RoomFull(Exception):
    """Every seat of the room is taken."""


class Room:
    """The people in one video room now."""

    def __init__(self, room_id: str, seats: int) -> None:
        self.id = room_id
        self.seats = seats
        self.participants: dict[int, Participant] = {}
        # Two people alone together are put in touch directly (see hall.py): who, and
        # the number of that pairing, so that a page tells an old pairing's words apart.
        self.pair: tuple[Participant, Participant] | None = None
        self.pair_number = 0
        # An event's room: when everyone is sent out (seconds since 1970), and the timer.
        self.ends_at = 0
        self.ending: asyncio.TimerHandle | None = None

    def free_seat(self) -> int:
        """The first seat nobody holds; RoomFull when there is none."""
        for seat in range(self.seats):
            if seat not in self.participants:
                return seat
        raise RoomFull(self.id)

    def sit(self, participant: Participant) -> None:
        self.participants[participant.seat] = participant

    def connect(self, newcomer: Participant) -> None:
        """Start forwarding between someone whose media now flows and everyone else's."""
        for other in self.connected_others(newcomer):
            for kind in (AUDIO, VIDEO):
                other.incoming[kind].source.attach(newcomer.place_of(other)[kind])
                newcomer.incoming[kind].source.attach(other.place_of(newcomer)[kind])

    def leave(self, participant: Participant) -> None:
        """Stop every forwarding to and from someone who goes."""
        if self.participants.get(participant.seat) is not participant:
            return
        del self.participants[participant.seat]
        for other in self.participants.values():
            for kind in (AUDIO, VIDEO):
                participant.incoming[kind].source.detach(other.place_of(participant)[kind])
                other.incoming[kind].source.detach(participant.place_of(other)[kind])

    def wanted_pair(self) -> tuple[Participant, Participant] | None:
        """The two people to put in touch directly: the only two whose media flows."""
        connected = sorted(
            (p for p in self.participants.values() if p.connected.is_set()),
            key=lambda participant: participant.seat,
        )
        return (connected[0], connected[1]) if len(connected) == 2 else None

    def partner_of(self, participant: Participant) -> Participant | None:
        if self.pair is None or participant not in self.pair:
            return None
        return self.pair[1] if self.pair[0] is participant else self.pair[0]

    def connected_others(self, participant: Participant) -> list[Participant]:
        return [
            other
            for other in self.participants.values()
            if other is not participant and other.connected.is_set()
        ]

    def empty(self) -> bool:
        return not self.participants
