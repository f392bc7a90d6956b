"""The SQLite store round-trips entries exactly and keeps target history."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from desktop.core.entries import Entry, Source, Target
from desktop.storage.database import open_database
from desktop.storage.store import UNDO_KEEP_SECONDS, SqliteStore

DAY = date(2026, 3, 10)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    return SqliteStore(open_database(tmp_path, DAY).connection)


def test_entry_round_trip_keeps_offset_detail_and_source(store: SqliteStore) -> None:
    at = datetime(2026, 3, 10, 23, 45, 30, 999, tzinfo=timezone(timedelta(hours=-5)))
    stored = store.add_entry(Entry("sleep", at, DAY, 7.25, "naps too",
                                   {"bed": "2026-03-10T16:30-05:00"}, Source.CLI))
    assert stored.id is not None
    again = store.get_entry(stored.id)
    assert again == stored
    assert again.at.utcoffset() == timedelta(hours=-5)
    assert again.at.microsecond == 0


def test_entries_between_days_in_time_order(store: SqliteStore) -> None:
    base = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
    for hours, day in ((2, DAY), (1, DAY), (30, DAY + timedelta(days=1))):
        store.add_entry(Entry("water", base + timedelta(hours=hours), day, 250))
    assert [e.at.hour for e in store.entries_between(DAY, DAY)] == [13, 14]
    assert len(store.entries_between(DAY, DAY + timedelta(days=1))) == 3


def test_soft_delete_restore_and_purge(store: SqliteStore, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    at = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
    first = store.add_entry(Entry("water", at, DAY, 250))
    assert first.id is not None
    store.delete_entry(first.id)
    assert store.get_entry(first.id) is None
    assert store.entries_between(DAY, DAY) == []
    store.restore_entry(first.id)
    assert store.get_entry(first.id) is not None

    store.delete_entry(first.id)
    import desktop.storage.store as store_module
    real_time = store_module.time.time
    monkeypatch.setattr(store_module.time, "time", lambda: real_time() + UNDO_KEEP_SECONDS + 10)
    second = store.add_entry(Entry("water", at, DAY, 500))
    assert second.id is not None
    store.delete_entry(second.id)  # purges entries deleted more than a week ago
    rows = store.connection.execute("SELECT id FROM entries").fetchall()
    assert [r[0] for r in rows] == [second.id]


def test_targets_in_force_by_day(store: SqliteStore) -> None:
    assert store.targets_on(DAY)["water"].value == 2000
    store.set_target(Target("water", 2500, None, DAY))
    store.set_target(Target("water", 3000, None, DAY + timedelta(days=5)))
    assert store.targets_on(DAY - timedelta(days=1))["water"].value == 2000
    assert store.targets_on(DAY + timedelta(days=4))["water"].value == 2500
    assert store.targets_on(DAY + timedelta(days=5))["water"].value == 3000
    store.set_target(Target("water", 2600, None, DAY))  # same day: replaced, not duplicated
    assert [t.value for t in store.target_history("water")] == [2000, 2600, 3000]
    assert store.targets_on(DAY)["sleep"].value_max == 9


def test_enabled_habits_in_order(store: SqliteStore) -> None:
    store.set_enabled_habits(["water", "caffeine", "sleep", "stretching", "minerals"])
    assert store.enabled_habits() == ["water", "caffeine", "sleep", "stretching", "minerals"]
