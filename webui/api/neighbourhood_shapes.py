"""What the API answers about the neighbourhood: local shops' deals and partners' services,
as tenants see them on the box and as their authors see them at the hub."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from core.domain import partners, scope
from webui.api.fields import Answer, Date, Id, Instant
from webui.api.shared_shapes import Photo, Publisher
from webui.i18n import translate


class Deal(Answer):
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
    def of_shop(cls, found: dict[str, Any], residence_names: dict[str, str]) -> ShopDeal:
        """The deal with the residences it targets, named."""
        return cls(
            **cls.fields(found),
            residences=[Residence(id=r, name=residence_names[r]) for r in found["residence_ids"]],
        )


class ShopDealList(Answer):
    """The shop's deals on or to come."""

    deals: list[ShopDeal]


class Service(Answer):
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
    def of_staff(cls, found: dict[str, Any]) -> Partner:
        """The service as tenants see it, and where it is shown."""
        return cls(**cls.fields(found), scope_name=found["scope_name"])


class PartnerList(Answer):
    """Services reaching the staff member's buildings."""

    partners: list[Partner]
