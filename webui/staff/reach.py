"""What a staff member may reach: their own buildings and what is in them, nothing else."""

from __future__ import annotations

from typing import Any

from flask import g

from appliance.domain import estate, reports
from appliance.domain.errors import N_, DomainError, NotFound
from webui.database import db


def my_buildings() -> list[dict[str, Any]]:
    """Return the signed-in staff member's buildings with their residence, by name."""
    return estate.list_buildings(db(), g.staff["building_ids"])


def my_building(building_id: str) -> dict[str, Any]:
    """Return one of my buildings; any other is as if it did not exist."""
    if building_id not in g.staff["building_ids"]:
        raise NotFound("building_not_found", N_("This building does not exist."))
    return estate.get_building(db(), building_id)


def chosen_building(building_id: str) -> dict[str, Any]:
    """Return the building chosen in a form, or refuse a choice that is not one of mine."""
    if building_id not in g.staff["building_ids"]:
        raise DomainError("building_unknown", N_("Choose one of your buildings."), "building_id")
    return estate.get_building(db(), building_id)


def my_dwelling(dwelling_id: str) -> dict[str, Any]:
    """Return a dwelling of one of my buildings, with its building's name."""
    dwelling = estate.get_dwelling(db(), dwelling_id)
    if dwelling["building_id"] not in g.staff["building_ids"]:
        raise NotFound("dwelling_not_found", N_("This dwelling does not exist."))
    return dwelling


def my_report(report_id: str) -> dict[str, Any]:
    """Return a report from one of my buildings."""
    report = reports.get(db(), report_id)
    if report["building_id"] not in g.staff["building_ids"]:
        raise NotFound("report_not_found", N_("This report does not exist."))
    return report
