"""Reminder outcomes in SQLite: every outcome and reason round-trips with its UTC offset."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from quell.core.reminders import Outcome, Reason, ReminderEvent, ReminderKind
from quell.storage.database import open_database
from quell.storage.reminder_events import ReminderEventStore
from tests.conftest import LONDON


@pytest.fixture
def store(tmp_path: Path):
    database = open_database(tmp_path, datetime(2026, 3, 10).date())
    yield ReminderEventStore(database.connection)
    database.connection.close()


def test_every_outcome_round_trips(store: ReminderEventStore) -> None:
    due = datetime(2026, 3, 10, 14, 0, 30, 123456, tzinfo=LONDON)
    shown = due + timedelta(seconds=2)
    recorded = []
    for index, outcome in enumerate(Outcome):
        event = ReminderEvent(ReminderKind.STRETCH, due + timedelta(minutes=index), outcome,
                              Reason.AWAY.value if outcome is Outcome.MISSED else "10m",
                              shown if outcome is not Outcome.SUPPRESSED else None)
        recorded.append(store.record(event))
    assert all(e.id is not None for e in recorded)
    back = store.events_between(due - timedelta(hours=1), due + timedelta(hours=1))
    assert [e.outcome for e in back] == list(Outcome)
    assert back[0].due == due.replace(microsecond=0)
    assert back[0].shown == shown.replace(microsecond=0)
    assert back[-1].shown is None
    assert back[3].reason == "away"
    assert back == recorded


def test_summer_time_offset_is_kept(store: ReminderEventStore) -> None:
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)
    store.record(ReminderEvent(ReminderKind.WATER, summer, Outcome.SUPPRESSED,
                               Reason.ON_PACE.value))
    (event,) = store.events_between(summer, summer + timedelta(seconds=1))
    assert event.due.utcoffset() == timedelta(hours=1)
    assert event.due.hour == 9
    assert store.count() == 1


def test_naive_times_are_refused(store: ReminderEventStore) -> None:
    with pytest.raises(ValueError, match="aware"):
        store.record(ReminderEvent(ReminderKind.WATER, datetime(2026, 3, 10, 9),
                                   Outcome.DONE))
