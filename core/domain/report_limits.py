"""How much a report holds: its description, its messages, its photos.

Apart from the rules (``reports``) so that the link's messages, which those rules send,
check the same limits when they arrive (``core.messages.reports``).
"""

from __future__ import annotations

MAX_DESCRIPTION = 2000
MAX_MESSAGE = 2000
MAX_PHOTOS = 3
