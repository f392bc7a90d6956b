"""SymptomSession's signals fire only when twitches or checks really changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quell.core.triage import DEFAULT_ANSWERS, triage
from quell.storage.database import OpenedDatabase
from quell.ui.services.symptom_session import SymptomSession
from tests.conftest import FakeClock
from tests.helpers import MemorySettings
from tests.ui.symptom_helpers import close_symptoms, open_symptoms


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path, clock: FakeClock, settings_holder: MemorySettings
           ) -> Iterator[tuple[SymptomSession, OpenedDatabase]]:
    symptoms, database = open_symptoms(tmp_path / "data", clock, settings_holder)
    yield symptoms, database
    close_symptoms(symptoms, database)


@pytest.fixture
def symptoms(opened: tuple[SymptomSession, OpenedDatabase]) -> SymptomSession:
    return opened[0]


class Counts:
    def __init__(self, symptoms: SymptomSession) -> None:
        self.twitches = self.checks = 0
        symptoms.twitches_changed.connect(self._twitch)
        symptoms.checks_changed.connect(self._check)

    def _twitch(self) -> None:
        self.twitches += 1

    def _check(self) -> None:
        self.checks += 1

    def __call__(self) -> tuple[int, int]:
        return self.twitches, self.checks


def test_logging_water_announces_neither_twitches_nor_checks(
        qtbot: Any, symptoms: SymptomSession) -> None:
    session = symptoms.session
    with qtbot.assert_not_emitted(symptoms.twitches_changed), \
            qtbot.assert_not_emitted(symptoms.checks_changed), \
            qtbot.wait_signal(session.changed, timeout=500):
        logged = session.log("water", 250)
    entry_id = logged.entry.id
    assert entry_id is not None
    counts = Counts(symptoms)
    session.edit(entry_id, amount=500)
    session.undo_delete(session.delete(entry_id).id or 0)
    session.set_targets({"water": (2000, None)})
    session.notify_external_change(settings=True)  # `quell log water` from the command line
    assert counts() == (0, 0)


def test_a_twitch_is_announced_once_as_a_twitch_and_once_to_the_habit_session(
        symptoms: SymptomSession) -> None:
    counts = Counts(symptoms)
    session_changes: list[None] = []
    symptoms.session.changed.connect(lambda: session_changes.append(None))
    twitch = symptoms.log_twitch("calf")
    assert counts() == (1, 0) and len(session_changes) == 1
    symptoms.edit_twitch(twitch.id or 0, intensity=4)
    symptoms.delete_twitch(twitch.id or 0)
    symptoms.undo_delete_twitch(twitch.id or 0)
    assert counts() == (4, 0) and len(session_changes) == 4


def test_a_saved_check_is_announced_as_a_check_only(symptoms: SymptomSession) -> None:
    counts = Counts(symptoms)
    symptoms.save_check(DEFAULT_ANSWERS, triage(DEFAULT_ANSWERS, emergency_number="112"))
    assert counts() == (0, 1)


def test_an_outside_change_is_announced_as_the_app_says(symptoms: SymptomSession) -> None:
    counts = Counts(symptoms)
    symptoms.notify_external_change(checks=False)  # `quell twitch eyelid`
    assert counts() == (1, 0)
    symptoms.notify_external_change()  # an import: both
    assert counts() == (2, 1)


def test_a_new_day_is_announced_to_both(symptoms: SymptomSession, clock: FakeClock) -> None:
    counts = Counts(symptoms)
    clock.advance(days=1)
    symptoms.session.check_day()
    assert counts() == (1, 1)
    symptoms.session.check_day()  # the same day: nothing
    assert counts() == (1, 1)
