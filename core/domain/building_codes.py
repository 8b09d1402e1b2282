"""A building's short code, the first part of its reports' references ("BA-12").

A tenant reads a reference out on the phone and an agent types it in a search box, so
the code is a few capital letters and digits made from the building's name: the first
letter of each word, and numbers whole ("Bâtiment A" gives BA, "Tour 3" gives T3). It is
made once, where the building is made (the hub), and travels to the box with the
building; two names that give the same code get a digit after it (BA, BA2).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

MAX_LENGTH = 8
# Room for a digit after a code that is already taken.
_STEM_LENGTH = 6


def from_name(name: str, taken: Collection[str]) -> str:
    """Return a code for a building of this name that is not one of ``taken``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z]+|[0-9]+", folded)
    stem = "".join(word if word.isdigit() else word[0].upper() for word in words)
    stem = stem[:_STEM_LENGTH] or "B"
    code, suffix = stem, 2
    while code in taken:
        code, suffix = f"{stem}{suffix}", suffix + 1
    return code
