"""How much one box's credentials may push through the broker to the hub, whoever holds them.

The rules plugin (``link/broker_rules.c``) keeps a token bucket per box username, one for
MQTT messages and one for bytes of payload: a box may send a burst at once, then a
sustained rate. Beyond either, the broker drops what the box publishes (a PUBACK "not
authorised" at QoS 1) without passing it on, and the box's outbox sends it again
``link.sending_window.RESEND_AFTER_S`` later, like any message the hub has not acknowledged. The
hub is never limited. docs/PROTOCOL.md, "How much a box may send", gives the figures
behind these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from link import sending_window

# A box back after days offline sends its whole window at once: it goes through whole,
# even with each envelope alone in its MQTT message (bundled, 100 share one).
MESSAGE_BURST = sending_window.WINDOW
# The window counts its bodies in characters; they travel in UTF-8, where an accented
# letter takes two bytes, each inside an envelope of about 200 bytes. Twice the window
# covers both.
BYTE_BURST = 2 * sending_window.WINDOW_BYTES
# Past its window, a catching-up box sends as fast as the hub acknowledges, in bundles
# of 100 envelopes: at the byte rate below, 17 bundles of reports (60 KiB) a second, 40
# of the smallest envelopes, or a photo (2 MiB in base64) every two seconds. Otherwise
# a box sends a message now and then: a report, an acknowledgement, its telemetry.
MESSAGES_PER_S = 200
BYTES_PER_S = 1024 * 1024


@dataclass(frozen=True)
class BoxRate:
    """What each box may publish: a sustained rate and a burst, in messages and in bytes."""

    messages_per_s: int = MESSAGES_PER_S
    message_burst: int = MESSAGE_BURST
    bytes_per_s: int = BYTES_PER_S
    byte_burst: int = BYTE_BURST

    def plugin_options(self) -> dict[str, str]:
        """Return the rules plugin's options that carry this rate."""
        return {
            "box_messages_per_s": str(self.messages_per_s),
            "box_message_burst": str(self.message_burst),
            "box_bytes_per_s": str(self.bytes_per_s),
            "box_byte_burst": str(self.byte_burst),
        }
