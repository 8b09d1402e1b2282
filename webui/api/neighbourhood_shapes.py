"""Local shops' deals and partners' services: what tenants see on the box, what their
authors see at the hub, and what staff send to publish them."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from core.domain import partners, scope
from webui.api.fields import (
    Answer,
    Body,
    Date,
    Id,
    Ids,
    Instant,
    PhotoFile,
    RequiredDay,
    Text,
    choice,
)
from webui.api.shared_shapes import Photo, Publisher, WrittenIn
from webui.i18n import translate


class Deal(WrittenIn):
    """A local shop's deal, shown from its first to its last day."""

    id: Id
    title: str
    description: str
    shop: Publisher
    photo: Photo | None
    valid_from: Date
    valid_until: Date

    @staticmethod
    def fields(found: dict[str, Any]) -> dict[str, Any]:
        """The deal's fields as a tenant sees it."""
        return {
            "id": found["id"],
            "title": found["title"],
            "description": found["description"],
            "shop": Publisher.of(found["shop_name"], found["shop_kind"]),
            "photo": Photo.of(found["photo_id"]),
            "valid_from": found["valid_from"],
            "valid_until": found["valid_until"],
            **WrittenIn.of(found),
        }

    @classmethod
    def of(cls, found: dict[str, Any]) -> Deal:
        return cls(**cls.fields(found))


class DealList(Answer):
    """Deals valid today, ending soonest first."""

    deals: list[Deal]


class Residence(Answer):
    """A residence."""

    id: Id
    name: str


class ShopDeal(Deal):
    """A deal as its shop sees it."""

    residences: list[Residence]

    @classmethod
    def of(cls, found: dict[str, Any]) -> ShopDeal:
        """The deal with the residences it targets, named (``residence_names``)."""
        names = found["residence_names"]
        return cls(
            **cls.fields(found),
            residences=[Residence(id=r, name=names[r]) for r in found["residence_ids"]],
        )


class ShopDealList(Answer):
    """The shop's deals on or to come."""

    deals: list[ShopDeal]


class Service(WrittenIn):
    """A partner's service near the estate."""

    id: Id
    name: str
    category: str = Field(json_schema_extra={"enum": list(partners.CATEGORIES)})
    category_label: str
    description: str
    address: str = Field(description="May be empty.")
    phone: str = Field(description="The service's own number; may be empty.")
    opening_hours: str = Field(description="May be empty.")
    scope: str = Field(json_schema_extra={"enum": list(scope.SCOPES)})
    scope_label: str
    updated_at: Instant

    @staticmethod
    def fields(found: dict[str, Any]) -> dict[str, Any]:
        """The service's fields as a tenant sees it in the directory."""
        return {
            "id": found["id"],
            "name": found["name"],
            "category": found["category"],
            "category_label": translate(partners.CATEGORIES[found["category"]]),
            "description": found["description"],
            "address": found["address"],
            "phone": found["phone"],
            "opening_hours": found["opening_hours"],
            "scope": found["scope_kind"],
            "scope_label": translate(scope.SCOPE_LABELS[found["scope_kind"]]),
            "updated_at": found["updated_at"],
            **WrittenIn.of(found),
        }

    @classmethod
    def of(cls, found: dict[str, Any]) -> Service:
        return cls(**cls.fields(found))


class ServiceList(Answer):
    """Services by kind, then name."""

    services: list[Service]


class Partner(Service):
    """A service as staff see it."""

    scope_name: str = Field(
        description="The building, residence, district or city where it is shown."
    )

    @classmethod
    def of(cls, found: dict[str, Any]) -> Partner:
        """The service as tenants see it, and where it is shown."""
        return cls(**cls.fields(found), scope_name=found["scope_name"])


class PartnerList(Answer):
    """Services reaching the staff member's buildings."""

    partners: list[Partner]


# What staff send: a deal as a multipart form, since it may carry a picture, and a
# service as JSON. The domain checks and words the rest.
_OPAQUE_ID = "Opaque identifier."


class NewDeal(Body):
    """A deal, as a multipart form, for residences of the merchant's buildings."""

    title: Text
    description: Text
    valid_from: RequiredDay
    valid_until: RequiredDay = Field(description="Not before valid_from; three months at most.")
    residences: Ids = Field(
        description="A repeated field; residences of other buildings are left out."
    )
    photo: PhotoFile = None


class DealChange(Body):
    """What changes in a deal, as a multipart form; a field not sent stays as it is."""

    title: Text = ""
    description: Text = ""
    # Not read when left out; sent empty, a day is missing.
    valid_from: RequiredDay = None
    valid_until: RequiredDay = None
    residences: Ids = Field(
        default_factory=list,
        description="A repeated field replacing the residences; those left out take the deal down.",
    )
    photo: PhotoFile = Field(default=None, description="Replaces the picture.")
    remove_photo: Text = choice(["true"], "Removes the picture.", optional=True)


class NewPartner(Body):
    """A service for one of the staff member's buildings or around it. The scope says who
    sees it: that building, or its residence, district or city."""

    # In the order they are checked: the service, then where it is shown.
    name: Text
    category: Text = choice(partners.CATEGORIES)
    description: Text
    address: Text = ""
    phone: Text = ""
    opening_hours: Text = ""
    scope: Text = choice(scope.SCOPES)
    building_id: Text = Field(description=_OPAQUE_ID)


class PartnerChange(Body):
    """What changes in a service; a field not sent stays as it is. A new scope is sent
    with the building it is around, as when adding."""

    name: Text = ""
    category: Text = choice(partners.CATEGORIES, optional=True)
    description: Text = ""
    address: Text = ""
    phone: Text = ""
    opening_hours: Text = ""
    scope: Text = choice(scope.SCOPES, optional=True)
    building_id: Text = Field(default="", description=_OPAQUE_ID)
