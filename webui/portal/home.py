"""Home page and news: what is new for me, my open reports, then works and news; the
news, works and events read aloud."""

from __future__ import annotations

from flask import g, render_template

from core.domain import estate, news, notifications, outbox, reports
from core.domain import report_status as rs
from webui import readings
from webui.auth import tenant_required
from webui.database import db
from webui.page_cache import reused_when_unchanged
from webui.portal import blueprint, rooms
from webui.portal.building_board import building_board

# The newest few; the notifications page has them all.
NEW_SHOWN = 5


@blueprint.get("/")
@tenant_required
@reused_when_unchanged(also=rooms.live_now)
def home():
    """What is new for me first (answers, statuses, planned visits), the video rooms
    where neighbours are now, then my open reports with the landlord's last words, then
    works and news of my building."""
    building = estate.get_building(db(), g.profile["building_id"])
    mine = reports.for_household(db(), g.profile["dwelling_id"])
    open_reports = [r for r in mine if r["status"] in rs.OPEN]
    news_for_me = notifications.unread(db(), g.profile["id"], NEW_SHOWN)
    works_section, news_section = building_board(building)
    live_rooms = [{**room, "name": rooms.room_name(room)} for room in rooms.live()]
    return render_template(
        "portal/home.html",
        live_rooms=live_rooms,
        ringing=rooms.ringing(),
        building=building,
        works_section=works_section,
        news_section=news_section,
        new_for_me=news_for_me,
        open_reports=open_reports,
        glances={
            r["id"]: reports.at_a_glance(reports.timeline(db(), r["id"], with_messages=True))
            for r in open_reports
        },
        answered={n["subject_id"] for n in news_for_me if n["kind"].startswith("report_")},
        not_sent=outbox.not_delivered(db(), [r["id"] for r in open_reports]),
    )


@blueprint.get("/news/<news_id>")
@tenant_required
@reused_when_unchanged
def news_item(news_id: str):
    """One news item in full."""
    item = news.get_for_building(db(), estate.get_building(db(), g.profile["building_id"]), news_id)
    return render_template("portal/news_item.html", item=item)


@blueprint.get("/readings/<name>.mp3")
@tenant_required
def reading(name: str):
    """A news item, works notice or event read aloud."""
    return readings.sound(name)
