"""UI fixtures: a Session over a real temp database and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quell.ui.services.session import Session
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker


@pytest.fixture
def settings_holder() -> MemorySettings:
    return MemorySettings()


@pytest.fixture
def session(qtbot: object, tmp_path: Path, clock: FakeClock,
            settings_holder: MemorySettings) -> Iterator[Session]:
    tracker, _store, database = make_tracker(tmp_path / "data", clock, settings_holder)
    session = Session(tracker, settings_holder, settings_holder.save)
    yield session
    session.deleteLater()
    database.connection.close()
