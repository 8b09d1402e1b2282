"""The one error shape of the domain: a code, the field at fault and a message to translate."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the gettext marker's customary name
    """Mark a message for translation without translating it here."""
    return message


class DomainError(Exception):
    """A request the domain refuses, with a message the web layer translates."""

    status = 422

    def __init__(self, code: str, message: str, field: str | None = None, **params: Any):
        super().__init__(message % params if params else message)
        self.code = code
        self.message = message
        self.field = field
        self.params = params


class NotFound(DomainError):
    """Something that does not exist, or that this person may not see."""

    status = 404


class Forbidden(DomainError):
    """An action this person's role does not allow."""

    status = 403


class TooManyAttempts(DomainError):
    """Too many failed attempts in a short time."""

    status = 429

    def __init__(self, retry_after: int):
        super().__init__(
            "too_many_attempts",
            N_("Too many tries. Please wait %(minutes)d minutes and try again."),
            minutes=max(1, (retry_after + 59) // 60),
        )
        self.retry_after = retry_after
