"""Publishing in the staff pages: one flow for news, works notices, deals and partners'
services.

Each kind declares a ``Flow`` and gets the same pages at the same addresses under
``/staff/<path>``: my items; the form (``/new``); for the kinds that preview, the item as
tenants will see it (``/preview``), then published; a change through the same form and
preview (``/<id>/change``); taking down after asking (``/<id>/take-down``). Only items the
staff member may reach can be changed or taken down: any other is as if it did not exist.

Whom an item reaches is one of the staff member's buildings, or the residence, district or
city of one (or, for deals, residences of their buildings); who publishes it is the
domain's ``news.publisher_for``. A draft's picture is kept as soon as it is received, so
that it need not be chosen again when the form comes back, and shown only to the session
that sent it until published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for

from core.domain import news, publishing, staff_buildings, text_versions
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError
from webui import draft_photos
from webui.auth import staff_required
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.i18n import my_language, translate
from webui.staff import blueprint

SCOPE_NAMES = {
    "building": N_("%(name)s (building)"),
    "residence": N_("%(name)s (residence)"),
    "district": N_("%(name)s (district)"),
    "city": N_("%(name)s (whole city)"),
}
# What each scope points at in a building's row, and the name people know it by.
_SCOPE_KEYS = {
    "building": ("id", "name"),
    "residence": ("residence_id", "residence_name"),
    "district": ("district", "district"),
    "city": ("city", "city"),
}
# The pages of a flow, each an endpoint ``staff.<path>_<page>`` (the menu marks them).
PAGES = (
    "list",
    "new",
    "preview",
    "publish",
    "change_form",
    "change_preview",
    "change",
    "take_down_form",
    "take_down",
)


@dataclass(frozen=True)
class TakingDown:
    """What the page asking before taking an item down says."""

    question: str
    button: str
    consequences: tuple[str, str]
    done: str


@dataclass(frozen=True)
class Flow:
    """One kind of publication in the staff pages: what only it has."""

    # Its addresses (/staff/<path>…) and templates (staff/<path>_list.html, _form.html,
    # _preview.html); the permission its pages need; its kind in the domain.
    path: str
    permission: str
    kind: publishing.Kind
    # The form's fields, and those sent several times (ticked boxes).
    fields: tuple[str, ...]
    # The domain's fields from what was typed (``item``: the one changed, else None).
    fields_of: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]]
    # The form's values for a stored item, and for a new one.
    values_of: Callable[[dict[str, Any]], dict[str, Any]]
    blank: Callable[[], dict[str, Any]]
    # My items (for my publisher, None for kinds nobody publishes for), and one of them.
    mine: Callable[[dict[str, Any] | None], list[dict[str, Any]]]
    one: Callable[[str], dict[str, Any]]
    # Whom a stored item reaches, in words.
    shown_to: Callable[[dict[str, Any]], str]
    published: str
    taking_down: TakingDown
    # What the kind's pages need besides the values (the choices offered…).
    context: Callable[[dict[str, Any] | None], dict[str, Any]] = lambda item: {}
    # The item as tenants will see it, for the kinds shown before they are published.
    preview: Callable[[dict[str, Any], dict[str, Any], dict[str, Any] | None], dict] | None = None
    lists: tuple[str, ...] = field(default=())
    changed: str = N_("The changes are published.")
    # Whether the staff member writes for a publisher (news, works, a shop's deals).
    for_publisher: bool = True
    # The fields with versions in the other languages (the kind's ``texts``), as the form
    # shows them: name, label, "line" or "text", most characters.
    translated: tuple[tuple[str, str, str, int], ...] = ()

    def __post_init__(self) -> None:
        # A version the form would not show would be lost at each change.
        shown = [name for name, *_ in self.translated]
        if shown != list(self.kind.texts):
            raise ValueError(f"{self.path}: the form shows versions of {shown}")

    @property
    def sent_fields(self) -> tuple[str, ...]:
        """Return every field the form sends, the language and versions with them (the
        preview sends them all again)."""
        return (*self.fields, "language", *_version_fields(self.kind))


def _version_fields(kind: publishing.Kind) -> list[str]:
    return [
        text_versions.field_name(field, language)
        for language in text_versions.LANGUAGES
        for field in kind.texts
    ]


def _written_in(kind: publishing.Kind, item: dict[str, Any] | None) -> dict[str, str]:
    """Return the form's values of an item's language and versions; a new item is
    written in the author's language, or French."""
    if item is None:
        return {"language": my_language()}
    versions = item.get("versions") or {}
    return {"language": item.get("language") or text_versions.FIRST_LANGUAGE} | {
        text_versions.field_name(field, language): (versions.get(language) or {}).get(field, "")
        for language in text_versions.LANGUAGES
        for field in kind.texts
    }


def scope_key(kind: str, ref: str) -> str:
    """Return the short stable token a scope goes by in the form.

    District and city names hold spaces, which form field ids cannot.
    """
    return f"{kind}-{hashlib.sha256(ref.encode()).hexdigest()[:10]}"


def scope_options(item: dict[str, Any] | None = None) -> dict[str, tuple[str, str, str]]:
    """Return who may be reached, from my buildings up to their city.

    Each value is (scope kind, scope reference, label). The scope of an item being
    changed stays on offer even when it lies beyond my buildings (a colleague wrote it).
    """
    found: dict[str, tuple[str, str, str]] = {}
    mine = staff_buildings.buildings(db(), g.staff)
    for kind, (ref_key, name_key) in _SCOPE_KEYS.items():
        for building in mine:
            label = translate(SCOPE_NAMES[kind], name=building[name_key])
            found.setdefault(scope_key(kind, building[ref_key]), (kind, building[ref_key], label))
    if item is not None:
        kind, ref = item["scope_kind"], item["scope_ref"]
        label = translate(SCOPE_NAMES[kind], name=item["scope_name"])
        found.setdefault(scope_key(kind, ref), (kind, ref, label))
    return found


def scope_choices(item: dict[str, Any] | None = None) -> dict[str, str]:
    """Return the scopes offered in the form, by token, with their labels."""
    return {key: label for key, (_kind, _ref, label) in scope_options(item).items()}


def chosen_scope(values: dict[str, Any], item: dict[str, Any] | None = None) -> dict[str, str]:
    """Return the scope chosen in the form as the domain takes it, or say to choose one."""
    chosen = scope_options(item).get(values["scope"])
    if chosen is None:
        raise DomainError("scope_unknown", N_("Choose who will see it."), "scope")
    return {"scope_kind": chosen[0], "scope_ref": chosen[1]}


def scope_context(item: dict[str, Any] | None) -> dict[str, Any]:
    """Return what a page of a kind reaching a scope needs: the scopes offered in its form
    (``item``: the one changed) and the scopes' names."""
    return {"scopes": scope_choices(item), "scope_names": SCOPE_NAMES}


def one_scope() -> dict[str, str]:
    """Return a new form's values: the scope already chosen when there is only one."""
    options = list(scope_options())
    return {"scope": options[0] if len(options) == 1 else ""}


def scope_shown_to(item: dict[str, Any]) -> str:
    """Return whom an item reaching a scope is shown to, in words."""
    return translate(SCOPE_NAMES[item["scope_kind"]], name=item["scope_name"])


def _publisher(flow: Flow) -> dict[str, Any] | None:
    return news.publisher_for(db(), g.staff) if flow.for_publisher else None


def _typed(flow: Flow) -> dict[str, Any]:
    """Return what was sent, so that a refused form keeps it."""
    sent = typed(*flow.sent_fields) | {name: request.form.getlist(name) for name in flow.lists}
    return sent | {"language": sent["language"] or my_language()}


def _draft_photo(values: dict[str, Any], item: dict[str, Any] | None) -> str:
    """Return the draft's picture: a new upload, the one already received, or none.

    The picture of the item being changed is kept unless removed or replaced.
    """
    # A photo not yet attached to anything is served only to the session that sent it:
    # that is how the preview can show it.
    received = draft_photos.received([], 1)
    if received:
        return received[0]
    if request.form.get("remove_picture"):
        return ""
    kept = values.get("photo_id") or None
    current = item.get("photo_id") if item else None
    if kept is not None and (kept == current or draft_photos.mine([kept])):
        return kept
    return ""


def _form(
    flow: Flow,
    values: dict[str, Any],
    publisher: dict[str, Any] | None,
    item: dict[str, Any] | None = None,
    error: DomainError | None = None,
):
    """Render the form (``item``: the one being changed), with what was typed and, when
    refused, what is wrong beside its field."""
    template = f"staff/{flow.path}_form.html"
    context = {"flow": flow, "publisher": publisher, "item": item, **flow.context(item)}
    if error is None:
        return render_template(template, values=values, errors={}, **context)
    return refuse(template, error, values, **context)


def _fields(
    flow: Flow,
    values: dict[str, Any],
    publisher: dict[str, Any] | None,
    item: dict[str, Any] | None,
) -> dict[str, Any]:
    fields = flow.fields_of(values, item) | {
        "photo_id": values.get("photo_id") or None,
        "author_staff_id": g.staff["id"],
        "language": values["language"],
        "versions": {
            language: {
                field: values[text_versions.field_name(field, language)]
                for field in flow.kind.texts
            }
            for language in text_versions.LANGUAGES
        },
    }
    if publisher is not None:
        fields["publisher_id"] = publisher["id"]
    return fields


def _write(flow: Flow, fields: dict[str, Any], item: dict[str, Any] | None) -> None:
    if item is None:
        publishing.publish(db(), flow.kind, fields, g.staff["id"])
    else:
        publishing.change(db(), flow.kind, item["id"], g.staff["id"], fields)


def _previewed(flow: Flow, item: dict[str, Any] | None):
    """Receive the draft and its picture; show it as tenants will see it once publishing
    it would succeed, else the form again with what is wrong."""
    publisher = _publisher(flow)
    values = _typed(flow)
    if flow.for_publisher and publisher is None:
        return _form(flow, values, publisher, item), 422
    try:
        values["photo_id"] = _draft_photo(values, item)
        # Publishing inside a savepoint that is undone checks the draft exactly as
        # publishing will, without anyone seeing it yet.
        with db().begin_nested() as trial:
            _write(flow, _fields(flow, values, publisher, item), item)
            trial.rollback()
    except DomainError as error:
        # A picture already received is kept, so it need not be chosen again.
        keep_changes()
        return _form(flow, values, publisher, item, error)
    return render_template(
        f"staff/{flow.path}_preview.html",
        flow=flow,
        values=values,
        publisher=publisher,
        item=item,
        **flow.preview(values, publisher, item),
    )


def _published(flow: Flow, item: dict[str, Any] | None):
    """Publish the draft (previewed, for the kinds that preview), say so and go to my
    items; or go back to the form to change the draft."""
    publisher = _publisher(flow)
    values = _typed(flow)
    if flow.for_publisher and publisher is None:
        return _form(flow, values, publisher, item), 422
    try:
        values["photo_id"] = _draft_photo(values, item)
        if flow.preview is not None and request.form.get("action") != "publish":
            return _form(flow, values, publisher, item)
        _write(flow, _fields(flow, values, publisher, item), item)
    except DomainError as error:
        keep_changes()
        return _form(flow, values, publisher, item, error)
    if values["photo_id"]:
        draft_photos.sent([values["photo_id"]])
    flash(translate(flow.changed if item else flow.published), "success")
    return redirect(url_for(f"staff.{flow.path}_list"))


def register(flow: Flow) -> None:
    """Add the flow's pages to the staff's."""
    guarded = staff_required(flow.permission)

    def list_page():
        publisher = _publisher(flow)
        items = flow.mine(publisher) if publisher or not flow.for_publisher else []
        return render_template(
            f"staff/{flow.path}_list.html",
            flow=flow,
            publisher=publisher,
            items=items,
            now=utcnow(),
            **flow.context(None),
        )

    def new():
        return _form(flow, flow.blank() | _written_in(flow.kind, None), _publisher(flow))

    def change_form(item_id: str):
        item = flow.one(item_id)
        values = flow.values_of(item) | _written_in(flow.kind, item)
        return _form(flow, values, _publisher(flow), item)

    def take_down_form(item_id: str):
        item = flow.one(item_id)
        return render_template(
            "staff/take_down.html",
            flow=flow,
            item=item,
            label=item[flow.kind.label],
            shown_to=flow.shown_to(item),
        )

    def take_down(item_id: str):
        item = flow.one(item_id)
        publishing.take_down(db(), flow.kind, item["id"], g.staff["id"])
        flash(translate(flow.taking_down.done, title=item[flow.kind.label]), "success")
        return redirect(url_for(f"staff.{flow.path}_list"))

    base = f"/{flow.path}"
    one = f"{base}/<item_id>"
    pages: list[tuple[str, str, str, Callable]] = [
        ("list", base, "GET", list_page),
        ("new", f"{base}/new", "GET", new),
        ("publish", base, "POST", lambda: _published(flow, None)),
        ("change_form", f"{one}/change", "GET", change_form),
        ("change", f"{one}/change", "POST", lambda item_id: _published(flow, flow.one(item_id))),
        ("take_down_form", f"{one}/take-down", "GET", take_down_form),
        ("take_down", f"{one}/take-down", "POST", take_down),
    ]
    if flow.preview is not None:
        pages += [
            ("preview", f"{base}/preview", "POST", lambda: _previewed(flow, None)),
            (
                "change_preview",
                f"{one}/preview",
                "POST",
                lambda item_id: _previewed(flow, flow.one(item_id)),
            ),
        ]
    for page, rule, method, view in pages:
        blueprint.add_url_rule(rule, f"{flow.path}_{page}", guarded(view), methods=[method])


@blueprint.app_template_global()
def pages_of(path: str) -> list[str]:
    """Return the endpoints of a flow's pages, for the menu to mark the one they belong to."""
    return [f"staff.{path}_{page}" for page in PAGES]
