"""Configuration: defaults, a TOML file, RESIDACOEUR_* variables; secrets made once."""

import os
import stat
from pathlib import Path

import pytest

from core.config import SETTINGS, ConfigError, load_config
from core.secrets import ensure_secrets

DOCS = Path(__file__).parents[2] / "docs" / "CONFIGURATION.md"


def test_environment_overrides_the_file_which_overrides_defaults(tmp_path):
    file = tmp_path / "box.toml"
    file.write_text('workers = 3\nbox_name = "Les Tilleuls"\n', encoding="utf-8")
    config = load_config(file, environ={"RESIDACOEUR_WORKERS": "5"})
    assert config["workers"] == 5
    assert config["box_name"] == "Les Tilleuls"
    assert config["timezone"] == "Europe/Paris"


def test_the_database_defaults_to_sqlite_in_the_data_folder(tmp_path):
    config = load_config(environ={"RESIDACOEUR_DATA_DIR": str(tmp_path)})
    assert config["database_url"] == f"sqlite:///{tmp_path / 'box.sqlite3'}"
    hub = load_config(environ={"RESIDACOEUR_DATA_DIR": str(tmp_path), "RESIDACOEUR_ROLE": "hub"})
    assert hub["database_url"] == f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"RESIDACOEUR_WORKERS": "many"}, "whole number"),
        ({"RESIDACOEUR_SECURE_COOKIES": "perhaps"}, "true or false"),
    ],
)
def test_a_bad_value_is_explained(environ, message):
    with pytest.raises(ConfigError, match=message):
        load_config(environ=environ)


def test_an_unknown_setting_in_the_file_is_refused(tmp_path):
    file = tmp_path / "box.toml"
    file.write_text("wokers = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="wokers"):
        load_config(file, environ={})


def test_every_setting_is_documented():
    documented = DOCS.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in documented]
    assert missing == []


def test_secrets_are_made_once_and_readable_only_by_the_box(tmp_path):
    first = ensure_secrets(tmp_path)
    assert ensure_secrets(tmp_path) == first
    assert len(first["session_key"]) == 64 and first["session_key"] != first["access_code_pepper"]
    mode = stat.S_IMODE(os.stat(tmp_path / "secrets.json").st_mode)
    assert mode == 0o600
