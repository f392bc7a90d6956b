"""Fixtures of the History window's tests: a session on a real database, and the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quell.storage.history_store import HistoryStore
from quell.ui.history.window import HistoryWindow
from quell.ui.services.session import Session
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker
from tests.ui.history.history_parts import Parts


@pytest.fixture
def parts(qtbot: object, tmp_path: Path, clock: FakeClock) -> Iterator[Parts]:
    settings = MemorySettings()
    tracker, store, database = make_tracker(tmp_path / "data", clock, settings)
    session = Session(tracker, settings, settings.save)
    yield Parts(session, store, HistoryStore(database.connection))
    session.deleteLater()
    database.connection.close()

@pytest.fixture
def window(qtbot, parts: Parts) -> HistoryWindow:
    widget = HistoryWindow(parts.session, parts.history)
    qtbot.addWidget(widget)
    return widget
