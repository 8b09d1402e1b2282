"""Confidential access codes: one per dwelling, printed on paper, never stored in clear.

A code is 12 characters from a 30-character alphabet without look-alikes (no 0/O,
1/I/L, U), so 12 × log2(30) ≈ 58.9 bits of entropy. It is printed in three groups of
four (``K7QM-4RZT-9XPD``) and accepted in any case, with or without dashes or spaces.

Only a keyed hash (HMAC-SHA256 with the box's pepper from its secrets file) is kept:
it can be looked up by index, and a stolen database alone does not reveal the codes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import Connection, select, update

from core.domain import sessions
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError
from core.storage.schema import access_codes

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
_SEPARATORS = str.maketrans("", "", " -_.\t")


def generate() -> str:
    """Return a new random code, in its canonical form (12 characters, no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def printable(code: str) -> str:
    """Return the code in groups of four, as printed on the tenant's letter."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str:
    """Return the canonical form of what a person typed, or explain what is wrong."""
    code = (typed or "").translate(_SEPARATORS).upper()
    if not code:
        raise DomainError("code_missing", N_("Please type the code from your letter."), "code")
    wrong = sorted({c for c in code if c not in ALPHABET})
    if wrong:
        raise DomainError(
            "code_characters",
            N_(
                "The code has letters or numbers that are never used: %(chars)s. "
                "Check your letter: there is no O, 0, I, L, 1 or U."
            ),
            "code",
            chars=" ".join(wrong),
        )
    if len(code) != LENGTH:
        raise DomainError(
            "code_length",
            N_("The code has 12 letters and numbers. You typed %(count)d."),
            "code",
            count=len(code),
        )
    return code


def lookup_key(pepper: str, code: str) -> str:
    """Return the keyed hash under which a canonical code is stored."""
    return hmac.new(pepper.encode(), code.encode(), hashlib.sha256).hexdigest()


def issue(connection: Connection, pepper: str, dwelling_id: str) -> str:
    """Revoke the dwelling's current code and return a new one (shown once, never stored)."""
    now = utcnow()
    revoke(connection, dwelling_id)
    while True:
        code = generate()
        key = lookup_key(pepper, code)
        taken = connection.execute(
            select(access_codes.c.id).where(access_codes.c.lookup == key)
        ).first()
        if taken is None:
            break
    connection.execute(
        access_codes.insert().values(
            id=new_id(), dwelling_id=dwelling_id, lookup=key, issued_at=now
        )
    )
    return code


def revoke(connection: Connection, dwelling_id: str) -> bool:
    """Stop the dwelling's current code from working, and end its household's sessions on
    every device; tell whether there was a code."""
    sessions.end_household(connection, dwelling_id)
    result = connection.execute(
        update(access_codes)
        .where(access_codes.c.dwelling_id == dwelling_id, access_codes.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount > 0


def find(connection: Connection, pepper: str, typed: str) -> dict[str, Any] | None:
    """Return the live code row matching what was typed, or None."""
    key = lookup_key(pepper, normalise(typed))
    row = (
        connection.execute(
            select(access_codes).where(
                access_codes.c.lookup == key, access_codes.c.revoked_at.is_(None)
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def is_live(connection: Connection, code_id: str) -> bool:
    """Tell whether a code found a moment ago still works (not replaced, not revoked)."""
    return (
        connection.execute(
            select(access_codes.c.id).where(
                access_codes.c.id == code_id, access_codes.c.revoked_at.is_(None)
            )
        ).first()
        is not None
    )


def is_used(connection: Connection, code_id: str) -> bool:
    """Tell whether a profile was already created with this code."""
    return (
        connection.execute(
            select(access_codes.c.activated_at).where(access_codes.c.id == code_id)
        ).scalar()
        is not None
    )


def mark_activated(connection: Connection, code_id: str) -> None:
    """Record the first time a household used its code."""
    connection.execute(
        update(access_codes)
        .where(access_codes.c.id == code_id, access_codes.c.activated_at.is_(None))
        .values(activated_at=utcnow())
    )
