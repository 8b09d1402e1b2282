"""Residents write to each other without showing a number or a flat, and can block."""

import pytest

from core.domain import conversations, moderation, notifications
from core.domain.errors import DomainError, NotFound


def test_a_message_starts_one_conversation_that_both_follow(engine, neighbours):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        first = conversations.write(connection, odette, karim["id"], "Bonjour Karim")
        again = conversations.write(connection, odette, karim["id"], "Vous êtes là ?")
        conversations.reply(connection, karim, first, "Oui, bonjour !")
        karims = conversations.inbox(connection, karim)
        thread = conversations.thread(connection, odette, first)
        told = [n["kind"] for n in notifications.recent(connection, karim["id"])]
    assert first == again
    assert [(c["other_name"], c["unread"]) for c in karims] == [("Odette", False)]
    assert [(m["body"], m["mine"]) for m in thread["messages"]] == [
        ("Bonjour Karim", True),
        ("Vous êtes là ?", True),
        ("Oui, bonjour !", False),
    ]
    assert thread["other"]["contact"] is None
    assert told == ["message", "message"]


def test_someone_outside_the_conversation_cannot_read_it(engine, neighbours):
    with engine.begin() as connection:
        conversation = conversations.write(
            connection, neighbours["Odette"], neighbours["Karim"]["id"], "Secret"
        )
        with pytest.raises(NotFound):
            conversations.thread(connection, neighbours["Samia"], conversation)
        with pytest.raises(NotFound):
            conversations.reply(connection, neighbours["Samia"], conversation, "Et moi ?")


def test_a_blocked_person_can_no_longer_write(engine, neighbours):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        conversation = conversations.write(connection, karim, odette["id"], "Bonsoir")
        conversations.block(connection, odette, karim["id"])
        for attempt in (
            lambda: conversations.reply(connection, karim, conversation, "Encore moi"),
            lambda: conversations.write(connection, karim, odette["id"], "Ouvrez"),
        ):
            with pytest.raises(DomainError) as refused:
                attempt()
            assert refused.value.code == "blocked"
        assert conversations.thread(connection, odette, conversation)["blocked"] is True
        conversations.unblock(connection, odette, karim["id"])
        conversations.reply(connection, karim, conversation, "Pardon pour hier")


def test_a_message_can_be_flagged_by_who_received_it_only(engine, neighbours):
    odette, karim, samia = neighbours["Odette"], neighbours["Karim"], neighbours["Samia"]
    with engine.begin() as connection:
        conversation = conversations.write(connection, karim, odette["id"], "Insulte")
        message_id = conversations.thread(connection, odette, conversation)["messages"][0]["id"]
        with pytest.raises(NotFound):
            moderation.flag(connection, samia, "message", message_id, "rude")
        moderation.flag(connection, odette, "message", message_id, "rude")
