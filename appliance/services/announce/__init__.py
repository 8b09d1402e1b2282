"""The box found by name on the building's network: mDNS host name and DNS-SD services.

``residacoeur box announce`` runs it; it owns the box's one zeroconf instance.
"""
