"""Opening the user's data: paths, settings, database and the tracker built on them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from desktop.core.clock import Clock
from desktop.core.days import day_of
from desktop.core.settings import Settings
from desktop.core.tracker import Tracker
from desktop.storage.database import OpenedDatabase, open_database
from desktop.storage.paths import Paths
from desktop.storage.settings_file import load_settings, save_settings
from desktop.storage.store import SqliteStore

log = logging.getLogger(__name__)


class SettingsHolder:
    """The current settings, saved atomically on every change."""

    def __init__(self, paths: Paths) -> None:
        self._paths = paths
        self._settings = load_settings(paths.settings)

    def __call__(self) -> Settings:
        return self._settings

    def save(self, settings: Settings) -> None:
        settings.validate()
        save_settings(self._paths.settings, settings)
        self._settings = settings


@dataclass
class Context:
    paths: Paths
    settings: SettingsHolder
    database: OpenedDatabase
    store: SqliteStore
    tracker: Tracker

    def close(self) -> None:
        self.database.connection.close()


def open_context(clock: Clock, paths: Paths | None = None) -> Context:
    """Open everything the app and CLI share; raises StorageError with a user message."""
    paths = paths or Paths.for_user()
    settings = SettingsHolder(paths)
    today = day_of(clock.now(), settings().day_start_hour)
    database = open_database(paths.data, today, settings().day_start_hour)
    store = SqliteStore(database.connection)
    tracker = Tracker(store, clock, settings)
    return Context(paths, settings, database, store, tracker)
