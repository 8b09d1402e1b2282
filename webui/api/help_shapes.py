"""What the API answers about requests for help: to the tenant who asked, and to the
mediator or caretaker who answers."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from core.domain import help_desk
from webui.api.fields import Answer, Id, Instant
from webui.api.shared_shapes import BuildingRef
from webui.i18n import translate


class _Asked(Answer):
    """What was asked, as both sides see it."""

    id: Id
    topic: str = Field(json_schema_extra={"enum": list(help_desk.TOPICS)})
    topic_label: str
    message: str
    how: str = Field(json_schema_extra={"enum": list(help_desk.WAYS)})
    how_label: str
    created_at: Instant

    @staticmethod
    def fields(found: dict[str, Any]) -> dict[str, Any]:
        """What was asked, with its labels in the person's language."""
        return {
            "id": found["id"],
            "topic": found["topic"],
            "topic_label": translate(help_desk.TOPICS[found["topic"]]),
            "message": found["message"],
            "how": found["how"],
            "how_label": translate(help_desk.WAYS[found["how"]]),
            "created_at": found["created_at"],
        }


class HelpRequest(_Asked):
    """A request for help with the portal, and its answer once given."""

    answered_at: Instant | None
    answer: str | None

    @classmethod
    def of(cls, found: dict[str, Any]) -> HelpRequest:
        """One of the tenant's requests, with its answer once given."""
        return cls(**cls.fields(found), answered_at=found["answered_at"], answer=found["answer"])


class HelpRequestList(Answer):
    """Requests, newest first."""

    help_requests: list[HelpRequest]


class WaitingHelpRequest(_Asked):
    """A request for help nobody answered yet."""

    building: BuildingRef
    display_name: str | None = Field(description="Who asked.")
    dwelling_reference: str | None = Field(
        description="Their flat, only when they asked for a visit."
    )

    @classmethod
    def of(cls, found: dict[str, Any], building: dict[str, Any]) -> WaitingHelpRequest:
        """A request as the mediator sees it: who asked, and where for a visit."""
        return cls(
            **cls.fields(found),
            building=BuildingRef.of(building["id"], building["name"]),
            display_name=found["display_name"],
            dwelling_reference=found["dwelling_reference"],
        )


class HelpRequestQueue(Answer):
    """Requests not answered yet, oldest first."""

    help_requests: list[WaitingHelpRequest]
