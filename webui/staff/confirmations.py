"""One-time confirmations: sending the same confirmed form twice does the action once.

Issuing a code makes the previous one useless; a reloaded page must not silently
replace the code on a letter that was just printed.
"""

from __future__ import annotations

import secrets

from flask import session

_KEPT = 20


def new_token(purpose: str) -> str:
    """Return a token that allows the action once, kept in this person's session."""
    tokens = dict(session.get("once", {}))
    tokens[purpose] = secrets.token_urlsafe(16)
    session["once"] = dict(list(tokens.items())[-_KEPT:])
    return tokens[purpose]


def use_token(purpose: str, token: str) -> bool:
    """Tell whether the token is the live one for this action, and spend it."""
    tokens = dict(session.get("once", {}))
    live = tokens.pop(purpose, None)
    session["once"] = tokens
    return live is not None and secrets.compare_digest(live, token or "")
