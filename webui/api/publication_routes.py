"""What staff publish through the API — news, works notices, shops' deals, partners'
services — served by one set of routes.

Each kind declares what is its own (``Publication``): its address and role, what is sent
and answered, which items are mine, and what a form makes of an item. ``register`` gives
it the same four routes: my items, publish one, change only what was sent, take one down.
The domain does the publishing (``core.domain.publishing``); an item that is not mine is
answered as if it did not exist. The helpers below say what the kinds share: the
publisher my account writes for, the place around one of my buildings, the picture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import g, request
from pydantic import Field, create_model

from core.domain import news, publishing, staff_buildings, text_versions
from core.domain.errors import N_, DomainError
from webui.api import blueprint
from webui.api.fields import Answer, Body, OptionalText, Text, choice
from webui.api.spec import Response, spec
from webui.api.uploads import picture
from webui.auth import staff_required
from webui.database import db
from webui.i18n import my_language


@dataclass(frozen=True)
class Publication:
    """One kind of publication, at /staff/<path> and /staff/<path>/<item_id>."""

    path: str
    # The name of the id in the path, as the OpenAPI document shows it.
    item_id: str
    permission: str
    tag: str
    kind: publishing.Kind
    # What is sent to publish one and to change one: a multipart form when it may carry
    # a picture, else JSON.
    new: type[Body]
    change: type[Body]
    # One item, and mine in a list named as the path; each built ``of`` a row below.
    answer: type[Answer]
    answers: type[Answer]
    # My items, and one of them (NotFound for any other).
    mine: Callable[[], list[dict[str, Any]]]
    one: Callable[[str], dict[str, Any]]
    # The whole item as it will be, from a new form (``item`` None) or from a change
    # merged into the stored item.
    fields: Callable[[Body, dict[str, Any] | None], dict[str, Any]]
    # Each operation's summary, then its description: my, publish, change, take_down.
    about: dict[str, str]
    # What a new item is answered as, when not as ``answer``.
    created: type[Answer] | None = None


def register(p: Publication) -> None:
    """Add the routes of a kind of publication to the API."""
    new, change_sent = with_versions(p.new, p.kind), with_versions(p.change, p.kind)
    read = "form" if "photo" in p.new.model_fields else "json"
    # A new item is placed around one of my buildings: any other is not found.
    not_found = {"HTTP_404": None} if "building_id" in p.new.model_fields else {}
    created = p.created or p.answer

    def sent() -> Body:
        return getattr(request.context, read)

    def my() -> Answer:
        return p.answers(**{p.path: [p.answer.of(item) for item in p.mine()]})

    def publish() -> tuple[Answer, int]:
        form = sent()
        fields = p.fields(form, None) | written_in(form, None, p.kind)
        item_id = publishing.publish(db(), p.kind, fields, g.staff["id"])
        return created.of(p.one(item_id)), 201

    def change(**path: str) -> Answer:
        item = p.one(path[p.item_id])
        form = sent()
        fields = p.fields(form, item) | written_in(form, item, p.kind)
        publishing.change(db(), p.kind, item["id"], g.staff["id"], fields)
        return p.answer.of(p.one(item["id"]))

    def take_down(**path: str) -> tuple[str, int]:
        publishing.take_down(db(), p.kind, p.one(path[p.item_id])["id"], g.staff["id"])
        return "", 204

    def route(method: str, rule: str, view: Callable[..., Any], **declared: Any) -> None:
        # The summary and description in the OpenAPI document are the view's docstring.
        view.__doc__ = p.about[view.__name__]
        validated = spec.validate(**declared, tags=[p.tag])(view)
        endpoint = f"{view.__name__}_{p.path}"
        blueprint.add_url_rule(
            rule, endpoint, staff_required(p.permission)(validated), methods=[method]
        )

    base = f"/staff/{p.path}"
    one = f"{base}/<{p.item_id}>"
    route("GET", base, my, resp=Response(HTTP_200=p.answers))
    route("POST", base, publish, resp=Response(HTTP_201=created, **not_found), **{read: new})
    route("PATCH", one, change, resp=Response(HTTP_200=p.answer), **{read: change_sent})
    route("DELETE", one, take_down, resp=Response(HTTP_204=None))


def with_versions(body: type[Body], kind: publishing.Kind) -> type[Body]:
    """Return what is sent for a kind, with the language its text is written in and a
    field for each text field in each other language (``title_ar``), as the staff's form
    sends them; the shape keeps the kind's name."""
    versions: dict[str, Any] = {
        text_versions.field_name(field, language): (
            OptionalText,
            Field(default=None, description=f"The {field} in {language}, if any."),
        )
        for language in text_versions.LANGUAGES
        for field in kind.texts
    }
    language = choice(
        text_versions.LANGUAGES,
        "The language of the text; a new item is in my account's language if not said.",
        optional=True,
    )
    return create_model(
        body.__name__, __base__=body, __doc__=body.__doc__, language=(Text, language), **versions
    )


def written_in(form: Body, item: dict[str, Any] | None, kind: publishing.Kind) -> dict[str, Any]:
    """Return the language and versions as sent; in a change, those not sent stay as they
    are, and a new item not saying its language is in mine."""
    sent = form.model_fields_set
    if "language" in sent:
        language = form.language
    else:
        language = item["language"] if item is not None else my_language()
    stored = (item or {}).get("versions") or {}
    versions: dict[str, dict[str, str]] = {}
    for other in text_versions.LANGUAGES:
        versions[other] = {}
        for field in kind.texts:
            name = text_versions.field_name(field, other)
            kept = (stored.get(other) or {}).get(field, "")
            versions[other][field] = (getattr(form, name) or "") if name in sent else kept
    return {"language": language, "versions": versions}


def my_buildings() -> list[dict[str, Any]]:
    """Return my buildings, with their residence."""
    return staff_buildings.buildings(db(), g.staff)


def of_my_publisher(
    listing: Callable[..., list[dict[str, Any]]], *args: Any
) -> list[dict[str, Any]]:
    """Return what ``listing`` finds of the publisher my account writes for; none when it
    writes for no one."""
    publisher = news.publisher_for(db(), g.staff)
    return listing(db(), publisher["id"], *args) if publisher else []


def authored(item: dict[str, Any] | None) -> dict[str, Any]:
    """Return who writes a new item: the publisher my account writes for, and me; refuse
    when it writes for no one. A change keeps them."""
    if item is not None:
        return {}
    publisher = news.publisher_for(db(), g.staff)
    if publisher is None:
        raise DomainError(
            "publisher_missing",
            N_("Your account does not publish for anyone yet. Ask the operator."),
        )
    return {"publisher_id": publisher["id"], "author_staff_id": g.staff["id"]}


def written(form: Body, item: dict[str, Any] | None, *names: str) -> dict[str, Any]:
    """Return these fields as sent; in a change, those not sent stay as they are."""
    sent = form.model_fields_set
    return {
        name: getattr(form, name) if item is None or name in sent else item[name] for name in names
    }


def placed(form: Body, item: dict[str, Any] | None) -> dict[str, str]:
    """Return where the item is shown: the scope sent around the building sent, else (in
    a change that sends neither) where it was."""
    if item is not None and not {"scope", "building_id"} & form.model_fields_set:
        return {"scope_kind": item["scope_kind"], "scope_ref": item["scope_ref"]}
    building = staff_buildings.building(db(), g.staff, form.building_id)
    around = {
        "building": building["id"],
        "residence": building["residence_id"],
        "district": building["district"],
        "city": building["city"],
    }
    return {"scope_kind": form.scope, "scope_ref": around.get(form.scope, "")}


def pictured(form: Body, item: dict[str, Any] | None) -> dict[str, str | None]:
    """Return the item's picture: a new one, none when removed, else the one it had."""
    kept = None if item is None or form.remove_photo == "true" else item["photo_id"]
    return {"photo_id": picture() or kept}
