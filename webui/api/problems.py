"""What the API refuses before the domain is asked (wrong content, no code), and the
shape of every refusal."""

from __future__ import annotations

from pydantic import BaseModel, Field

from core.domain.errors import N_, DomainError


class RefusedLine(BaseModel):
    """A refused line of a roster."""

    line: int
    message: str


class FieldProblem(BaseModel):
    """One of several fields refused at once."""

    field: str | None
    code: str
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details; detail is in the person's language."""

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable reason.")
    field: str | None = Field(None, description="The field at fault, when there is one.")
    lines: list[RefusedLine] | None = Field(None, description="Refused roster lines.")
    errors: list[FieldProblem] | None = Field(
        None, description="Every field refused, when several are (field and code: the first)."
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
