"""The skills exchange from the tenant's side: browse, offer or ask for help, close.

A neighbour answers an offer or a request by writing to its author (``POST
/conversations`` with the author's id), which shows neither flat nor phone number.
"""

from __future__ import annotations

from typing import Any

from flask import g
from pydantic import Field

from core.domain import skills
from webui.api import blueprint
from webui.api.charter_consent import Consenting, accept_charter_if_ticked
from webui.api.fields import Answer, Filter, Filters, Id, Instant, Text, choice
from webui.api.shared_shapes import Neighbour
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.database import db
from webui.i18n import translate


class SkillFilters(Filters):
    """Which offers and requests of my residence."""

    kind: Filter(skills.KINDS) = Field(None, description="Only offers, or only requests.")
    category: Filter(skills.CATEGORIES) = Field(None, description="Only this kind of help.")


class NewSkill(Consenting):
    """An offer of help or a request for help, for the residence."""

    kind: Text = choice(skills.KINDS)
    category: Text = choice(skills.CATEGORIES)
    title: Text = Field(json_schema_extra={"maxLength": skills.MAX_TITLE})
    description: Text = Field(json_schema_extra={"maxLength": skills.MAX_DESCRIPTION})


class Skill(Answer):
    """An offer of help or a request for help; answer it by writing to its author."""

    id: Id
    kind: str = Field(json_schema_extra={"enum": list(skills.KINDS)})
    kind_label: str
    category: str = Field(json_schema_extra={"enum": list(skills.CATEGORIES)})
    category_label: str
    title: str
    description: str
    author: Neighbour
    mine: bool
    created_at: Instant

    @classmethod
    def of(cls, found: dict[str, Any]) -> Skill:
        """An offer or a request, with its labels in the person's language."""
        return cls(
            id=found["id"],
            kind=found["kind"],
            kind_label=translate(skills.KINDS[found["kind"]]),
            category=found["category"],
            category_label=translate(skills.CATEGORIES[found["category"]]),
            title=found["title"],
            description=found["description"],
            author=Neighbour.of(found["profile_id"], found["author_name"]),
            mine=found["mine"],
            created_at=found["created_at"],
        )


class SkillList(Answer):
    """Open offers and requests, newest first."""

    skills: list[Skill]


@blueprint.get("/skills")
@tenant_required
@spec.validate(resp=Response(HTTP_200=SkillList), tags=["community"])
def skill_list(query: SkillFilters):
    """Open offers and requests of help in my residence, newest first."""
    found = skills.browse(db(), g.profile, query.kind, query.category)
    return SkillList(skills=[Skill.of(s) for s in found])


@blueprint.post("/skills")
@tenant_required
@spec.validate(resp=Response(HTTP_201=Skill, HTTP_403=None), tags=["community"])
def add_skill(json: NewSkill):
    """Offer my help, or ask for help; neighbours see it at once."""
    # Recorded first: the domain refuses a first offer until the charter is accepted.
    accept_charter_if_ticked(json)
    skill_id = skills.add(db(), g.profile, json.kind, json.category, json.title, json.description)
    return Skill.of(skills.get(db(), g.profile, skill_id)), 201


@blueprint.delete("/skills/<skill_id>")
@tenant_required
@spec.validate(resp=Response(HTTP_204=None), tags=["community"])
def close_skill(skill_id: str):
    """Close my offer or request: neighbours no longer see it."""
    skills.close(db(), g.profile, skill_id)
    return "", 204
