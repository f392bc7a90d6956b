"""Builders for symptom-check and twitch-diary UI tests: a SymptomSession over a temp database."""

from __future__ import annotations

from pathlib import Path

from quell.storage.check_store import SqliteCheckStore
from quell.storage.database import OpenedDatabase
from quell.storage.twitch_store import SqliteTwitchStore
from quell.ui.services.session import Session
from quell.ui.services.symptom_session import SymptomSession
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker


def open_symptoms(folder: Path, clock: FakeClock, settings: MemorySettings
                  ) -> tuple[SymptomSession, OpenedDatabase]:
    tracker, _store, database = make_tracker(folder, clock, settings)
    session = Session(tracker, settings, settings.save)
    connection = database.connection
    symptoms = SymptomSession(session, SqliteTwitchStore(connection),
                              SqliteCheckStore(connection), app_version="test")
    return symptoms, database


def close_symptoms(symptoms: SymptomSession, database: OpenedDatabase) -> None:
    session = symptoms.session
    symptoms.deleteLater()
    session.deleteLater()
    database.connection.close()
