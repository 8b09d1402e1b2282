"""What people type, checked the same way everywhere: trimmed, there when it must be,
and no longer than its column. The messages are shared, so each is translated once."""

from __future__ import annotations

from appliance.domain.errors import N_, DomainError

TEXT_LONG = N_("The text is too long (%(count)d characters at most).")
TITLE_LONG = N_("The title is too long (%(count)d characters at most).")


def text(
    value: str | None,
    field: str,
    limit: int,
    missing: str | None = None,
    long: str = TEXT_LONG,
) -> str:
    """Return free text trimmed; refuse it empty (when ``missing`` says why) or too long."""
    return _checked((value or "").strip(), field, limit, missing, long)


def line(value: str | None, field: str, limit: int, missing: str) -> str:
    """Return a title on one line, its runs of spaces and line breaks made one space;
    refuse it empty or too long."""
    return _checked(" ".join((value or "").split()), field, limit, missing, TITLE_LONG)


def _checked(value: str, field: str, limit: int, missing: str | None, long: str) -> str:
    if not value and missing is not None:
        raise DomainError(f"{field}_missing", missing, field)
    if len(value) > limit:
        raise DomainError(f"{field}_long", long, field, count=limit)
    return value
