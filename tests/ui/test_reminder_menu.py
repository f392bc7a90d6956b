"""The tray's Reminders submenu: pause, resume, and when reminders come back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.ui.reminder_menu import ReminderTrayMenu
from desktop.ui.reminder_presenter import ReminderPresenter
from tests.conftest import FakeClock
from tests.ui.reminder_helpers import ReminderParts, reminder_parts


@pytest.fixture
def parts(qtbot, tmp_path: Path, clock: FakeClock) -> Iterator[ReminderParts]:
    with reminder_parts(tmp_path / "data", clock) as built:
        yield built


@pytest.fixture
def menu(qtbot, parts: ReminderParts) -> Iterator[ReminderTrayMenu]:
    presenter = ReminderPresenter(parts.reminders, parts.session)
    qtbot.addWidget(presenter.card)
    built = ReminderTrayMenu(parts.reminders, presenter)
    qtbot.addWidget(built)
    yield built
    for window in (presenter.stretch_routine, presenter.breathing_window):
        if window is not None:
            window.close()
            window.deleteLater()


def test_not_paused(menu: ReminderTrayMenu) -> None:
    assert menu.title() == "&Reminders"
    assert menu.status.text() == "Next: Water at 15:00"
    assert not menu.resume.isEnabled()
    assert not menu.action_named("answerReminder").isVisible()


@pytest.mark.parametrize(("name", "until"), [
    ("pause30", "15:00"), ("pause60", "15:30"), ("pause120", "16:30"),
    ("pauseTomorrow", "tomorrow 07:00"),
])
def test_pause_and_resume(qtbot, menu: ReminderTrayMenu, parts: ReminderParts, name: str,
                          until: str) -> None:
    with qtbot.wait_signal(parts.reminders.pause_changed, timeout=500):
        menu.action_named(name).trigger()
    assert menu.title() == f"&Reminders (paused until {until})"
    assert menu.status.text() == f"Paused until {until}"
    assert menu.status_text() == f"Reminders paused until {until}"
    assert menu.resume.isEnabled()
    menu.resume.trigger()
    assert parts.reminders.paused_until is None
    assert menu.title() == "&Reminders"


def test_the_pause_runs_out_by_itself(qtbot, menu: ReminderTrayMenu,
                                      parts: ReminderParts) -> None:
    menu.action_named("pause30").trigger()
    with qtbot.wait_signal(parts.reminders.pause_changed, timeout=500):
        parts.alarms.advance(minutes=31)
    assert menu.title() == "&Reminders"


def test_answer_and_exercise_actions(qtbot, menu: ReminderTrayMenu,
                                     parts: ReminderParts) -> None:
    parts.alarms.advance(minutes=30)
    menu.refresh()
    assert menu.action_named("answerReminder").isVisible()
    with qtbot.wait_signal(menu.open_settings, timeout=500):
        menu.action_named("reminderSettings").trigger()
    menu.action_named("stretchNow").trigger()
    menu.action_named("breatheNow").trigger()
    from PySide6.QtWidgets import QApplication

    titles = {w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()}
    assert {"Quell — Stretch break", "Quell — Breathe"} <= titles
