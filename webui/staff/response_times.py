"""How fast reports of my buildings are answered, and which are overdue, for landlord agents."""

from __future__ import annotations

from flask import g, render_template, request

from core.domain import response_times, roles
from core.domain.clock import utcnow
from webui.auth import staff_required
from webui.database import db
from webui.staff import blueprint


def chosen_period() -> int:
    """Return the number of days asked for, if one of those offered, else the default."""
    asked = request.args.get("days", "")
    offered = {str(days): days for days in response_times.PERIODS_DAYS}
    return offered.get(asked, response_times.DEFAULT_PERIOD_DAYS)


@blueprint.get("/response-times")
@staff_required(roles.VIEW_RESPONSE_TIMES)
def response_times_page():
    """Times to acknowledge and to resolve per building and per kind, and the overdue list."""
    now = utcnow()
    found = response_times.summary(db(), g.staff["building_ids"], now, chosen_period())
    return render_template(
        "staff/response_times.html",
        found=found,
        periods=response_times.PERIODS_DAYS,
        acknowledge_within=response_times.ACKNOWLEDGE_WITHIN,
        resolve_within=response_times.RESOLVE_WITHIN,
        now=now,
    )
