"""The caretaker's queue: what residents flagged in my buildings, and my decision on each.

Hide or restore a post or an answer, warn its author, or suspend them for some days; the
author is told the decision and the reason, and the audit log keeps it. Those who
flagged stay anonymous.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import g
from pydantic import Field

from core.domain import moderation, roles
from core.domain.errors import N_, NotFound
from webui.api import blueprint
from webui.api.fields import Answer, Body, Count, Id, Instant, Text, WholeNumber, choice
from webui.api.shared_shapes import Neighbour
from webui.api.spec import Response, spec
from webui.auth import staff_required
from webui.database import db
from webui.i18n import translate

_DECISION = Field(json_schema_extra={"enum": list(moderation.DECISIONS)})


class ModerationDecision(Body):
    """A caretaker's decision on a flagged thing; its author reads the reason."""

    kind: Text = choice(moderation.TARGETS)
    target_id: Text = Field(description="Opaque identifier.")
    decision: Text = choice(moderation.DECISIONS, "Hide and restore: posts and answers only.")
    reason: Text = Field("", description="Required, but to dismiss the flags.")
    days: WholeNumber = Field(
        None,
        description="Required to suspend.",
        json_schema_extra={"enum": list(moderation.SUSPENSION_DAYS)},
    )


class HouseholdFlag(Answer):
    """One home's flag."""

    reason: str = Field(json_schema_extra={"enum": list(moderation.REASONS)})
    reason_label: str
    note: str
    created_at: Instant

    @classmethod
    def of(cls, found: dict[str, Any]) -> HouseholdFlag:
        return cls(
            reason=found["reason"],
            reason_label=translate(moderation.REASONS[found["reason"]]),
            note=found["note"],
            created_at=found["created_at"],
        )


class FlaggedItem(Answer):
    """Something flagged and not decided yet. Those who flagged stay anonymous."""

    kind: str = Field(json_schema_extra={"enum": list(moderation.TARGETS)})
    target_id: Id
    author: Neighbour = Field(description="Who wrote it, or the person flagged.")
    title: str | None = Field(description="A post's title.")
    body: str | None = Field(description="What was written (not for a person).")
    hidden: bool = Field(description="Hidden for now.")
    households: Count = Field(description="Homes that flagged it.")
    flags: list[HouseholdFlag]
    decisions: list[Annotated[str, _DECISION]] = Field(
        description="The decisions possible: hide and restore for posts and answers."
    )

    @classmethod
    def of(cls, item: dict[str, Any]) -> FlaggedItem:
        """A flagged thing of the caretaker's queue, without who flagged it."""
        target = item["target"]
        hideable = item["kind"] in moderation.HIDEABLE
        return cls(
            kind=item["kind"],
            target_id=item["target_id"],
            author=Neighbour.of(item["author_profile_id"], target.get("author_name")),
            title=target.get("title"),
            body=target.get("body"),
            hidden=target.get("hidden_at") is not None,
            households=item["households"],
            flags=[HouseholdFlag.of(f) for f in item["flags"]],
            decisions=[
                d for d in moderation.DECISIONS if hideable or d in ("dismiss", "warn", "suspend")
            ],
        )


class ModerationQueue(Answer):
    """What waits, most flagged first."""

    items: list[FlaggedItem]


def _queue() -> ModerationQueue:
    items = moderation.queue(db(), g.staff["building_ids"])
    return ModerationQueue(items=[FlaggedItem.of(item) for item in items])


@blueprint.get("/staff/moderation")
@staff_required(roles.MODERATE)
@spec.validate(resp=Response(HTTP_200=ModerationQueue), tags=["staff"])
def moderation_queue():
    """Everything flagged in my buildings and not decided yet, most flagged first."""
    return _queue()


@blueprint.post("/staff/moderation/decisions")
@staff_required(roles.MODERATE)
@spec.validate(resp=Response(HTTP_200=ModerationQueue, HTTP_404=None), tags=["staff"])
def decide(json: ModerationDecision):
    """Apply my decision on one flagged thing; its author is told why."""
    if json.kind not in moderation.TARGETS:
        raise NotFound("target_not_found", N_("This no longer exists."))
    moderation.decide(
        db(), g.staff, json.kind, json.target_id, json.decision, json.reason, json.days
    )
    return _queue()
