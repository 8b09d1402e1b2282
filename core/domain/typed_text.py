"""What people type, checked the same way everywhere: trimmed, line breaks made plain,
no hidden control characters, there when it must be, and no longer than its column.
The messages are shared, so each is translated once.

Control characters (NUL, escape, delete, the C1 block) and unpaired surrogates are
never typed on purpose: they come with a paste or from a hostile client, show as
nothing, and break what reads the text later — PostgreSQL refuses NUL, a surrogate
cannot be written as UTF-8, a terminal or a spreadsheet may act on an escape. They are
refused, so what is stored is what people see. Line breaks of every kind (CR LF, a lone
CR from an old Mac, the vertical tab a word processor pastes, U+2028) become a newline
in a text and one space in a line; a tab stays in a text.
"""

from __future__ import annotations

import re

from core.domain.errors import N_, DomainError

TEXT_LONG = N_("The text is too long (%(count)d characters at most).")
TITLE_LONG = N_("The title is too long (%(count)d characters at most).")
HIDDEN_CHARACTER = N_(
    "The text holds a hidden control character. Type it again instead of pasting it."
)

# C0 controls but tab and newline, DEL, C1 controls, and surrogates (lone, since a
# Python string holds pairs as one character).
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def text(
    value: str | None,
    field: str,
    limit: int,
    missing: str | None = None,
    long: str = TEXT_LONG,
) -> str:
    """Return free text trimmed, its line breaks made newlines; refuse it empty (when
    ``missing`` says why), too long or holding a hidden character."""
    return _checked(plain(value, field), field, limit, missing, long)


def line(
    value: str | None,
    field: str,
    limit: int,
    missing: str | None = None,
    long: str = TITLE_LONG,
) -> str:
    """Return a title on one line, its runs of spaces and line breaks made one space;
    refuse it empty (when ``missing`` says why), too long or holding a hidden character."""
    return _checked(plain(value, field, one_line=True), field, limit, missing, long)


def plain(value: str | None, field: str, one_line: bool = False) -> str:
    """Return text trimmed with its line breaks made plain; refuse a hidden character.

    For fields whose emptiness and length are checked by their own rules.
    """
    cleaned = _plain_breaks(value or "", one_line)
    if _HIDDEN.search(cleaned):
        raise DomainError(f"{field}_control", HIDDEN_CHARACTER, field)
    return cleaned


def without_hidden(value: str | None) -> str:
    """Return text with its line breaks made newlines and hidden characters dropped.

    For writing out text that was stored before these rules, or that another box sent.
    """
    return _HIDDEN.sub("", _plain_breaks(value or "", one_line=False))


def _plain_breaks(value: str, one_line: bool) -> str:
    # str.split() and str.splitlines() know every Unicode space and line break.
    if one_line:
        return " ".join(value.split())
    return "\n".join(value.splitlines()).strip()


def _checked(value: str, field: str, limit: int, missing: str | None, long: str) -> str:
    if not value and missing is not None:
        raise DomainError(f"{field}_missing", missing, field)
    if len(value) > limit:
        raise DomainError(f"{field}_long", long, field, count=limit)
    return value
