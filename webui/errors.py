"""The one error shape: problem details under /api, a page in the person's language elsewhere."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.domain.errors import DomainError, Refusals, TooManyAttempts
from webui.forms import said

_HTTP_MESSAGES = {
    400: lambda: _("This request could not be understood."),
    401: lambda: _("Please sign in first."),
    403: lambda: _("Your role does not allow this."),
    404: lambda: _("This page does not exist."),
    405: lambda: _("This action is not possible here."),
    413: lambda: _("What you sent is too big. Send smaller photos or fewer of them."),
    408: lambda: _("What you sent took too long to arrive. Please send it again."),
    415: lambda: _("This kind of content is not accepted here."),
    429: lambda: _("Too many tries. Please wait a few minutes and try again."),
    500: lambda: _("Something went wrong. Please try again in a few minutes."),
    503: lambda: _("The portal is busy. Please try again in a moment."),
}


# How long to wait before trying again after a busy database: a write takes milliseconds.
BUSY_RETRY_S = 2


def problem(status: int, detail: str, code: str, field: str | None = None, **extra):
    """Return an RFC 9457 problem-details response."""
    body = {
        "type": f"https://residacoeur.org/problems/{code}",
        "title": code.replace("_", " "),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if field:
        body["field"] = field
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.content_type = "application/problem+json"
    return response


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, message: str):
    return render_template("error.html", status=status, message=message), status


def _domain_error(error: DomainError):
    message = said(error)
    if _is_api():
        extra = {}
        if isinstance(error, Refusals):
            extra["errors"] = [
                {
                    "field": refusal.field,
                    "code": refusal.code,
                    "detail": said(refusal),
                }
                for refusal in error.refusals
            ]
        response = problem(error.status, message, error.code, error.field, **extra)
    else:
        response = _page(error.status, message)
    if isinstance(error, TooManyAttempts):
        response = _with_retry_after(response, error.retry_after)
    return response


def _with_retry_after(response, seconds: int):
    response = make_response(response)
    response.headers["Retry-After"] = str(seconds)
    return response


def _csrf_error(_error: CSRFError):
    message = _(
        "The form could not be sent safely. Go back, reload the page and send it again: "
        "what you typed is still there."
    )
    if _is_api():
        return problem(400, message, "csrf_failed")
    return _page(400, message)


def _http_error(error: HTTPException):
    status = error.code or 500
    message = _HTTP_MESSAGES.get(status, _HTTP_MESSAGES[400])()
    if _is_api():
        return problem(status, message, (error.name or "error").lower().replace(" ", "_"))
    return _page(status, message)


def busy():
    """Answer that the database was busy: a moment later the same request will do."""
    message = _HTTP_MESSAGES[503]()
    response = problem(503, message, "busy") if _is_api() else _page(503, message)
    return _with_retry_after(response, BUSY_RETRY_S)


def unexpected(error: Exception):
    """Log an error nobody expected and answer with the 500 page or problem."""
    return _unexpected(error)


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("unexpected error", exc_info=error)
    message = _HTTP_MESSAGES[500]()
    if _is_api():
        return problem(500, message, "internal_error")
    return _page(500, message)


def init_app(app: Flask) -> None:
    """Route every error to its one shape."""
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
