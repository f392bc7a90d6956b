"""Opening the user's data: paths, settings, database and the tracker built on them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from quell.core.clock import Clock
from quell.core.days import day_of
from quell.core.settings import Settings
from quell.core.tracker import Tracker
from quell.files import Paths
from quell.storage.database import CLI_BUSY_TIMEOUT, OpenedDatabase, open_database
from quell.storage.settings_file import load_settings, save_settings
from quell.storage.store import SqliteStore

log = logging.getLogger(__name__)


class SettingsHolder:
    """The current settings, saved atomically on every change."""

    def __init__(self, paths: Paths, notices: list[str] | None = None) -> None:
        self._paths = paths
        self._settings = load_settings(paths.settings, notices)

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


def open_context(clock: Clock, paths: Paths | None = None, *,
                 busy_timeout: float = CLI_BUSY_TIMEOUT) -> Context:
    """Open everything the app and CLI share; raises StorageError with a user message.

    What the user should hear about (a settings file or database kept aside and replaced)
    ends up in ``database.notices``, which the CLI prints and the app shows. *busy_timeout*
    is how long a write waits for another program's lock (short in the tray app).
    """
    paths = paths or Paths.for_user()
    notices: list[str] = []
    settings = SettingsHolder(paths, notices)
    today = day_of(clock.now(), settings().day_start_hour)
    database = open_database(paths.data, today, settings().day_start_hour,
                             busy_timeout=busy_timeout)
    database.notices[:0] = notices
    store = SqliteStore(database.connection)
    tracker = Tracker(store, clock, settings)
    return Context(paths, settings, database, store, tracker)
