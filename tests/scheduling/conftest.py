"""Scheduling fixtures: a Session over a real temp database, fake alarms, and the service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quell.scheduling.reminders import Reminders
from quell.storage.reminder_events import ReminderEventStore
from quell.ui.services.session import Session
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker
from tests.scheduling.fakes import FakeAlarms


@pytest.fixture
def settings_holder() -> MemorySettings:
    return MemorySettings()


@pytest.fixture
def parts(qtbot: object, tmp_path: Path, clock: FakeClock, settings_holder: MemorySettings
          ) -> Iterator[tuple[Session, ReminderEventStore]]:
    tracker, _store, database = make_tracker(tmp_path / "data", clock, settings_holder)
    session = Session(tracker, settings_holder, settings_holder.save)
    yield session, ReminderEventStore(database.connection)
    session.deleteLater()
    database.connection.close()


@pytest.fixture
def session(parts: tuple[Session, ReminderEventStore]) -> Session:
    return parts[0]


@pytest.fixture
def events(parts: tuple[Session, ReminderEventStore]) -> ReminderEventStore:
    return parts[1]


@pytest.fixture
def alarms(clock: FakeClock) -> FakeAlarms:
    return FakeAlarms(clock)


@pytest.fixture
def reminders(session: Session, events: ReminderEventStore, clock: FakeClock,
              alarms: FakeAlarms) -> Iterator[Reminders]:
    service = Reminders(session, events, clock, alarms=alarms, watch_sleep=False)
    yield service
    service.stop()
