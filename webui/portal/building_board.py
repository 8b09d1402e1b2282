"""The works and news of a building, rendered once and shared by all its tenants.

They are the costliest part of the home page (two queries, then a dozen dates, icons and
links) and the same for every household of the building: each worker keeps them per
building, language, content version and minute, so a fresh home page only renders what
is the tenant's own.
"""

from __future__ import annotations

import time

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup

from core.domain import news, works
from webui.database import db
from webui.page_cache import RecentPages, current_version

# Two buildings per box and three languages, with a little room for the minute changing.
BOARDS_KEPT = 32


def building_board(building: dict) -> tuple[Markup, Markup]:
    """Return the works section and the news section of the building's home page."""
    key = (building["id"], str(get_locale()), current_version(), int(time.time() // 60))
    # Kept by the app, not the module: each app may serve another database.
    boards = current_app.extensions.setdefault("building_boards", RecentPages(BOARDS_KEPT))
    board = boards.get(key)
    if board is None:
        board = (
            Markup(
                render_template(
                    "portal/_works.html", works=works.current_for_building(db(), building)
                )
            ),
            Markup(
                render_template("portal/_news.html", news_items=news.for_building(db(), building))
            ),
        )
        boards.put(key, board)
    return board
