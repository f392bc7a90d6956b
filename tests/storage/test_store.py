"""The SQLite store round-trips entries exactly and keeps target history."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quell.core.entries import Entry, Source, Target
from quell.core.errors import InputError
from quell.core.habits import Direction, Kind, user_habit
from quell.core.settings import Settings
from quell.core.tracker import Tracker
from quell.storage.database import open_database, transaction
from quell.storage.errors import StorageError
from quell.storage.store import UNDO_KEEP_SECONDS, SqliteStore
from tests.conftest import FakeClock

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
    import quell.storage.store as store_module
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


# -- the change stamp: when a summary read earlier is no longer true -----------------------


def _raw_entry(db: sqlite3.Connection, amount: float = 300.0) -> None:
    at = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
    db.execute("INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail, source,"
               " created) VALUES ('water', ?, 0, ?, ?, '', '{}', 'import', 0)",
               (int(at.timestamp()), DAY.isoformat(), amount))


def test_change_stamp_moves_for_every_change_to_what_a_summary_reads(store: SqliteStore
                                                                     ) -> None:
    db = store.connection
    stamp = store.change_stamp()
    assert store.change_stamp() == stamp  # reading changes nothing
    store.entries_between(DAY, DAY)
    assert store.change_stamp() == stamp
    seen = {stamp}
    entry = store.add_entry(Entry("water", datetime(2026, 3, 10, 9, tzinfo=timezone.utc), DAY,
                                  250))
    assert entry.id is not None
    for change in (lambda: store.update_entry(replace(entry, amount=500)),
                   lambda: store.delete_entry(entry.id),
                   lambda: store.restore_entry(entry.id),
                   lambda: store.set_target(Target("water", 2500, None, DAY)),
                   lambda: store.set_enabled_habits(["water", "caffeine", "sleep"]),
                   lambda: _raw_entry(db),  # an import writing with SQL of its own
                   lambda: db.execute("UPDATE habits SET enabled = 1")):
        change()
        now = store.change_stamp()
        assert now not in seen
        assert now[0] == stamp[0]  # only other connections move the first part
        seen.add(now)


def test_change_stamp_ignores_tables_a_summary_does_not_read(store: SqliteStore) -> None:
    stamp = store.change_stamp()
    store.connection.execute(
        "INSERT INTO handled_requests (id, op, output, handled) VALUES ('r1', 'log', '', 0)")
    assert store.change_stamp() == stamp


def test_change_stamp_sees_another_connections_commit(store: SqliteStore, tmp_path: Path
                                                      ) -> None:
    stamp = store.change_stamp()
    other = sqlite3.connect(tmp_path / "quell.db", isolation_level=None)
    try:
        _raw_entry(other)
    finally:
        other.close()
    assert store.change_stamp()[0] != stamp[0]


def test_change_stamp_returns_after_a_rolled_back_write(store: SqliteStore) -> None:
    db = store.connection
    stamp = store.change_stamp()
    with pytest.raises(RuntimeError), transaction(db):
        store.add_entry(Entry("water", datetime(2026, 3, 10, 9, tzinfo=timezone.utc), DAY, 250))
        assert store.change_stamp() != stamp
        raise RuntimeError("the outer work failed")
    assert store.change_stamp() == stamp


def test_enabled_habits_switched_by_an_import_are_seen(store: SqliteStore) -> None:
    assert "exercise" in store.enabled_habits()
    store.connection.execute("UPDATE habits SET enabled = 0 WHERE key = 'exercise'")
    store.change_stamp()
    assert "exercise" not in store.enabled_habits()


# -- the tracker's days in memory stay true on real SQLite ---------------------------------


@pytest.fixture
def tracker(store: SqliteStore) -> Tracker:
    clock = FakeClock(datetime(2026, 3, 10, 14, 30, tzinfo=timezone.utc), timezone.utc)
    return Tracker(store, clock, Settings)


def test_a_logged_entry_rolled_back_with_its_request_leaves_the_summary(
        tracker: Tracker, store: SqliteStore) -> None:
    # A command and the record that it was handled commit together; when the second fails,
    # the entry is gone, and the summary held in memory must not keep it.
    assert tracker.summary().get("water").total == 0
    with pytest.raises(RuntimeError), transaction(store.connection):
        assert tracker.log("water", 250).progress.total == 250
        raise RuntimeError("could not record the request")
    assert tracker.summary().get("water").total == 0
    assert tracker.log("water", 500).progress.total == 500


def test_entries_written_around_the_tracker_are_seen(tracker: Tracker, store: SqliteStore,
                                                      tmp_path: Path) -> None:
    assert tracker.summary().get("water").total == 0
    _raw_entry(store.connection, 300)            # an import on the same connection
    assert tracker.summary().get("water").total == 300
    other = sqlite3.connect(tmp_path / "quell.db", isolation_level=None)
    try:
        _raw_entry(other, 200)                   # another process
    finally:
        other.close()
    assert tracker.summary().get("water").total == 500
    assert tracker.log("water", 250).progress.total == 750


def test_a_day_read_once_is_not_read_again_for_each_write(tracker: Tracker,
                                                          store: SqliteStore) -> None:
    for _ in range(50):
        _raw_entry(store.connection, 10)
    tracker.summary()
    statements: list[str] = []
    store.connection.set_trace_callback(statements.append)
    try:
        tracker.log("water", 250)
        tracker.summary()
    finally:
        store.connection.set_trace_callback(None)
    assert not [s for s in statements if "FROM entries WHERE day" in s]
    assert [s for s in statements if s.startswith("INSERT INTO entries")]


# -- the user's own habits (issue 10) ---------------------------------------------------------



def _tracker(tmp_path: Path) -> tuple[Tracker, SqliteStore]:
    clock = FakeClock(datetime(2026, 3, 10, 14, 30, tzinfo=timezone.utc))
    store = SqliteStore(open_database(tmp_path, DAY).connection)
    return Tracker(store, clock, Settings), store


def test_user_habits_persist_in_the_database(tmp_path: Path) -> None:
    tracker, store = _tracker(tmp_path)
    added = tracker.add_habit(user_habit("Screen time", "hours", Kind.DURATION,
                                         Direction.RANGE, 1, 3, [0.5, 1]))
    tracker.add_habit(user_habit("Ate late", "times", Kind.COUNT, Direction.NONE))
    tracker.log("screen_time", 2)
    again, _store = _tracker(tmp_path)  # another connection, as after a restart
    assert again.habits.user == (added, again.habits.get("ate_late"))
    assert again.enabled_habits()[-2:] == ["screen_time", "ate_late"]
    progress = again.summary().get("screen_time")
    assert progress is not None and (progress.total, progress.target,
                                     progress.target_max) == (2, 1, 3)
    assert store.targets_on(date(1990, 1, 1))["screen_time"].value_max == 3
    assert "ate_late" not in store.targets_on(DAY)  # no goal: no target row


def test_archive_and_order_persist_and_history_stays(tmp_path: Path) -> None:
    tracker, store = _tracker(tmp_path)
    tracker.add_habit(user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 4))
    tracker.log("tea", 2)
    tracker.archive_habit("tea")
    assert store.enabled_habits()[-1] != "tea"
    assert [e.habit for e in store.entries_between(DAY, DAY)] == ["tea"]
    again, _store = _tracker(tmp_path)
    assert again.habits.get("tea").archived
    again.restore_habit("tea")
    order = [h.key for h in again.habits.offered()]
    again.set_habit_order(["tea", *order[:-1]])
    third, _store = _tracker(tmp_path)
    assert third.enabled_habits()[0] == "tea"
    assert not third.habits.get("tea").archived


def test_a_habit_change_by_another_connection_is_seen(tmp_path: Path) -> None:
    tracker, _store = _tracker(tmp_path)
    assert tracker.habits.user == ()
    other, _other_store = _tracker(tmp_path)
    other.add_habit(user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 4))
    assert tracker.habits.get("tea").label == "Tea"
    assert tracker.summary().get("tea") is not None


def test_a_failed_habit_write_leaves_nothing(tmp_path: Path) -> None:
    tracker, store = _tracker(tmp_path)
    habit = user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 4)
    store.connection.execute(
        "CREATE TRIGGER no_targets BEFORE INSERT ON targets BEGIN SELECT RAISE(ABORT, 'no'); END")
    with pytest.raises(sqlite3.IntegrityError):
        tracker.add_habit(habit)
    assert store.habit_definitions() == [] and "tea" not in store.habit_order()


def test_an_unreadable_stored_habit_is_a_storage_error(tmp_path: Path) -> None:
    tracker, store = _tracker(tmp_path)
    tracker.add_habit(user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 4))
    store.connection.execute("UPDATE habits SET unit = 'furlongs' WHERE key = 'tea'")
    with pytest.raises(StorageError, match="cannot read \\('tea'"):
        store.habit_definitions()
    store.connection.execute("UPDATE habits SET unit = 'cups', quick = '[\"x\"]'"
                             " WHERE key = 'tea'")
    with pytest.raises(StorageError, match="quick amounts"):
        store.habit_definitions()


def test_update_of_a_builtin_row_is_refused_by_the_store(store: SqliteStore) -> None:
    with pytest.raises(ValueError):
        store.update_habit(user_habit("Tea", "cups", Kind.COUNT, Direction.NONE), None)
    with pytest.raises(InputError):
        user_habit("Water", "ml", Kind.AMOUNT, Direction.NONE)
