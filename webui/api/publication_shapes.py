"""News and works notices: what tenants and publishers read, and what staff send to publish.

Tenants see where an item is shown as a kind of place (this building, the district);
its publisher also sees the place by name. Staff send multipart forms, since an item may
carry a picture.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from core.domain.scope import SCOPE_LABELS, SCOPES
from webui.api.fields import (
    Answer,
    Body,
    Date,
    Id,
    Instant,
    Moment,
    OptionalText,
    PhotoFile,
    RequiredDay,
    Text,
    choice,
)
from webui.api.shared_shapes import Photo, Publisher, WrittenIn
from webui.i18n import translate

_SCOPE_NAME = "The building, residence, district or city where it is shown."


def _scope(item: dict[str, Any]) -> dict[str, Any]:
    """Where an item is shown, as a kind of place and its label."""
    return {
        "scope": item["scope_kind"],
        "scope_label": translate(SCOPE_LABELS[item["scope_kind"]]),
    }


class NewsItem(WrittenIn):
    """A news item."""

    id: Id
    title: str
    body: str
    publisher: Publisher
    scope: str = Field(json_schema_extra={"enum": list(SCOPES)})
    scope_label: str
    photo: Photo | None
    published_at: Instant
    expires_at: Instant | None

    @staticmethod
    def fields(item: dict[str, Any]) -> dict[str, Any]:
        """The item's fields as tenants see it."""
        return {
            "id": item["id"],
            "title": item["title"],
            "body": item["body"],
            "publisher": Publisher.of(item["publisher_name"], item["publisher_kind"]),
            **_scope(item),
            "photo": Photo.of(item["photo_id"]),
            "published_at": item["published_at"],
            "expires_at": item["expires_at"],
            **WrittenIn.of(item),
        }

    @classmethod
    def of(cls, item: dict[str, Any]) -> NewsItem:
        return cls(**cls.fields(item))


class NewsList(Answer):
    """Current news, newest first."""

    news: list[NewsItem]


class PublishedNews(NewsItem):
    """A news item as its publisher sees it."""

    scope_name: str = Field(description=_SCOPE_NAME)

    @classmethod
    def of(cls, item: dict[str, Any]) -> PublishedNews:
        return cls(**NewsItem.fields(item), scope_name=item["scope_name"])


class PublishedNewsList(Answer):
    """The publisher's news shown now or later, newest first."""

    news: list[PublishedNews]


class WorksNotice(WrittenIn):
    """Works in a building, a residence, a district or the city, shown until their last day."""

    id: Id
    title: str
    location: str
    starts_on: Date
    ends_on: Date
    tenant_action: str = Field(description="What tenants must do (may be empty).")
    publisher: Publisher | None = Field(description="Who announced them, when known.")
    scope: str = Field(json_schema_extra={"enum": list(SCOPES)})
    scope_label: str
    photo: Photo | None
    published_at: Instant

    @staticmethod
    def fields(notice: dict[str, Any]) -> dict[str, Any]:
        """The notice's fields as tenants see it; works of old have no known publisher."""
        publisher = None
        if notice["publisher_name"]:
            publisher = Publisher.of(notice["publisher_name"], notice["publisher_kind"])
        return {
            "id": notice["id"],
            "title": notice["title"],
            "location": notice["location"],
            "starts_on": notice["starts_on"],
            "ends_on": notice["ends_on"],
            "tenant_action": notice["tenant_action"],
            "publisher": publisher,
            **_scope(notice),
            "photo": Photo.of(notice["photo_id"]),
            "published_at": notice["published_at"],
            **WrittenIn.of(notice),
        }

    @classmethod
    def of(cls, notice: dict[str, Any]) -> WorksNotice:
        return cls(**cls.fields(notice))


class WorksList(Answer):
    """Works under way or to come, soonest first."""

    works: list[WorksNotice]


class PublishedWorks(WorksNotice):
    """A works notice as its publisher sees it."""

    scope_name: str = Field(description=_SCOPE_NAME)

    @classmethod
    def of(cls, notice: dict[str, Any]) -> PublishedWorks:
        return cls(**WorksNotice.fields(notice), scope_name=notice["scope_name"])


class PublishedWorksList(Answer):
    """The publisher's works under way or to come, soonest first."""

    works: list[PublishedWorks]


# What staff send. The building is one of theirs; the scope is that building or a place
# around it, which the domain checks and words.
_OPAQUE_ID = "Opaque identifier."
_REPLACES_PHOTO = "Replaces the picture."
_REMOVES_PHOTO = "Removes the picture."


class NewNews(Body):
    """A news item for one of the staff member's buildings, or around it, as a multipart
    form. The scope says who sees it: that building, or its residence, district or city."""

    building_id: Text = Field(description=_OPAQUE_ID)
    scope: Text = choice(SCOPES)
    title: Text
    body: Text
    expires_at: Moment = Field(default=None, description="Without a zone, UTC.")
    photo: PhotoFile = None


class NewsChange(Body):
    """What changes in a news item, as a multipart form; a field not sent stays as it is.
    A new scope is sent with the building it is around, as when publishing."""

    building_id: Text = Field(default="", description=_OPAQUE_ID)
    scope: Text = choice(SCOPES, optional=True)
    title: OptionalText = None
    body: OptionalText = None
    expires_at: Moment = Field(default=None, description="Without a zone, UTC; empty for no end.")
    photo: PhotoFile = Field(default=None, description=_REPLACES_PHOTO)
    remove_photo: Text = choice(["true"], _REMOVES_PHOTO, optional=True)


class NewWorks(Body):
    """Works in one of the staff member's buildings, or around it, as a multipart form.
    The scope says who sees them: that building, or its residence, district or city."""

    building_id: Text = Field(description=_OPAQUE_ID)
    scope: Text = choice(SCOPES)
    title: Text
    location: Text
    starts_on: RequiredDay
    ends_on: RequiredDay
    tenant_action: Text = ""
    photo: PhotoFile = None


class WorksChange(Body):
    """What changes in a works notice, as a multipart form; a field not sent stays as it is.
    A new scope is sent with the building it is around, as when announcing."""

    building_id: Text = Field(default="", description=_OPAQUE_ID)
    scope: Text = choice(SCOPES, optional=True)
    title: OptionalText = None
    location: OptionalText = None
    # Absent, the day stays; sent empty, it is refused as missing.
    starts_on: RequiredDay = None
    ends_on: RequiredDay = None
    tenant_action: OptionalText = None
    photo: PhotoFile = Field(default=None, description=_REPLACES_PHOTO)
    remove_photo: Text = choice(["true"], _REMOVES_PHOTO, optional=True)
