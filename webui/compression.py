"""Pages and the API's answers sent compressed to the browsers that accept it (flask-compress).

A page compresses to about a fifth of its size, which on a building's shared Wi-Fi is
what a person waits for. Pages are compressed as they leave, after the page cache kept
them whole (``webui/page_cache.py``), at brotli's and gzip's fast settings. Static files
are not compressed here: they come compressed ahead of time (``webui/static_files.py``).
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

# What the app itself writes; static files set their own Content-Encoding.
RENDERED = ["text/html", "application/json", "application/problem+json"]


def init_app(app: Flask) -> None:
    """Compress pages and JSON answers with brotli or gzip, as the browser prefers."""
    app.config.update(
        COMPRESS_MIMETYPES=RENDERED,
        # Every browser a tenant has speaks gzip; brotli is smaller where it is spoken.
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br", "gzip"],
    )
    Compress(app)
