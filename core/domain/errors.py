"""The one error shape of the domain: a code, the field at fault and a message to translate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


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


class Refusals(DomainError):
    """Several fields of one form refused at once, in the form's order: a person fixes
    them in one go rather than one per try. It reads as its first refusal."""

    def __init__(self, refusals: list[DomainError]):
        first = refusals[0]
        super().__init__(first.code, first.message, first.field, **first.params)
        self.refusals = refusals


class FieldChecks:
    """Check a form's fields one by one, keeping each refusal, and refuse them together.

    ``check`` returns what the check returns, or None when it refused; ``done`` raises
    what was refused: the one refusal, or ``Refusals``.
    """

    def __init__(self) -> None:
        self.refused: list[DomainError] = []

    def check(self, checking: Callable[[], T]) -> T | None:
        """Run one field's check; keep its refusal."""
        try:
            return checking()
        except Refusals as refused:
            self.refused.extend(refused.refusals)
        except DomainError as refused:
            self.refused.append(refused)
        return None

    def refuse(self, refusal: DomainError) -> None:
        """Keep a refusal found without a check to run."""
        self.refused.append(refusal)

    def done(self) -> None:
        """Refuse what was refused, if anything."""
        if len(self.refused) == 1:
            raise self.refused[0]
        if self.refused:
            raise Refusals(self.refused)
