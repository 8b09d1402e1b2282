"""Files only their owner may read are written whole, in one step, at mode 0600."""

from __future__ import annotations

import os
import stat

import pytest

from core.private_files import private_file


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_file_once_readable_by_others_is_replaced_by_one_only_its_owner_reads(tmp_path):
    path = tmp_path / "link.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    with private_file(path) as handle:
        handle.write('{"password": "secret"}')
    assert _mode(path) == 0o600
    assert path.read_text() == '{"password": "secret"}'
    assert os.listdir(tmp_path) == ["link.json"]


def test_a_writer_that_fails_leaves_the_old_file_whole(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text("old")
    with pytest.raises(RuntimeError), private_file(path) as handle:
        handle.write("half")
        raise RuntimeError("disk full")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["secrets.json"]


def test_bytes_and_a_folder_not_yet_there(tmp_path):
    path = tmp_path / "tls" / "key.pem"
    with private_file(path, "wb") as handle:
        handle.write(b"-----BEGIN PRIVATE KEY-----\n")
    assert _mode(path) == 0o600 and path.read_bytes().startswith(b"-----BEGIN")
