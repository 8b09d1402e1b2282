"""News and works notices written by staff for the buildings they look after.

They may carry a picture, so they are sent as multipart forms like a tenant's report.
Each reaches one of the staff member's buildings, or the residence, district or city
around it. Staff see, change and take down the news and works of their own publisher,
as the pages let them; ``publication_routes`` serves them.
"""

from __future__ import annotations

from flask import g

from core.domain import news, news_listing, roles, staff_buildings, works
from webui.api.publication_routes import (
    Publication,
    authored,
    my_buildings,
    of_my_publisher,
    pictured,
    placed,
    register,
    written,
)
from webui.api.publication_shapes import (
    NewNews,
    NewsChange,
    NewsItem,
    NewWorks,
    PublishedNews,
    PublishedNewsList,
    PublishedWorks,
    PublishedWorksList,
    WorksChange,
)
from webui.database import db

register(
    Publication(
        path="news",
        item_id="news_id",
        permission=roles.PUBLISH_NEWS,
        tag="staff",
        kind=news.PUBLICATION,
        new=NewNews,
        change=NewsChange,
        answer=PublishedNews,
        answers=PublishedNewsList,
        # Published, it is answered as tenants see it.
        created=NewsItem,
        mine=lambda: of_my_publisher(news_listing.of_publisher, my_buildings()),
        one=lambda news_id: staff_buildings.news_item(db(), g.staff, news_id)[1],
        fields=lambda form, item: (
            authored(item)
            | written(form, item, "title", "body", "expires_at")
            | placed(form, item)
            | pictured(form, item)
        ),
        about={
            "my": "My publisher's news shown now or later.\n\n"
            "Newest first; none when my account publishes for no one.",
            "publish": "Publish news.\n\n"
            "With an optional picture, for one of my buildings or around it.",
            "change": "Change my publisher's news.\n\n"
            "Only what was sent changes; the rest stays as it is.",
            "take_down": "Take my publisher's news down wherever it is shown.",
        },
    )
)

register(
    Publication(
        path="works",
        item_id="notice_id",
        permission=roles.ANNOUNCE_WORKS,
        tag="staff",
        kind=works.PUBLICATION,
        new=NewWorks,
        change=WorksChange,
        answer=PublishedWorks,
        answers=PublishedWorksList,
        mine=lambda: of_my_publisher(works.of_publisher, my_buildings()),
        one=lambda notice_id: staff_buildings.works_notice(db(), g.staff, notice_id)[1],
        fields=lambda form, item: (
            authored(item)
            | written(form, item, "title", "location", "starts_on", "ends_on", "tenant_action")
            | placed(form, item)
            | pictured(form, item)
        ),
        about={
            "my": "My publisher's works under way or to come.\n\n"
            "Soonest first; none when my account publishes for no one.",
            "publish": "Announce works.\n\n"
            "With an optional picture, for one of my buildings or around it.",
            "change": "Change my publisher's works notice.\n\n"
            "Only what was sent changes; the rest stays as it is.",
            "take_down": "Take my publisher's works notice down wherever it is shown.",
        },
    )
)
