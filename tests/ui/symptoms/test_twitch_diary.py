"""The twitch diary UI: two-click logging, inline errors, the diary with edit, delete and undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from quell.core.entries import Source
from quell.core.twitches import AREAS, DEFAULT_INTENSITY
from quell.ui.services.symptom_session import SymptomSession
from quell.ui.symptoms.twitch_diary import EditTwitchDialog, TwitchDiaryWindow, TwitchLogDialog
from tests.conftest import LONDON, FakeClock
from tests.helpers import MemorySettings
from tests.ui.symptom_helpers import close_symptoms, open_symptoms

TODAY = date(2026, 3, 10)


@pytest.fixture
def symptoms(qtbot, tmp_path: Path, clock: FakeClock, settings_holder: MemorySettings
             ) -> Iterator[SymptomSession]:
    symptoms, database = open_symptoms(tmp_path / "data", clock, settings_holder)
    yield symptoms
    close_symptoms(symptoms, database)


def today(symptoms: SymptomSession):
    return symptoms.twitches_between(TODAY, TODAY)


# -- logging --------------------------------------------------------------------------------

def test_choosing_the_area_logs_at_once(qtbot, symptoms: SymptomSession,
                                        clock: FakeClock) -> None:
    dialog = TwitchLogDialog(symptoms)
    qtbot.addWidget(dialog)
    assert list(dialog.area_buttons) == list(AREAS)
    with qtbot.wait_signal(symptoms.twitches_changed), \
            qtbot.wait_signal(dialog.logged) as logged:
        dialog.area_buttons["calf"].click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    [twitch] = today(symptoms)
    assert logged.args == [twitch]
    assert (twitch.area, twitch.side, twitch.intensity, twitch.at) == (
        "calf", "", DEFAULT_INTENSITY, clock.now())
    assert twitch.source is Source.TRAY


def test_side_strength_time_and_note(qtbot, symptoms: SymptomSession) -> None:
    dialog = TwitchLogDialog(symptoms, source=Source.WINDOW)
    qtbot.addWidget(dialog)
    dialog.side.buttons["right"].click()
    dialog.strength.buttons[5].click()
    assert dialog.strength_name.text() == "Very strong"
    dialog.time.setTime(QTime(9, 45))
    assert dialog.time_hint.text() == ""
    dialog.note.setText("after the gym")
    dialog.area_buttons["thigh"].click()
    [twitch] = today(symptoms)
    assert (twitch.area, twitch.side, twitch.intensity, twitch.note) == (
        "thigh", "right", 5, "after the gym")
    assert twitch.at == datetime(2026, 3, 10, 9, 45, tzinfo=LONDON)
    assert twitch.source is Source.WINDOW


def test_the_next_twitch_starts_with_the_last_ones_side_and_strength(
        qtbot, symptoms: SymptomSession) -> None:
    symptoms.log_twitch("eyelid", side="left", intensity=2)
    dialog = TwitchLogDialog(symptoms)
    qtbot.addWidget(dialog)
    assert dialog.side.value() == "left" and dialog.strength.value() == 2


def test_a_future_time_is_refused_inline(qtbot, symptoms: SymptomSession) -> None:
    dialog = TwitchLogDialog(symptoms)
    qtbot.addWidget(dialog)
    dialog.time.setTime(QTime(16, 0))  # the clock says 14:30
    with qtbot.assert_not_emitted(symptoms.twitches_changed):
        dialog.area_buttons["hand"].click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "in the future" in dialog.error.message
    assert today(symptoms) == []


def test_a_past_day_can_be_chosen(qtbot, symptoms: SymptomSession) -> None:
    dialog = TwitchLogDialog(symptoms)
    qtbot.addWidget(dialog)
    assert dialog.date.maximumDate() == QDate(2026, 3, 10)
    dialog.date.setDate(QDate(2026, 3, 8))
    dialog.area_buttons["foot"].click()
    [twitch] = symptoms.twitches_between(date(2026, 3, 8), date(2026, 3, 8))
    assert twitch.at == datetime(2026, 3, 8, 14, 30, tzinfo=LONDON)


def test_log_by_keyboard(qtbot, symptoms: SymptomSession) -> None:
    dialog = TwitchLogDialog(symptoms)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    assert dialog.focusWidget() is dialog.area_buttons["eyelid"]
    QTest.keyClick(dialog.area_buttons["eyelid"], Qt.Key.Key_Space)
    assert [t.area for t in today(symptoms)] == ["eyelid"]


# -- editing --------------------------------------------------------------------------------

def test_edit_changes_every_field(qtbot, symptoms: SymptomSession) -> None:
    twitch = symptoms.log_twitch("calf", side="left", intensity=2, note="x")
    dialog = EditTwitchDialog(symptoms, twitch)
    qtbot.addWidget(dialog)
    assert (dialog.area.currentData(), dialog.side.currentData(),
            dialog.strength.currentData()) == ("calf", "left", 2)
    dialog.area.setCurrentIndex(dialog.area.findData("foot"))
    dialog.side.setCurrentIndex(dialog.side.findData(""))
    dialog.strength.setCurrentIndex(dialog.strength.findData(4))
    dialog.date.setDate(QDate(2026, 3, 9))
    dialog.time.setTime(QTime(8, 0))
    dialog.note.setText("better")
    with qtbot.wait_signal(symptoms.twitches_changed):
        dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    edited = symptoms.diary.get(twitch.id or 0)
    assert edited == dialog.edited
    assert edited is not None
    assert (edited.area, edited.side, edited.intensity, edited.note, edited.day) == (
        "foot", "", 4, "better", date(2026, 3, 9))


def test_edit_refuses_a_future_time_inline(qtbot, symptoms: SymptomSession) -> None:
    twitch = symptoms.log_twitch("calf")
    dialog = EditTwitchDialog(symptoms, twitch)
    qtbot.addWidget(dialog)
    dialog.time.setTime(QTime(23, 0))
    with qtbot.assert_not_emitted(symptoms.twitches_changed):
        dialog.save_button.click()
    assert "in the future" in dialog.error.message
    assert symptoms.diary.get(twitch.id or 0) == twitch


# -- the diary ------------------------------------------------------------------------------

@pytest.fixture
def diary(qtbot, symptoms: SymptomSession, clock: FakeClock) -> TwitchDiaryWindow:
    now = clock.now()
    symptoms.log_twitch("eyelid", intensity=2, at=now - timedelta(days=1))
    symptoms.log_twitch("calf", side="left", intensity=4, at=now - timedelta(hours=2),
                        note="after a run")
    symptoms.log_twitch("calf", at=now - timedelta(days=40))  # outside the last 30 days
    window = TwitchDiaryWindow(symptoms)
    qtbot.addWidget(window)
    window.show()
    return window


def rows(window: TwitchDiaryWindow) -> list[list[str]]:
    return [[window.list.topLevelItem(i).text(c) for c in range(4)]
            for i in range(window.list.topLevelItemCount())]


def test_diary_lists_the_period_newest_first_with_a_summary(diary: TwitchDiaryWindow) -> None:
    assert [(r[1], r[2], r[3]) for r in rows(diary)] == [
        ("Calf (left)", "4 · Strong", "after a run"), ("Eyelid", "2 · Mild", "")]
    assert "2 twitches on 2 of the last 30 days" in diary.summary.text()
    assert "average strength 3.0 of 5" in diary.summary.text()
    diary.period.setCurrentIndex(diary.period.findData(90))
    assert len(rows(diary)) == 3


def test_diary_follows_changes_from_elsewhere(qtbot, diary: TwitchDiaryWindow,
                                              symptoms: SymptomSession) -> None:
    symptoms.log_twitch("hand")
    assert rows(diary)[0][1] == "Hand"
    # A `quell twitch` command: the app says twitches changed (a habit change alone does not).
    symptoms.diary.log("neck")
    symptoms.session.notify_external_change()
    assert rows(diary)[0][1] == "Hand"
    symptoms.notify_external_change(checks=False)
    assert rows(diary)[0][1] == "Neck"


def test_delete_and_undo(qtbot, diary: TwitchDiaryWindow, symptoms: SymptomSession) -> None:
    diary.list.setCurrentItem(diary.list.topLevelItem(0))
    assert diary.delete_button.isEnabled()
    deleted = diary.delete_selected()
    assert deleted is not None and deleted.area == "calf"
    assert [r[1] for r in rows(diary)] == ["Eyelid"]
    assert diary.undo_bar.isVisible()
    assert "calf (left)" in diary.undo_text.text()
    diary.undo_last_delete()
    assert [r[1] for r in rows(diary)] == ["Calf (left)", "Eyelid"]
    assert not diary.undo_bar.isVisible()
    assert diary.selected_id() == deleted.id


def test_delete_key_and_ctrl_z(qtbot, diary: TwitchDiaryWindow) -> None:
    with qtbot.waitActive(diary):
        diary.activateWindow()
    diary.list.setFocus()
    diary.list.setCurrentItem(diary.list.topLevelItem(1))
    QTest.keyClick(diary.list, Qt.Key.Key_Delete)
    assert [r[1] for r in rows(diary)] == ["Calf (left)"]
    QTest.keyClick(diary.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r[1] for r in rows(diary)] == ["Calf (left)", "Eyelid"]


def test_edit_and_log_open_from_the_diary(qtbot, diary: TwitchDiaryWindow) -> None:
    assert diary.edit_selected() is None  # nothing selected
    diary.list.setCurrentItem(diary.list.topLevelItem(0))
    dialog = diary.edit_selected()
    assert isinstance(dialog, EditTwitchDialog) and diary.open_dialog is dialog
    assert dialog.area.currentData() == "calf"
    dialog.reject()
    log = diary.open_log_dialog()
    log.area_buttons["back"].click()
    assert rows(diary)[0][1] == "Back (left)"  # the side of the last one
    assert log.twitch is not None and log.twitch.source is Source.WINDOW


def test_empty_diary(qtbot, symptoms: SymptomSession) -> None:
    window = TwitchDiaryWindow(symptoms)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.empty
    assert not window.summary.isVisible()
    assert not window.edit_button.isEnabled() and not window.delete_button.isEnabled()


def test_a_twitch_change_is_announced_once_through_the_habit_session(
        qtbot, symptoms: SymptomSession) -> None:
    counts = {"session": 0, "twitches": 0}
    symptoms.session.changed.connect(lambda: counts.__setitem__("session", counts["session"] + 1))
    symptoms.twitches_changed.connect(
        lambda: counts.__setitem__("twitches", counts["twitches"] + 1))
    twitch = symptoms.log_twitch("neck")
    symptoms.edit_twitch(twitch.id or 0, intensity=1)
    symptoms.delete_twitch(twitch.id or 0)
    symptoms.undo_delete_twitch(twitch.id or 0)
    assert counts == {"session": 4, "twitches": 4}


@pytest.mark.parametrize(("day_start_hour", "listed"), [
    (4, "Monday 9 March, 03:48 (after midnight)"),  # the night after the 9th
    (3, "Tuesday 10 March, 03:48"),
])
def test_a_small_hours_twitch_is_listed_under_its_quell_day(
        qtbot, symptoms: SymptomSession, clock: FakeClock, settings_holder: MemorySettings,
        day_start_hour: int, listed: str) -> None:
    settings_holder.value = settings_holder.value.replace(day_start_hour=day_start_hour)
    twitch = symptoms.log_twitch("calf", at=clock.now().replace(hour=3, minute=48))
    window = TwitchDiaryWindow(symptoms)
    qtbot.addWidget(window)
    window.show()
    [row] = rows(window)
    assert row[0] == listed
    assert twitch.day.day == (9 if day_start_hour == 4 else 10)
    assert window.summary.text() == "1 twitch in the last 30 days, in the calf; strength 3.0 of 5."
    assert "1 twitches" not in window.summary.text()
