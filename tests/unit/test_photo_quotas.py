"""A session and a household keep only so many draft photos, counted and weighed; the
oldest go first, never those of the form being sent nor photos already in use. (Staff
drafts are counted at the hub too, hence PostgreSQL as well as SQLite.)"""

from datetime import timedelta

from sqlalchemy import select, update

from core.domain import photo_quotas, photos, reports
from core.domain.clock import utcnow
from core.storage.schema import photos as photo_rows

MIB = 1024 * 1024


def _drafts(connection, owner: str, sizes: list[int]) -> list[str]:
    """Store drafts of these sizes, oldest first, a minute apart."""
    start = utcnow() - timedelta(hours=1)
    ids = []
    for minute, size in enumerate(sizes):
        photo_id = photos.store(connection, b"\xff" * size, 10, 10, draft_of=owner)
        connection.execute(
            update(photo_rows)
            .where(photo_rows.c.id == photo_id)
            .values(created_at=start + timedelta(minutes=minute))
        )
        ids.append(photo_id)
    return ids


def _stored(connection) -> set[str]:
    return set(connection.execute(select(photo_rows.c.id)).scalars())


def test_past_a_session_weight_the_oldest_drafts_go(database):
    with database.begin() as connection:
        ids = _drafts(connection, "dwelling-1", [2 * MIB] * 5)
        kept = photo_quotas.within_quotas(connection, ids, "dwelling-1", keep=[ids[-1]])
        assert kept == ids[2:]
        assert _stored(connection) == set(ids[2:])
        assert sum(2 * MIB for _ in kept) <= photo_quotas.SESSION_BYTES


def test_past_a_household_weight_its_oldest_drafts_go_whoever_sent_them(database):
    with database.begin() as connection:
        # Three sessions of the same household, and a neighbour's drafts.
        earlier = _drafts(connection, "dwelling-1", [2 * MIB] * 6)
        neighbour = _drafts(connection, "dwelling-2", [2 * MIB] * 3)
        newest = _drafts(connection, "dwelling-1", [2 * MIB] * 3)
        household = earlier + newest
        photo_quotas.within_quotas(connection, newest, "dwelling-1", keep=newest)
        fit = photo_quotas.HOUSEHOLD_BYTES // (2 * MIB)
        assert _stored(connection) == set(household[-fit:]) | set(neighbour)


def test_the_photos_of_the_form_being_sent_never_go(database):
    with database.begin() as connection:
        ids = _drafts(connection, "dwelling-1", [100] * 9)
        kept = photo_quotas.within_quotas(connection, ids, "dwelling-1", keep=ids[:3])
        assert len(kept) == photo_quotas.SESSION_PHOTOS
        assert kept == ids[:3] + ids[-3:]


def test_a_photo_in_use_is_no_draft_and_never_goes(engine, small_estate, resident):
    odette = resident("A-01", "Odette")
    owner = small_estate.dwellings["A-01"]
    with engine.begin() as connection:
        (used,) = _drafts(connection, owner, [100])
        reports.file(connection, odette, "lift", "lift", "Panne", [used])
        drafts = _drafts(connection, owner, [100] * (photo_quotas.HOUSEHOLD_PHOTOS + 1))
        photo_quotas.within_quotas(connection, drafts[-1:], owner, keep=drafts[-1:])
        assert _stored(connection) == {used, *drafts[1:]}
        assert photo_quotas.still_kept(connection, [used, drafts[0], drafts[1]]) == [drafts[1]]
