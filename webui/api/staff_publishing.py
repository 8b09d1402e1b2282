"""News and works notices written by staff for the buildings they look after.

News and works notices may carry a picture, so they are sent as multipart forms like a
tenant's report. Each reaches one of the staff member's buildings, or the residence,
district or city around it. Staff change or take down the news and works of their own
publisher, as the pages let them.
"""

from __future__ import annotations

from typing import Any

from flask import g

from core.domain import news, news_listing, roles, staff_buildings, works
from core.domain.errors import N_, DomainError
from webui.api import blueprint
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
from webui.api.spec import Response, spec
from webui.api.uploads import picture
from webui.auth import staff_required
from webui.database import db


def scope_around(scope: str, building: dict[str, Any]) -> str:
    """Return what a scope around one of my buildings points at (empty when unknown)."""
    return {
        "building": building["id"],
        "residence": building["residence_id"],
        "district": building["district"],
        "city": building["city"],
    }.get(scope, "")


def my_publisher() -> dict[str, Any]:
    """Return the publisher my account writes for, or refuse when it writes for none."""
    publisher = news.publisher_for(db(), g.staff)
    if publisher is None:
        raise DomainError(
            "publisher_missing",
            N_("Your account does not publish for anyone yet. Ask the operator."),
        )
    return publisher


def _scope_changed(form: NewsChange | WorksChange, item: dict[str, Any]) -> tuple[str, str]:
    """Return the item's scope, moved when the form sends a scope or a building."""
    if not {"scope", "building_id"} & form.model_fields_set:
        return item["scope_kind"], item["scope_ref"]
    return form.scope, scope_around(
        form.scope, staff_buildings.building(db(), g.staff, form.building_id)
    )


def _kept_or_removed_photo(form: NewsChange | WorksChange, item: dict[str, Any]) -> str | None:
    """Return the item's picture: a new one, none when removed, else the one it had."""
    kept = None if form.remove_photo == "true" else item["photo_id"]
    return picture() or kept


@blueprint.get("/staff/news")
@staff_required(roles.PUBLISH_NEWS)
@spec.validate(resp=Response(HTTP_200=PublishedNewsList), tags=["staff"])
def my_news():
    """My publisher's news shown now or later.

    Newest first; none when my account publishes for no one.
    """
    publisher = news.publisher_for(db(), g.staff)
    items = (
        news_listing.of_publisher(db(), publisher["id"], staff_buildings.buildings(db(), g.staff))
        if publisher
        else []
    )
    return PublishedNewsList(news=[PublishedNews.of(item) for item in items])


@blueprint.post("/staff/news")
@staff_required(roles.PUBLISH_NEWS)
@spec.validate(resp=Response(HTTP_201=NewsItem, HTTP_404=None), tags=["staff"])
def publish_news(form: NewNews):
    """Publish news.

    With an optional picture, for one of my buildings or around it.
    """
    publisher = my_publisher()
    building = staff_buildings.building(db(), g.staff, form.building_id)
    news_id = news.publish(
        db(),
        publisher["id"],
        form.title,
        form.body,
        form.scope,
        scope_around(form.scope, building),
        expires_at=form.expires_at,
        photo_id=picture(),
        author_staff_id=g.staff["id"],
    )
    return NewsItem.of(news.get_for_building(db(), building, news_id)), 201


@blueprint.patch("/staff/news/<news_id>")
@staff_required(roles.PUBLISH_NEWS)
@spec.validate(resp=Response(HTTP_200=PublishedNews), tags=["staff"])
def change_news(news_id: str, form: NewsChange):
    """Change my publisher's news.

    Only what was sent changes; the rest stays as it is.
    """
    publisher, item = staff_buildings.news_item(db(), g.staff, news_id)
    scope_kind, scope_ref = _scope_changed(form, item)
    sent = form.model_fields_set
    news.edit(
        db(),
        item["id"],
        g.staff["id"],
        item["title"] if form.title is None else form.title,
        item["body"] if form.body is None else form.body,
        scope_kind,
        scope_ref,
        expires_at=form.expires_at if "expires_at" in sent else item["expires_at"],
        photo_id=_kept_or_removed_photo(form, item),
    )
    return PublishedNews.of(
        news_listing.one_of_publisher(
            db(), publisher["id"], staff_buildings.buildings(db(), g.staff), news_id
        )
    )


@blueprint.delete("/staff/news/<news_id>")
@staff_required(roles.PUBLISH_NEWS)
@spec.validate(resp=Response(HTTP_204=None), tags=["staff"])
def take_down_news(news_id: str):
    """Take my publisher's news down wherever it is shown."""
    _publisher, item = staff_buildings.news_item(db(), g.staff, news_id)
    news.withdraw(db(), item["id"], g.staff["id"])
    return "", 204


@blueprint.get("/staff/works")
@staff_required(roles.ANNOUNCE_WORKS)
@spec.validate(resp=Response(HTTP_200=PublishedWorksList), tags=["staff"])
def my_works():
    """My publisher's works under way or to come.

    Soonest first; none when my account publishes for no one.
    """
    publisher = news.publisher_for(db(), g.staff)
    notices = (
        works.of_publisher(db(), publisher["id"], staff_buildings.buildings(db(), g.staff))
        if publisher
        else []
    )
    return PublishedWorksList(works=[PublishedWorks.of(notice) for notice in notices])


@blueprint.post("/staff/works")
@staff_required(roles.ANNOUNCE_WORKS)
@spec.validate(resp=Response(HTTP_201=PublishedWorks, HTTP_404=None), tags=["staff"])
def announce_works(form: NewWorks):
    """Announce works.

    With an optional picture, for one of my buildings or around it.
    """
    publisher = my_publisher()
    building = staff_buildings.building(db(), g.staff, form.building_id)
    notice_id = works.announce(
        db(),
        form.scope,
        scope_around(form.scope, building),
        form.title,
        form.location,
        form.starts_on,
        form.ends_on,
        form.tenant_action,
        publisher_id=publisher["id"],
        photo_id=picture(),
        author_staff_id=g.staff["id"],
    )
    notice = works.one_of_publisher(
        db(), publisher["id"], staff_buildings.buildings(db(), g.staff), notice_id
    )
    return PublishedWorks.of(notice), 201


@blueprint.patch("/staff/works/<notice_id>")
@staff_required(roles.ANNOUNCE_WORKS)
@spec.validate(resp=Response(HTTP_200=PublishedWorks), tags=["staff"])
def change_works(notice_id: str, form: WorksChange):
    """Change my publisher's works notice.

    Only what was sent changes; the rest stays as it is.
    """
    publisher, item = staff_buildings.works_notice(db(), g.staff, notice_id)
    scope_kind, scope_ref = _scope_changed(form, item)
    works.edit(
        db(),
        item["id"],
        g.staff["id"],
        scope_kind,
        scope_ref,
        item["title"] if form.title is None else form.title,
        item["location"] if form.location is None else form.location,
        item["starts_on"] if form.starts_on is None else form.starts_on,
        item["ends_on"] if form.ends_on is None else form.ends_on,
        item["tenant_action"] if form.tenant_action is None else form.tenant_action,
        photo_id=_kept_or_removed_photo(form, item),
    )
    return PublishedWorks.of(
        works.one_of_publisher(
            db(), publisher["id"], staff_buildings.buildings(db(), g.staff), notice_id
        )
    )


@blueprint.delete("/staff/works/<notice_id>")
@staff_required(roles.ANNOUNCE_WORKS)
@spec.validate(resp=Response(HTTP_204=None), tags=["staff"])
def take_down_works(notice_id: str):
    """Take my publisher's works notice down wherever it is shown."""
    _publisher, notice = staff_buildings.works_notice(db(), g.staff, notice_id)
    works.withdraw(db(), notice["id"], g.staff["id"])
    return "", 204
