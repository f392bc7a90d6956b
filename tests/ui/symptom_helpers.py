"""Builders for symptom-check and twitch-diary UI tests: a SymptomSession over a temp database."""

from __future__ import annotations

from pathlib import Path

from desktop.storage.check_store import SqliteCheckStore
from desktop.storage.database import OpenedDatabase
from desktop.storage.twitch_store import SqliteTwitchStore
from desktop.ui.session import Session
from desktop.ui.symptom_session import SymptomSession
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
