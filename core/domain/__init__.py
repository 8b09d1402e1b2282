"""The rules that boxes and the hub share: estate, people and access codes, news, works
notices, reports, community life, the outbox.

Functions take an SQLAlchemy Connection and plain values; nothing here knows about
HTTP or Flask, so the web services, the box agent, the hub ingest and the command line
share it.
"""
