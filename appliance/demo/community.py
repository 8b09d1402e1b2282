"""The demo estate's community life: posts on the board with their answers, offers and
requests of help, events with their first replies, shops' deals and partners' services,
and whom tenants can turn to in each building."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, update

from appliance.demo import content
from core.domain import (
    building_contacts,
    charter,
    deals,
    events,
    first_steps,
    lobby_screens,
    noticeboard,
    partners,
    people,
    roles,
    skills,
)
from core.domain.clock import utcnow
from core.messages import noticeboard as board_messages
from core.storage.schema import post_comments, posts

# The drop-in session starts this long after the demo does: its video room is open at
# once (event_rooms.OPENS_BEFORE) and the session has not started yet, as the calendar
# requires of a new event.
DROP_IN_STARTS_IN = timedelta(minutes=5)

Ids = dict[str, str]


def add_posts(connection: Connection, profile_ids: Ids) -> None:
    """Put the posts of the households given on the board, with their neighbours' answers."""
    for reference in profile_ids:
        charter.accept(connection, profile_ids[reference])
    for reference, category, scope, days_ago, title, body, answers in content.POSTS:
        if reference not in profile_ids:
            continue
        author = people.get_profile(connection, profile_ids[reference])
        post_id = noticeboard.publish(connection, author, category, scope, title, body)
        written = utcnow() - timedelta(days=days_ago, hours=3)
        connection.execute(update(posts).where(posts.c.id == post_id).values(created_at=written))
        # Sent again as it now reads, so the hub and the other boxes date it the same.
        board_messages.post_published(connection, post_id)
        for position, (neighbour, text) in enumerate(answers):
            if neighbour in profile_ids:
                comment_id = noticeboard.comment(
                    connection,
                    people.get_profile(connection, profile_ids[neighbour]),
                    post_id,
                    text,
                )
                connection.execute(
                    update(post_comments)
                    .where(post_comments.c.id == comment_id)
                    .values(created_at=written + timedelta(hours=position + 1))
                )
                board_messages.post_commented(connection, comment_id)


def add_skills(connection: Connection, profile_ids: Ids) -> None:
    """Publish the offers and requests of help of the households given."""
    for reference, kind, category, title, text in content.SKILLS:
        if reference in profile_ids:
            author = people.get_profile(connection, profile_ids[reference])
            skills.add(connection, author, kind, category, title, text)


def add_events(connection: Connection, profile_ids: Ids) -> None:
    """Put the events organised by the households given in the calendar; every other
    household given says it comes."""
    today = utcnow().replace(minute=0, second=0, microsecond=0)
    for reference, scope, in_days, hour, hours, title, place, text, places in content.EVENTS:
        if reference not in profile_ids:
            continue
        organiser = people.get_profile(connection, profile_ids[reference])
        starts = today.replace(hour=hour) + timedelta(days=in_days)
        event_id = events.organise(
            connection,
            organiser,
            events.building_of(organiser),
            scope,
            title,
            text,
            place,
            starts,
            starts + timedelta(hours=hours),
            places,
        )
        for neighbour in list(profile_ids)[:3]:
            if neighbour != reference:
                guest = people.get_profile(connection, profile_ids[neighbour])
                events.reply(connection, guest, event_id, 2)


def add_sessions(connection: Connection, staff_ids: Ids, profile_ids: Ids) -> None:
    """Put the mediators' first-steps sessions in the calendar of each of their buildings
    here; the first household given of the building says it comes."""
    now = utcnow().replace(second=0, microsecond=0)
    guests = [people.get_profile(connection, profile_id) for profile_id in profile_ids.values()]
    for (
        username,
        scope,
        in_days,
        hour,
        hours,
        title,
        place,
        text,
        places,
        by_video,
    ) in content.SESSIONS:
        if username not in staff_ids:
            continue
        member = people.get_staff(connection, staff_ids[username])
        for building_id in member["building_ids"]:
            if hour is None:
                starts = now + DROP_IN_STARTS_IN
            else:
                starts = now.replace(hour=hour, minute=0) + timedelta(days=in_days)
            event_id = first_steps.organise(
                connection,
                member,
                building_id,
                scope,
                title,
                text,
                place,
                starts,
                starts + timedelta(hours=hours),
                places,
                video_room=by_video,
            )
            guest = next((g for g in guests if g["building_id"] == building_id), None)
            if guest is not None:
                events.reply(connection, guest, event_id, 1)


def add_deals_and_services(
    connection: Connection, residence_id: str, publisher_ids: Ids, today: date
) -> None:
    """Publish the shops' deals for the residence and list the partners' services."""
    for shop, title, text, starts_in, lasts in content.DEALS:
        deals.publish(
            connection,
            publisher_ids[shop],
            title,
            text,
            today + timedelta(days=starts_in),
            today + timedelta(days=starts_in + lasts),
            [residence_id],
        )
    for name, category, text, address, phone, hours, scope_kind in content.PARTNERS:
        partners.add(
            connection,
            None,
            name=name,
            category=category,
            description=text,
            address=address,
            phone=phone,
            opening_hours=hours,
            scope_kind=scope_kind,
            scope_ref=content.RESIDENCE[scope_kind],
        )


def add_contacts(connection: Connection, staff_ids: Ids, building_ids: Ids) -> None:
    """Show each building's caretaker and digital mediator, as they wrote their cards."""
    for username, key, role, place, hours, phone in content.CONTACTS:
        if username in staff_ids and key in building_ids:
            member = people.get_staff(connection, staff_ids[username])
            name = member["display_name"]
            fields = {"name": name, "place": place, "hours": hours, "phone": phone}
            building_contacts.keep(connection, member, building_ids[key], role, fields)


def add_lobby_screens(connection: Connection, staff_ids: Ids, building_ids: Ids) -> list[str]:
    """Give each building's entrance hall a screen, made by its caretaker; return each
    screen's address (its path, key included), as the caretaker would open it."""
    members = [people.get_staff(connection, staff_id) for staff_id in staff_ids.values()]
    caretakers = [member for member in members if member["role"] == roles.CARETAKER]
    paths = []
    for building_id in building_ids.values():
        for caretaker in caretakers:
            if building_id in caretaker["building_ids"]:
                _, key = lobby_screens.create(connection, caretaker, building_id, content.LOBBY)
                paths.append(f"/lobby/{building_id}/{key}")
                break
    return paths
