"""Who is in the video rooms, as the rooms process tells the web service."""

from datetime import UTC, datetime, timedelta

from core.domain import room_presence

NOW = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)


def test_what_the_rooms_process_writes_the_web_service_reads(tmp_path):
    odette = {"profile_id": "p-1", "name": "Odette"}
    karim = {"profile_id": "p-2", "name": "Karim"}
    room_presence.write(tmp_path, {"neighbours-a": [odette, karim], "neighbours-b": []}, NOW)
    assert room_presence.present(tmp_path, NOW + timedelta(seconds=10)) == {
        "neighbours-a": [odette, karim]
    }
    assert (tmp_path / room_presence.PRESENCE_FILE).stat().st_mode & 0o777 == 0o600


def test_an_old_file_says_nobody_is_there(tmp_path):
    room_presence.write(tmp_path, {"neighbours-a": [{"profile_id": "p-1", "name": "O"}]}, NOW)
    later = NOW + room_presence.STALE_AFTER + timedelta(seconds=1)
    assert room_presence.present(tmp_path, later) == {}


def test_no_file_or_a_damaged_one_says_nobody_is_there(tmp_path):
    assert room_presence.present(tmp_path, NOW) == {}
    path = tmp_path / room_presence.PRESENCE_FILE
    path.parent.mkdir()
    written = f'"written_at": "{NOW.isoformat()}"'
    for damaged in (
        "",
        "{",
        "[]",
        '{"written_at": "yesterday", "rooms": {}}',
        '{"rooms": 5}',
        "{" + written + ', "rooms": {"r": ["only a name"]}}',
        "{" + written + ', "rooms": {"r": [{"name": 5, "profile_id": "p"}]}}',
    ):
        path.write_text(damaged, encoding="utf-8")
        assert room_presence.present(tmp_path, NOW) in ({}, {"r": []}), damaged
