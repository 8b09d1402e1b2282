"""A publication in the tenants' languages: the language it was written in, and its
versions in the others.

News, works notices, deals and partners' services are written in one language — the
original — and may carry a version of their text fields in each of the other two. A
version is checked by the same rules as the original's fields (there when they must be,
no longer than their column), so a version in part is refused as an original would be;
a version left empty is no version. Each field of a version goes by its own name in
forms, the API and refusals: ``<field>_<language>`` (``title_ar``).

A reader gets each field in their language when it has a version, else in the
original's, and is told so (``shown_to``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.domain.errors import N_, DomainError, FieldChecks

LANGUAGES = ("fr", "en", "ar")
RIGHT_TO_LEFT = frozenset({"ar"})
# What was written before publications knew their language was written in French.
FIRST_LANGUAGE = "fr"

# How a field's text is checked: (what was typed, the field's name) -> the text kept, or
# DomainError naming the field.
Check = Callable[[str, str], str]

WRONG_LANGUAGE = N_("Choose the language the text is written in.")
SAME_LANGUAGE = N_("The text is already written in this language. Leave this version empty.")
UNKNOWN_VERSION = N_("A version is in French, English or Arabic.")


class InVersion(DomainError):
    """A field of a version refused: the refusal of the same field in the original, said
    of the version's language."""

    def __init__(self, refusal: DomainError, language: str):
        super().__init__(refusal.code, refusal.message, refusal.field, **refusal.params)
        self.language = language


def field_name(field: str, language: str) -> str:
    """Return the name a field of a version goes by (``title_ar``)."""
    return f"{field}_{language}"


def direction(language: str) -> str:
    """Return which way a language is written: ``rtl`` or ``ltr``."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def checked(
    texts: Mapping[str, Check], language: str | None, versions: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Return the original's language and the versions kept (``{language: {field:
    text}}``, each field's text checked by its check), or refuse everything wrong at
    once. No language said is the first language."""
    checks = FieldChecks()
    original = language or FIRST_LANGUAGE
    if original not in LANGUAGES:
        checks.refuse(DomainError("language_unknown", WRONG_LANGUAGE, "language"))
    given = dict(versions or {})
    for other in given:
        if other not in LANGUAGES:
            checks.refuse(DomainError("version_unknown", UNKNOWN_VERSION, "versions"))
            break
    kept: dict[str, dict[str, str]] = {}
    for other in LANGUAGES:
        typed = given.get(other) or {}
        if not any((typed.get(field) or "").strip() for field in texts):
            continue
        if other == original:
            first = next(field for field in texts if (typed.get(field) or "").strip())
            checks.refuse(
                InVersion(
                    DomainError("version_same", SAME_LANGUAGE, field_name(first, other)), other
                )
            )
            continue
        version = {}
        for field, check in texts.items():
            text = checks.check(_in_version(check, typed.get(field) or "", field, other))
            if text:
                version[field] = text
        kept[other] = version
    checks.done()
    return {"language": original, "versions": kept}


def _in_version(check: Check, typed: str, field: str, language: str) -> Callable[[], str]:
    def checking() -> str:
        try:
            return check(typed, field_name(field, language))
        except DomainError as refused:
            raise InVersion(refused, language) from None

    return checking


@dataclass(frozen=True)
class Shown:
    """One field as a reader sees it: its text and the language it is in."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text


def shown_to(item: Mapping[str, Any], fields: tuple[str, ...], reader: str) -> dict[str, Any]:
    """Return the item's fields in the reader's language where it has a version, else in
    the original's; ``untranslated`` is the original's language when a field is shown
    in it rather than the reader's, else None."""
    original = item.get("language") or FIRST_LANGUAGE
    version = (item.get("versions") or {}).get(reader) or {}
    shown: dict[str, Any] = {}
    untranslated = None
    for field in fields:
        text = version.get(field)
        if text:
            shown[field] = Shown(text, reader)
        else:
            shown[field] = Shown(item.get(field) or "", original)
            if original != reader and item.get(field):
                untranslated = original
    shown["untranslated"] = untranslated
    return shown
