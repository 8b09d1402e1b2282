"""Video rooms between neighbours, hosted by the box: signalling and forwarding of media.

``residacoeur box rooms`` runs it (asyncio, its own process); pages reach it by
WebSocket through the front server at ``/live/rooms/``.
"""
