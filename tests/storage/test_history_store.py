"""HistoryStore: daily totals (sums, highest stress, deleted entries left out), targets over
time, twitches per day and per area, reminder outcomes by local hour, and days off."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from quell.core.entries import Target
from quell.core.errors import InputError
from quell.storage.database import StorageError
from quell.storage.history_store import HistoryStore
from tests.conftest import LONDON, FakeClock
from tests.helpers import make_tracker


def test_aggregates(tmp_path: Path, clock: FakeClock) -> None:
    tracker, store, database = make_tracker(tmp_path, clock)
    db = database.connection
    try:
        tracker.log("water", 250, at=datetime(2026, 3, 9, 8, 0, tzinfo=LONDON))
        tracker.log("water", 500, at=datetime(2026, 3, 9, 9, 0, tzinfo=LONDON))
        gone = tracker.log("water", 750, at=datetime(2026, 3, 9, 10, 0, tzinfo=LONDON))
        tracker.delete(gone.entry.id or 0)
        tracker.log("stress", 2, at=datetime(2026, 3, 9, 10, 0, tzinfo=LONDON))
        tracker.log("stress", 4, at=datetime(2026, 3, 9, 11, 0, tzinfo=LONDON))
        tracker.log("stress", 3, at=datetime(2026, 3, 9, 12, 0, tzinfo=LONDON))
        store.set_target(Target("water", 2500, None, date(2026, 3, 1)))
        history = HistoryStore(db)
        totals = history.daily_totals()
        assert totals["water"] == {date(2026, 3, 9): 750}
        assert totals["stress"] == {date(2026, 3, 9): 4}
        assert history.daily_totals(date(2026, 3, 10)) == {}
        assert history.first_day() == date(2026, 3, 9)
        assert [t.value for t in history.target_history()["water"]] == [2000, 2500]

        for ts, offset, day, area, intensity in (
                (1773050400, 0, "2026-03-09", "eyelid", 2),
                (1773054000, 0, "2026-03-09", "eyelid", 4),
                (1773140400, 0, "2026-03-10", "calf", 3)):
            db.execute("INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note,"
                       " source, created) VALUES (?,?,?,?,'',?,'','test',0)",
                       (ts, offset, day, area, intensity))
        db.execute("INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note,"
                   " source, created, deleted) VALUES (1, 0, '2026-03-09', 'arm', '', 5, '',"
                   " 'test', 0, 5)")
        days = history.twitch_days()
        assert [(d.day, d.episodes, d.mean_intensity) for d in days] == [
            (date(2026, 3, 9), 2, 3.0), (date(2026, 3, 10), 1, 3.0)]
        assert history.twitch_counts(date(2026, 3, 10)) == {date(2026, 3, 10): 1}
        areas = history.twitch_areas()
        assert [(a.area, a.episodes, a.last_day) for a in areas] == [
            ("eyelid", 2, date(2026, 3, 9)), ("calf", 1, date(2026, 3, 10))]

        # 09:00 UTC in summer time (+1 h) is 10:00 local.
        db.execute("INSERT INTO reminder_events (reminder, due, shown, utc_offset, outcome,"
                   " reason) VALUES ('water', 1782205200, NULL, 3600, 'done', ''),"
                   " ('water', 1782205200, NULL, 3600, 'missed', 'away'),"
                   " ('water', 1782208800, NULL, 0, 'snoozed', '')")
        hours = history.reminder_outcomes_by_hour()
        assert len(hours) == 24
        assert hours[10].counts == {"done": 1, "missed": 1, "snoozed": 1}
        assert hours[10].total == 3
        assert history.reminder_outcomes_by_hour(since_ts=1782208000)[10].counts == {
            "snoozed": 1}

        history.set_day_off(date(2026, 3, 2), "sick")
        history.set_day_off(date(2026, 3, 2), "vacation")
        assert history.days_off() == {date(2026, 3, 2): "vacation"}
        history.clear_day_off(date(2026, 3, 2))
        assert history.days_off() == {}
    finally:
        db.close()


def test_mark_day_off_sets_clears_and_refuses(tmp_path: Path, clock: FakeClock) -> None:
    _tracker, _store, database = make_tracker(tmp_path, clock)
    db = database.connection
    try:
        history = HistoryStore(db)
        day = date(2026, 3, 2)
        history.mark_day_off(day, True, "sick")
        history.mark_day_off(day, True, "vacation")
        assert history.days_off() == {day: "vacation"}
        with pytest.raises(InputError, match="not a reason for a day off"):
            history.mark_day_off(date(2026, 3, 3), True, "")
        history.mark_day_off(day, False)
        assert history.days_off() == {}
        history.mark_day_off(day, True, "sick")
        db.execute("PRAGMA query_only = ON")
        with pytest.raises(StorageError, match="read-only"):
            history.mark_day_off(day, False)
        with pytest.raises(StorageError):
            history.mark_day_off(date(2026, 3, 4), True, "sick")
        db.execute("PRAGMA query_only = OFF")
        assert history.days_off() == {day: "sick"}
        assert not db.in_transaction
    finally:
        db.close()


def test_a_user_rating_habit_totals_its_highest_and_feeds_insights(
        tmp_path: Path, clock: FakeClock) -> None:
    from quell.core.habits import Direction, HabitCatalog, Kind, user_habit

    mood = user_habit("Mood", "rating", Kind.RATING, Direction.NONE)
    alcohol = user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 2)
    catalog = HabitCatalog([mood, alcohol])
    _tracker, _store, database = make_tracker(tmp_path, clock)
    db = database.connection
    try:
        db.executemany("INSERT INTO habits (key, enabled, position) VALUES (?, 1, 99)",
                       [("mood",), ("alcohol",)])
        db.executemany("INSERT INTO entries (habit, ts, utc_offset, day, amount, source,"
                       " created) VALUES (?, 0, 0, '2026-03-09', ?, 'test', 0)",
                       [("mood", 2), ("mood", 5), ("mood", 3), ("alcohol", 1), ("alcohol", 2)])
        history = HistoryStore(db)
        totals = history.daily_totals(catalog=catalog)
        assert totals["mood"] == {date(2026, 3, 9): 5}  # a rating: the day's highest
        assert totals["alcohol"] == {date(2026, 3, 9): 3}
        assert history.daily_totals()["mood"] == {date(2026, 3, 9): 10}  # built-ins only: a sum
        keys = [t.key for t in history.insights(catalog).triggers]
        assert keys[-2:] == ["mood_any", "alcohol_over_limit"]
        assert "mood_any" not in [t.key for t in history.insights().triggers]
    finally:
        db.close()
