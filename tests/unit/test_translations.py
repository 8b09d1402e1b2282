"""Every message of the interface is translated into French and Arabic, placeholders intact."""

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).parents[2] / "webui" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def _extract(output: Path):
    root = TRANSLATIONS.parents[1]
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(root / "babel.cfg"),
            "-k",
            "N_",
            "-k",
            "t",
            "--no-location",
            "-o",
            str(output),
            str(root),
        ]
    )
    with open(output, "rb") as handle:
        return read_po(handle)


def test_every_module_that_marks_messages_is_read_for_them():
    root = TRANSLATIONS.parents[1]
    read = re.findall(r"^\[python: (\w+)/\*\*\.py\]$", (root / "babel.cfg").read_text(), re.M)
    marking = {
        path.relative_to(root).parts[0]
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {"tests", "bench", ".venv", "build"}
        and "N_(" in path.read_text(encoding="utf-8")
    }
    assert marking - set(read) == set(), "add these folders to babel.cfg"


def test_the_catalogs_hold_every_message_of_the_code(tmp_path, monkeypatch):
    monkeypatch.chdir(TRANSLATIONS.parents[1])
    expected = {message.id for message in _extract(tmp_path / "messages.pot") if message.id}
    for locale in ("fr", "en", "ar"):
        present = {message.id for message in _catalog(locale) if message.id}
        assert expected - present == set(), f"run scripts/translations.sh ({locale})"


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_every_message_is_translated_with_the_same_placeholders(locale):
    missing, broken = [], []
    for message in _catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            missing.append(ids[0])
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) - wanted - {"num"}:
                broken.append(ids[0])
    assert missing == [], f"{len(missing)} messages without a {locale} translation"
    assert broken == []
