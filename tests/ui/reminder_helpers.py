"""Builds the reminder service on a fake clock for the UI tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from quell.scheduling.reminders import Reminders
from quell.storage.reminder_events import ReminderEventStore
from quell.ui.services.session import Session
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker
from tests.scheduling.fakes import FakeAlarms


@dataclass
class ReminderParts:
    session: Session
    events: ReminderEventStore
    reminders: Reminders
    alarms: FakeAlarms
    settings: MemorySettings
    clock: FakeClock


@contextmanager
def reminder_parts(folder: Path, clock: FakeClock) -> Iterator[ReminderParts]:
    settings = MemorySettings()
    tracker, _store, database = make_tracker(folder, clock, settings)
    session = Session(tracker, settings, settings.save)
    events = ReminderEventStore(database.connection)
    alarms = FakeAlarms(clock)
    reminders = Reminders(session, events, clock, alarms=alarms, watch_sleep=False)
    reminders.start()
    try:
        yield ReminderParts(session, events, reminders, alarms, settings, clock)
    finally:
        reminders.stop()
        session.deleteLater()
        database.connection.close()
