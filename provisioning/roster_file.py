"""Reading a roster file the way spreadsheets write CSV, in little memory.

A French Excel saves "CSV" in Windows-1252 with ``;`` between columns, "CSV UTF-8"
with a byte-order mark, and an old Mac ends lines with a lone CR. So a file is read
as UTF-8 (with or without the mark) when it is valid UTF-8, else as Windows-1252 —
valid UTF-8 is almost never Windows-1252 text written on purpose — and the first
line's ``;`` or ``,`` says which separates the columns. CR, LF and CR LF all end a
line, as in the spreadsheet.

The file is read line by line, each line bounded, so a huge or broken file (a
one-line export, a quote never closed) is refused at its line without being held
whole: memory stays the same whatever the size of what was sent.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, BinaryIO, TextIO

from core.domain.errors import N_

# A dwelling's line is a few dozen characters; spreadsheets may add empty columns.
MAX_LINE = 4096
# Blank lines count too, so a file of nothing but line breaks ends early.
MAX_LINES = 10_000
# A quoted cell may hold line breaks, but a row over this many lines is a quotation
# mark never closed, which would take in the rest of the file.
MAX_ROW_LINES = 20
_CHUNK = 64 * 1024
_SPOOLED = 1024 * 1024
_BOM = codecs.BOM_UTF8
# The five bytes Windows-1252 leaves undefined.
_NOT_WINDOWS_1252 = re.compile(b"[\x81\x8d\x8f\x90\x9d]")

NOT_TEXT = N_(
    'The file is neither UTF-8 nor Windows text. In your spreadsheet, save it as "CSV UTF-8" '
    "and send it again."
)
LINE_LONG = N_("This line is too long (%(max)d characters at most).")
TOO_MANY_LINES = N_("A list holds %(max)d lines at most. Split it in several lists.")
BROKEN_QUOTES = N_(
    'This line could not be read: a cell opens a quotation mark (") that is never closed.'
)


class Unreadable(Exception):
    """A file that cannot be read past one of its lines; the message is marked N_."""

    def __init__(self, line: int, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.line = line
        self.message = message
        self.params = params


@contextmanager
def opened(file: BinaryIO) -> Iterator[TextIO]:
    """Give the text of a roster file in its encoding; refuse bytes no encoding explains."""
    with ExitStack() as stack:
        if not file.seekable():
            # A request's body or standard input: spooled, since the encoding is known
            # only once everything has been read.
            spooled = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=_SPOOLED))
            shutil.copyfileobj(file, spooled, _CHUNK)
            file = spooled
        file.seek(0)
        encoding, start = _encoding(file)
        file.seek(start)
        text = io.TextIOWrapper(file, encoding=encoding, newline="")
        try:
            yield text
        finally:
            # The caller's file stays open: the wrapper would close it with itself.
            text.detach()


def text_of(file: BinaryIO, limit: int) -> str | None:
    """Return a file's whole text to show it again, or None if longer than ``limit``."""
    try:
        with opened(file) as text:
            whole = text.read(limit + 1)
    except Unreadable:
        return None
    return whole if len(whole) <= limit else None


def rows(text: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Yield (number of its first line, cells) for each row with something written in it.

    Raises Unreadable at the first line that cannot be read: too long, a quotation mark
    never closed, or past the number of lines a list may hold. Lines are bounded before
    the csv module sees them, so its own limit (a 128 KiB cell) is never reached.
    """
    lines = _Lines(text)
    first = next((line for line in lines if line.strip()), "")
    if not first:
        return
    lines.put_back(first)
    reader = csv.reader(lines, delimiter=";" if _semicolons(first) else ",")
    while True:
        number = lines.row_start = lines.count + 1
        row = next(reader, None)
        if row is None:
            return
        if any(cell.strip() for cell in row):
            yield number, row


def _semicolons(header: str) -> bool:
    return ";" in header and header.count(";") >= header.count(",")


class _Lines:
    """The lines of a text, each bounded, counted as they are read."""

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self._back: str | None = None
        self.count = 0
        self.row_start = 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._back is not None:
            line, self._back = self._back, None
        else:
            line = self._text.readline(MAX_LINE + 1)
            if not line:
                raise StopIteration
            if len(line) > MAX_LINE and not line.endswith(("\n", "\r")):
                raise Unreadable(self.count + 1, LINE_LONG, max=MAX_LINE)
        self.count += 1
        if self.count > MAX_LINES:
            raise Unreadable(self.count, TOO_MANY_LINES, max=MAX_LINES)
        if self.count - self.row_start >= MAX_ROW_LINES:
            raise Unreadable(self.row_start, BROKEN_QUOTES)
        return line

    def put_back(self, line: str) -> None:
        self._back = line
        self.count -= 1


def _encoding(file: BinaryIO) -> tuple[str, int]:
    """Return the file's encoding and where its text starts (after a byte-order mark)."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8, not_windows, offset, start = True, None, 0, 0
    while chunk := file.read(_CHUNK):
        if offset == 0 and chunk.startswith(_BOM):
            start = len(_BOM)
        if is_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                is_utf8 = False
        if not_windows is None and (found := _NOT_WINDOWS_1252.search(chunk)):
            not_windows = offset + found.start()
        if not is_utf8 and not_windows is not None:
            break
        offset += len(chunk)
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    if is_utf8:
        return "utf-8", start
    if not_windows is None:
        return "cp1252", start
    raise Unreadable(_line_at(file, not_windows), NOT_TEXT)


def _line_at(file: BinaryIO, offset: int) -> int:
    """Return the number of the line holding the byte at ``offset`` (CR, LF, CR LF end lines)."""
    file.seek(0)
    breaks, carried, left = 0, b"", offset
    while left > 0 and (read := file.read(min(_CHUNK, left))):
        left -= len(read)
        chunk = carried + read
        # A CR at the end of a chunk waits for the next one: it may start a CR LF.
        carried = b"\r" if left and chunk.endswith(b"\r") else b""
        chunk = chunk[: len(chunk) - len(carried)]
        breaks += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
    return breaks + 1
