"""The demo estate's community life: neighbours' posts on the board, with their answers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, update

from appliance.demo import content
from appliance.domain import charter, noticeboard, people
from appliance.domain.clock import utcnow
from appliance.storage.schema import post_comments, posts

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
