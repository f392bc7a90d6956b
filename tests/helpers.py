"""Shared builders for tests: a real database in a temp folder with an injected clock."""

from __future__ import annotations

from pathlib import Path

from quell.core.settings import Settings
from quell.core.tracker import Tracker
from quell.storage.database import OpenedDatabase, open_database
from quell.storage.store import SqliteStore
from tests.conftest import FakeClock


class MemorySettings:
    """Settings held in memory (the file round trip has its own tests)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.value = settings or Settings()
        self.saved = 0

    def __call__(self) -> Settings:
        return self.value

    def save(self, settings: Settings) -> None:
        self.value = settings
        self.saved += 1


def make_tracker(folder: Path, clock: FakeClock, settings: MemorySettings | None = None
                 ) -> tuple[Tracker, SqliteStore, OpenedDatabase]:
    database = open_database(folder, clock.now().date())
    store = SqliteStore(database.connection)
    return Tracker(store, clock, settings or MemorySettings()), store, database
