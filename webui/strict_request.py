"""Requests read strictly, before any other hook or view: what cannot be read is refused whole.

Werkzeug reads forms leniently: a multipart part without a name becomes a field named
None (Flask-WTF's CSRF check then fails with a server error), a part without a
Content-Disposition makes the whole form silently empty, a byte that is not UTF-8
becomes U+FFFD or stays as a literal "%FF", and a part may declare latin-1. Here a form
is read as UTF-8 only, every part named, or refused.

A NUL or an unpaired surrogate anywhere a request carries text (its address, its query,
its form, its JSON body) is refused too: PostgreSQL cannot store a
NUL nor UTF-8 a surrogate, so such text could only end as a server error wherever it
reaches the database — a username at sign-in, an id in an address. Other control
characters are the domain's call (``typed_text``), so a form comes back with the
message beside its field and nothing typed is lost.

A JSON body is read strictly too: UTF-8 only (``json.loads`` would take UTF-16 and
UTF-32 bytes as well), and nested as deep as a client likes without a server error.

A refused request gets a 400 with a message in the person's language: a page, or
problem details under /api/.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from typing import IO, Any
from urllib.parse import parse_qsl

from flask import Flask, Request, request
from werkzeug.datastructures import Headers, MultiDict
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.http import parse_options_header

from core.domain.errors import N_, DomainError

_FORMS = {"multipart/form-data", "application/x-www-form-urlencoded"}
_UTF8 = {"utf-8", "utf8", "us-ascii", "ascii"}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Werkzeug decodes each form field with errors="replace", whatever its parser is told;
# this codec is UTF-8 that stays strict whatever it is asked, so a wrong byte fails the
# form instead of becoming U+FFFD.
_STRICT_UTF8 = "residacoeur_strict_utf_8"


class UnreadableRequest(DomainError):
    """A request that is not well-formed UTF-8 text: a browser never sends one."""

    status = 400

    def __init__(self) -> None:
        super().__init__(
            "request_unreadable",
            N_("What was sent could not be read. Reload the page and send it again."),
        )


class MalformedBody(DomainError):
    """A body that is not what the endpoint reads (broken JSON, a list, not text)."""

    status = 400

    def __init__(self) -> None:
        super().__init__(
            "body_malformed", N_("This request could not be understood. Send a JSON object.")
        )


def unstorable(text: str) -> bool:
    """Tell whether text holds a character no database can store (NUL, a lone surrogate)."""
    return _UNSTORABLE.search(text) is not None


class StrictRequest(Request):
    """A Flask request whose form and JSON body are read strictly."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """Return the JSON body, None when there is none; refuse one that cannot be read,
        even when asked to be silent about it."""
        if not (force or self.is_json):
            return super().get_json(force, silent, cache)
        if "strict_json" in self.__dict__:
            return self.__dict__["strict_json"]
        try:
            # RecursionError is not a ValueError: Flask would let it through as a server
            # error. Decoded as UTF-8 first, since json.loads takes UTF-16 and -32 too.
            body = json.loads(self.get_data(cache=True).decode())
        except (ValueError, RecursionError):
            raise MalformedBody() from None
        if _holds_unstorable(body):
            raise MalformedBody()
        self.__dict__["strict_json"] = body
        return body

    def make_form_data_parser(self) -> FormDataParser:
        return _StrictFormParser(
            self._get_file_stream,
            max_form_memory_size=self.max_form_memory_size,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
            silent=False,
        )

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except ValueError as error:
            # An empty form for whoever reads it while the error is answered.
            self.__dict__["form"] = self.parameter_storage_class()
            self.__dict__["files"] = self.parameter_storage_class()
            raise UnreadableRequest() from error


class _StrictFormParser(FormDataParser):
    def parse(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str] | None = None,
    ) -> tuple[IO[bytes], MultiDict, MultiDict]:
        if mimetype in _FORMS and (options or {}).get("charset", "utf-8").lower() not in _UTF8:
            raise ValueError("a form in another charset than UTF-8")
        stream, form, files = super().parse(stream, mimetype, content_length, options)
        if None in form or None in files:
            raise ValueError("a form part without a name")
        return stream, form, files

    def _parse_urlencoded(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict
    ) -> tuple[IO[bytes], MultiDict, MultiDict]:
        # The stream is already bounded by the largest request the box accepts.
        items = parse_qsl(stream.read().decode(), keep_blank_values=True, errors="strict")
        return stream, self.cls(items), self.cls()

    def _parse_multipart(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict
    ) -> tuple[IO[bytes], MultiDict, MultiDict]:
        parser = _StrictParts(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("a multipart form without a boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


class _StrictParts(MultiPartParser):
    def get_part_charset(self, headers: Headers) -> str:
        content_type = headers.get("content-type")
        charset = parse_options_header(content_type)[1].get("charset", "utf-8")
        if charset.lower() not in _UTF8:
            raise ValueError("a form part in another charset than UTF-8")
        return _STRICT_UTF8


def _holds_unstorable(body: Any) -> bool:
    """Tell whether a text anywhere in a JSON value is unstorable, walking without
    recursion whatever the depth."""
    waiting: list[Any] = [body]
    while waiting:
        value = waiting.pop()
        if isinstance(value, str):
            if unstorable(value):
                return True
        elif isinstance(value, dict):
            waiting.extend(value)
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)
    return False


def _strict_utf8(name: str) -> codecs.CodecInfo | None:
    if name != _STRICT_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        utf8.encode, lambda data, errors="strict": utf8.decode(data, "strict"), name=name
    )


codecs.register(_strict_utf8)


def _texts(fields: MultiDict) -> Iterable[Any]:
    for name, values in fields.lists():
        yield name
        yield from values


def _refuse_unreadable() -> None:
    """Read the form before anyone else, and refuse text that cannot be stored."""
    sent = [request.path, *_texts(request.args), *_texts(request.form)]
    if any(isinstance(text, str) and unstorable(text) for text in sent):
        raise UnreadableRequest()


def init_app(app: Flask) -> None:
    """Read every request strictly; refuse one that cannot be read before other hooks run."""
    app.request_class = StrictRequest
    app.before_request(_refuse_unreadable)
