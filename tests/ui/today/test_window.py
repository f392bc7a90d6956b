"""Today window: progress texts, quick-adds, entries with edit/delete/undo, past days."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QDialog

from quell.core.summary import Status
from quell.ui.services.session import Session
from quell.ui.today.entry_dialogs import EditEntryDialog, LogEntryDialog
from quell.ui.today.window import TodayWindow
from tests.conftest import FakeClock
from tests.helpers import MemorySettings

TODAY = date(2026, 3, 10)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def window(qtbot, session: Session) -> TodayWindow:
    widget = TodayWindow(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def entry_rows(window: TodayWindow) -> list[list[str]]:
    table = window.entry_list
    return [table.texts(row) for row in range(table.record_count())]


def test_window_basics(window: TodayWindow) -> None:
    assert window.windowTitle() == "Quell — Today"
    assert window.size().width() >= 420
    assert window.day == TODAY
    assert "Today" in window.day_button.text()
    assert not window.next_button.isEnabled()
    assert window.entry_stack.currentWidget() is window.empty_label


def test_progress_texts_after_logging(window: TodayWindow, session: Session) -> None:
    session.log("water", 1250)
    session.log("caffeine", 190)
    rows = window.rows
    assert rows["water"].progress.text() == "1,250 / 2,000 ml"
    assert rows["water"].status.text() == "750 ml to go"
    assert rows["caffeine"].progress.text() == "190 / 300 mg"
    assert "Within limit" in rows["caffeine"].status.text()
    assert rows["water"].bar.fraction == pytest.approx(0.625)


def test_status_is_told_in_words(window: TodayWindow, session: Session) -> None:
    session.log("caffeine", 400)
    session.log("water", 2000)
    assert "Over the limit" in window.rows["caffeine"].status.text()
    assert "Goal reached" in window.rows["water"].status.text()
    assert window.rows["sleep"].status.text() == "Not logged yet"
    assert session.summary().get("caffeine").status is Status.OVER


def test_water_progress_in_fl_oz(window: TodayWindow, session: Session,
                                 settings_holder: MemorySettings) -> None:
    session.log("water", 250)
    session.save_settings(settings_holder.value.replace(water_unit="fl_oz"))
    assert window.rows["water"].progress.text() == "8.5 / 67.6 fl oz"
    assert "fl oz" in window.rows["water"].glass_button.accessibleName()


def test_quick_add_glass_updates_the_view(qtbot, window: TodayWindow, session: Session) -> None:
    with qtbot.wait_signal(session.changed, timeout=1000):
        qtbot.mouseClick(window.rows["water"].glass_button, Qt.MouseButton.LeftButton)
    assert session.summary().get("water").total == 250
    assert window.rows["water"].progress.text() == "250 / 2,000 ml"
    assert entry_rows(window) == [["14:30", "Water", "250 ml", ""]]
    assert window.entries_title.text() == "Entries (1)"


def test_quick_add_bottle_plus_one_drink_and_stress(qtbot, window: TodayWindow,
                                                   session: Session) -> None:
    rows = window.rows
    with qtbot.wait_signal(session.changed, timeout=1000):
        rows["water"].bottle_button.click()
    with qtbot.wait_signal(session.changed, timeout=1000):
        rows["stretching"].plus_one.click()
    espresso = next(a for a in rows["caffeine"].drink_menu.actions() if a.data() == "espresso")
    with qtbot.wait_signal(session.changed, timeout=1000):
        espresso.trigger()
    with qtbot.wait_signal(session.changed, timeout=1000):
        rows["stress"].rating_buttons[3].click()
    summary = session.summary()
    assert summary.get("water").total == 500
    assert summary.get("stretching").total == 1
    assert summary.get("caffeine").total == 63
    assert summary.get("stress").total == 4
    amounts = [row[2] for row in entry_rows(window)]
    assert "Espresso · 63 mg" in amounts
    assert "4 / 5 · Stressed" in amounts
    assert rows["stress"].status.text() == "Stressed"


def test_quick_add_buttons_have_accessible_names(window: TodayWindow) -> None:
    for row in window.rows.values():
        for control in row.controls:
            assert control.accessibleName(), control.text()
    assert window.previous_button.accessibleName() == "Previous day"
    assert window.next_button.accessibleName() == "Next day"


def test_other_button_opens_log_dialog_for_the_day(qtbot, window: TodayWindow) -> None:
    other = window.rows["water"].controls[-1]
    other.click()
    dialog = window.open_dialog
    assert isinstance(dialog, LogEntryDialog)
    assert dialog.habit.key == "water" and dialog.day == TODAY
    dialog.reject()


def test_delete_and_undo_restores_the_entry(qtbot, window: TodayWindow,
                                            session: Session) -> None:
    logged = session.log("water", 300, note="after the run")
    window.select_entry(logged.entry.id)
    assert window.delete_button.isEnabled()
    with qtbot.wait_signal(session.changed, timeout=1000):
        window.delete_button.click()
    assert session.summary().get("water").total == 0
    assert window.entry_stack.currentWidget() is window.empty_label
    assert window.undo_bar.isVisible()
    assert "300 ml" in window.undo_text.text()
    with qtbot.wait_signal(session.changed, timeout=1000):
        window.undo_button.click()
    assert not window.undo_bar.isVisible()
    water = session.summary().get("water")
    assert water.total == 300
    assert water.entries[0].id == logged.entry.id
    assert water.entries[0].note == "after the run"
    assert entry_rows(window) == [["14:30", "Water", "300 ml", "after the run"]]


def test_delete_key_and_ctrl_z(qtbot, window: TodayWindow, session: Session) -> None:
    first = session.log("stretching", 1)
    session.log("water", 250)
    window.activateWindow()
    window.entry_list.setFocus()
    window.select_entry(first.entry.id)
    with qtbot.wait_signal(session.changed, timeout=1000):
        qtbot.keyClick(window.entry_list, Qt.Key.Key_Delete)
    assert session.summary().get("stretching").total == 0
    with qtbot.wait_signal(session.changed, timeout=1000):
        window.undo_last_delete()
    assert session.summary().get("stretching").total == 1


def test_ctrl_z_shortcut(qtbot, window: TodayWindow, session: Session) -> None:
    logged = session.log("water", 250)
    window.select_entry(logged.entry.id)
    window.delete_selected()
    window.activateWindow()
    qtbot.waitActive(window)
    with qtbot.wait_signal(session.changed, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.summary().get("water").total == 250


def test_undo_bar_hides_itself(qtbot, window: TodayWindow, session: Session) -> None:
    logged = session.log("water", 250)
    window.select_entry(logged.entry.id)
    window.delete_selected()
    window.undo_bar.timer.setInterval(10)
    window.undo_bar.timer.start()
    with qtbot.wait_signal(window.undo_bar.timer.timeout, timeout=1000):
        pass
    assert not window.undo_bar.isVisible()


def test_edit_through_edit_dialog(qtbot, window: TodayWindow, session: Session) -> None:
    logged = session.log("caffeine", 95)
    window.select_entry(logged.entry.id)
    dialog = window.edit_selected()
    assert isinstance(dialog, EditEntryDialog)
    dialog.amount.spin.setValue(120)
    dialog.time.setTime(dialog.time.time().addSecs(-3600))
    dialog.note.setText("large mug")
    with qtbot.wait_signal(session.changed, timeout=1000):
        dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    entry = session.summary().get("caffeine").entries[0]
    assert (entry.amount, entry.note, entry.at.strftime("%H:%M")) == (120, "large mug", "13:30")
    assert entry_rows(window) == [["13:30", "Caffeine", "120 mg", "large mug"]]


def test_day_navigation(window: TodayWindow) -> None:
    window.previous_button.click()
    assert window.day == YESTERDAY
    assert "Yesterday" in window.day_button.text()
    assert window.next_button.isEnabled() and window.today_button.isEnabled()
    assert "past day" in window.banner_text.text()
    window.previous_day()
    assert window.day == TODAY - timedelta(days=2)
    window.today_button.click()
    assert window.day == TODAY
    assert not window.next_button.isEnabled()
    window.show_day(TODAY + timedelta(days=3))
    assert window.day == TODAY


def test_forgot_yesterday_then_quick_add_lands_on_that_day(qtbot, window: TodayWindow,
                                                           session: Session) -> None:
    window.banner_button.click()  # "Record yesterday"
    assert window.day == YESTERDAY
    with qtbot.wait_signal(session.changed, timeout=1000):
        window.rows["water"].glass_button.click()
    assert session.summary(YESTERDAY).get("water").total == 250
    assert session.summary(TODAY).get("water").total == 0
    assert entry_rows(window)[0][:3] == ["12:00", "Water", "250 ml"]


def test_log_dialog_on_a_past_day_lands_on_that_day(qtbot, window: TodayWindow,
                                                     session: Session) -> None:
    window.previous_day()
    dialog = window.open_log_dialog("stretching")
    assert dialog.day == YESTERDAY
    dialog.time.setTime(dialog.time.time().fromString("21:15", "HH:mm"))
    with qtbot.wait_signal(session.changed, timeout=1000):
        dialog.ok_button.click()
    entry = session.summary(YESTERDAY).get("stretching").entries[0]
    assert entry.day == YESTERDAY
    assert entry.at.strftime("%Y-%m-%d %H:%M") == "2026-03-09 21:15"


def test_rows_follow_enabled_habits(window: TodayWindow, session: Session) -> None:
    assert "breathing" in window.rows
    glass = window.rows["water"].glass_button
    session.set_enabled_habits(["water", "caffeine", "sleep", "stretching", "stress"])
    assert list(window.rows) == ["water", "caffeine", "sleep", "stretching", "stress"]
    assert window.rows["water"].glass_button is not glass  # rebuilt only for this change
    glass = window.rows["water"].glass_button
    session.log("water", 250)
    assert window.rows["water"].glass_button is glass  # a log updates texts in place


def test_hidden_window_refreshes_when_shown(qtbot, window: TodayWindow,
                                            session: Session) -> None:
    window.hide()
    session.log("water", 500)
    window.present()
    qtbot.waitExposed(window)
    assert window.rows["water"].progress.text() == "500 / 2,000 ml"


def test_follows_today_across_rollover(window: TodayWindow, session: Session,
                                       clock: FakeClock) -> None:
    clock.advance(days=1)
    session.check_day()
    assert window.day == TODAY + timedelta(days=1)


def test_night_entries_after_midnight_are_marked(window: TodayWindow, session: Session,
                                                 clock: FakeClock) -> None:
    at = session.tracker.moment_on_day(YESTERDAY, time(1, 30))
    session.log("water", 250, at=at)
    window.show_day(YESTERDAY)
    assert entry_rows(window)[0][0] == "01:30 (+1)"


def test_quick_add_error_shows_inline(qtbot, window: TodayWindow, session: Session) -> None:
    session.set_enabled_habits(["water", "caffeine", "sleep", "stretching"])
    window.quick_log("breathing", None)  # switched off meanwhile
    assert "switched off" in window.error.message.lower()
    window.rows["water"].glass_button.click()
    assert window.error.message == ""


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: QColor(37, 39, 43),
        QPalette.ColorRole.WindowText: QColor(226, 227, 229),
        QPalette.ColorRole.Base: QColor(29, 30, 33),
        QPalette.ColorRole.AlternateBase: QColor(44, 46, 50),
        QPalette.ColorRole.Text: QColor(226, 227, 229),
        QPalette.ColorRole.Button: QColor(50, 52, 57),
        QPalette.ColorRole.ButtonText: QColor(226, 227, 229),
        QPalette.ColorRole.Highlight: QColor(86, 140, 214),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Link: QColor(120, 170, 240),
    }
    for role, colour in colours.items():
        palette.setColor(role, colour)
    return palette


def test_dark_palette_builds_and_paints_without_warnings(qtbot, session: Session) -> None:
    session.log("water", 1250)
    session.log("caffeine", 400)
    session.log("stress", 2)
    widget = TodayWindow(session)
    qtbot.addWidget(widget)
    widget.setPalette(dark_palette())
    widget.show()
    qtbot.waitExposed(widget)
    image = widget.grab().toImage()
    assert not image.isNull()
    # The window's background follows the palette (no hard-coded light colours).
    assert QColor(image.pixel(3, 3)).lightness() < 80
    window_dark = widget.palette().color(QPalette.ColorRole.Window)
    assert window_dark.lightness() < 80
    logged = session.log("water", 250)
    widget.select_entry(logged.entry.id)
    widget.delete_selected()
    widget.grab()


def _rows_with_ids(window: TodayWindow) -> list[tuple[object, list[str], str]]:
    table = window.entry_list
    return [(table.record_id(row), table.texts(row), table.tooltip(row))
            for row in range(table.record_count())]


def test_the_list_updated_row_by_row_matches_one_built_afresh(
        qtbot, window: TodayWindow, session: Session, clock: FakeClock) -> None:
    now = clock.now()
    first = session.log("water", 250, note="first").entry
    session.log("caffeine", 95, at=now - timedelta(hours=3))        # before everything
    session.log("water", 500, at=now - timedelta(hours=3))          # same moment: habit order
    session.log("stress", 3, at=now - timedelta(hours=1))
    moved = session.log("minerals", note="to move").entry
    gone = session.log("nicotine").entry
    assert first.id and moved.id and gone.id
    session.edit(first.id, amount=750, note="changed")                # changed in place
    session.edit(moved.id, at=now - timedelta(hours=4))              # moved to the top
    session.delete(gone.id)
    session.log("stretching")
    assert window.entries_title.text() == "Entries (6)"
    fresh = TodayWindow(session)
    qtbot.addWidget(fresh)
    assert _rows_with_ids(window) == _rows_with_ids(fresh)
    assert [row[1][1] for row in _rows_with_ids(window)][:3] == ["Mg/K-rich food", "Water",
                                                                   "Caffeine"]
    session.undo_delete(gone.id)
    fresh.close()
    fresh = TodayWindow(session)
    qtbot.addWidget(fresh)
    assert _rows_with_ids(window) == _rows_with_ids(fresh)


def test_a_write_keeps_the_selected_row_selected(window: TodayWindow, session: Session) -> None:
    chosen = session.log("water", 250).entry
    assert chosen.id is not None
    window.select_entry(chosen.id)
    session.log("caffeine", 95)
    assert window.entry_list.selected_id() == chosen.id


# -- the user's own habits -----------------------------------------------------------------

def add_user_habit(session: Session, name: str = "Alcohol", unit: str = "drinks",
                   kind_name: str = "COUNT", quick: tuple[float, ...] = (1, 2)) -> None:
    from quell.core.habits import Direction, Kind, user_habit

    session.add_habit(user_habit(name, unit, Kind[kind_name], Direction.AT_MOST, 2,
                                 quick=quick, catalog=session.habits()))


def test_a_user_habit_has_a_row_with_progress_and_quick_adds(qtbot, window: TodayWindow,
                                                            session: Session) -> None:
    add_user_habit(session)
    row = window.rows["alcohol"]
    assert row.name.text() == "Alcohol"
    assert [b.text() for b, _v in row.quick_buttons] == ["+1", "+2"]
    assert all(control.accessibleName() for control in row.controls)
    with qtbot.wait_signal(session.changed, timeout=1000):
        row.quick_buttons[1][0].click()
    assert row.progress.text() == "2 / 2 drinks"
    assert row.status.text() == "✓ Within limit"
    assert entry_rows(window) == [["14:30", "Alcohol", "2 drinks", ""]]
    row.quick_buttons[0][0].click()
    assert window.rows["alcohol"].status.text() == "▲ Over the limit"
    window.rows["alcohol"].controls[-1].click()  # "…": the log dialog
    dialog = window.open_dialog
    assert isinstance(dialog, LogEntryDialog) and dialog.habit.key == "alcohol"
    dialog.reject()


def test_a_glass_keeps_the_rows_and_an_archived_habit_leaves(qtbot, window: TodayWindow,
                                                            session: Session) -> None:
    add_user_habit(session)
    rows = dict(window.rows)
    window.rows["water"].glass_button.click()
    assert all(window.rows[key] is row for key, row in rows.items())  # texts only
    session.archive_habit("alcohol")
    assert "alcohol" not in window.rows
    session.restore_habit("alcohol")
    assert "alcohol" in window.rows


def test_a_user_habit_in_ml_follows_the_water_unit(qtbot, window: TodayWindow,
                                                  session: Session) -> None:
    add_user_habit(session, "Juice", "ml", "AMOUNT", quick=(200,))
    row = window.rows["juice"]
    assert row.quick_buttons[0][0].text() == "+200 ml"
    assert row.quick_buttons[0][0].accessibleName() == "Add 200 ml of juice"
    session.save_settings(session.settings().replace(water_unit="fl_oz"))
    assert window.rows["juice"].quick_buttons[0][0].accessibleName() == "Add 6.8 fl oz of juice"


def test_an_unrelated_setting_does_not_reread_the_day(qtbot, window: TodayWindow,
                                                     session: Session, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(window, "_refresh", lambda: calls.append(1))
    session.save_settings(session.settings().replace(locale="GB"))
    assert calls == []
