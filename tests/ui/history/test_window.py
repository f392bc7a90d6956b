"""History & insights window: its tabs, refreshing on changes, every tab on generated data,
empty tabs, and export/import from the UI."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from quell.ui.history.heatmap import WEEKS
from quell.ui.history.window import HistoryTab, HistoryWindow
from quell.ui.services.data_transfer import DataTransfer
from tests.bench.datagen import generate
from tests.conftest import LONDON
from tests.ui.history.history_parts import TODAY, Parts, log_water_days, show


def test_window_basics(qtbot, window: HistoryWindow) -> None:
    show(qtbot, window)
    assert window.windowTitle() == "Quell — History & insights"
    assert [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())] == [
        "Habits", "Twitches", "Insights", "Reminders"]
    assert window.habits_tab.habit_list.count() == 9
    assert window.habits_tab.selected_habit == "water"
    model = window.habits_tab.heatmap.heatmap_model
    assert (model.rowCount(), model.columnCount()) == (7, WEEKS)

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

def test_insights_and_twitches_on_generated_data(qtbot, window: HistoryWindow, parts: Parts
                                                 ) -> None:
    generate(parts.store.connection, TODAY, LONDON, days=200)
    window.present(HistoryTab.INSIGHTS)
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
    window.present(HistoryTab.TWITCHES)
    qtbot.waitExposed(window)
    assert not window.twitches_tab.twitch_empty.isHidden()
    assert window.twitches_tab.twitch_summary.text() == "No day rated in this period"
    window.tabs.setCurrentWidget(window.reminders_tab)
    assert window.reminders_tab.reminder_summary.text().startswith("No reminders yet")
    assert window.reminders_tab.hour_list.isHidden()

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


def test_history_tabs_name_the_pages(qtbot, window: HistoryWindow) -> None:
    assert [t.value for t in HistoryTab] == ["habits", "twitches", "insights", "reminders"]
    pages = {HistoryTab.HABITS: window.habits_tab, HistoryTab.TWITCHES: window.twitches_tab,
             HistoryTab.INSIGHTS: window.insights_tab, HistoryTab.REMINDERS: window.reminders_tab}
    for tab, page in pages.items():
        window.present(tab)
        assert window.tabs.currentWidget() is page
    window.present()  # no tab: where it was
    assert window.tabs.currentWidget() is window.reminders_tab
    with pytest.raises(ValueError):
        window.present("history")  # type: ignore[arg-type]


def test_each_tab_is_filled_when_first_shown(qtbot, window: HistoryWindow, parts: Parts,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    filled: list[str] = []
    for name in ("habits_tab", "twitches_tab", "insights_tab", "reminders_tab"):
        page = getattr(window, name)
        fill = page.fill
        monkeypatch.setattr(page, "fill", lambda fill=fill, name=name: (filled.append(name),
                                                                         fill())[1])
    window.present(HistoryTab.INSIGHTS)
    qtbot.waitExposed(window)
    assert filled == ["insights_tab"]
    window.tabs.setCurrentWidget(window.habits_tab)
    window.tabs.setCurrentWidget(window.insights_tab)  # already filled
    assert filled == ["insights_tab", "habits_tab"]
