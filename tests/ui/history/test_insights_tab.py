"""The Insights tab: triggers waiting for data, and the caution."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from quell.core.habits import Direction, Kind, user_habit
from quell.ui.history.window import HistoryTab, HistoryWindow
from tests.ui.history.history_parts import (
    Parts,
    add_twitches,
    add_user_habit,
    log_water_days,
    noon,
)


def test_insights_tab_without_enough_data(qtbot, window: HistoryWindow, parts: Parts
                                          ) -> None:
    log_water_days(parts, [1, 2])
    window.present(HistoryTab.INSIGHTS)
    qtbot.waitExposed(window)
    names = [w.objectName() for w in window.insights_tab.findChildren(QWidget)]
    assert not any(n.startswith("insight-") for n in names)
    waiting = [n for n in names if n.startswith("waiting-")]
    assert len(waiting) == 7
    texts = [label.text() for label in window.insights_tab.findChildren(QLabel)]
    assert "Not enough data yet" in texts
    assert any("Correlation, not proof" in t for t in texts)


ALCOHOL = user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 2)


def test_a_user_habit_is_a_trigger_waiting_for_data(
        qtbot, window: HistoryWindow, parts: Parts, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user_habit(parts, monkeypatch, ALCOHOL, {1: 3, 2: 1})
    window.present(HistoryTab.INSIGHTS)
    qtbot.waitExposed(window)
    row = window.insights_tab.findChild(QWidget, "waiting-alcohol_over_limit")
    assert row is not None
    assert row.accessibleName().startswith("Alcohol over your limit: Not enough data yet: "
                                           "1 day vs 1 day")
    waiting = [w.objectName() for w in window.insights_tab.findChildren(QWidget)
               if w.objectName().startswith("waiting-")]
    assert waiting[-1] == "waiting-alcohol_over_limit"  # after the built-ins


def test_a_user_habit_trigger_with_enough_data_gets_a_card(
        qtbot, window: HistoryWindow, parts: Parts, monkeypatch: pytest.MonkeyPatch) -> None:
    # 10 days over the limit with 3 twitches each, 10 within it with none.
    add_user_habit(parts, monkeypatch, ALCOHOL, {back: 3 if back <= 10 else 1
                                                 for back in range(1, 21)})
    add_twitches(parts, list(range(1, 11)))
    window.present(HistoryTab.INSIGHTS)
    qtbot.waitExposed(window)
    card = window.insights_tab.findChild(QWidget, "insight-alcohol_over_limit")
    assert card is not None
    assert card.accessibleName() == "Alcohol over your limit"
    assert card.accessibleDescription().startswith(
        "On days with more than your limit of alcohol you logged")
    first = next(w for w in window.insights_tab.findChildren(QWidget)
                 if w.objectName().startswith("insight-"))
    assert first is card  # the strongest evidence first


def test_a_link_to_hard_exercise_says_twitching_after_it_is_normal(
        qtbot, window: HistoryWindow, parts: Parts) -> None:
    # Hard exercise every fourth day: that day and the next have 3 twitches, the rest none.
    log_water_days(parts, list(range(1, 41)))
    for back in range(2, 41, 4):
        parts.session.log("exercise", 45, at=noon(back))
        add_twitches(parts, [back, back - 1])
    window.present(HistoryTab.INSIGHTS)
    qtbot.waitExposed(window)
    card = window.insights_tab.findChild(QWidget, "insight-hard_exercise")
    assert card is not None
    context = card.findChild(QLabel, "context-hard_exercise")
    assert context is not None and "stopping exercise is usually not needed" in context.text()
    assert "stopping exercise is usually not needed" in card.accessibleDescription()
    water = window.insights_tab.findChild(QWidget, "insight-low_water")
    assert water is None or water.findChild(QLabel, "context-low_water") is None
