"""The Habits tab: heatmap cells in words, keyboard use, streaks, the score's why, the
weekly chart, days off, and colours from the palette."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from quell.core.habits import Direction, Kind, user_habit
from quell.core.history import Outcome
from quell.ui.history.heatmap import DAY_ROLE, OUTCOME_ROLE
from quell.ui.history.window import HistoryWindow
from tests.conftest import LONDON
from tests.ui.history.history_parts import TODAY, Parts, add_user_habit, log_water_days, show


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


ALCOHOL = user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 2, quick=[1])


def count_builds(monkeypatch: pytest.MonkeyPatch, window: HistoryWindow) -> list[str]:
    """The habits whose view (calendar, tiles, weeks) is built, in order."""
    built: list[str] = []
    heatmap = window.habits_tab.heatmap
    show_days = heatmap.show_days

    def counted(spec, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(spec.key)
        return show_days(spec, *args, **kwargs)

    monkeypatch.setattr(heatmap, "show_days", counted)
    return built


def test_the_first_open_builds_the_habit_view_once(qtbot, window: HistoryWindow, parts: Parts,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    log_water_days(parts, [1, 2])
    built = count_builds(monkeypatch, window)
    show(qtbot, window)
    assert built == ["water"]
    window.habits_tab.select_habit("caffeine")
    assert built == ["water", "caffeine"]
    # A refresh rebuilds the chosen habit once, keeping it chosen.
    window.refresh()
    assert built == ["water", "caffeine", "caffeine"]
    assert window.habits_tab.selected_habit == "caffeine"


def test_a_user_habit_is_listed_and_shown_like_a_built_in(
        qtbot, window: HistoryWindow, parts: Parts, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user_habit(parts, monkeypatch, ALCOHOL, {1: 1, 2: 3, 3: 2})
    show(qtbot, window)
    tab = window.habits_tab
    labels = [tab.habit_list.item(i).text() for i in range(tab.habit_list.count())]
    assert labels[-1] == "Alcohol"
    tab.select_habit("alcohol")
    assert tab.selected_habit == "alcohol"
    assert tab.habit_title.text() == "Alcohol"
    assert tab.habit_goal.text() == "Limit: at most 2 drinks a day."
    assert tab.current_tile.caption.text() == "Current streak"
    model = tab.heatmap.heatmap_model
    over = model.data(model.index_of(TODAY - timedelta(days=2)), Qt.ItemDataRole.ToolTipRole)
    assert "3 drinks" in over
    assert model.habit_day(TODAY - timedelta(days=2)).outcome is Outcome.OVER
    assert model.habit_day(TODAY - timedelta(days=1)).outcome is Outcome.MET


def test_a_switched_off_user_habit_with_history_stays_after_the_enabled(
        qtbot, window: HistoryWindow, parts: Parts, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user_habit(parts, monkeypatch, ALCOHOL, {1: 1})
    enabled = [k for k in parts.session.enabled_habits() if k != "alcohol"]
    monkeypatch.setattr(parts.session, "enabled_habits", lambda: list(enabled))
    show(qtbot, window)
    tab = window.habits_tab
    keys = [tab.habit_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(tab.habit_list.count())]
    assert keys == [*enabled, "alcohol"]
