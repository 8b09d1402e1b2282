"""How much a post and an answer on the noticeboard hold.

Apart from the rules (``noticeboard``) so that the link's messages, which those rules
send, check the same limits when they arrive (``core.messages.noticeboard``).
"""

from __future__ import annotations

MAX_TITLE = 140
MAX_BODY = 5000
MAX_COMMENT = 2000
