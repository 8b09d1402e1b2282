"""Hashing of staff passwords and tenants' personal PINs (Argon2id)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Sized for a Pi-class box: about 20 ms and 16 MiB per check, so a burst of sign-ins
# does not exhaust its memory. Short PINs get their strength from the rate limits.
_HASHER = PasswordHasher(time_cost=2, memory_cost=16 * 1024, parallelism=1)


def hash_secret(secret: str) -> str:
    """Return an Argon2id hash of a password or PIN."""
    return _HASHER.hash(secret)


def check_secret(stored_hash: str, secret: str) -> bool:
    """Tell whether the secret matches the stored hash."""
    try:
        return _HASHER.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False
