"""Answer shapes that several features of the API share: places, photos, who published
something, a neighbour as others see them."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from pydantic import Field

from core.domain import news, text_versions
from webui.api.fields import Answer, Id
from webui.i18n import translate


class BuildingRef(Answer):
    """A building."""

    id: Id
    name: str

    @classmethod
    def of(cls, building_id: str, name: str) -> BuildingRef:
        return cls(id=building_id, name=name)


class DwellingRef(Answer):
    """A dwelling."""

    id: Id
    reference: str


class Photo(Answer):
    """A photo and the address that serves it (JPEG)."""

    id: Id
    url: str

    @classmethod
    def of(cls, photo_id: str | None) -> Photo | None:
        """The photo with this id, or None; the hub has no portal: its staff pages serve it."""
        if not photo_id:
            return None
        endpoint = "portal.photo" if "portal" in current_app.blueprints else "staff.photo"
        return cls(id=photo_id, url=url_for(endpoint, photo_id=photo_id))


class WrittenIn(Answer):
    """A publication's language and its versions in the others, which a client shows
    in the reader's language, else the original's."""

    language: str = Field(
        json_schema_extra={"enum": list(text_versions.LANGUAGES)},
        description="The language it was written in.",
    )
    versions: dict[str, dict[str, str]] = Field(
        description="Its versions in the other languages, by language then field "
        '(for example {"ar": {"title": "…", "body": "…"}}); a field a version lacks is '
        "shown in the original."
    )

    @staticmethod
    def of(item: dict[str, Any]) -> dict[str, Any]:
        """Return a stored item's language and versions as answered."""
        return {
            "language": item.get("language") or text_versions.FIRST_LANGUAGE,
            "versions": item.get("versions") or {},
        }


class Publisher(Answer):
    """Who published it."""

    name: str
    kind: str = Field(json_schema_extra={"enum": list(news.PUBLISHER_KINDS)})
    kind_label: str

    @classmethod
    def of(cls, name: str, kind: str) -> Publisher:
        return cls(name=name, kind=kind, kind_label=translate(news.PUBLISHER_KIND_LABELS[kind]))


class Neighbour(Answer):
    """A resident as neighbours see them: a name and an id to write to, never more. Both
    are null once the person erased their profile and kept what they wrote."""

    id: Id | None
    display_name: str | None

    @classmethod
    def of(cls, profile_id: str | None, name: str | None) -> Neighbour:
        return cls(id=profile_id, display_name=name)


def building_of(row: dict[str, Any]) -> BuildingRef:
    """The building of a row that carries building_id and building_name."""
    return BuildingRef(id=row["building_id"], name=row["building_name"])
