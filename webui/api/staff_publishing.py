"""News and works notices written by staff for the buildings they look after.

News and works notices may carry a picture, so they are sent as multipart forms like a
tenant's report. Each reaches one of the staff member's buildings, or the residence,
district or city around it. Staff change or take down the news and works of their own
publisher, as the pages let them.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from appliance.domain import news, news_listing, roles, works
from appliance.domain.errors import N_, DomainError
from webui.api import blueprint, serialise
from webui.api.body import optional_instant, picture, require_multipart, required_date, text
from webui.auth import staff_required
from webui.database import db
from webui.staff.news_changes import my_item
from webui.staff.publishing import publisher_for
from webui.staff.reach import my_building, my_buildings
from webui.staff.works_changes import my_notice


def scope_around(scope: str, building: dict[str, Any]) -> str:
    """Return what a scope around one of my buildings points at (empty when unknown)."""
    return {
        "building": building["id"],
        "residence": building["residence_id"],
        "district": building["district"],
        "city": building["city"],
    }.get(scope, "")


def _published(item: dict[str, Any]) -> dict[str, Any]:
    """Return news as its publisher sees it: as tenants do, and where it is shown."""
    return {**serialise.news_item(item), "scope_name": item["scope_name"]}


@blueprint.get("/staff/news")
@staff_required(roles.PUBLISH_NEWS)
def my_news():
    """My publisher's news shown now or later, newest first."""
    publisher = publisher_for(g.staff)
    items = news_listing.of_publisher(db(), publisher["id"], my_buildings()) if publisher else []
    return jsonify(news=[_published(item) for item in items])


@blueprint.post("/staff/news")
@staff_required(roles.PUBLISH_NEWS)
def publish_news():
    """Publish news, with an optional picture, for one of my buildings or around it."""
    require_multipart()
    form = request.form
    publisher = my_publisher()
    scope = text(form, "scope")
    expires_at = optional_instant(form, "expires_at")
    building = my_building(text(form, "building_id"))
    news_id = news.publish(
        db(),
        publisher["id"],
        text(form, "title"),
        text(form, "body"),
        scope,
        scope_around(scope, building),
        expires_at=expires_at,
        photo_id=picture(),
        author_staff_id=g.staff["id"],
    )
    item = news.get_for_building(db(), building, news_id)
    return jsonify(serialise.news_item(item)), 201


@blueprint.patch("/staff/news/<news_id>")
@staff_required(roles.PUBLISH_NEWS)
def change_news(news_id: str):
    """Change what was sent of my publisher's news; the rest stays as it is."""
    require_multipart()
    publisher, item = my_item(news_id)
    form = request.form
    scope_kind, scope_ref = item["scope_kind"], item["scope_ref"]
    if "scope" in form or "building_id" in form:
        scope_kind = text(form, "scope")
        scope_ref = scope_around(scope_kind, my_building(text(form, "building_id")))
    expires_at = item["expires_at"]
    if "expires_at" in form:
        expires_at = optional_instant(form, "expires_at")
    photo_id = None if text(form, "remove_photo") == "true" else item["photo_id"]
    news.edit(
        db(),
        item["id"],
        g.staff["id"],
        text(form, "title") if "title" in form else item["title"],
        text(form, "body") if "body" in form else item["body"],
        scope_kind,
        scope_ref,
        expires_at=expires_at,
        photo_id=picture() or photo_id,
    )
    return jsonify(
        _published(news_listing.one_of_publisher(db(), publisher["id"], my_buildings(), news_id))
    )


@blueprint.delete("/staff/news/<news_id>")
@staff_required(roles.PUBLISH_NEWS)
def take_down_news(news_id: str):
    """Take my publisher's news down wherever it is shown."""
    _publisher, item = my_item(news_id)
    news.withdraw(db(), item["id"], g.staff["id"])
    return "", 204


def _published_works(notice: dict[str, Any]) -> dict[str, Any]:
    """Return a works notice as its publisher sees it: as tenants do, and where it is shown."""
    return {**serialise.works_notice(notice), "scope_name": notice["scope_name"]}


def my_publisher() -> dict[str, Any]:
    publisher = publisher_for(g.staff)
    if publisher is None:
        raise DomainError(
            "publisher_missing",
            N_("Your account does not publish for anyone yet. Ask the operator."),
        )
    return publisher


@blueprint.get("/staff/works")
@staff_required(roles.ANNOUNCE_WORKS)
def my_works():
    """My publisher's works under way or to come, soonest first."""
    publisher = publisher_for(g.staff)
    notices = works.of_publisher(db(), publisher["id"], my_buildings()) if publisher else []
    return jsonify(works=[_published_works(notice) for notice in notices])


@blueprint.post("/staff/works")
@staff_required(roles.ANNOUNCE_WORKS)
def announce_works():
    """Announce works, with an optional picture, for one of my buildings or around it."""
    require_multipart()
    form = request.form
    publisher = my_publisher()
    starts_on = required_date(form, "starts_on")
    ends_on = required_date(form, "ends_on")
    scope = text(form, "scope")
    building = my_building(text(form, "building_id"))
    notice_id = works.announce(
        db(),
        scope,
        scope_around(scope, building),
        text(form, "title"),
        text(form, "location"),
        starts_on,
        ends_on,
        text(form, "tenant_action"),
        publisher_id=publisher["id"],
        photo_id=picture(),
        author_staff_id=g.staff["id"],
    )
    notice = works.one_of_publisher(db(), publisher["id"], my_buildings(), notice_id)
    return jsonify(_published_works(notice)), 201


@blueprint.patch("/staff/works/<notice_id>")
@staff_required(roles.ANNOUNCE_WORKS)
def change_works(notice_id: str):
    """Change what was sent of my publisher's works notice; the rest stays as it is."""
    require_multipart()
    publisher, item = my_notice(notice_id)
    form = request.form
    scope_kind, scope_ref = item["scope_kind"], item["scope_ref"]
    if "scope" in form or "building_id" in form:
        scope_kind = text(form, "scope")
        scope_ref = scope_around(scope_kind, my_building(text(form, "building_id")))
    photo_id = None if text(form, "remove_photo") == "true" else item["photo_id"]
    works.edit(
        db(),
        item["id"],
        g.staff["id"],
        scope_kind,
        scope_ref,
        text(form, "title") if "title" in form else item["title"],
        text(form, "location") if "location" in form else item["location"],
        required_date(form, "starts_on") if "starts_on" in form else item["starts_on"],
        required_date(form, "ends_on") if "ends_on" in form else item["ends_on"],
        text(form, "tenant_action") if "tenant_action" in form else item["tenant_action"],
        photo_id=picture() or photo_id,
    )
    return jsonify(
        _published_works(works.one_of_publisher(db(), publisher["id"], my_buildings(), notice_id))
    )


@blueprint.delete("/staff/works/<notice_id>")
@staff_required(roles.ANNOUNCE_WORKS)
def take_down_works(notice_id: str):
    """Take my publisher's works notice down wherever it is shown."""
    _publisher, notice = my_notice(notice_id)
    works.withdraw(db(), notice["id"], g.staff["id"])
    return "", 204
