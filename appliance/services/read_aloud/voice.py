"""A local voice: espeak-ng speaks, ffmpeg makes the sound a small MP3.

Both are Debian packages and need no network. espeak-ng's voices for the portal's
languages; the words go on standard input, never on a command line.
"""

from __future__ import annotations

import subprocess

VOICES = {"fr": "fr", "en": "en-gb", "ar": "ar"}
# Slower than espeak-ng's 175 words a minute: many listeners are elderly.
WORDS_PER_MINUTE = 145
# Mono, 22 kHz, 48 kbit/s: a voice needs no more, and a minute weighs 360 KB.
MP3 = ["-ac", "1", "-ar", "22050", "-b:a", "48k", "-f", "mp3"]
SECONDS = 120


def speak(text: str, language: str) -> bytes:
    """The text said in the language's voice, as MP3."""
    wave = subprocess.run(
        ["espeak-ng", "-v", VOICES[language], "-s", str(WORDS_PER_MINUTE), "--stdin", "--stdout"],
        input=text.encode(),
        capture_output=True,
        check=True,
        timeout=SECONDS,
    ).stdout
    return subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-i", "pipe:0", *MP3, "pipe:1"],
        input=wave,
        capture_output=True,
        check=True,
        timeout=SECONDS,
    ).stdout
