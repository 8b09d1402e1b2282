"""What is new for the tenant's building: news from every publisher, and works notices."""

from __future__ import annotations

from flask import jsonify

from appliance.domain import news, works
from webui.api import blueprint, serialise
from webui.auth import tenant_required
from webui.database import db
from webui.portal.home import building_of_tenant


@blueprint.get("/news")
@tenant_required
def news_list():
    """Current news for the tenant's building, newest first."""
    items = news.for_building(db(), building_of_tenant())
    return jsonify(news=[serialise.news_item(item) for item in items])


@blueprint.get("/news/<news_id>")
@tenant_required
def news_item(news_id: str):
    """One current news item meant for the tenant's building."""
    return jsonify(serialise.news_item(news.get_for_building(db(), building_of_tenant(), news_id)))


@blueprint.get("/works")
@tenant_required
def works_list():
    """Works under way or still to come in the tenant's building, soonest first."""
    notices = works.current_for_building(db(), building_of_tenant())
    return jsonify(works=[serialise.works_notice(notice) for notice in notices])
