"""The SQLite twitch diary round-trips episodes exactly; deletions are undoable, then purged."""

from __future__ import annotations

import sqlite3
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quell.core.entries import Source
from quell.core.twitches import Twitch
from quell.storage.database import open_database
from quell.storage.twitch_store import UNDO_KEEP_SECONDS, SqliteTwitchStore

DAY = date(2026, 3, 10)


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    return open_database(tmp_path, DAY).connection


@pytest.fixture
def store(db: sqlite3.Connection) -> SqliteTwitchStore:
    return SqliteTwitchStore(db)


def twitch(hours: float = 12, day: date = DAY, **changes: object) -> Twitch:
    at = datetime(2026, 3, 10, tzinfo=timezone.utc) + timedelta(hours=hours)
    return Twitch(**{"area": "calf", "at": at, "day": day, **changes})  # type: ignore[arg-type]


def test_round_trip_keeps_offset_side_strength_note_and_source(store: SqliteTwitchStore) -> None:
    at = datetime(2026, 3, 10, 23, 45, 30, 999, tzinfo=timezone(timedelta(hours=-5)))
    stored = store.add_twitch(Twitch("eyelid", at, DAY, "left", 4, "after coffee", Source.CLI))
    assert stored.id is not None
    again = store.get_twitch(stored.id)
    assert again == stored
    assert again is not None and again.at.utcoffset() == timedelta(hours=-5)
    assert again.at.microsecond == 0
    assert store.count_twitches() == 1


def test_between_days_in_time_order(store: SqliteTwitchStore) -> None:
    store.add_twitch(twitch(2))
    store.add_twitch(twitch(1, area="thigh"))
    store.add_twitch(twitch(30, day=DAY + timedelta(days=1)))
    assert [t.area for t in store.twitches_between(DAY, DAY)] == ["thigh", "calf"]
    assert len(store.twitches_between(DAY, DAY + timedelta(days=1))) == 3
    assert store.twitches_between(DAY - timedelta(days=5), DAY - timedelta(days=1)) == []


def test_update(store: SqliteTwitchStore) -> None:
    stored = store.add_twitch(twitch())
    changed = store.update_twitch(Twitch("hand", stored.at + timedelta(hours=1), DAY, "both",
                                         5, "new", id=stored.id))
    assert store.get_twitch(changed.id or 0) == changed
    with pytest.raises(ValueError):
        store.update_twitch(twitch())


def test_delete_restore_and_last(store: SqliteTwitchStore) -> None:
    early = store.add_twitch(twitch(1))
    late = store.add_twitch(twitch(5, area="foot"))
    assert store.last_twitch() == late
    assert late.id is not None
    store.delete_twitch(late.id)
    assert store.get_twitch(late.id) is None
    assert store.last_twitch() == early
    assert store.twitches_between(DAY, DAY) == [early]
    store.restore_twitch(late.id)
    assert store.last_twitch() == late


def test_old_deletions_are_purged(store: SqliteTwitchStore, db: sqlite3.Connection) -> None:
    old = store.add_twitch(twitch(1))
    other = store.add_twitch(twitch(2))
    assert old.id is not None and other.id is not None
    store.delete_twitch(old.id)
    db.execute("UPDATE twitches SET deleted=? WHERE id=?",
               (int(time.time()) - UNDO_KEEP_SECONDS - 10, old.id))
    store.delete_twitch(other.id)
    ids = [row[0] for row in db.execute("SELECT id FROM twitches")]
    assert ids == [other.id]


def test_schema_refuses_a_strength_outside_1_to_5(store: SqliteTwitchStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.add_twitch(twitch(intensity=9))
    assert store.count_twitches() == 0


def test_naive_times_are_refused(store: SqliteTwitchStore) -> None:
    with pytest.raises(ValueError):
        store.add_twitch(Twitch("calf", datetime(2026, 3, 10, 12), DAY))
