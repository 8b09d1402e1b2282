"""What is new for the tenant's building: news from every publisher, and works notices."""

from __future__ import annotations

from flask import g

from core.domain import estate, news, works
from webui.api import blueprint
from webui.api.publication_shapes import NewsItem, NewsList, WorksList, WorksNotice
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.database import db


def _my_building() -> dict:
    """The signed-in tenant's building, with its residence, district and city."""
    return estate.get_building(db(), g.profile["building_id"])


@blueprint.get("/news")
@tenant_required
@spec.validate(resp=Response(HTTP_200=NewsList), tags=["tenant"])
def news_list():
    """Current news for my building.

    News from every publisher that reaches the tenant's building, newest first.
    """
    items = news.for_building(db(), _my_building())
    return NewsList(news=[NewsItem.of(item) for item in items])


@blueprint.get("/news/<news_id>")
@tenant_required
@spec.validate(resp=Response(HTTP_200=NewsItem), tags=["tenant"])
def news_item(news_id: str):
    """One news item.

    A current news item meant for the tenant's building.
    """
    return NewsItem.of(news.get_for_building(db(), _my_building(), news_id))


@blueprint.get("/works")
@tenant_required
@spec.validate(resp=Response(HTTP_200=WorksList), tags=["tenant"])
def works_list():
    """Works in my building.

    Works under way or still to come in the tenant's building, soonest first.
    """
    notices = works.current_for_building(db(), _my_building())
    return WorksList(works=[WorksNotice.of(notice) for notice in notices])
