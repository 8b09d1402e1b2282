"""What crosses the link between a box and the hub, kind by kind: each message kind's body
as a typed model, read the same way by the side that builds it and the side that
receives it, and the builders that read the rows, make the body and put it in the outbox
in the change's transaction. A module per feature (docs/PROTOCOL.md, "Message kinds").

The domain's rule modules call the builders; the builders read only the tables, the
outbox (``core.domain.outbox``) and small leaf helpers, never the rules that call them.
"""
