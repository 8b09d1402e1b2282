"""The box's domain: estate, people and access codes, news, works notices, reports.

Functions take an SQLAlchemy Connection and plain values; nothing here knows about
HTTP or Flask, so the web service, the box agent and the command line share it.
"""
