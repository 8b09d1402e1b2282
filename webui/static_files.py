"""Static files kept by browsers for a year, sent compressed: repeat views cost the page alone.

Pages name each static file by its fingerprinted name (``url_for('static', ...)`` and the
icons' sprite), which changes when the file does: browsers keep it a year without asking
again (``immutable``). The files are built once when the web service starts
(``webui/static_build.py``) into the ``static_dir`` folder, from which a front server can
later serve them itself; what it cannot find there it passes here:

- a file's own name (``css/portal.css``) gets the current file, checked again at each use;
- an earlier fingerprint (a page opened before an upgrade and shown again) gets that
  version while its file is still in the folder, and otherwise the current file, checked
  again at each use: a page styled a little differently is better than one unstyled,
  and the current file is never kept under an old name;
- any other name is not found (404).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, send_from_directory
from werkzeug.security import safe_join

from webui import static_build

STATIC_PATH = "/static"
# RFC 8246: a fingerprinted name never names other content, so it is never checked again.
KEPT_A_YEAR = "public, max-age=31536000, immutable"
CHECKED_EACH_TIME = "no-cache"


class StaticFiles:
    """The build folder and its manifest: which file answers which name."""

    def __init__(self, folder: Path, manifest: dict[str, str]):
        self.folder = folder
        self.manifest = manifest
        self._current = set(manifest.values())

    def url_name(self, name: str) -> str:
        """Return the name pages use for the file: its fingerprinted name when it has one."""
        return self.manifest.get(name, name)

    def find(self, filename: str) -> tuple[str, bool] | None:
        """Return the built file answering the name and whether it never changes, or None."""
        if filename in self._current:
            return filename, True
        name = static_build.logical_name(filename)
        if name not in self.manifest:
            return None
        if name != filename:
            earlier = safe_join(str(self.folder), filename)
            if earlier is not None and Path(earlier).is_file():
                return filename, True
        return self.manifest[name], False


def init_app(app: Flask, folder: Path) -> None:
    """Build the static files into ``folder``, serve them and name them in pages."""
    files = StaticFiles(folder, static_build.build(static_build.SOURCE, folder))
    app.extensions["static_files"] = files
    app.add_url_rule(f"{STATIC_PATH}/<path:filename>", endpoint="static", view_func=_send)

    @app.url_defaults
    def _fingerprinted(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = files.url_name(values["filename"])

    # Built once: the sprite is named by every icon of every page.
    app.jinja_env.globals["icons_url"] = f"{STATIC_PATH}/{files.url_name('icons.svg')}"


def _send(filename: str) -> Response:
    files: StaticFiles = current_app.extensions["static_files"]
    found = files.find(filename)
    if found is None:
        abort(404)
    name, never_changes = found
    encoding, suffix = _encoding_for(files.folder / name)
    response = send_from_directory(
        files.folder, name + suffix, mimetype=mimetypes.guess_type(name)[0], conditional=True
    )
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = KEPT_A_YEAR if never_changes else CHECKED_EACH_TIME
    return response


def _encoding_for(path: Path) -> tuple[str | None, str]:
    """Return the best encoding the browser accepts with a sibling on disk, and its suffix."""
    accepted = request.accept_encodings
    best: tuple[str | None, str] = (None, "")
    best_quality = 0.0
    for encoding, (suffix, _) in static_build.ENCODINGS.items():
        quality = accepted[encoding]
        if quality > best_quality and path.with_name(path.name + suffix).is_file():
            best, best_quality = (encoding, suffix), quality
    return best
