"""The static files as the box serves them: named by their content, compressed ahead of time.

Each file of ``webui/static/`` is written to the build folder under a name that carries
a fingerprint of its content (``css/portal.3f9a1c2e4b5d.css``), and each text file beside
it compressed once, at the highest settings, with gzip (``.gz``) and brotli (``.br``)
when that is smaller. ``manifest.json`` maps each file's own name to its fingerprinted
one. A front server can serve the folder as it is (nginx's ``gzip_static`` and
``brotli_static``); the web service does until then (``webui/static_files.py``).

Names come from content, so building again what is already built writes nothing, and
several processes building the same files at once each replace a file whole with the
same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import posixpath
import re
import tempfile
from pathlib import Path

import brotli

SOURCE = Path(__file__).resolve().parent / "static"
MANIFEST = "manifest.json"
COMPRESSED = (".css", ".js", ".svg")
# Each encoding as browsers name it in Accept-Encoding, best first, with the suffix of
# its sibling (the one nginx's brotli_static and gzip_static look for) and its compressor.
ENCODINGS = {
    "br": (".br", brotli.compress),
    "gzip": (".gz", lambda data: gzip.compress(data, 9, mtime=0)),
}
FINGERPRINT_LENGTH = 12
_FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.[0-9a-f]{{{FINGERPRINT_LENGTH}}}(?P<suffix>\.[^./]+)$"
)
_CSS_URL = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<target>[^'")]+)(?P=quote)\s*\)""")


def logical_name(filename: str) -> str:
    """Return a fingerprinted name without its fingerprint, or the name as it is."""
    found = _FINGERPRINTED.match(filename)
    return found["stem"] + found["suffix"] if found else filename


def build(source: Path, target: Path) -> dict[str, str]:
    """Write the fingerprinted and compressed files of ``source`` into ``target``.

    Returns the manifest: each file's own name (``css/portal.css``) and its fingerprinted
    name, both relative to their folder, with ``/`` between folders.
    """
    contents: dict[str, bytes] = {}
    names = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    for name in names:
        _fingerprint(name, source, names, contents)
    manifest = {name: _fingerprinted(name, data) for name, data in contents.items()}
    for name, data in contents.items():
        _write_once(target / manifest[name], data)
    manifest_text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    manifest_file = target / MANIFEST
    if not manifest_file.exists() or manifest_file.read_text(encoding="utf-8") != manifest_text:
        _replace(manifest_file, manifest_text.encode("utf-8"))
    return manifest


def _fingerprint(name: str, source: Path, names: list[str], contents: dict[str, bytes]) -> None:
    """Read the file into ``contents``; a stylesheet names the other files by fingerprint."""
    if name in contents:
        return
    data = (source / name).read_bytes()
    if name.endswith(".css"):
        # Put first, so that a stylesheet naming itself (or a loop) ends here.
        contents[name] = data
        data = _with_fingerprinted_urls(name, data, source, names, contents)
    contents[name] = data


def _with_fingerprinted_urls(
    name: str, data: bytes, source: Path, names: list[str], contents: dict[str, bytes]
) -> bytes:
    folder = posixpath.dirname(name)

    def fingerprinted(found: re.Match[str]) -> str:
        reference = found["target"].strip()
        path, tail = _split_reference(reference)
        resolved = posixpath.normpath(posixpath.join(folder, path))
        if ":" in path or path.startswith(("/", "#")) or resolved not in names:
            return found[0]
        _fingerprint(resolved, source, names, contents)
        renamed = _fingerprinted(resolved, contents[resolved])
        quote = found["quote"]
        return f"url({quote}{posixpath.relpath(renamed, folder or '.')}{tail}{quote})"

    return _CSS_URL.sub(fingerprinted, data.decode("utf-8")).encode("utf-8")


def _split_reference(reference: str) -> tuple[str, str]:
    """Split ``icons.svg#i-home`` (or ``a.woff2?v=1``) into the path and what follows."""
    end = min((reference.index(mark) for mark in "?#" if mark in reference), default=None)
    return (reference, "") if end is None else (reference[:end], reference[end:])


def _fingerprinted(name: str, data: bytes) -> str:
    stem, suffix = posixpath.splitext(name)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:FINGERPRINT_LENGTH]}{suffix}"


def _write_once(path: Path, data: bytes) -> None:
    """Write the file and its compressed siblings, unless an earlier build did."""
    if path.exists():
        return
    if path.suffix in COMPRESSED:
        for sibling, compress in ENCODINGS.values():
            packed = compress(data)
            # A sibling no smaller is left out: the front server then sends the file itself.
            if len(packed) < len(data):
                _replace(path.with_name(path.name + sibling), packed)
    # Last: a file that exists has its siblings.
    _replace(path, data)


def _replace(path: Path, data: bytes) -> None:
    """Write the file whole under a passing name, then put it in place at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, passing = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(passing, 0o644)
        os.replace(passing, path)
    except BaseException:
        Path(passing).unlink(missing_ok=True)
        raise
