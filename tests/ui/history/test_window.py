"""History & insights window: heatmap cells in words, keyboard use, streaks, the score's why,
days off, insights, twitches, reminders, refreshing on changes, and export/import from the UI."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from quell.core.history import Outcome
from quell.storage.history_store import HistoryStore
from quell.storage.store import SqliteStore
from quell.ui.history.heatmap import DAY_ROLE, OUTCOME_ROLE, WEEKS
from quell.ui.history.window import HistoryWindow
from quell.ui.services.data_transfer import DataTransfer
from quell.ui.services.session import Session
from tests.bench.datagen import generate
from tests.conftest import LONDON, FakeClock
from tests.helpers import MemorySettings, make_tracker

TODAY = date(2026, 3, 10)


class Parts:
    def __init__(self, session: Session, store: SqliteStore, history: HistoryStore) -> None:
        self.session, self.store, self.history = session, store, history


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


def show(qtbot, window: HistoryWindow) -> None:
    window.present()
    qtbot.waitExposed(window)


def log_water_days(parts: Parts, days: list[int], amount: float = 2000) -> None:
    for back in days:
        parts.session.log("water", amount,
                          at=datetime.combine(TODAY - timedelta(days=back),
                                              datetime.min.time().replace(hour=12),
                                              tzinfo=LONDON))


def test_window_basics(qtbot, window: HistoryWindow) -> None:
    show(qtbot, window)
    assert window.windowTitle() == "Quell — History & insights"
    assert [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())] == [
        "Habits", "Twitches", "Insights", "Reminders"]
    assert window.habits_tab.habit_list.count() == 9
    assert window.habits_tab.selected_habit == "water"
    model = window.habits_tab.heatmap.heatmap_model
    assert (model.rowCount(), model.columnCount()) == (7, WEEKS)


def test_heatmap_cells_say_their_value(qtbot, window: HistoryWindow, parts: Parts
                                       ) -> None:
    log_water_days(parts, [1, 2], 2000)
    log_water_days(parts, [3], 1000)
    show(qtbot, window)
    model = window.habits_tab.heatmap.heatmap_model
    yesterday = model.index_of(TODAY - timedelta(days=1))
    text = model.data(yesterday, Qt.ItemDataRole.ToolTipRole)
    assert text == "Monday 9 March 2026 · 2,000 ml (goal 2,000 ml) · ✓ goal met"
    assert model.data(yesterday, Qt.ItemDataRole.AccessibleTextRole) == text
    partial = model.index_of(TODAY - timedelta(days=3))
    assert "1,000 ml (goal 2,000 ml) · part of the goal" in model.data(
        partial, Qt.ItemDataRole.ToolTipRole)
    assert model.data(partial, OUTCOME_ROLE) is Outcome.PARTIAL
    today = model.index_of(TODAY)
    assert "today, still going" in model.data(today, Qt.ItemDataRole.ToolTipRole)
    # Before tracking began the cell still says its day; after today there is no cell.
    early = model.index_of(TODAY - timedelta(days=100))
    assert "before you started" in model.data(early, Qt.ItemDataRole.ToolTipRole)
    assert not model.index_of(TODAY + timedelta(days=1)).isValid()


def test_keyboard_moves_through_days(qtbot, window: HistoryWindow, parts: Parts
                                     ) -> None:
    log_water_days(parts, [1, 7])
    show(qtbot, window)
    view = window.habits_tab.heatmap
    view.setFocus()
    assert view.current_day() == TODAY
    with qtbot.wait_signal(view.day_selected) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Up)
    assert blocker.args == [TODAY - timedelta(days=1)]
    assert window.habits_tab.day_text.text().startswith("Monday 9 March 2026 · 2,000 ml")
    qtbot.keyClick(view, Qt.Key.Key_Left)  # a week earlier
    assert view.current_day() == TODAY - timedelta(days=8)
    assert view.currentIndex().data(DAY_ROLE) == TODAY - timedelta(days=8)


def test_streaks_and_strength_tiles(qtbot, window: HistoryWindow, parts: Parts
                                    ) -> None:
    log_water_days(parts, [1, 2, 3, 5, 6, 7, 8, 9])
    log_water_days(parts, [4], 500)
    show(qtbot, window)
    assert window.habits_tab.current_tile.value.text() == "3 days"
    assert window.habits_tab.current_tile.detail.text() == "since 7 Mar 2026"
    assert window.habits_tab.best_tile.value.text() == "5 days"
    tip = window.habits_tab.strength_tile.toolTip()
    assert "Why it changed lately" in tip
    assert "goal reached: 2,000 of 2,000 ml" in tip
    assert "part of the goal: 500 of 2,000 ml (25 %)" in tip
    assert "halves after 13 days" in tip
    assert window.habits_tab.strength_tile.accessibleName().startswith("Habit strength: ")
    assert "hover for why" in window.habits_tab.strength_tile.detail.text()


def test_at_most_habit_and_no_goal_habit(qtbot, window: HistoryWindow, parts: Parts
                                         ) -> None:
    parts.session.log("caffeine", 400, at=datetime(2026, 3, 9, 9, 0, tzinfo=LONDON))
    parts.session.log("stress", 4, at=datetime(2026, 3, 9, 20, 0, tzinfo=LONDON))
    show(qtbot, window)
    window.habits_tab.select_habit("caffeine")
    assert window.habits_tab.habit_goal.text() == "Limit: at most 300 mg a day."
    model = window.habits_tab.heatmap.heatmap_model
    cell = model.index_of(date(2026, 3, 9))
    assert "▲ over the limit" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert window.habits_tab.strength_tile.value.text() == "0 %"
    window.habits_tab.select_habit("stress")
    assert window.habits_tab.habit_goal.text() == "Tracked without a goal."
    assert window.habits_tab.strength_tile.isHidden()
    assert window.habits_tab.current_tile.caption.text() == "Days logged"


def test_an_old_caffeine_run_is_not_the_current_streak(qtbot, window: HistoryWindow,
                                                       parts: Parts) -> None:
    # Five good caffeine days in January, and Quell not used at all since.
    for day in range(5, 10):
        parts.session.log("caffeine", 95, at=datetime(2026, 1, day, 9, 0, tzinfo=LONDON))
    show(qtbot, window)
    window.habits_tab.select_habit("caffeine")
    assert window.habits_tab.current_tile.value.text() == "0 days"
    assert window.habits_tab.current_tile.detail.text() == "meet the goal to start one"
    assert window.habits_tab.best_tile.value.text() == "5 days"
    assert window.habits_tab.best_tile.detail.text() == "5 Jan 2026 – 9 Jan 2026"


def test_days_off_freeze_the_streak(qtbot, window: HistoryWindow, parts: Parts
                                    ) -> None:
    log_water_days(parts, [1, 3, 4])
    show(qtbot, window)
    assert window.habits_tab.current_tile.value.text() == "1 day"
    window.habits_tab.heatmap.select_day(TODAY - timedelta(days=2))
    assert window.habits_tab.day_off_button.isEnabled()
    window.habits_tab.mark_day_off("sick")
    assert parts.history.days_off() == {TODAY - timedelta(days=2): "sick"}
    assert window.habits_tab.current_tile.value.text() == "3 days"
    assert window.habits_tab.heatmap.current_day() == TODAY - timedelta(days=2)
    assert "day off (sick)" in window.habits_tab.day_text.text()
    assert not window.habits_tab.clear_off_button.isHidden()
    window.habits_tab.clear_day_off()
    assert parts.history.days_off() == {}
    assert window.habits_tab.current_tile.value.text() == "1 day"


def test_days_off_go_through_the_session(qtbot, window: HistoryWindow, parts: Parts) -> None:
    log_water_days(parts, [1, 3])
    show(qtbot, window)
    window.habits_tab.heatmap.select_day(TODAY - timedelta(days=2))
    # The Today window, the tray and the reminders listen to Session.changed.
    with qtbot.wait_signal(parts.session.changed, timeout=500):
        assert window.habits_tab.mark_day_off("vacation")
    assert parts.history.days_off() == {TODAY - timedelta(days=2): "vacation"}
    with qtbot.wait_signal(parts.session.changed, timeout=500):
        assert window.habits_tab.clear_day_off()
    assert parts.history.days_off() == {}


@pytest.mark.parametrize("attack", ["read_only", "locked"])
def test_a_day_off_that_cannot_be_saved_says_so_in_the_window(
        qtbot, window: HistoryWindow, parts: Parts, tmp_path: Path, attack: str) -> None:
    log_water_days(parts, [1, 3])
    show(qtbot, window)
    day = TODAY - timedelta(days=2)
    window.habits_tab.heatmap.select_day(day)
    assert window.habits_tab.mark_day_off("sick")
    db = parts.store.connection
    holder = None
    if attack == "read_only":
        db.execute("PRAGMA query_only = ON")
    else:
        db.execute("PRAGMA busy_timeout = 0")  # the test need not wait for the lock
        holder = sqlite3.connect(tmp_path / "data" / "quell.db")
        holder.execute("BEGIN IMMEDIATE")
    announced: list[bool] = []
    parts.session.changed.connect(lambda: announced.append(True))
    try:
        assert not window.habits_tab.clear_day_off()  # no exception reaches the crash dialog
        assert not window.habits_tab.day_off_problem.isHidden()
        message = window.habits_tab.day_off_problem.message
        assert ("read-only" in message) if attack == "read_only" else ("locked" in message)
        assert "\n" not in message and "Traceback" not in message
        assert not announced
        # Nothing half-written: the day is still off, and the window still says so.
        assert not window.habits_tab.clear_off_button.isHidden()
        assert "day off (sick)" in window.habits_tab.day_text.text()
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
        db.execute("PRAGMA query_only = OFF")
    assert parts.history.days_off() == {day: "sick"}
    # Once the database can be written again, the same click works and the message goes.
    assert window.habits_tab.clear_day_off()
    assert window.habits_tab.day_off_problem.isHidden() and parts.history.days_off() == {}
    assert announced == [True]


def test_an_unknown_reason_is_refused_and_nothing_is_written(
        qtbot, window: HistoryWindow, parts: Parts) -> None:
    log_water_days(parts, [1])
    show(qtbot, window)
    window.habits_tab.heatmap.select_day(TODAY - timedelta(days=1))
    assert not window.habits_tab.mark_day_off("holiday; DROP TABLE days_off")
    assert "not a reason for a day off" in window.habits_tab.day_off_problem.message
    assert parts.history.days_off() == {}


def test_the_period_box_takes_the_wheel_only_when_focused(qtbot, window: HistoryWindow
                                                          ) -> None:
    from tests.ui.settings.test_dialog import wheel

    show(qtbot, window)
    window.tabs.setCurrentWidget(window.twitches_tab)
    box = window.twitches_tab.twitch_period
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus
    wheel(box, notches=-1)
    assert box.currentIndex() == 0


def test_refreshes_when_the_session_changes(qtbot, window: HistoryWindow, parts: Parts
                                            ) -> None:
    show(qtbot, window)
    assert window.habits_tab.current_tile.value.text() == "0 days"
    with qtbot.wait_signal(window._refresh_timer.timeout):
        log_water_days(parts, [1])
    assert window.habits_tab.current_tile.value.text() == "1 day"


def test_hidden_window_reloads_when_shown(qtbot, window: HistoryWindow, parts: Parts
                                         ) -> None:
    show(qtbot, window)
    window.hide()
    log_water_days(parts, [1, 2])
    show(qtbot, window)
    assert window.habits_tab.current_tile.value.text() == "2 days"


def test_weekly_chart_reads_by_keyboard(qtbot, window: HistoryWindow, parts: Parts
                                        ) -> None:
    log_water_days(parts, list(range(1, 20)))
    show(qtbot, window)
    chart = window.habits_tab.weekly_chart
    assert chart.bars[-2].value == pytest.approx(2000)
    chart.setFocus()
    with qtbot.wait_signal(chart.item_focused) as blocker:
        qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert blocker.args[0].startswith("Week of 2 Mar 2026: 2,000 ml a day on average")
    assert "goal 2,000 ml" in blocker.args[0]
    assert window.habits_tab.weekly_note.text() == blocker.args[0]
    assert chart.accessibleDescription() == blocker.args[0]


def test_insights_tab_without_enough_data(qtbot, window: HistoryWindow, parts: Parts
                                          ) -> None:
    log_water_days(parts, [1, 2])
    window.present("insights")
    qtbot.waitExposed(window)
    names = [w.objectName() for w in window.insights_tab.findChildren(QWidget)]
    assert not any(n.startswith("insight-") for n in names)
    waiting = [n for n in names if n.startswith("waiting-")]
    assert len(waiting) == 7
    texts = [label.text() for label in window.insights_tab.findChildren(QLabel)]
    assert "Not enough data yet" in texts
    assert any("Correlation, not proof" in t for t in texts)


def test_insights_and_twitches_on_generated_data(qtbot, window: HistoryWindow, parts: Parts
                                                 ) -> None:
    generate(parts.store.connection, TODAY, LONDON, days=200)
    window.present("insights")
    qtbot.waitExposed(window)
    insights = window.insights()
    ready = [t for t in insights.triggers if t.enough_data]
    assert ready and [t.ci_low for t in ready] == sorted((t.ci_low for t in ready),
                                                         reverse=True)
    cards = [w for w in window.insights_tab.findChildren(QWidget)
             if w.objectName().startswith("insight-")]
    assert [c.objectName() for c in cards] == [f"insight-{t.key}" for t in ready]
    assert cards[0].accessibleDescription().startswith("On days")

    window.tabs.setCurrentWidget(window.twitches_tab)
    assert "episodes on" in window.twitches_tab.twitch_summary.text()
    assert window.twitches_tab.area_list.topLevelItemCount() > 3
    assert window.twitches_tab.area_list.topLevelItem(0).text(0) == "Eyelid"
    assert window.twitches_tab.twitch_chart.item_count() == 91
    window.twitches_tab.twitch_period.setCurrentIndex(2)  # all time
    assert window.twitches_tab.twitch_chart.item_count() >= 195

    window.tabs.setCurrentWidget(window.reminders_tab)
    assert "reminders done" in window.reminders_tab.reminder_summary.text()
    assert window.reminders_tab.hour_list.topLevelItemCount() == 9
    assert window.reminders_tab.hour_list.topLevelItem(0).text(0) == "10:00"
    assert window.reminders_tab.hour_chart.item_text(10).startswith("10:00–11:00: ")


def test_empty_twitches_and_reminders(qtbot, window: HistoryWindow) -> None:
    window.present("twitches")
    qtbot.waitExposed(window)
    assert not window.twitches_tab.twitch_empty.isHidden()
    assert window.twitches_tab.twitch_summary.text() == "No twitches in this period"
    window.tabs.setCurrentWidget(window.reminders_tab)
    assert window.reminders_tab.reminder_summary.text().startswith("No reminders yet")
    assert window.reminders_tab.hour_list.isHidden()


@pytest.mark.parametrize("dark", [False, True])
def test_cells_are_painted_from_the_palette(qtbot, window: HistoryWindow, parts: Parts,
                                            dark: bool) -> None:
    log_water_days(parts, list(range(1, 8)))
    palette = QPalette(window.palette())
    accent = QColor(20, 160, 60) if not dark else QColor(240, 180, 40)
    palette.setColor(QPalette.ColorRole.Highlight, accent)
    if dark:
        palette.setColor(QPalette.ColorRole.Window, QColor(30, 30, 32))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(230, 230, 230))
        palette.setColor(QPalette.ColorRole.Base, QColor(20, 20, 22))
    window.setPalette(palette)
    show(qtbot, window)
    image = window.habits_tab.heatmap.viewport().grab().toImage()
    colours = {image.pixelColor(x, y).rgb() for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2)}
    assert accent.rgb() in colours
    window.habits_tab.weekly_chart.grab()
    window.tabs.setCurrentWidget(window.insights_tab)
    window.insights_tab.grab()


def test_export_and_import_from_the_ui(qtbot, parts: Parts, tmp_path: Path) -> None:
    log_water_days(parts, [1, 2])
    transfer = DataTransfer(parts.session, parts.store)
    path = tmp_path / "out.zip"
    with qtbot.wait_signal(transfer.export_finished) as done:  # runs off the GUI thread
        transfer.export_to(path)
    assert done.args[0] is not None and zipfile.is_zipfile(path)
    box = transfer.message_box
    assert box is not None and "Saved 2 entries" in box.text()
    box.close()
    with qtbot.wait_signal(transfer.export_finished) as done:
        transfer.export_to(path)
    assert done.args[0] is None  # exists, not replaced
    assert "already exists" in transfer.message_box.text()
    transfer.message_box.close()

    with qtbot.wait_signal(parts.session.changed), \
            qtbot.wait_signal(transfer.import_finished) as done:
        transfer.import_from(path)
    result = done.args[0]
    assert result is not None and result.total_added == 0
    assert "2 already there were skipped" in transfer.message_box.text()
    transfer.message_box.close()

    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("entries.csv", "timestamp,habit,amount\n2026-03-09T08:00,water,x\n"
                         "2026-03-09T08:00,tea,1\n")
    with qtbot.wait_signal(transfer.import_finished) as done:
        transfer.import_from(bad)
    assert done.args[0] is None
    box = transfer.message_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert box.windowTitle() == "Nothing was imported"
    assert "entries.csv, line 2: amount 'x' is not a number" in box.detailedText()
    assert "entries.csv, line 3: unknown habit 'tea'" in box.detailedText()
    box.close()
    assert parts.store.count_entries() == 2
