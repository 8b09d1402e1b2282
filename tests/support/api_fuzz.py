"""Fuzz the JSON API from its OpenAPI document, in process, as a person signed in.

Schemathesis draws requests from the document — ones it allows and ones that break it —
and each goes to the Flask app through Werkzeug's client with the person's session cookie
and CSRF token, so signed-in routes really run instead of answering 401. An id in a path,
a query or a body is, one time in two, the id of something in the database, so requests
reach the code behind the 404. Every 5xx is kept with the request that caused it and the
traceback the app logged, and the run goes on: one run shows every failure, as drawn
(nothing fails inside Hypothesis, so it never shrinks).
"""

from __future__ import annotations

import logging
import random
import re
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, GenerationMode
from sqlalchemy import Table, select

from core.storage import schema as tables
from tests.support.api_client import PREFIX, Api

# What each name of a path parameter, a query parameter or a body field is the id of.
_IDS: dict[str, tuple[Table, ...]] = {
    "report_id": (tables.reports,),
    "post_id": (tables.posts,),
    "news_id": (tables.news,),
    "notice_id": (tables.works_notices,),
    "dwelling_id": (tables.dwellings,),
    "conversation_id": (tables.conversations,),
    "profile_id": (tables.profiles,),
    "member_id": (tables.profiles,),
    "to": (tables.profiles,),
    "event_id": (tables.events,),
    "skill_id": (tables.skills,),
    "request_id": (tables.help_requests,),
    "deal_id": (tables.deals,),
    "partner_id": (tables.partners,),
    "building_id": (tables.buildings,),
    "building": (tables.buildings,),
    "residences": (tables.residences,),
    "target_id": (tables.posts, tables.post_comments, tables.messages, tables.profiles),
}
# The session cookie in a command line; the CSRF token is already "[Filtered]".
_SESSION_COOKIE = re.compile(r"-H 'Cookie: [^']*' ")
# Whatever is sent, an operation the person may not use is answered one of these: after
# a few such answers it is left alone, and the time goes to the operations they use.
_REFUSED = {401, 403}
# Lines of the app's traceback kept in a report: the frames nearest the error.
_TRACEBACK_LINES = 12
# Instants and days at the edges of what Python's datetime holds, with the widest
# offsets, a leap day and a leap second: drawn at random, they are too rare for a run of
# minutes to meet.
_EDGE_INSTANTS = (
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59.999999Z",
    "2024-02-29T12:00:00+01:00",
    "2016-12-31T23:59:60Z",
    "2030-01-01T00:00:00.1234567890Z",
)
_EDGE_DAYS = ("0001-01-01", "9999-12-31", "2024-02-29")


@dataclass(frozen=True)
class Persona:
    """Someone the API is fuzzed as.

    ``sign_in`` is called at the start and again whenever the session has ended (signing
    out and erasing one's profile are operations like the others). ``other_sessions``
    make the session some operations (by path) are sent from instead: signing in with a
    PIN needs a device where a code was typed and nobody is signed in yet."""

    name: str
    app: Flask
    sign_in: Callable[[], Api]
    other_sessions: Mapping[str, Callable[[], Api]] = field(default_factory=dict)


@dataclass(frozen=True)
class Budget:
    """How many requests to draw per operation (``probe`` first, to tell whether the
    person may use it at all), from a seed, for one round or until ``seconds`` passed."""

    examples: int
    probe: int
    seed: int | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class ServerError:
    """A request answered 5xx, or whose handling raised out of the app."""

    persona: str
    operation: str
    status: int
    request: str
    traceback: str

    def __str__(self) -> str:
        tail = "\n".join(self.traceback.rstrip().splitlines()[-_TRACEBACK_LINES:])
        return (
            f"{self.status} for the {self.persona}: {self.operation}\n"
            f"  {self.request}\n{_indent(tail or '(nothing logged)')}"
        )

    def place(self) -> tuple[str, int, str]:
        """Where it failed: the operation and the traceback's last line, to count it once."""
        lines = self.traceback.strip().splitlines()
        return self.operation, self.status, lines[-1] if lines else ""


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


class _Logged(logging.Handler):
    """Keep the traceback the app logs when it answers 500."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.tracebacks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.tracebacks.append("".join(traceback.format_exception(*record.exc_info)))


@contextmanager
def _kept_tracebacks(app: Flask) -> Iterator[_Logged]:
    """Keep the tracebacks the app logs for the report, instead of printing each one."""
    kept = _Logged()
    handlers, propagate = app.logger.handlers[:], app.logger.propagate
    app.logger.handlers[:] = [kept]
    app.logger.propagate = False
    try:
        yield kept
    finally:
        app.logger.handlers[:] = handlers
        app.logger.propagate = propagate


def _credentials(app: Flask, api: Api) -> dict[str, dict[str, str]]:
    """The session cookie and CSRF token of this client, as the fuzzer sends them."""
    token = api.get("/session").get_json()["csrf_token"]
    cookie = api.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, "the client has no session cookie"
    return {"cookies": {cookie.key: cookie.value}, "headers": {"X-CSRFToken": token}}


class _Session:
    """The persona's session: signed in again when an operation ended it."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.api = persona.sign_in()
        self.credentials = _credentials(persona.app, self.api)

    def for_operation(self, operation: APIOperation) -> dict[str, dict[str, str]]:
        other = self.persona.other_sessions.get(operation.path)
        return self.credentials if other is None else _credentials(self.persona.app, other())

    def renew_if_ended(self) -> None:
        if self.api.get("/session").get_json()["signed_in"] is None:
            self.api = self.persona.sign_in()
            self.credentials = _credentials(self.persona.app, self.api)


def _use_edge_dates() -> None:
    """Have Schemathesis draw the document's date-time and date strings with the edges."""
    offsets = st.one_of(
        st.just("Z"),
        st.builds(
            "{}{:02d}:{:02d}".format, st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59)
        ),
    )
    instants = st.builds(
        lambda moment, offset: moment.isoformat(timespec="seconds") + offset,
        st.datetimes(),
        offsets,
    )
    schemathesis.openapi.format("date-time", st.sampled_from(_EDGE_INSTANTS) | instants)
    schemathesis.openapi.format("date", st.sampled_from(_EDGE_DAYS) | st.dates().map(str))


def _order(operation: APIOperation) -> tuple[int, str, str]:
    # Things are made first, so later operations find their ids; signing out and erasing
    # come last, so the session they end is missed by as few operations as possible.
    if operation.path.startswith("/session") or operation.path == "/me/erase":
        rank = 3
    elif operation.method == "post" and "{" not in operation.path:
        rank = 0
    elif operation.method == "delete":
        rank = 2
    else:
        rank = 1
    return rank, operation.path, operation.method


def _in_order(table: Table) -> list[Any]:
    # In the order things were made, so a seed picks the same ones again (ids are random).
    made = [table.c.created_at] if "created_at" in table.c else []
    return [*made, table.c.id]


def _known_ids(app: Flask) -> dict[str, list[str]]:
    """A few ids of each kind that the database holds now."""
    known: dict[str, list[str]] = {}
    with app.extensions["engine"].connect() as connection:
        for name, sources in _IDS.items():
            known[name] = [
                found
                for table in sources
                for found in connection.execute(
                    select(table.c.id).order_by(*_in_order(table)).limit(20)
                ).scalars()
            ]
    return known


def _with_known_ids(data: st.DataObject, case: Case, known: dict[str, list[str]]) -> None:
    """Put real ids in place of some drawn ones."""
    places: list[dict[str, Any]] = [case.path_parameters, case.query or {}]
    if isinstance(case.body, dict):
        places.append(case.body)
    for place in places:
        for name in [name for name in place if known.get(name)]:
            if data.draw(st.booleans()):
                chosen = data.draw(st.sampled_from(known[name]))
                place[name] = [chosen] if isinstance(place[name], list) else chosen


def _request(case: Case) -> str:
    """The request as a command line, the person's cookie and token left out."""
    try:
        return _SESSION_COOKIE.sub("", case.as_curl_command())
    except Exception as error:  # a request the command line cannot hold is still told
        return f"{case.method} {case.formatted_path} {case.query!r} {case.body!r} ({error})"


def _fuzz_operation(
    persona: Persona,
    operation: APIOperation,
    credentials: dict[str, dict[str, str]],
    examples: int,
    run_seed: int,
    logged: _Logged,
) -> tuple[set[int], list[ServerError]]:
    """Send ``examples`` requests drawn for the operation; return the statuses and 5xx."""
    known = _known_ids(persona.app)
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, **credentials),
        operation.as_strategy(GenerationMode.NEGATIVE, **credentials),
    )
    label = f"{operation.method.upper()} {PREFIX}{operation.path}"
    statuses: set[int] = set()
    found: list[ServerError] = []

    @seed(run_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def send(data: st.DataObject) -> None:
        case = data.draw(cases)
        _with_known_ids(data, case, known)
        logged.tracebacks.clear()
        try:
            status = case.call().status_code
        except Exception:  # raised out of the app: a server would answer 500
            status = 500
            logged.tracebacks.insert(0, traceback.format_exc())
        statuses.add(status)
        if status >= 500:
            found.append(
                ServerError(persona.name, label, status, _request(case), "".join(logged.tracebacks))
            )

    send()
    return statuses, found


def fuzz(
    persona: Persona, budget: Budget, report: Callable[[str], None] | None = None
) -> list[ServerError]:
    """Fuzz every operation of the document as this persona; return each distinct 5xx.

    ``report`` is told each seed and each new 5xx as the run goes."""
    _use_edge_dates()
    document = schemathesis.openapi.from_wsgi(
        PREFIX + "/openapi.json", persona.app, config=schemathesis.Config()
    )
    operations = sorted((result.ok() for result in document.get_all_operations()), key=_order)
    session = _Session(persona)
    with _kept_tracebacks(persona.app) as logged:
        return _rounds(persona, budget, operations, session, logged, report or _quiet)


def _quiet(_: str) -> None:
    pass


def _rounds(
    persona: Persona,
    budget: Budget,
    operations: list[APIOperation],
    session: _Session,
    logged: _Logged,
    report: Callable[[str], None],
) -> list[ServerError]:
    ends = None if budget.seconds is None else time.monotonic() + budget.seconds
    errors: dict[tuple[str, int, str], ServerError] = {}
    while True:
        run_seed = budget.seed if budget.seed is not None else random.randrange(2**32)
        report(f"{persona.name}: seed {run_seed}")
        for operation in operations:
            if ends is not None and time.monotonic() > ends:
                return list(errors.values())
            credentials = session.for_operation(operation)
            sent = (persona, operation, credentials)
            statuses, found = _fuzz_operation(*sent, budget.probe, run_seed, logged)
            if not statuses <= _REFUSED:
                found += _fuzz_operation(*sent, budget.examples, run_seed, logged)[1]
            for error in found:
                if error.place() not in errors:
                    errors[error.place()] = error
                    report(str(error))
            session.renew_if_ended()
        if ends is None or time.monotonic() > ends:
            return list(errors.values())
