"""What the API refuses before the domain is asked: unreadable bodies, wrong content, no code."""

from __future__ import annotations

from appliance.domain.errors import N_, DomainError


class MalformedBody(DomainError):
    """A body that is not what the endpoint reads (broken JSON, a list, not text)."""

    status = 400

    def __init__(self) -> None:
        super().__init__(
            "body_malformed", N_("This request could not be understood. Send a JSON object.")
        )


class UnsupportedContent(DomainError):
    """A body sent as another kind of content than the endpoint accepts."""

    status = 415

    def __init__(self, expected: str) -> None:
        super().__init__(
            "content_type_unsupported",
            N_("This kind of content is not accepted here. Send %(expected)s."),
            expected=expected,
        )


class CodeFirst(DomainError):
    """Choosing a profile before typing the household's code (or after it expired)."""

    status = 401

    def __init__(self) -> None:
        super().__init__("code_first", N_("Type the code from your letter first."), "code")
