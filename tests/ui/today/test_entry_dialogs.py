"""Log and edit dialogs: each habit's fields, inline errors that write nothing, past days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialog

from quell.core.entries import Entry
from quell.ui.services.session import Session
from quell.ui.today.entry_dialogs import EditEntryDialog, LogEntryDialog
from tests.helpers import MemorySettings

TODAY = date(2026, 3, 10)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def open_log(qtbot, session: Session):
    def make(key: str, day: date | None = None) -> LogEntryDialog:
        dialog = LogEntryDialog(session, key, day=day)
        qtbot.addWidget(dialog)
        return dialog
    return make


def all_entries(session: Session, day: date = TODAY) -> list[Entry]:
    return [e for p in session.summary(day).habits for e in p.entries]


def submit(qtbot, session: Session, dialog: QDialog) -> None:
    with qtbot.wait_signal(session.changed, timeout=1000):
        dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def assert_rejected_inline(qtbot, session: Session, dialog: QDialog, words: str) -> None:
    with qtbot.assert_not_emitted(session.changed):
        dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisibleTo(dialog)
    assert words in dialog.error.message.lower()
    assert dialog.error.text().startswith("⚠")


# -- bad input: an inline message, nothing written, the fields kept ------------------------

def test_absurd_water_amount_is_refused_inline(qtbot, session: Session, open_log) -> None:
    dialog = open_log("water")
    dialog.amount.spin.setValue(50_000)
    assert_rejected_inline(qtbot, session, dialog, "at most 5000 ml")
    assert dialog.amount.spin.value() == 50_000
    assert all_entries(session) == []


def test_zero_mg_is_refused_inline(qtbot, session: Session, open_log) -> None:
    dialog = open_log("caffeine")
    dialog.amount.spin.setValue(0)
    assert dialog.drink.currentData() is None  # typing a number leaves the preset
    assert_rejected_inline(qtbot, session, dialog, "caffeine must be more than 0")
    assert all_entries(session) == []


def test_future_time_is_refused_inline(qtbot, session: Session, open_log) -> None:
    dialog = open_log("water")
    dialog.time.setTime(QTime(15, 30))  # the clock says 14:30
    assert_rejected_inline(qtbot, session, dialog, "in the future")
    assert all_entries(session) == []


def test_water_limit_is_told_in_fl_oz(qtbot, session: Session, open_log,
                                      settings_holder: MemorySettings) -> None:
    settings_holder.value = settings_holder.value.replace(water_unit="fl_oz")
    dialog = open_log("water")
    dialog.amount.spin.setValue(500)
    assert_rejected_inline(qtbot, session, dialog, "169.1 fl oz")


def test_stress_needs_a_choice(qtbot, session: Session, open_log) -> None:
    dialog = open_log("stress")
    assert_rejected_inline(qtbot, session, dialog, "from 1 to 5")
    dialog.ratings.button(4).click()
    submit(qtbot, session, dialog)
    assert session.summary().get("stress").total == 4


def test_error_clears_after_a_fix(qtbot, session: Session, open_log) -> None:
    dialog = open_log("stretching")
    dialog.amount.spin.setValue(0)
    assert_rejected_inline(qtbot, session, dialog, "between 1 and 20")
    dialog.amount.spin.setValue(2)
    submit(qtbot, session, dialog)
    assert dialog.error.message == ""
    assert session.summary().get("stretching").total == 2


# -- each habit's fields ------------------------------------------------------------------

def test_water_glass_and_bottle_buttons(qtbot, session: Session, open_log) -> None:
    dialog = open_log("water")
    assert dialog.amount.spin.value() == 250
    dialog.note.setText("  with   lemon ")
    submit(qtbot, session, dialog)
    entry = dialog.logged.entry
    assert (entry.amount, entry.note, entry.at.strftime("%H:%M")) == (250, "with lemon", "14:30")


def test_water_in_fl_oz_converts_to_ml(qtbot, session: Session, open_log,
                                       settings_holder: MemorySettings) -> None:
    settings_holder.value = settings_holder.value.replace(water_unit="fl_oz")
    dialog = open_log("water")
    assert dialog.amount.spin.suffix() == " fl oz"
    submit(qtbot, session, dialog)  # the untouched glass is exactly 250 ml
    assert session.summary().get("water").total == 250
    second = open_log("water")
    second.amount.spin.setValue(10)
    submit(qtbot, session, second)
    assert second.logged.entry.amount == pytest.approx(295.735, abs=0.01)


def test_caffeine_preset_keeps_its_name(qtbot, session: Session, open_log) -> None:
    dialog = open_log("caffeine")
    index = dialog.drink.findData("energy_drink")
    dialog.drink.setCurrentIndex(index)
    assert dialog.amount.spin.value() == 80
    submit(qtbot, session, dialog)
    assert dialog.logged.entry.detail == {"preset": "energy_drink"}
    assert dialog.logged.progress.total == 80


def test_caffeine_custom_mg(qtbot, session: Session, open_log) -> None:
    dialog = open_log("caffeine")
    dialog.drink.setCurrentIndex(dialog.drink.count() - 1)
    dialog.amount.spin.setValue(150)
    submit(qtbot, session, dialog)
    assert (dialog.logged.entry.amount, dialog.logged.entry.detail) == (150, {})


def test_sleep_from_bed_and_wake_times(qtbot, session: Session, open_log) -> None:
    dialog = open_log("sleep")
    assert dialog.bed.time() == QTime(23, 0) and dialog.wake.time() == QTime(7, 0)
    assert dialog.wake_date.date() == QDate(2026, 3, 10)
    dialog.bed.setTime(QTime(23, 30))
    dialog.wake.setTime(QTime(6, 45))
    assert dialog.sleep_hours_text == "7 h 15 min"
    assert "Tuesday 10 March" in dialog.sleep_day.text()
    submit(qtbot, session, dialog)
    entry = dialog.logged.entry
    assert entry.amount == pytest.approx(7.25)
    assert entry.day == TODAY
    assert entry.detail["bed"].startswith("2026-03-09T23:30")


def test_sleep_on_a_past_day_wakes_that_day(qtbot, session: Session, open_log) -> None:
    dialog = open_log("sleep", day=YESTERDAY)
    assert dialog.wake_date.date() == QDate(2026, 3, 9)
    submit(qtbot, session, dialog)
    assert dialog.logged.entry.day == YESTERDAY
    assert session.summary(YESTERDAY).get("sleep").total == pytest.approx(8)


def test_exercise_minutes_and_intensity(qtbot, session: Session, open_log) -> None:
    dialog = open_log("exercise")
    dialog.amount.spin.setValue(45)
    dialog.intensity.setCurrentIndex(dialog.intensity.findData("very_hard"))
    submit(qtbot, session, dialog)
    assert (dialog.logged.entry.amount, dialog.logged.entry.detail) == (
        45, {"intensity": "very_hard"})


def test_counts_take_a_number(qtbot, session: Session, open_log) -> None:
    dialog = open_log("minerals")
    assert dialog.amount.spin.value() == 1
    dialog.amount.spin.setValue(2)
    submit(qtbot, session, dialog)
    assert session.summary().get("minerals").total == 2


def test_past_day_logs_on_that_day_at_noon(qtbot, session: Session, open_log) -> None:
    dialog = open_log("water", day=YESTERDAY)
    assert dialog.time.time() == QTime(12, 0)
    assert "Monday 9 March" in dialog.subtitle.text()
    submit(qtbot, session, dialog)
    assert dialog.logged.entry.day == YESTERDAY
    assert session.summary(YESTERDAY).get("water").total == 250
    assert session.summary(TODAY).get("water").total == 0


def test_late_night_time_on_a_past_day_stays_on_that_day(qtbot, session: Session,
                                                         open_log) -> None:
    dialog = open_log("caffeine", day=YESTERDAY)
    dialog.time.setTime(QTime(1, 15))  # after midnight, before the 04:00 day start
    submit(qtbot, session, dialog)
    entry = dialog.logged.entry
    assert entry.day == YESTERDAY
    assert entry.at.strftime("%Y-%m-%d %H:%M") == "2026-03-10 01:15"


def test_enter_submits_and_escape_cancels(qtbot, session: Session, open_log) -> None:
    dialog = open_log("stretching")
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.amount.spin.setFocus()
    with qtbot.wait_signal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.amount.spin, Qt.Key.Key_Return)
    assert session.summary().get("stretching").total == 1

    second = open_log("water")
    second.show()
    qtbot.waitExposed(second)
    with qtbot.wait_signal(second.rejected, timeout=1000), \
            qtbot.assert_not_emitted(session.changed):
        qtbot.keyClick(second.note, Qt.Key.Key_Escape)
    assert session.summary().get("water").total == 0


def test_enter_in_the_note_submits(qtbot, session: Session, open_log) -> None:
    dialog = open_log("water")
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.note, "after lunch")
    with qtbot.wait_signal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.logged.entry.note == "after lunch"


# -- editing ------------------------------------------------------------------------------

def edit_dialog(qtbot, session: Session, entry: Entry) -> EditEntryDialog:
    dialog = EditEntryDialog(session, entry)
    qtbot.addWidget(dialog)
    return dialog


def test_edit_changes_amount_time_and_note(qtbot, session: Session) -> None:
    entry = session.log("water", 250).entry
    dialog = edit_dialog(qtbot, session, entry)
    assert dialog.amount.spin.value() == 250
    dialog.amount.spin.setValue(400)
    dialog.time.setTime(QTime(9, 5))
    dialog.note.setText("big glass")
    submit(qtbot, session, dialog)
    edited = session.summary().get("water").entries[0]
    assert (edited.amount, edited.at.strftime("%H:%M"), edited.note) == (400, "09:05",
                                                                        "big glass")


def test_edit_can_move_an_entry_to_another_day(qtbot, session: Session) -> None:
    entry = session.log("stretching", 1).entry
    dialog = edit_dialog(qtbot, session, entry)
    dialog.date.setDate(QDate(2026, 3, 9))
    submit(qtbot, session, dialog)
    assert session.summary(YESTERDAY).get("stretching").total == 1
    assert session.summary(TODAY).get("stretching").total == 0


def test_edit_bad_amount_changes_nothing(qtbot, session: Session) -> None:
    entry = session.log("caffeine", 95).entry
    dialog = edit_dialog(qtbot, session, entry)
    dialog.amount.spin.setValue(0)
    assert_rejected_inline(qtbot, session, dialog, "more than 0")
    dialog.amount.spin.setValue(95)
    dialog.time.setTime(QTime(16, 0))
    assert_rejected_inline(qtbot, session, dialog, "in the future")
    assert session.summary().get("caffeine").entries[0] == entry


def test_edit_untouched_fl_oz_amount_is_kept_exactly(qtbot, session: Session,
                                                     settings_holder: MemorySettings) -> None:
    settings_holder.value = settings_holder.value.replace(water_unit="fl_oz")
    entry = session.log("water", 250).entry
    dialog = edit_dialog(qtbot, session, entry)
    dialog.note.setText("kept")
    submit(qtbot, session, dialog)
    edited = session.summary().get("water").entries[0]
    assert (edited.amount, edited.note) == (250, "kept")


def test_edit_stress_rating(qtbot, session: Session) -> None:
    entry = session.log("stress", 2).entry
    dialog = edit_dialog(qtbot, session, entry)
    assert dialog.rating.currentData() == 2
    dialog.rating.setCurrentIndex(4)
    submit(qtbot, session, dialog)
    assert session.summary().get("stress").total == 5


def test_edit_sleep_hours(qtbot, session: Session) -> None:
    bed, wake = session.tracker.sleep_times(QTime(23, 0).toPython(), QTime(7, 0).toPython())
    entry = session.log_sleep(bed, wake).entry
    dialog = edit_dialog(qtbot, session, entry)
    assert dialog.amount.spin.value() == pytest.approx(8)
    dialog.amount.spin.setValue(7.5)
    submit(qtbot, session, dialog)
    edited = session.summary().get("sleep").entries[0]
    assert edited.amount == pytest.approx(7.5)
    assert edited.detail["bed"].startswith("2026-03-09T23:30")


def test_dark_palette_dialogs_build_without_warnings(qtbot, session: Session, open_log) -> None:
    from tests.ui.today.test_window import dark_palette

    for key in ("water", "caffeine", "sleep", "stress", "exercise", "nicotine"):
        dialog = open_log(key)
        dialog.setPalette(dark_palette())
        dialog.show()
        qtbot.waitExposed(dialog)
        assert not dialog.grab().toImage().isNull()
    dialog = open_log("water")
    dialog.setPalette(dark_palette())
    dialog.amount.spin.setValue(0)
    dialog.ok_button.click()
    # The inline message is readable on the dark background: a light red, not a dark one.
    colour = dialog.error.palette().color(dialog.error.foregroundRole())
    assert colour.lightness() > 120


# -- the user's own habits: the fields from the definition ---------------------------------

def add(session: Session, name: str, unit: str, kind: str, quick: tuple[float, ...] = ()):
    from quell.core.habits import Direction, Kind, user_habit

    return session.add_habit(user_habit(name, unit, Kind[kind], Direction.NONE, quick=quick,
                                        catalog=session.habits()))


def test_a_user_amount_habit_logs_with_its_quick_amounts(qtbot, session: Session,
                                                        open_log) -> None:
    add(session, "Juice", "ml", "AMOUNT", quick=(200, 330))
    dialog = open_log("juice")
    assert dialog.amount.spin.value() == 200
    assert [b.text() for b in dialog.quick_buttons] == ["200 ml", "330 ml"]
    dialog.quick_buttons[1].click()
    submit(qtbot, session, dialog)
    assert session.summary().get("juice").total == 330


def test_a_user_habit_out_of_bounds_is_refused_inline(qtbot, session: Session,
                                                     open_log) -> None:
    add(session, "Screen time", "hours", "DURATION")
    dialog = open_log("screen_time")
    assert dialog.amount.spin.suffix() == " h"
    dialog.amount.spin.setValue(30)
    assert_rejected_inline(qtbot, session, dialog, "24")
    assert dialog.amount.spin.value() == 30  # kept
    assert session.summary().get("screen_time").total is None
    dialog.amount.spin.setValue(2.5)
    submit(qtbot, session, dialog)
    assert session.summary().get("screen_time").total == 2.5


def test_a_user_rating_habit_asks_for_a_rating(qtbot, session: Session, open_log) -> None:
    add(session, "Mood", "rating", "RATING")
    dialog = open_log("mood")
    assert_rejected_inline(qtbot, session, dialog, "from 1 to 5")
    dialog.ratings.button(3).click()
    submit(qtbot, session, dialog)
    entry = session.summary().get("mood").entries[0]
    edit = EditEntryDialog(session, entry)
    qtbot.addWidget(edit)
    assert edit.rating.currentData() == 3
    edit.rating.setCurrentIndex(edit.rating.findData(5))
    submit(qtbot, session, edit)
    assert session.summary().get("mood").total == 5


def test_editing_a_user_count_entry(qtbot, session: Session) -> None:
    add(session, "Alcohol", "drinks", "COUNT", quick=(1,))
    entry = session.log("alcohol", 1).entry
    dialog = EditEntryDialog(session, entry)
    qtbot.addWidget(dialog)
    dialog.amount.spin.setValue(0)
    assert_rejected_inline(qtbot, session, dialog, "alcohol")
    dialog.amount.spin.setValue(3)
    submit(qtbot, session, dialog)
    assert session.summary().get("alcohol").total == 3
