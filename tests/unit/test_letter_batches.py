"""A batch of letters holds codes in clear: only its maker takes it, once, within the hour,
from files only the box's user may read."""

from __future__ import annotations

import os
import stat
import time

import pytest

from core.domain import letter_batches
from core.domain.errors import NotFound


def _made(data_dir, owner: str = "staff-1", total: int = 3) -> str:
    batch_id = letter_batches.begin(data_dir, owner, total)
    letter_batches.note_progress(data_dir, batch_id, 2)
    with letter_batches.pdf_file(data_dir, batch_id) as handle:
        handle.write(b"%PDF-1.7 letters")
    return batch_id


def test_progress_is_counted_until_the_pdf_is_ready(tmp_path):
    batch_id = letter_batches.begin(tmp_path, "staff-1", 30)
    assert letter_batches.state(tmp_path, batch_id, "staff-1") == {
        "total": 30,
        "done": 0,
        "ready": False,
        "failed": False,
    }
    letter_batches.note_progress(tmp_path, batch_id, 12)
    assert letter_batches.state(tmp_path, batch_id, "staff-1")["done"] == 12
    with letter_batches.pdf_file(tmp_path, batch_id) as handle:
        handle.write(b"%PDF")
    assert letter_batches.state(tmp_path, batch_id, "staff-1")["ready"] is True


def test_the_pdf_is_given_once_to_its_maker_and_gone_from_the_disk(tmp_path):
    batch_id = _made(tmp_path)
    folder = tmp_path / letter_batches.FOLDER / batch_id
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()} == {0o600}
    with pytest.raises(NotFound):
        letter_batches.take(tmp_path, batch_id, "staff-2")
    with letter_batches.take(tmp_path, batch_id, "staff-1") as handle:
        assert handle.read() == b"%PDF-1.7 letters"
    assert not folder.exists()
    with pytest.raises(NotFound):
        letter_batches.take(tmp_path, batch_id, "staff-1")


@pytest.mark.parametrize("batch_id", ["../../secrets.json", "..", "", "a" * 23, "x/y" * 8])
def test_a_batch_id_that_is_not_ours_names_no_file(tmp_path, batch_id):
    with pytest.raises(NotFound):
        letter_batches.state(tmp_path, batch_id, "staff-1")
    with pytest.raises(NotFound):
        letter_batches.take(tmp_path, batch_id, "staff-1")


def test_letters_left_for_an_hour_are_deleted_and_no_longer_given(tmp_path):
    old = _made(tmp_path)
    recent = _made(tmp_path)
    later = time.time() + letter_batches.KEPT_SECONDS - 60
    assert letter_batches.forget_old(tmp_path, now=later) == 0
    # An hour after the first began; a damaged batch goes by its folder's age.
    os.utime(tmp_path / letter_batches.FOLDER / recent, (0, 0))
    (tmp_path / letter_batches.FOLDER / recent / "batch.json").write_text("{")
    assert letter_batches.forget_old(tmp_path, now=time.time() + 2) == 1
    assert (tmp_path / letter_batches.FOLDER / old).is_dir()
    assert letter_batches.forget_old(tmp_path, now=later + 120) == 1
    assert not list((tmp_path / letter_batches.FOLDER).iterdir())
    assert letter_batches.forget_old(tmp_path / "nowhere") == 0
