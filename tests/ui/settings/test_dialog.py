"""Settings dialog: targets with history, habits on/off, preferences, all-or-nothing saving."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTime
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QScrollArea,
    QTimeEdit,
    QWidget,
)

from quell.platform import autostart
from quell.ui.services.session import Session
from quell.ui.settings.dialog import SettingsDialog
from tests.conftest import FakeClock
from tests.helpers import MemorySettings
from tests.ui.today.test_window import dark_palette

TODAY = date(2026, 3, 10)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture(autouse=True)
def autostart_folder(tmp_path, monkeypatch) -> Path:
    """Start at login goes to a folder of the test's own (never the user's ~/.config)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    monkeypatch.setattr(autostart, "FLATPAK_INFO", tmp_path / "no-flatpak-info")
    return tmp_path / "config" / "autostart"


@pytest.fixture
def dialog(qtbot, session: Session) -> SettingsDialog:
    widget = SettingsDialog(session)
    qtbot.addWidget(widget)
    return widget


def test_shows_current_values(dialog: SettingsDialog) -> None:
    assert dialog.target_spins["water"].value() == 2000
    assert dialog.target_spins["water"].suffix() == " ml"
    assert dialog.target_spins["caffeine"].value() == 300
    assert (dialog.target_spins["sleep"].value(), dialog.sleep_max_spin.value()) == (7, 9)
    assert dialog.target_spins["nicotine"].value() == 0
    assert "stress" not in dialog.target_spins  # tracked without a goal
    assert dialog.unit_ml.isChecked()
    assert dialog.day_start.currentData() == 4
    assert dialog.bedtime.time() == QTime(23, 0) and dialog.wake_time.time() == QTime(7, 0)


def test_core_habits_cannot_be_switched_off(dialog: SettingsDialog) -> None:
    assert set(dialog.enabled_boxes) == {"breathing", "stress", "exercise", "nicotine",
                                         "minerals"}


def test_at_most_habits_are_worded_as_limits(dialog: SettingsDialog) -> None:
    assert dialog.target_spins["caffeine"].accessibleName() == "Caffeine daily limit"
    assert dialog.target_spins["water"].accessibleName() == "Water daily goal"


def test_changed_target_keeps_history(qtbot, dialog: SettingsDialog, session: Session,
                                      clock: FakeClock) -> None:
    dialog.target_spins["water"].setValue(2500)
    dialog.target_spins["caffeine"].setValue(200)
    with qtbot.wait_signal(session.changed, timeout=1000):
        dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert session.targets(TODAY)["water"].value == 2500
    assert session.targets(TODAY)["caffeine"].value == 200
    assert session.targets(YESTERDAY)["water"].value == 2000
    assert session.targets(YESTERDAY)["caffeine"].value == 300
    clock.advance(days=1)
    assert session.targets()["water"].value == 2500


def test_sleep_range(qtbot, dialog: SettingsDialog, session: Session) -> None:
    dialog.target_spins["sleep"].setValue(7.5)
    dialog.sleep_max_spin.setValue(8.5)
    dialog.ok_button.click()
    target = session.targets()["sleep"]
    assert (target.value, target.value_max) == (7.5, 8.5)


def test_disables_an_optional_habit(qtbot, dialog: SettingsDialog, session: Session) -> None:
    box = dialog.enabled_boxes["breathing"]
    box.setChecked(False)
    assert not dialog.target_spins["breathing"].isEnabled()
    with qtbot.wait_signal(session.changed, timeout=1000):
        dialog.ok_button.click()
    assert "breathing" not in session.enabled_habits()
    assert "water" in session.enabled_habits()


def test_bad_target_saves_nothing(qtbot, dialog: SettingsDialog, session: Session,
                                  settings_holder: MemorySettings) -> None:
    dialog.target_spins["caffeine"].setValue(250)      # a good change...
    dialog.enabled_boxes["nicotine"].setChecked(False)  # ...another...
    dialog.unit_fl_oz.setChecked(True)                  # ...and a preference
    dialog.target_spins["water"].setValue(0)            # but this one is bad
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.assert_not_emitted(session.changed), \
            qtbot.assert_not_emitted(session.settings_changed):
        dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "water target" in dialog.error.message.lower()
    assert dialog.focusWidget() is dialog.target_spins["water"]  # taken to the bad field
    assert session.targets()["caffeine"].value == 300
    assert "nicotine" in session.enabled_habits()
    assert settings_holder.saved == 0


def test_bad_sleep_range_saves_nothing(qtbot, dialog: SettingsDialog, session: Session) -> None:
    dialog.target_spins["sleep"].setValue(9)
    dialog.sleep_max_spin.setValue(7)
    with qtbot.assert_not_emitted(session.changed):
        dialog.ok_button.click()
    assert "sleep range" in dialog.error.message.lower()
    assert session.targets()["sleep"].value == 7


def test_same_bed_and_wake_time_saves_nothing(qtbot, dialog: SettingsDialog, session: Session,
                                              settings_holder: MemorySettings) -> None:
    dialog.target_spins["water"].setValue(2200)
    dialog.wake_time.setTime(QTime(23, 0))
    with qtbot.assert_not_emitted(session.changed):
        dialog.ok_button.click()
    assert "bedtime and wake time" in dialog.error.message.lower()
    assert session.targets()["water"].value == 2000
    assert settings_holder.saved == 0


def test_preferences_are_saved_once(qtbot, dialog: SettingsDialog, session: Session,
                                    settings_holder: MemorySettings) -> None:
    dialog.unit_fl_oz.setChecked(True)
    dialog.day_start.setCurrentIndex(dialog.day_start.findData(5))
    dialog.bedtime.setTime(QTime(22, 30))
    dialog.wake_time.setTime(QTime(6, 30))
    with qtbot.wait_signal(session.settings_changed, timeout=1000):
        dialog.ok_button.click()
    saved = settings_holder.value
    assert settings_holder.saved == 1
    assert (saved.water_unit, saved.day_start_hour, saved.bedtime, saved.wake_time) == (
        "fl_oz", 5, time(22, 30), time(6, 30))
    # Switching the unit alone is not a change of the water goal.
    assert session.targets()["water"].value == 2000


def test_water_goal_in_fl_oz(qtbot, dialog: SettingsDialog, session: Session) -> None:
    spin = dialog.target_spins["water"]
    dialog.unit_fl_oz.setChecked(True)
    assert spin.suffix() == " fl oz"
    assert spin.value() == pytest.approx(67.6)
    dialog.unit_ml.setChecked(True)
    assert spin.value() == 2000  # no drift from converting back and forth
    dialog.unit_fl_oz.setChecked(True)
    spin.setValue(80)
    dialog.ok_button.click()
    assert session.targets()["water"].value == 2366  # 80 US fl oz, to the nearest ml


def test_unchanged_dialog_writes_nothing(qtbot, dialog: SettingsDialog, session: Session,
                                         settings_holder: MemorySettings) -> None:
    with qtbot.assert_not_emitted(session.changed):
        dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings_holder.saved == 0


def test_cancel_applies_nothing(qtbot, dialog: SettingsDialog, session: Session,
                                settings_holder: MemorySettings) -> None:
    dialog.target_spins["water"].setValue(3000)
    dialog.enabled_boxes["stress"].setChecked(False)
    with qtbot.assert_not_emitted(session.changed):
        dialog.buttons.rejected.emit()
    assert session.targets()["water"].value == 2000
    assert "stress" in session.enabled_habits()
    assert settings_holder.saved == 0


def test_reenabling_a_habit(qtbot, session: Session) -> None:
    session.set_enabled_habits(["water", "caffeine", "sleep", "stretching"])
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert not dialog.enabled_boxes["minerals"].isChecked()
    assert not dialog.target_spins["minerals"].isEnabled()
    dialog.enabled_boxes["minerals"].setChecked(True)
    dialog.ok_button.click()
    assert "minerals" in session.enabled_habits()


def test_dark_palette_builds_without_warnings(qtbot, session: Session) -> None:
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.setPalette(dark_palette())
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.target_spins["water"].setValue(0)
    dialog.ok_button.click()
    assert not dialog.grab().toImage().isNull()


def test_reminder_settings_are_a_tab_and_a_pause_survives_ok(qtbot, session) -> None:
    from datetime import timedelta

    from quell.core.reminders import ReminderKind
    from quell.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(session)
    qtbot.add_widget(dialog)
    # Goals, the user's own habits (issue 10), reminders.
    assert dialog.tabs.count() == 3
    assert dialog.tabs.widget(1) is dialog.habits_page
    water = dialog.reminders_page.switches[ReminderKind.WATER]
    water.setChecked(not water.isChecked())
    # Meanwhile a pause is started from the tray or the command line.
    paused = session.tracker.clock.now() + timedelta(hours=1)
    session.save_settings(session.settings().replace(paused_until=paused))
    dialog.ok_button.click()
    assert session.settings().reminders.water == water.isChecked()
    assert session.settings().paused_until == paused


def test_the_emergency_number_region_is_a_setting(qtbot, session) -> None:
    from quell.ui.services.symptom_session import emergency_number
    from quell.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(session)
    qtbot.add_widget(dialog)
    dialog.region.setCurrentIndex(dialog.region.findData("GB"))
    assert "(999)" in dialog.region.currentText()
    dialog.ok_button.click()
    assert session.settings().locale == "GB"
    assert emergency_number(session.settings().locale) == "999"


# -- the scroll wheel ------------------------------------------------------------------------


def wheel(widget: QWidget, notches: int = -1) -> None:
    """A synthetic wheel turn over the middle of *widget* (negative: scroll down)."""
    middle = QPointF(widget.rect().center())
    event = QWheelEvent(middle, QPointF(widget.mapToGlobal(middle.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def shown(qtbot, dialog: SettingsDialog) -> None:
    dialog.resize(620, 420)  # short enough that the reminders page scrolls
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def focus(qtbot, field: QWidget) -> None:
    field.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(field.hasFocus)


def test_every_field_in_settings_is_guarded_and_focused_by_tab_or_click(
        dialog: SettingsDialog) -> None:
    fields = [*dialog.findChildren(QAbstractSpinBox), *dialog.findChildren(QComboBox)]
    assert len(fields) >= 20  # both tabs: goals, day and night times, every reminder
    assert {f.focusPolicy() for f in fields} == {Qt.FocusPolicy.StrongFocus}
    assert any(isinstance(f, QTimeEdit) for f in fields)


def test_the_wheel_scrolls_the_reminders_page_and_leaves_times_alone(
        qtbot, dialog: SettingsDialog) -> None:
    shown(qtbot, dialog)
    page = dialog.reminders_page
    dialog.tabs.setCurrentWidget(page)
    scroll = page.findChild(QScrollArea)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    focus(qtbot, dialog.ok_button)
    water_from = page.water_from
    before = water_from.time()
    every = page.water_every.value()
    wheel(water_from, notches=-3)
    wheel(page.water_every, notches=-3)
    assert water_from.time() == before and page.water_every.value() == every
    assert bar.value() > 0  # the page scrolled instead
    assert not water_from.hasFocus()  # and the wheel did not focus the field


def test_a_focused_field_takes_the_wheel(qtbot, dialog: SettingsDialog) -> None:
    shown(qtbot, dialog)
    page = dialog.reminders_page
    dialog.tabs.setCurrentWidget(page)
    bar = page.findChild(QScrollArea).verticalScrollBar()
    focus(qtbot, page.water_from)
    before = page.water_from.time()
    wheel(page.water_from, notches=1)
    assert page.water_from.time() == before.addSecs(3600)
    assert bar.value() == 0
    focus(qtbot, page.water_every)
    value = page.water_every.value()
    wheel(page.water_every, notches=1)
    assert page.water_every.value() == value + page.water_every.singleStep()


def test_goals_tab_fields_ignore_the_wheel_until_focused(qtbot, dialog: SettingsDialog) -> None:
    shown(qtbot, dialog)
    focus(qtbot, dialog.ok_button)
    for field in (dialog.target_spins["water"], dialog.bedtime):
        before = field.text()
        wheel(field, notches=-2)
        assert field.text() == before
    start = dialog.day_start.currentIndex()
    wheel(dialog.day_start, notches=-1)
    assert dialog.day_start.currentIndex() == start
    focus(qtbot, dialog.day_start)
    wheel(dialog.day_start, notches=-1)
    assert dialog.day_start.currentIndex() == start + 1


def test_start_at_login_box_shows_the_desktops_state(qtbot, session: Session) -> None:
    first = SettingsDialog(session)
    qtbot.addWidget(first)
    assert not first.autostart_box.isChecked()
    autostart.set_autostart(True)
    second = SettingsDialog(session)
    qtbot.addWidget(second)
    assert second.autostart_box.isChecked()


def test_start_at_login_applies_on_ok(qtbot, dialog: SettingsDialog,
                                      autostart_folder: Path) -> None:
    dialog.autostart_box.setChecked(True)
    assert not autostart.autostart_enabled()  # nothing before OK
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert autostart.autostart_enabled()
    assert (autostart_folder / "io.github.quellapp.Quell.desktop").exists()


def test_start_at_login_off_on_ok(qtbot, session: Session) -> None:
    autostart.set_autostart(True)
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.autostart_box.setChecked(False)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not autostart.autostart_enabled()


def test_start_at_login_failure_is_inline_and_nothing_applied(
        qtbot, dialog: SettingsDialog, session: Session, autostart_folder: Path) -> None:
    autostart_folder.parent.mkdir(parents=True)
    autostart_folder.write_text("a file where the folder should be")
    dialog.target_spins["caffeine"].setValue(200)
    dialog.autostart_box.setChecked(True)
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "start-at-login entry" in dialog.error.message
    assert "\n" not in dialog.error.message
    assert session.targets()["caffeine"].value == 300  # all or nothing
    assert not autostart.autostart_enabled()


def test_an_untouched_box_leaves_start_at_login_alone(qtbot, dialog: SettingsDialog) -> None:
    autostart.set_autostart(True)  # from the command line, while the dialog is open
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert autostart.autostart_enabled()
