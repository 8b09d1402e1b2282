"""Response times of my buildings for landlord agents, and the reports overdue."""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import response_times, roles
from appliance.domain.clock import utcnow
from webui.api import blueprint, serialise
from webui.api.body import query_choice
from webui.auth import staff_required
from webui.database import db


@blueprint.get("/response-times")
@staff_required(roles.VIEW_RESPONSE_TIMES)
def response_times_summary():
    """Median and 90th percentile times per building and per category, and what is overdue."""
    days = query_choice("days", [str(days) for days in response_times.PERIODS_DAYS])
    found = response_times.summary(
        db(),
        g.staff["building_ids"],
        utcnow(),
        int(days) if days else response_times.DEFAULT_PERIOD_DAYS,
    )
    return jsonify(serialise.response_times(found))
