"""The reminder page's presence part: how reminders show, when they wait, meetings."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QWidget

from quell.core.settings import ReminderSettings, ReminderStyle, Settings
from quell.ui.services.session import Session
from quell.ui.settings.dialog import SettingsDialog
from quell.ui.settings.reminders import ReminderSettingsDialog, ReminderSettingsPage
from tests.helpers import MemorySettings


@pytest.fixture
def dialog(qtbot, session: Session) -> ReminderSettingsDialog:
    widget = ReminderSettingsDialog(session)
    widget.page.native_dialogs = False
    qtbot.addWidget(widget)
    return widget


def reopen(qtbot, session: Session) -> ReminderSettingsDialog:
    """A fresh dialog (keep it while its page is used: the page lives as long as it)."""
    again = ReminderSettingsDialog(session)
    qtbot.addWidget(again)
    return again


def test_the_defaults_are_shown(dialog: ReminderSettingsDialog) -> None:
    page = dialog.page
    assert page.style_card.isChecked()
    assert not page.style_notification.isChecked() and not page.style_both.isChecked()
    assert page.hold_when_away.isChecked() and page.away_minutes.value() == 5
    assert (page.away_minutes.minimum(), page.away_minutes.maximum()) == (2, 60)
    assert page.hold_in_do_not_disturb.isChecked() and page.hold_in_fullscreen.isChecked()
    assert page.calendar_path.text() == "" and page.meeting_apps.text() == ""
    assert page.calendar_status.isHidden()
    assert page.value() == ReminderSettings()


CALENDAR = os.path.abspath(os.sep + os.path.join("home", "me", "calendar.ics"))


@pytest.mark.parametrize(("edit", "field", "saved"), [
    (lambda p: p.style_both.setChecked(True), "style", ReminderStyle.BOTH),
    (lambda p: p.style_notification.setChecked(True), "style", ReminderStyle.NOTIFICATION),
    (lambda p: p.hold_when_away.setChecked(False), "hold_when_away", False),
    (lambda p: p.away_minutes.setValue(12), "away_minutes", 12),
    (lambda p: p.hold_in_do_not_disturb.setChecked(False), "hold_in_do_not_disturb", False),
    (lambda p: p.hold_in_fullscreen.setChecked(False), "hold_in_fullscreen", False),
    (lambda p: p.calendar_path.setText(f"  {CALENDAR} "), "calendar_path", CALENDAR),
    (lambda p: p.meeting_apps.setText("zoom, Microsoft Teams;  ,zoom"), "meeting_apps",
     ("zoom", "Microsoft Teams")),
])
def test_each_control_round_trips(qtbot, dialog: ReminderSettingsDialog, session: Session,
                                  settings_holder: MemorySettings,
                                  edit: Callable[[ReminderSettingsPage], None], field: str,
                                  saved: object) -> None:
    edit(dialog.page)
    with qtbot.wait_signal(session.settings_changed, timeout=500):
        dialog.buttons.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert getattr(session.settings().reminders, field) == saved
    assert settings_holder.saved == 1
    # Everything else is as it was.
    assert session.settings().reminders == ReminderSettings().replace(**{field: saved})
    # Opened again, the page shows what was saved.
    again = reopen(qtbot, session)
    assert getattr(again.page.value(), field) == saved


def test_saved_values_show_when_opened(qtbot, session: Session,
                                       settings_holder: MemorySettings) -> None:
    settings_holder.value = Settings().replace(reminders=ReminderSettings().replace(
        style=ReminderStyle.BOTH, away_minutes=30, hold_when_away=False,
        hold_in_do_not_disturb=False, hold_in_fullscreen=False, calendar_path=CALENDAR,
        meeting_apps=("zoom", "teams")))
    again = reopen(qtbot, session)
    page = again.page
    assert page.style_both.isChecked() and not page.style_card.isChecked()
    assert page.away_minutes.value() == 30 and not page.hold_when_away.isChecked()
    assert not page.hold_in_do_not_disturb.isChecked()
    assert not page.hold_in_fullscreen.isChecked()
    assert page.calendar_path.text() == CALENDAR
    assert page.meeting_apps.text() == "zoom, teams"
    assert page.value() == settings_holder.value.reminders


@pytest.mark.parametrize("apps", [
    "zoom, <script>",
    ", ".join(f"app{n}" for n in range(17)),
    "zoom, " + "x" * 65,
])
def test_bad_meeting_apps_show_inline_and_save_nothing(
        qtbot, dialog: ReminderSettingsDialog, settings_holder: MemorySettings,
        apps: str) -> None:
    page = dialog.page
    page.meeting_apps.setText(apps)
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert page.error.message == ("Meeting apps are up to 16 program names such as zoom or "
                                  "teams")
    assert page.error.isVisibleTo(page)
    assert page.meeting_apps.text() == apps  # kept, to be corrected
    assert page.focusWidget() is page.meeting_apps
    assert settings_holder.saved == 0
    page.meeting_apps.setText("zoom")
    dialog.buttons.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not page.error.message
    assert settings_holder.value.reminders.meeting_apps == ("zoom",)


@pytest.mark.parametrize("path", ["calendar.ics", "Calendars/work", "./work.ics"])
def test_a_relative_calendar_path_shows_inline_and_saves_nothing(
        dialog: ReminderSettingsDialog, settings_holder: MemorySettings, path: str) -> None:
    page = dialog.page
    page.calendar_path.setText(path)
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert page.error.message.startswith("The meetings calendar must be a full path")
    assert page.calendar_path.text() == path
    assert page.focusWidget() is page.calendar_path
    assert settings_holder.saved == 0


def test_a_home_relative_path_is_made_full(dialog: ReminderSettingsDialog,
                                           settings_holder: MemorySettings) -> None:
    dialog.page.calendar_path.setText("~/calendar.ics")
    dialog.buttons.accepted.emit()
    assert settings_holder.value.reminders.calendar_path == os.path.expanduser(
        "~/calendar.ics")


def test_the_settings_dialog_takes_the_reminder_tab_to_the_problem(
        qtbot, session: Session, settings_holder: MemorySettings) -> None:
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    page = dialog.reminders_page
    page.calendar_path.setText("calendar.ics")
    dialog.buttons.accepted.emit()
    assert dialog.tabs.currentWidget() is page
    assert dialog.error.message.startswith("The meetings calendar must be a full path")
    assert settings_holder.saved == 0


def test_choose_a_calendar_file(qtbot, dialog: ReminderSettingsDialog, tmp_path: Path) -> None:
    calendar = tmp_path / "work.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    page = dialog.page
    actions = page.choose_calendar.menu().actions()
    assert [a.text() for a in actions] == ["A calendar &file (.ics)…",
                                           "A f&older of calendar files…"]
    page.calendar_path.setText(str(tmp_path / "old.ics"))  # starts in that folder
    chooser = page.choose_calendar_path(False)
    assert isinstance(chooser, QFileDialog)
    assert chooser.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert chooser.fileMode() == QFileDialog.FileMode.ExistingFile
    assert Path(chooser.directory().absolutePath()) == tmp_path
    chooser.selectFile(str(calendar))
    chooser.accept()
    assert page.calendar_path.text() == str(calendar)
    assert page.calendar_status.isHidden()


def test_choose_a_folder_of_calendars(qtbot, dialog: ReminderSettingsDialog,
                                      tmp_path: Path) -> None:
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "work.ics").write_text("")
    (folder / "home.ICS").write_text("")
    (folder / "notes.txt").write_text("")
    page = dialog.page
    page.choose_folder_action.trigger()
    chooser = page.findChild(QFileDialog, "calendarDialog")
    assert chooser is not None and chooser.isVisible()
    assert chooser.fileMode() == QFileDialog.FileMode.Directory
    chooser.setDirectory(str(folder))
    chooser.selectFile(str(folder))
    chooser.accept()
    assert page.calendar_path.text() == str(folder)
    assert page.calendar_status.text() == "A folder with 2 calendar files."
    assert not page.calendar_status.isHidden()


def test_a_cancelled_chooser_keeps_the_path(qtbot, dialog: ReminderSettingsDialog) -> None:
    page = dialog.page
    page.calendar_path.setText(CALENDAR)
    page.choose_calendar_path(False).reject()
    assert page.calendar_path.text() == CALENDAR


def test_a_missing_calendar_is_allowed_and_said(dialog: ReminderSettingsDialog,
                                                tmp_path: Path,
                                                settings_holder: MemorySettings) -> None:
    page = dialog.page
    page.calendar_path.setText(str(tmp_path / "not-synced-yet.ics"))
    assert page.calendar_status.text() == (
        "Nothing is there yet: Quell reads it once it appears.")
    page.calendar_path.setText("")
    assert page.calendar_status.isHidden()
    page.calendar_path.setText(str(tmp_path / "not-synced-yet.ics"))
    dialog.buttons.accepted.emit()
    assert settings_holder.value.reminders.calendar_path == str(tmp_path / "not-synced-yet.ics")


def test_the_page_says_nothing_is_dropped_and_nothing_connects(
        dialog: ReminderSettingsDialog) -> None:
    texts = " ".join(label.text() for label in dialog.page.findChildren(QLabel))
    assert "Nothing is dropped: reminders that wait are shown once afterwards." in texts
    assert "Quell reads a local .ics file" in texts and "never connects anywhere" in texts


def test_fields_have_labels_with_buddies(dialog: ReminderSettingsDialog) -> None:
    page = dialog.page
    buddies = {label.buddy(): label.text() for label in page.findChildren(QLabel)
               if label.buddy() is not None}
    assert buddies[page.away_minutes] == "Away &means no keyboard or mouse for"
    assert buddies[page.calendar_path] == "Meetings: my ca&lendar file"
    assert buddies[page.meeting_apps] == "Meeting a&pps"
    for widget in (page.hold_when_away, page.hold_in_do_not_disturb, page.hold_in_fullscreen,
                   page.style_card, page.style_notification, page.style_both,
                   page.choose_calendar):
        assert "&" in widget.text(), widget.text()


def test_tab_goes_through_the_presence_fields_in_reading_order(
        qtbot, dialog: ReminderSettingsDialog) -> None:
    page = dialog.page
    wanted: list[QWidget] = [page.style_card, page.sound, page.card_minutes, page.quiet,
                             page.hold_when_away, page.away_minutes,
                             page.hold_in_do_not_disturb, page.hold_in_fullscreen,
                             page.calendar_path, page.choose_calendar, page.meeting_apps]
    seen: list[QWidget] = []
    widget = page.style_card
    for _step in range(400):
        if widget in wanted and widget not in seen:
            seen.append(widget)
        widget = widget.nextInFocusChain()
    assert seen == wanted


def test_enter_in_a_field_means_ok(qtbot, dialog: ReminderSettingsDialog,
                                   settings_holder: MemorySettings) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    page = dialog.page
    assert not page.choose_calendar.autoDefault()
    page.meeting_apps.setFocus()
    page.meeting_apps.setText("zoom")
    qtbot.keyClick(page.meeting_apps, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings_holder.value.reminders.meeting_apps == ("zoom",)


def test_the_presence_part_paints_dark(qtbot) -> None:
    from tests.ui.today.test_window import dark_palette

    page = ReminderSettingsPage(Settings().replace(reminders=ReminderSettings().replace(
        calendar_path=CALENDAR)))
    qtbot.addWidget(page)
    page.setPalette(dark_palette())
    page.resize(640, 1400)
    assert not page.grab().toImage().isNull()
