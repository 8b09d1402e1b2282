"""How fast reports of my buildings are answered, and which are overdue, for landlord agents.

The times per building and per month are drawn as charts (``webui.charts``) above the
tables that hold the same figures.
"""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext

from core.domain import response_times, roles
from core.domain.clock import utcnow
from core.domain.errors import N_
from webui import shown_dates
from webui.auth import staff_required
from webui.charts import Bar, Row, bar_chart
from webui.database import db
from webui.i18n import text_direction
from webui.staff import blueprint
from webui.staff.readable import duration


def chosen_period() -> int:
    """Return the number of days asked for, if one of those offered, else the default."""
    asked = request.args.get("days", "")
    offered = {str(days): days for days in response_times.PERIODS_DAYS}
    return offered.get(asked, response_times.DEFAULT_PERIOD_DAYS)


def _lines(measure: str, times: dict[str, Any]) -> list[str]:
    """Return the median in words and how many reports it rests on, or why there is none."""
    count = times["count"]
    if times["median"] is not None:
        return [
            _(measure, figure=duration(times["median"])),
            ngettext("over %(num)d report", "over %(num)d reports", count),
        ]
    if count:
        return [_(measure, figure=_("no figure")), _("too few reports (%(num)d)", num=count)]
    return [_(measure, figure=_("no report"))]


# Each row's bars: the median time to acknowledge, then to solve.
_MEASURES = (
    ("to_acknowledge", N_("To acknowledge: %(figure)s"), "acknowledge"),
    ("to_resolve", N_("To solve: %(figure)s"), "resolve"),
)


def _row(label: str, found: dict[str, Any]) -> Row:
    return Row(
        label,
        [
            Bar(found[key]["median"], _lines(measure, found[key]), kind)
            for key, measure, kind in _MEASURES
        ],
    )


def month_name(month: Any) -> str:
    """Return a month as people say it: "novembre 2026"."""
    return shown_dates.shown(month, "month")


def _charts(found: dict[str, Any]) -> dict[str, Any]:
    rtl = text_direction() == "rtl"
    return {
        "building_chart": bar_chart(
            _("Median times by building"),
            [_row(row["building_name"], row) for row in found["by_building"]],
            rtl,
        ),
        "month_chart": bar_chart(
            _("Median times by month"),
            [_row(month_name(row["month"]), row) for row in found["by_month"]],
            rtl,
        ),
    }


@blueprint.get("/response-times")
@staff_required(roles.VIEW_RESPONSE_TIMES)
def response_times_page():
    """Times to acknowledge and to resolve per building, per kind and per month, and the
    overdue list."""
    now = utcnow()
    found = response_times.summary(db(), g.staff["building_ids"], now, chosen_period())
    return render_template(
        "staff/response_times.html",
        found=found,
        periods=response_times.PERIODS_DAYS,
        acknowledge_within=response_times.ACKNOWLEDGE_WITHIN,
        resolve_within=response_times.RESOLVE_WITHIN,
        month_name=month_name,
        now=now,
        **_charts(found),
    )
