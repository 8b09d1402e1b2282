"""The demo's households and staff, handed out so that tests never share what they change.

A test that signs a tenant in, files a report or switches a profile's language takes a
dwelling of its own: the next test finds every other household as the demo made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Household:
    """A dwelling of the demo with its access code and the profiles already made."""

    dwelling: str
    building: str
    code: str
    profiles: tuple[dict[str, str], ...] = ()

    @property
    def member(self) -> dict[str, str]:
        """The first person of the household (name, PIN, language)."""
        return self.profiles[0]


@dataclass
class Households:
    """Gives each test its own household, new or with profiles."""

    all: list[Household] = field(repr=False)
    taken: set[str] = field(default_factory=set)

    @classmethod
    def from_logins(cls, logins: dict[str, Any], portal: str) -> Households:
        """Take the households whose code works on this portal."""
        return cls(
            [
                Household(t["dwelling"], t["building"], t["code"], tuple(t["profiles"]))
                for t in logins["tenants"]
                if t["url"].rstrip("/") == portal.rstrip("/")
            ]
        )

    def take(
        self, *, with_profiles: bool, locale: str | None = None, members: int = 1
    ) -> Household:
        """Return a household no other test has taken, with or without profiles (at least
        ``members`` of them); the smallest fitting one, so larger ones stay for tests that
        need them."""
        for household in sorted(self.all, key=lambda h: len(h.profiles)):
            if household.dwelling in self.taken or bool(household.profiles) != with_profiles:
                continue
            if with_profiles and len(household.profiles) < members:
                continue
            if locale and household.member["locale"] != locale:
                continue
            self.taken.add(household.dwelling)
            return household
        kind = f"with {members}+ profiles" if with_profiles else "without profiles"
        raise LookupError(f"every demo household {kind} ({locale or 'any language'}) is taken")

    def look_at(self, *, with_profiles: bool) -> Household:
        """Return a household for a test that only reads pages and changes nothing."""
        return next(h for h in self.all if bool(h.profiles) == with_profiles)


def staff_member(logins: dict[str, Any], role: str) -> dict[str, str]:
    """Return the demo's first staff member with this role: username, password, console."""
    return next(member for member in logins["staff"] if member["role"] == role)
