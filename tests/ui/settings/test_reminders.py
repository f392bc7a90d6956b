"""The reminder settings page and dialog: shows, edits, checks and saves; keeps a pause."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QDialog, QScrollArea

from quell.core.reminders import ReminderKind
from quell.core.settings import ReminderStyle, Settings
from quell.ui.services.session import Session
from quell.ui.settings.dialog import SettingsDialog
from quell.ui.settings.reminders import ReminderSettingsDialog, ReminderSettingsPage
from tests.conftest import LONDON
from tests.helpers import MemorySettings, make_tracker
from tests.ui.settings.test_dialog import wheel
from tests.ui.today.test_window import dark_palette


@pytest.fixture
def dialog(qtbot, session: Session) -> ReminderSettingsDialog:
    widget = ReminderSettingsDialog(session)
    qtbot.addWidget(widget)
    return widget


def test_shows_the_current_values(dialog: ReminderSettingsDialog) -> None:
    page = dialog.page
    assert all(switch.isChecked() for switch in page.switches.values())
    assert page.water_from.time() == QTime(8, 0)
    assert page.breathe_times.text() == "13:00, 17:30"
    assert page.day_pickers[ReminderKind.STRETCH].days() == (1, 2, 3, 4, 5)
    assert page.style_card.isChecked() and not page.sound.isChecked()
    assert "18:22" in page.cutoff_preview.text()
    assert page.value() == Settings().reminders


def test_edits_are_saved_and_a_pause_is_kept(qtbot, dialog: ReminderSettingsDialog,
                                             session: Session,
                                             settings_holder: MemorySettings) -> None:
    paused = datetime(2026, 3, 10, 16, 0, tzinfo=LONDON)
    settings_holder.value = settings_holder.value.replace(paused_until=paused)
    page = dialog.page
    page.switches[ReminderKind.WATER].setChecked(False)
    page.stretch_every.setValue(45)
    page.breathe_times.setText("09:30; 21:00")
    page.day_pickers[ReminderKind.STRETCH].buttons[6].setChecked(True)
    page.half_life.setValue(4.0)
    page.quiet.setChecked(True)
    page.style_notification.setChecked(True)
    with qtbot.wait_signal(session.settings_changed, timeout=500):
        dialog.buttons.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = session.settings()
    assert saved.paused_until == paused
    r = saved.reminders
    assert (r.water, r.stretch_every_minutes, r.breathe_times) == (
        False, 45, (time(9, 30), time(21, 0)))
    assert r.stretch_days == (1, 2, 3, 4, 5, 6)
    assert (r.caffeine_half_life_hours, r.quiet_hours, r.style) == (
        4.0, True, ReminderStyle.NOTIFICATION)


def test_bad_input_saves_nothing(qtbot, dialog: ReminderSettingsDialog,
                                 settings_holder: MemorySettings) -> None:
    dialog.page.breathe_times.setText("13:00, lunchtime")
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "lunchtime" in dialog.page.error.message
    assert settings_holder.saved == 0
    dialog.page.breathe_times.setText("13:00")
    dialog.page.water_until.setTime(QTime(8, 0))
    dialog.buttons.accepted.emit()
    assert "water" in dialog.page.error.message
    assert settings_holder.saved == 0


def test_a_switched_off_reminder_greys_its_fields(dialog: ReminderSettingsDialog) -> None:
    page = dialog.page
    page.switches[ReminderKind.CAFFEINE_CUTOFF].setChecked(False)
    assert not page.half_life.isEnabled() and not page.drink_mg.isEnabled()
    assert not page.day_pickers[ReminderKind.CAFFEINE_CUTOFF].isEnabled()
    page.switches[ReminderKind.CAFFEINE_CUTOFF].setChecked(True)
    assert page.half_life.isEnabled()
    assert not page.quiet_from.isEnabled()
    page.quiet.setChecked(True)
    assert page.quiet_from.isEnabled()


def test_the_preview_follows_the_caffeine_fields(dialog: ReminderSettingsDialog) -> None:
    dialog.page.half_life.setValue(3.0)
    assert "20:13" in dialog.page.cutoff_preview.text()


def test_every_field_has_a_name(dialog: ReminderSettingsDialog) -> None:
    page = dialog.page
    from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QToolButton

    for widget in page.findChildren(QAbstractSpinBox) + page.findChildren(QLineEdit):
        if widget.parent() is not None and isinstance(widget, QLineEdit) and \
                isinstance(widget.parent(), QAbstractSpinBox):
            continue  # a spin box's own line edit
        assert widget.accessibleName(), widget
    for button in page.findChildren(QToolButton):
        assert button.accessibleName()


def test_the_page_stands_alone_and_paints_dark(qtbot) -> None:
    page = ReminderSettingsPage(Settings())
    qtbot.addWidget(page)
    page.setPalette(dark_palette())
    page.resize(640, 700)
    assert not page.grab().toImage().isNull()


def test_the_water_section_says_it_follows_the_goal(dialog: ReminderSettingsDialog) -> None:
    page = dialog.page
    assert page.water_paced
    assert page.hints[ReminderKind.WATER].text() == (
        "Paced toward your daily goal of 2,000 ml: it nudges only when you are behind.")
    assert page.water_every.accessibleName() == "Check the water pace every"


def test_without_a_water_goal_the_section_says_why_it_is_not_paced(
        qtbot, tmp_path, clock, settings_holder: MemorySettings) -> None:
    tracker, _store, database = make_tracker(tmp_path / "no-goal", clock, settings_holder)
    with database.connection:
        database.connection.execute("DELETE FROM targets WHERE habit = 'water'")
    session = Session(tracker, settings_holder, settings_holder.save)
    dialog = ReminderSettingsDialog(session)
    qtbot.addWidget(dialog)
    page = dialog.page
    assert not page.water_paced
    hint = page.hints[ReminderKind.WATER].text()
    assert hint.startswith("No daily water goal is set, so there is no pace to follow")
    assert "every interval" in hint and "Goals and habits" in hint
    assert page.water_every.accessibleName() == "A water reminder every"
    session.deleteLater()
    database.connection.close()


def test_the_water_hint_follows_the_goal_typed_in_settings(qtbot, session: Session) -> None:
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    page = dialog.reminders_page
    dialog.target_spins["water"].setValue(2500)
    assert "2,500 ml" in page.hints[ReminderKind.WATER].text()
    dialog.unit_fl_oz.setChecked(True)
    assert "fl oz" in page.hints[ReminderKind.WATER].text()
    dialog.target_spins["water"].setValue(0)
    assert not page.water_paced
    assert page.hints[ReminderKind.WATER].text().startswith("No daily water goal is set")


def test_the_standalone_page_guards_the_wheel(qtbot, dialog: ReminderSettingsDialog) -> None:
    from PySide6.QtWidgets import QAbstractSpinBox

    spins = dialog.page.findChildren(QAbstractSpinBox)
    assert spins and all(s.focusPolicy() == Qt.FocusPolicy.StrongFocus for s in spins)
    dialog.resize(640, 360)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.page.findChild(QScrollArea).verticalScrollBar()
    before = dialog.page.quiet_from.time()
    wheel(dialog.page.card_minutes, notches=-2)
    wheel(dialog.page.quiet_from, notches=-2)
    assert dialog.page.quiet_from.time() == before
    assert dialog.page.card_minutes.value() == Settings().reminders.card_minutes
    assert bar.value() > 0
